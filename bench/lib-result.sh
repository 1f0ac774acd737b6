# shellcheck shell=bash
# Shared by the bench scripts (source it): wall-time sampling and the one result line per target.
#   bench_seconds CMD...        wall seconds of one run (output kept in a temp file, shown on failure,
#                               then deleted); a failure stops the bench
#   bench_samples N CMD...      N runs, one line of seconds each
#   bench_result --bench … --ours … --ours-samples "$s" --target "<= 2.5x" [--baseline … --baseline-samples "$b"] …
#                               a verdict line and `BENCH {json}` (bench/lib-result.mjs emit; format there)
#   bench_median                the median of the numbers on stdin, one a line
#   bench_cpu_seconds CMD...    user + sys seconds of one run, children included (what the wall time
#                               would be on an idle machine, near enough)
#   bench_load                  the load average now ("1m 5m 15m")
# BENCH_OK_EXIT lists the exit codes that count as success (default "0"; e.g. "0 3" for plan/drift).
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_NODE=${BENCH_NODE:-$BENCH_DIR/../node_modules/.bin/node}
[ -x "$BENCH_NODE" ] || BENCH_NODE=node

bench_load() { cut -d' ' -f1-3 /proc/loadavg; }
bench_median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
bench_cpu_seconds() {
  local TIMEFORMAT='%3U %3S'
  { time "$@" > /dev/null 2>&1; } 2>&1 | awk '{ print $1 + $2 }'
}

bench_seconds() {
  local start end rc=0 out err
  out=$(mktemp "${TMPDIR:-/tmp}/bench-out.XXXXXX")
  err=$(mktemp "${TMPDIR:-/tmp}/bench-err.XXXXXX")
  start=$(date +%s%N)
  "$@" > "$out" 2> "$err" || rc=$?
  end=$(date +%s%N)
  if [[ " ${BENCH_OK_EXIT:-0} " != *" $rc "* ]]; then
    # Both streams: a CLI's failure summary is on stdout, an engine's error on stderr.
    echo "bench: \`$*\` exited $rc; the end of its stdout:" >&2
    tail -n 30 "$out" >&2
    echo "bench: and of its stderr:" >&2
    tail -n 30 "$err" >&2
    rm -f "$out" "$err"
    return 1
  fi
  rm -f "$out" "$err"
  awk -v ns=$((end - start)) 'BEGIN { printf "%.4f\n", ns / 1e9 }'
}

bench_samples() {
  local n=$1 i
  shift
  for ((i = 0; i < n; i++)); do bench_seconds "$@" || return 1; done
}

bench_result() { "$BENCH_NODE" "$BENCH_DIR/lib-result.mjs" emit "$@"; }

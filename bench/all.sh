#!/usr/bin/env bash
# Every bench (or the ones named), then one table of every target: bench, baseline, ours, ratio, target,
# pass/miss. `npm run bench` runs this; it is not part of `npm test`.
#   bench/all.sh [--json] [BENCH...]     e.g. bench/all.sh startup synth;  bench/all.sh --json > bench.json
# Each bench's own lines go to stderr as it runs (progress); the table, or with --json one JSON document
# ({version: 1, date, machine, pass, results}), goes to stdout. The environment reaches every bench
# (RUNS=5 bench/all.sh sets the runs of each; see each script's header for its knobs).
# Exit: 0 every target met; 1 a target missed or a bench failed; 2 bad arguments or a missing
# prerequisite (the build, the toolchain, Chromium, GNU time): nothing was run.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib-result.sh
NODE=$BENCH_NODE
# Cheap first: a broken build or toolchain shows in seconds, not after the long ones.
ALL="startup synth cost policy report plan-overhead plan-overhead-terraform parallel drift drift-remote apply-scale scale"

json=0
selected=()
for arg in "$@"; do
  case $arg in
    --json) json=1 ;;
    -h | --help)
      sed -n '2,9p' "$0" | cut -c3-
      echo "benches: $ALL"
      exit 0
      ;;
    -*) echo "bench/all.sh: unknown option $arg (--json, --help)" >&2 && exit 2 ;;
    *)
      [[ " $ALL " == *" $arg "* ]] || { echo "bench/all.sh: no bench \"$arg\"; the benches: $ALL" >&2 && exit 2; }
      selected+=("$arg")
      ;;
  esac
done
[ ${#selected[@]} -gt 0 ] || read -ra selected <<< "$ALL"
wants() { [[ " ${selected[*]} " == *" $1 "* ]]; }

# ---- prerequisites: say exactly what to run --------------------------------------------------------
missing=()
if ! "$NODE" --version > /dev/null 2>&1; then
  missing+=("Node from node_modules: run \`npm ci\`")
elif [ ! -f oclif.manifest.json ] || [ ! -d dist/commands ]; then
  missing+=("the build (dist/, oclif.manifest.json): run \`npm run build\`")
else
  stale=$(find src -name '*.ts' -newer oclif.manifest.json -print -quit)
  [ -z "$stale" ] || missing+=("a current build ($stale is newer than the last one): run \`npm run build\`")
fi
if [ ${#missing[@]} -eq 0 ]; then
  # The tools of `toolchain status`, and the install steps beyond them (CRDs, the provider mirror, and
  # for drift-remote the object-store emulators).
  test_servers=$(wants drift-remote && echo true || echo false)
  # status exits 1 when a tool is missing, and still prints its document.
  status=$("$NODE" bin/run.js toolchain status --json 2> /dev/null) || true
  if ! needs=$(printf '%s' "$status" | "$NODE" --input-type=module -e "
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    const { planInstall } = await import('$PWD/dist/toolchain/install.js');
    const tools = JSON.parse(text).tools.filter((t) => t.source === 'missing').map((t) => t.name);
    const steps = planInstall(undefined, $test_servers).filter((s) => s.needed).map((s) => s.id);
    console.log([...new Set([...tools, ...steps])].join(' '));
  "); then
    missing+=("a working \`node bin/run.js toolchain status --json\`: run \`npm run build\`")
  elif [ -n "$needs" ]; then
    flag=
    [ "$test_servers" = false ] || flag=" --test-servers"
    missing+=("the toolchain ($needs): run \`node bin/run.js toolchain install$flag\`")
  fi
fi
if wants report && [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  missing+=("Chromium for report (${CHROMIUM:-/usr/bin/chromium}): install it or set CHROMIUM=/path/to/chromium")
fi
if wants scale && [ ! -x /usr/bin/time ]; then
  missing+=("GNU time for scale's peak RSS: \`apt-get install time\`")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench/all.sh: cannot run yet; missing:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 2
fi

# ---- run -------------------------------------------------------------------------------------------
out=$(mktemp -d /tmp/platform-bench-all.XXXX)
trap 'rm -rf "$out"' EXIT
runs=()
echo "bench/all.sh: ${selected[*]} ($(nproc) cores, load $(bench_load), $("$NODE" --version))" >&2
for name in "${selected[@]}"; do
  echo "== bench/$name.sh  $(date +%H:%M:%S)" >&2
  start=$SECONDS
  set +e
  # The bench's lines are progress (stderr); its BENCH lines are kept for the table, not repeated.
  "bench/$name.sh" 2>&1 < /dev/null | tee "$out/$name.out" | grep --line-buffered -v '^BENCH ' >&2
  rc=${PIPESTATUS[0]}
  set -e
  echo "== bench/$name.sh exited $rc after $((SECONDS - start)) s" >&2
  runs+=("$name:$rc:$out/$name.out")
done
args=()
[ "$json" = 1 ] && args+=(--json)
set +e
"$NODE" bench/lib-result.mjs summary "${args[@]}" "${runs[@]}"
rc=$?
set -e
exit "$rc"

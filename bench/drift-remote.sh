#!/usr/bin/env bash
# `platform drift` with state in S3 against the same drift with file:// state, on one tenant stack of N
# objects (N ConfigMaps, default 1,000) applied by the engine to the local plane. The state is applied
# once to file://, then moved with `platform state migrate` to an S3 server (moto, from the toolchain,
# on loopback), so both runs read the very same state and cluster. Median of RUNS (5) whole-process runs
# each (process start, Git, synthesis, state read over S3, live, compare). Target: s3 ≤ 1.5× file (medians).
# Needs `npm run build` and `platform toolchain install --test-servers`. ENGINES="pulumi terraform" N=1000 RUNS=5.
#
# Measured 2026-11-29 17:30–17:55 on the 2-core dev box shared with other jobs (load average 5.7–7.3),
# 1,000 ConfigMaps, median of 5 (ms, file:// → s3://, ratio); three runs, the noise is ±20 %:
#   pulumi     1438 → 1686 (1.17×)   1420 → 1570 (1.11×)   1418 → 1329 (0.94×)
#   terraform  1603 → 2329 (1.45×)   1806 → 2390 (1.32×)   2043 → 1819 (0.89×)
# (the third run opens the store beside synthesis). The state phase itself: +185 ms (Pulumi) and
# +212 ms (OpenTofu) over file://, mostly loading @aws-sdk/client-s3 (~260–400 ms cold, partly hidden)
# and the GET from moto; the live and compare phases are the same work either way.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/bench/lib-result.sh"
node=$BENCH_NODE
lib="$repo/bench/lib-drift.mjs"
n=${N:-1000}
runs=${RUNS:-5}
engines=${ENGINES:-"pulumi terraform"}

work=$(mktemp -d /tmp/platform-bench-drift-remote.XXXX)
"$node" "$lib" s3-server bench > "$work/s3.env" &
s3pid=$!
cfg=
cleanup() {
  [ -z "$cfg" ] || "$node" "$lib" local down "$cfg" > /dev/null 2>&1 || true
  kill "$s3pid" 2> /dev/null || true
  wait "$s3pid" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
until grep -q '^# ready' "$work/s3.env" 2>/dev/null; do kill -0 "$s3pid" || { cat "$work/s3.env"; exit 1; }; sleep 0.2; done
# shellcheck disable=SC1091
source "$work/s3.env"

for engine in $engines; do
  dir="$work/$engine"; mkdir -p "$dir"
  cfg="$dir/platform.yaml"
  cat > "$cfg" <<YAML
apiVersion: platform.dev/v1
name: benchremote
engine: $engine
regions:
  - { name: eu, cloud: local, location: local-eu, role: primary }
tenants:
  - { name: bench, plan: enterprise, owners: [ana@example.com] }
services: []
YAML
  (cd "$dir" && git init -q -b main && printf '.platform/\n' > .gitignore && git add -A && git -c user.email=b@example.com -c user.name=bench -c commit.gpgsign=false commit -qm bench)
  export PLATFORM_PASSPHRASE=bench-remote-passphrase
  "$node" "$lib" local up "$cfg"
  t0=$(date +%s); "$node" "$lib" apply "$cfg" "$n" 2>"$dir/apply.log" || { cat "$dir/apply.log"; exit 1; }
  echo "$engine: applied $n ConfigMaps in $(( $(date +%s) - t0 )) s"
  # drift exits 3: the N ConfigMaps are in state, not in Git (`pending`).
  drift() { (cd "$dir" && "$node" "$repo/bin/run.js" drift --json --stack tenant/eu/bench -c "$cfg") || [ $? -eq 3 ]; }
  drift > "$dir/file.json" 2>/dev/null   # warm the caches
  load=$(bench_load)
  file_s=$(bench_samples "$runs" drift)
  (cd "$dir" && "$node" "$repo/bin/run.js" drift --json --timings --stack tenant/eu/bench -c "$cfg" 2>&1 >/dev/null | grep -o 'timings .*' | cut -c9- | sed 's/^/  file drift phases (ms): /') > "$dir/file-phases.txt" || true
  (cd "$dir" && "$node" "$repo/bin/run.js" state migrate --to "s3://bench/$engine" --json -c "$cfg" > "$dir/migrate.json" 2>/dev/null)
  git -C "$dir" -c user.email=b@example.com -c user.name=bench -c commit.gpgsign=false commit -qam "state in s3"
  drift > "$dir/s3.json" 2>/dev/null
  s3_s=$(bench_samples "$runs" drift)
  same=$("$node" -e 'const f=(p)=>JSON.parse(require("fs").readFileSync(p,"utf8")).stacks.map(s=>[s.id,s.status,s.findings.length]); console.log(JSON.stringify(f(process.argv[1]))===JSON.stringify(f(process.argv[2]))?"same report":"REPORTS DIFFER")' "$dir/file.json" "$dir/s3.json")
  echo "== $engine, $n objects ($(nproc) cores; $runs runs each): $same =="
  [ "$same" = "same report" ] || { echo "drift-remote.sh: the s3:// drift report differs from the file:// one" >&2 && exit 1; }
  bench_result --bench "drift s3 state $engine" --ours "platform drift, s3:// state" --ours-samples "$s3_s" \
    --baseline "platform drift, file:// state" --baseline-samples "$file_s" --target "<= 1.5x" --load "$load"
  cat "$dir/file-phases.txt"
  (cd "$dir" && "$node" "$repo/bin/run.js" drift --json --timings --stack tenant/eu/bench -c "$cfg" 2>&1 >/dev/null | grep -o 'timings .*' | cut -c9- | sed 's/^/  s3 drift phases (ms):   /') || true
  "$node" "$lib" local down "$cfg" > /dev/null 2>&1 || true
  cfg=
done

#!/usr/bin/env bash
# Start-up: `platform --help` and `platform validate` of examples/local, each as a ratio to `node -e 0`
# (same Node), all measured here, alternating so load drift hits all three. Target ≤ 2.5× each.
# RUNS (default 30) runs each. Needs `npm run build`.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib-result.sh
NODE=$BENCH_NODE
RUNS=${RUNS:-30}
"$NODE" bin/run.js --help > /dev/null 2>&1 # warm the compile cache and the page cache
"$NODE" bin/run.js validate -c examples/local/platform.yaml > /dev/null 2>&1
load=$(bench_load)
node0=() help=() validate=()
for ((i = 0; i < RUNS; i++)); do
  node0+=("$(bench_seconds "$NODE" -e 0)")
  help+=("$(bench_seconds "$NODE" bin/run.js --help)")
  validate+=("$(bench_seconds "$NODE" bin/run.js validate -c examples/local/platform.yaml)")
done
echo "start-up, $RUNS runs each (node $("$NODE" --version))"
bench_result --bench "startup --help" --ours "platform --help" --ours-samples "${help[*]}" \
  --baseline "node -e 0" --baseline-samples "${node0[*]}" --target "<= 2.5x" --load "$load"
bench_result --bench "startup validate" --ours "platform validate (examples/local)" --ours-samples "${validate[*]}" \
  --baseline "node -e 0" --baseline-samples "${node0[*]}" --target "<= 2.5x" --load "$load"

#!/usr/bin/env bash
# `platform cost` of 100 tenants × 3 cloud regions (AWS, GCP, Azure: every price table in use) through
# the CLI — process start, config load, planning, pricing, one JSON document. Target ≤ 2 s wall (#17).
# Beside it `platform stacks list` of the same estate (everything but the pricing; shown, not a target)
# and the median CPU time of each (what the wall time is on an idle machine). RUNS (default 5) runs each.
# Needs `npm run build`.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib-result.sh
. bench/lib-estate.sh
NODE=$BENCH_NODE
RUNS=${RUNS:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
f="$dir/platform.yaml"
estate terraform '  - { name: eu, cloud: aws, location: us-east-1, role: primary }
  - { name: us, cloud: gcp, location: us-east1, role: dr }
  - { name: ap, cloud: azure, location: eastus, role: dr }' > "$f"


"$NODE" bin/run.js cost -c "$f" --json > "$dir/out.json" 2> /dev/null # warm the compile cache and the page cache
summary=$("$NODE" -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(d.stacks.length+" stacks, "+d.stacks.reduce((n,s)=>n+s.lines.length,0)+" lines, "+d.notPriced.length+" not priced, total "+d.total.monthly.toFixed(2)+" USD/month")' "$dir/out.json")
load=$(bench_load)
cost=() list=()
for ((i = 0; i < RUNS; i++)); do
  cost+=("$(bench_seconds "$NODE" bin/run.js cost -c "$f" --json)")
  list+=("$(bench_seconds "$NODE" bin/run.js stacks list -c "$f" --json)")
done
ccpu=$(for ((i = 0; i < RUNS; i++)); do bench_cpu_seconds "$NODE" bin/run.js cost -c "$f" --json; done | bench_median)
scpu=$(for ((i = 0; i < RUNS; i++)); do bench_cpu_seconds "$NODE" bin/run.js stacks list -c "$f" --json; done | bench_median)
echo "cost of 100 tenants x 3 regions ($summary)"
echo "  cpu (user+sys) median: cost $ccpu s, stacks list $scpu s (load-independent)"
bench_result --bench "cost 100x3" --ours "platform cost --json" --ours-samples "${cost[*]}" \
  --baseline "stacks list --json (no pricing)" --baseline-samples "${list[*]}" --target "<= 2 s" --load "$load"

#!/usr/bin/env bash
# `platform cost` of 100 tenants × 3 cloud regions (AWS, GCP, Azure: every price table in use) through
# the CLI — process start, config load, planning, pricing, one JSON document. Target ≤ 2 s wall.
# Prints min/median/max wall time of RUNS runs, the same for `platform stacks list` of the same estate
# (the baseline: everything but the pricing), their ratio, the median CPU time of each (what the wall time
# is on an idle machine) and the load average the figures were taken at.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE=node_modules/.bin/node
[ -x "$NODE" ] || NODE=node
RUNS=${RUNS:-5}
. bench/lib-estate.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
f="$dir/platform.yaml"
estate terraform '  - { name: eu, cloud: aws, location: us-east-1, role: primary }
  - { name: us, cloud: gcp, location: us-east1, role: dr }
  - { name: ap, cloud: azure, location: eastus, role: dr }' > "$f"

time_ms() { local s e; s=$(date +%s%N); "$@" > "$dir/out.json" 2>/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
# CPU seconds (user + sys) of the process: what the wall time would be on an idle machine, near enough.
cpu_ms() { local TIMEFORMAT='%3U %3S'; { time "$@" > /dev/null 2>&1; } 2>&1 | awk '{ print ($1 + $2) * 1000 }'; }
stats() { sort -n | awk '{a[NR]=$1} END { printf "%.2f %.2f %.2f\n", a[1]/1000, ((NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)/1000, a[NR]/1000 }'; }

"$NODE" bin/run.js cost -c "$f" --json > /dev/null 2>&1   # warm the compile cache and the page cache
load=$(cut -d' ' -f1-3 /proc/loadavg)
read -r cmin cmed cmax < <(for _ in $(seq "$RUNS"); do time_ms "$NODE" bin/run.js cost -c "$f" --json; done | stats)
summary=$("$NODE" -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(d.stacks.length+" stacks, "+d.stacks.reduce((n,s)=>n+s.lines.length,0)+" lines, "+d.notPriced.length+" not priced, total "+d.total.monthly.toFixed(2)+" USD/month")' "$dir/out.json")
read -r smin smed smax < <(for _ in $(seq "$RUNS"); do time_ms "$NODE" bin/run.js stacks list -c "$f" --json; done | stats)
read -r _ ccpu _ < <(for _ in $(seq "$RUNS"); do cpu_ms "$NODE" bin/run.js cost -c "$f" --json; done | stats)
read -r _ scpu _ < <(for _ in $(seq "$RUNS"); do cpu_ms "$NODE" bin/run.js stacks list -c "$f" --json; done | stats)
awk -v a="$cmin" -v b="$cmed" -v c="$cmax" -v d="$smin" -v e="$smed" -v g="$smax" -v s="$summary" -v r="$RUNS" -v l="$load" -v cc="$ccpu" -v sc="$scpu" 'BEGIN {
  printf "cost of 100 tenants x 3 regions (%s)\n", s
  printf "  platform cost --json: min %.2f  median %.2f  max %.2f s over %d runs (target <= 2 s)\n", a, b, c, r
  printf "  stacks list --json (baseline, no pricing): min %.2f  median %.2f  max %.2f s\n", d, e, g
  printf "  cpu (user+sys) median: cost %.2f s, stacks list %.2f s (load-independent; ratio %.2fx)\n", cc, sc, cc / sc
  printf "  ratio cost / stacks list (wall medians): %.2fx   load average at start: %s\n", b / e, l
}'

#!/usr/bin/env bash
# The policy gate's cost, through the CLI, measured against baselines taken in the same run:
#  1. `platform policy check --json` of 100 tenants × 3 regions (bench/lib-estate.sh: 606 stacks, ~5,700
#     objects) against `platform stacks list` of the same estate (process start, config load, planning:
#     everything but the check). Target ≤ 2 s wall.
#  2. The overhead the gate adds to `platform plan` of examples/local on the local plane: the gate's own
#     time (policy check − stacks list of that config, which plan shares) over plan's wall time.
#     Target ≤ 5 %.
# Prints min/median/max of RUNS runs (PLAN_RUNS for the plans), the median CPU time (user+sys, children
# included: what the wall time is on an idle machine) and the load average the figures were taken at.
# Needs `npm run build` and `platform toolchain install` (opa, pulumi, the local plane's binaries).
set -euo pipefail
cd "$(dirname "$0")/.."
NODE=node_modules/.bin/node
[ -x "$NODE" ] || NODE=node
RUNS=${RUNS:-5}
PLAN_RUNS=${PLAN_RUNS:-3}
. bench/lib-estate.sh
dir=$(mktemp -d)
local_cfg="$dir/local/platform.yaml"
cleanup() { "$NODE" bench/lib-pulumi.mjs local down "$local_cfg" > /dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT

time_ms() { local s e; s=$(date +%s%N); "$@" > "$dir/out.json" 2>/dev/null || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
cpu_ms() { local TIMEFORMAT='%3U %3S'; { time "$@" > /dev/null 2>&1; } 2>&1 | awk '{ print ($1 + $2) * 1000 }'; }
stats() { sort -n | awk '{a[NR]=$1} END { printf "%.2f %.2f %.2f\n", a[1]/1000, ((NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)/1000, a[NR]/1000 }'; }
runs() { local n=$1; shift; for _ in $(seq "$n"); do time_ms "$@"; done | stats; }
cpus() { local n=$1; shift; for _ in $(seq "$n"); do cpu_ms "$@"; done | stats; }

# --- 1. 100 tenants x 3 regions ----------------------------------------------------------------------
estate="$dir/estate.yaml"
estate pulumi > "$estate"
"$NODE" bin/run.js policy check -c "$estate" --json > "$dir/check.json" 2>/dev/null || true  # warm caches
summary=$("$NODE" -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1]));const m=d.violations.filter(v=>v.level==="mandatory").length;console.log(d.checked.stacks+" stacks, "+d.checked.objects+" objects, "+d.checked.policies.length+" policies; "+m+" mandatory, "+(d.violations.length-m)+" advisory")' "$dir/check.json")
load1=$(cut -d' ' -f1-3 /proc/loadavg)
read -r cmin cmed cmax < <(runs "$RUNS" "$NODE" bin/run.js policy check -c "$estate" --json)
read -r smin smed smax < <(runs "$RUNS" "$NODE" bin/run.js stacks list -c "$estate" --json)
read -r _ ccpu _ < <(cpus "$RUNS" "$NODE" bin/run.js policy check -c "$estate" --json)
read -r _ scpu _ < <(cpus "$RUNS" "$NODE" bin/run.js stacks list -c "$estate" --json)
awk -v a="$cmin" -v b="$cmed" -v c="$cmax" -v d="$smin" -v e="$smed" -v g="$smax" -v s="$summary" -v r="$RUNS" -v l="$load1" -v cc="$ccpu" -v sc="$scpu" 'BEGIN {
  printf "policy check of 100 tenants x 3 regions (%s)\n", s
  printf "  platform policy check --json: min %.2f  median %.2f  max %.2f s over %d runs (target <= 2 s)\n", a, b, c, r
  printf "  stacks list --json (baseline, no check): min %.2f  median %.2f  max %.2f s\n", d, e, g
  printf "  cpu (user+sys, OPA included) median: check %.2f s, stacks list %.2f s; the check itself %.2f s\n", cc, sc, cc - sc
  printf "  load average at start: %s\n", l
}'

# --- 2. overhead on plan of examples/local -------------------------------------------------------------
mkdir -p "$dir/local"
cp examples/local/platform.yaml "$local_cfg"
"$NODE" bench/lib-pulumi.mjs local up "$local_cfg" > /dev/null
"$NODE" bin/run.js plan -c "$local_cfg" --json > "$dir/plan.json" 2>/dev/null || true  # warm: plugins, caches
grep -q '"operation": "plan"' "$dir/plan.json" || { echo "plan of examples/local failed: $(head -c 400 "$dir/plan.json")"; exit 1; }
load2=$(cut -d' ' -f1-3 /proc/loadavg)
read -r pmin pmed pmax < <(runs "$PLAN_RUNS" "$NODE" bin/run.js plan -c "$local_cfg" --json)
read -r gmin gmed gmax < <(runs "$RUNS" "$NODE" bin/run.js policy check -c "$local_cfg" --json)
read -r lmin lmed lmax < <(runs "$RUNS" "$NODE" bin/run.js stacks list -c "$local_cfg" --json)
awk -v a="$pmin" -v b="$pmed" -v c="$pmax" -v g="$gmed" -v gl="$gmin" -v gh="$gmax" -v s="$lmed" -v pr="$PLAN_RUNS" -v r="$RUNS" -v l="$load2" 'BEGIN {
  gate = g - s; if (gate < 0) gate = 0
  printf "gate overhead on plan of examples/local (15 stacks, pulumi, local plane)\n"
  printf "  platform plan --json: min %.2f  median %.2f  max %.2f s over %d runs\n", a, b, c, pr
  printf "  policy check %.2f s (min %.2f, max %.2f) - stacks list %.2f s (medians of %d) = the gate: %.2f s\n", g, gl, gh, s, r, gate
  printf "  overhead: %.1f %% of plan (target <= 5 %%)   load average at start: %s\n", 100 * gate / b, l
}'

#!/usr/bin/env bash
# The policy gate's cost (#15), through the CLI, measured against baselines taken in the same run:
#  1. `platform policy check --json` of 100 tenants × 3 regions (bench/lib-estate.sh: 609 stacks, ~5,700
#     objects), beside `platform stacks list` of the same estate (process start, config load, planning:
#     everything but the check; shown, not a target). Target ≤ 2 s wall.
#  2. The overhead the gate adds to `platform plan` of examples/local on the local plane: the gate's own
#     time (policy check − stacks list of that config, which plan shares) over plan's wall time.
#     Target ≤ 5 %.
# RUNS (default 5) runs of the checks, PLAN_RUNS (default 3) of the plans; also the median CPU time
# (user+sys, children included: what the wall time is on an idle machine).
# Needs `npm run build` and `platform toolchain install` (opa, pulumi, the local plane's binaries).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib-result.sh
. bench/lib-estate.sh
NODE=$BENCH_NODE
RUNS=${RUNS:-5}
PLAN_RUNS=${PLAN_RUNS:-3}
dir=$(mktemp -d)
local_cfg="$dir/local/platform.yaml"
cleanup() { "$NODE" bench/lib-pulumi.mjs local down "$local_cfg" > /dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT

# policy check exits 4 when a mandatory policy is violated: still a measured check.
check() { BENCH_OK_EXIT="0 4" bench_seconds "$NODE" bin/run.js policy check -c "$1" --json; }
list() { bench_seconds "$NODE" bin/run.js stacks list -c "$1" --json; }

# --- 1. 100 tenants x 3 regions ----------------------------------------------------------------------
estate="$dir/estate.yaml"
estate pulumi > "$estate"
"$NODE" bin/run.js policy check -c "$estate" --json > "$dir/check.json" 2> /dev/null || true # warm caches
summary=$("$NODE" -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1]));const m=d.violations.filter(v=>v.level==="mandatory").length;console.log(d.checked.stacks+" stacks, "+d.checked.objects+" objects, "+d.checked.policies.length+" policies; "+m+" mandatory, "+(d.violations.length-m)+" advisory")' "$dir/check.json")
load=$(bench_load)
checks=() lists=()
for ((i = 0; i < RUNS; i++)); do
  checks+=("$(check "$estate")")
  lists+=("$(list "$estate")")
done
ccpu=$(for ((i = 0; i < RUNS; i++)); do bench_cpu_seconds "$NODE" bin/run.js policy check -c "$estate" --json; done | bench_median)
scpu=$(for ((i = 0; i < RUNS; i++)); do bench_cpu_seconds "$NODE" bin/run.js stacks list -c "$estate" --json; done | bench_median)
echo "policy check of 100 tenants x 3 regions ($summary)"
awk -v c="$ccpu" -v s="$scpu" 'BEGIN { printf "  cpu (user+sys, OPA included) median: check %.2f s, stacks list %.2f s; the check itself %.2f s\n", c, s, c - s }'
bench_result --bench "policy check 100x3" --ours "platform policy check --json" --ours-samples "${checks[*]}" \
  --baseline "stacks list --json (no check)" --baseline-samples "${lists[*]}" --target "<= 2 s" --load "$load"

# --- 2. overhead on plan of examples/local -------------------------------------------------------------
mkdir -p "$dir/local"
cp examples/local/platform.yaml "$local_cfg"
"$NODE" bench/lib-pulumi.mjs local up "$local_cfg" > /dev/null
"$NODE" bin/run.js plan -c "$local_cfg" --json > "$dir/plan.json" 2> /dev/null || true # warm: plugins, caches
grep -q '"operation": "plan"' "$dir/plan.json" || { echo "plan of examples/local failed: $(head -c 400 "$dir/plan.json")" >&2; exit 1; }
load=$(bench_load)
plans=$(bench_samples "$PLAN_RUNS" "$NODE" bin/run.js plan -c "$local_cfg" --json)
checks=() lists=()
for ((i = 0; i < RUNS; i++)); do
  checks+=("$(check "$local_cfg")")
  lists+=("$(list "$local_cfg")")
done
gate=$(printf '%s\n' "${checks[@]}" | bench_median)
shared=$(printf '%s\n' "${lists[@]}" | bench_median)
plan=$(printf '%s\n' "$plans" | bench_median)
overhead=$(awk -v g="$gate" -v s="$shared" -v p="$plan" 'BEGIN { d = g - s; if (d < 0) d = 0; printf "%.2f", 100 * d / p }')
echo "gate overhead on plan of examples/local (15 stacks, pulumi, local plane)"
echo "  policy check $gate s - stacks list $shared s (medians of $RUNS) = the gate; plan $plan s (median of $PLAN_RUNS)"
bench_result --bench "policy gate overhead on plan" --ours "the gate (policy check - stacks list)" --ours-samples "${checks[*]}" \
  --baseline "platform plan --json (examples/local)" --baseline-samples "$plans" --value "$overhead" --target "<= 5 %" --load "$load" \
  --note "ours = policy check samples; measured = 100 * (median check - median stacks list) / median plan"

#!/usr/bin/env bash
# `platform plan --stack X` wall time divided by a raw Automation API preview of the same program
# (same inline program, same workspace, no CLI around it), run in this same script, on the local plane.
# Target ≤ 1.05×. Pulumi half (bench/plan-overhead-terraform.sh compares against raw `tofu plan`).
# STACK (default tenant/eu/payments of examples/local), RUNS (default 5) runs each.
# Needs: `npm run build` and `platform toolchain install`.
#
# Measured 2026-11-21, tenant/eu/payments of examples/local, 5 runs: platform plan 1.61 s, raw 1.63 s → 0.99x.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/bench/lib-result.sh"
node=$BENCH_NODE
stack_id=${STACK:-tenant/eu/payments}
runs=${RUNS:-5}
work=$(mktemp -d /tmp/platform-bench-plan.XXXX)
cfg="$work/platform.yaml"
cp "$repo/examples/local/platform.yaml" "$cfg"
cleanup() { "$node" "$repo/bench/lib-pulumi.mjs" local down "$cfg" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
"$node" "$repo/bench/lib-pulumi.mjs" local up "$cfg"
"$node" "$repo/bench/lib-pulumi.mjs" planned "$cfg" "$stack_id" > "$work/stack.json"
driver="$repo/test/engines/pulumi/driver.mjs"
# Applied first, so both sides preview a live stack (diffs do real dry-run work, as in daily use).
"$node" "$driver" apply "$cfg" "$work/stack.json" > "$work/apply.out" 2>/dev/null || { echo "apply failed: $(head -c 400 "$work/apply.out")"; exit 1; }

# Warm both once (plugins, caches) and check the stack is clean, then alternate so load drift hits both.
"$node" "$repo/bin/run.js" plan --stack "$stack_id" -c "$cfg" --json > "$work/cli.json" 2> /dev/null || true
grep -q '"status": *"ok"' "$work/cli.json" || { echo "platform plan did not report a clean stack: $(head -c 400 "$work/cli.json")" >&2; exit 1; }
"$node" "$driver" raw-preview "$cfg" "$work/stack.json" > /dev/null 2>&1
load=$(bench_load)
cli=() raw=()
for ((i = 0; i < runs; i++)); do
  cli+=("$(bench_seconds "$node" "$repo/bin/run.js" plan --stack "$stack_id" -c "$cfg" --json)")
  raw+=("$(bench_seconds "$node" "$driver" raw-preview "$cfg" "$work/stack.json")")
done
echo "pulumi plan of one stack ($stack_id, applied, no changes)"
bench_result --bench "plan one stack pulumi" --ours "platform plan --stack $stack_id" --ours-samples "${cli[*]}" \
  --baseline "raw pulumi preview (Automation API, same program)" --baseline-samples "${raw[*]}" --target "<= 1.05x" --load "$load"

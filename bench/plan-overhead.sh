#!/usr/bin/env bash
# `platform plan --stack X` wall time divided by a raw Automation API preview of the same program
# (same inline program, same workspace, no CLI around it), run in this same script, on the local plane.
# Target ≤ 1.15×. Pulumi half (the Terraform half compares against raw `tofu plan`).
# Needs: `npm run build` and `platform toolchain install`.
#
# Measured 2026-11-21, tenant/eu/payments of examples/local, 5 runs: platform plan 1.61 s, raw 1.63 s → 0.99x.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
node="$repo/node_modules/.bin/node"
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

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
cli=(); raw=()
for i in $(seq "$runs"); do
  t=$(now); "$node" "$repo/bin/run.js" plan --stack "$stack_id" -c "$cfg" --json > "$work/cli.json" 2>/dev/null || true; cli+=("$(echo "$(now) - $t" | bc -l)")
  grep -q '"status": *"ok"' "$work/cli.json" || { echo "platform plan did not report a clean stack: $(head -c 400 "$work/cli.json")"; exit 1; }
  t=$(now); "$node" "$driver" raw-preview "$cfg" "$work/stack.json" > "$work/raw.json" 2>/dev/null; raw+=("$(echo "$(now) - $t" | bc -l)")
done
c=$(printf '%s\n' "${cli[@]}" | median); r=$(printf '%s\n' "${raw[@]}" | median)
printf 'stack %s, %s runs each (median wall seconds)\n' "$stack_id" "$runs"
printf '  platform plan --stack : %.2f s\n  raw Automation API    : %.2f s\n  ratio                 : %.2fx (target <= 1.15x)\n' "$c" "$r" "$(echo "$c / $r" | bc -l)"

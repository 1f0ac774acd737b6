#!/usr/bin/env bash
# Apply and re-plan a tenant stack of 300 and 1,000 objects through the Pulumi engine (our provider
# plugin, real pulumi, local plane), beside raw `tofu apply` of the same objects through
# kubectl_manifest (server-side apply). Prints seconds and the ratio (target: pulumi ≤ 1.2× tofu).
# Needs: `npm run build` and `platform toolchain install` (tofu, pulumi, kwok plane, kubectl provider).
#
# Measured 2026-11-21 (2 cores, other test suites running; 300-object rows under load ~12):
#   300:  pulumi apply 12.7 s, re-plan 10.3 s | tofu apply 9.3 s, re-plan 3.5 s  (1.37x / 2.94x)
#   1000: pulumi apply 16.4 s, re-plan 9.0 s  | tofu apply 20.2 s, re-plan 11.2 s (0.81x / 0.80x)
#   destroy 1000: pulumi 15.2 s, tofu 20.1 s.  300 with pulumi checkpoints on: 16.6 s, off: 4.0 s.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
node="$repo/node_modules/.bin/node"
sizes=${SIZES:-"300 1000"}
work=$(mktemp -d /tmp/platform-bench-scale.XXXX)
cfg="$work/platform.yaml"
cat > "$cfg" <<YAML
apiVersion: platform.dev/v1
name: benchscale
engine: pulumi
regions:
  - { name: eu, cloud: local, location: local-eu, role: primary }
tenants: []
services: []
YAML
cleanup() { "$node" "$repo/bench/lib-pulumi.mjs" local down "$cfg" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
"$node" "$repo/bench/lib-pulumi.mjs" local up "$cfg"
tofu=$("$node" "$repo/bench/lib-pulumi.mjs" tool tofu)
export TF_CLI_CONFIG_FILE=$("$node" "$repo/bench/lib-pulumi.mjs" tool tofurc)
driver="$repo/test/engines/pulumi/driver.mjs"
now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc -l | xargs printf '%.1f'; }

printf '%-6s %-22s %8s\n' objects step seconds
for n in $sizes; do
  ns="scale-$n"
  "$node" "$repo/bench/lib-pulumi.mjs" stack "$cfg" "$ns" "$n" > "$work/stack-$n.json"
  t=$(now); "$node" "$driver" apply "$cfg" "$work/stack-$n.json" > "$work/apply-$n.out" 2>/dev/null; p_apply=$(elapsed "$t")
  grep -q '"status":"ok"' "$work/apply-$n.out" || { echo "pulumi apply failed: $(head -c 400 "$work/apply-$n.out")"; exit 1; }
  t=$(now); "$node" "$driver" plan "$cfg" "$work/stack-$n.json" > "$work/plan-$n.out" 2>/dev/null; p_plan=$(elapsed "$t")
  grep -q '"status":"ok"' "$work/plan-$n.out" || { echo "pulumi re-plan not clean: $(head -c 400 "$work/plan-$n.out")"; exit 1; }

  tdir="$work/tofu-$n"; mkdir -p "$tdir"
  "$node" "$repo/bench/lib-pulumi.mjs" tofu "$cfg" "tofu-$n" "$n" eu > "$tdir/main.tf.json"
  (cd "$tdir" && "$tofu" init -input=false -no-color >/dev/null)
  t=$(now); (cd "$tdir" && "$tofu" apply -auto-approve -input=false -no-color -parallelism=32 >/dev/null); t_apply=$(elapsed "$t")
  t=$(now); (cd "$tdir" && "$tofu" plan -input=false -no-color -parallelism=32 -detailed-exitcode >/dev/null) && t_plan=$(elapsed "$t") || { echo "tofu re-plan not clean"; exit 1; }

  printf '%-6s %-22s %8s\n' "$n" "pulumi apply" "$p_apply" "$n" "pulumi re-plan" "$p_plan" "$n" "tofu apply" "$t_apply" "$n" "tofu re-plan" "$t_plan"
  printf '%-6s %-22s %8s\n' "$n" "ratio apply" "$(echo "$p_apply / $t_apply" | bc -l | xargs printf '%.2f')x" "$n" "ratio re-plan" "$(echo "$p_plan / $t_plan" | bc -l | xargs printf '%.2f')x"

  t=$(now); "$node" "$driver" destroy "$cfg" "$work/stack-$n.json" > /dev/null 2>&1; p_destroy=$(elapsed "$t")
  t=$(now); (cd "$tdir" && "$tofu" destroy -auto-approve -input=false -no-color -parallelism=32 >/dev/null); t_destroy=$(elapsed "$t")
  printf '%-6s %-22s %8s\n' "$n" "pulumi destroy" "$p_destroy" "$n" "tofu destroy" "$t_destroy"
done

# The PULUMI_SKIP_CHECKPOINTS decision, measured: the same apply with pulumi's per-step checkpoints on.
if [ "${COMPARE_CHECKPOINTS:-1}" = 1 ]; then
  n=${CHECKPOINT_SIZE:-300}
  "$node" "$repo/bench/lib-pulumi.mjs" stack "$cfg" "ckpt-$n" "$n" > "$work/ckpt-$n.json"
  t=$(now); PULUMI_SKIP_CHECKPOINTS=false "$node" "$driver" apply "$cfg" "$work/ckpt-$n.json" > "$work/ckpt-$n.out" 2>/dev/null; c_on=$(elapsed "$t")
  "$node" "$driver" destroy "$cfg" "$work/ckpt-$n.json" > /dev/null 2>&1
  t=$(now); "$node" "$driver" apply "$cfg" "$work/ckpt-$n.json" > "$work/ckpt2-$n.out" 2>/dev/null; c_off=$(elapsed "$t")
  printf '%-6s %-22s %8s\n' "$n" "apply, checkpoints on" "$c_on" "$n" "apply, checkpoints off" "$c_off"
  "$node" "$driver" destroy "$cfg" "$work/ckpt-$n.json" > /dev/null 2>&1
fi

#!/usr/bin/env bash
# Apply a tenant stack of 300 and 1,000 objects through the Pulumi engine (our provider plugin, real
# pulumi, local plane), beside raw `tofu apply` of the same objects through kubectl_manifest (server-side
# apply); each run also re-plans (no changes) and destroys. Target: pulumi apply ≤ 1.0× tofu apply at
# each size. SIZES (default "300 1000"), RUNS (default 3) apply/re-plan/destroy cycles per engine and size,
# COMPARE_CHECKPOINTS=0 skips the PULUMI_SKIP_CHECKPOINTS comparison (CHECKPOINT_SIZE objects, default 300).
# Needs: `npm run build` and `platform toolchain install` (tofu, pulumi, kwok plane, kubectl provider).
#
# Measured 2026-11-21 (2 cores, other test suites running; 300-object rows under load ~12):
#   300:  pulumi apply 12.7 s, re-plan 10.3 s | tofu apply 9.3 s, re-plan 3.5 s  (1.37x / 2.94x)
#   1000: pulumi apply 16.4 s, re-plan 9.0 s  | tofu apply 20.2 s, re-plan 11.2 s (0.81x / 0.80x)
#   destroy 1000: pulumi 15.2 s, tofu 20.1 s.  300 with pulumi checkpoints on: 16.6 s, off: 4.0 s.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/bench/lib-result.sh"
node=$BENCH_NODE
lib="$repo/bench/lib-pulumi.mjs"
sizes=${SIZES:-"300 1000"}
runs=${RUNS:-3}
work=$(mktemp -d /tmp/platform-bench-scale.XXXX)
cfg="$work/platform.yaml"
cat > "$cfg" << YAML
apiVersion: platform.dev/v1
name: benchscale
engine: pulumi
regions:
  - { name: eu, cloud: local, location: local-eu, role: primary }
tenants: []
services: []
YAML
cleanup() {
  "$node" "$lib" local down "$cfg" > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"$node" "$lib" local up "$cfg"
tofu=$("$node" "$lib" tool tofu)
TF_CLI_CONFIG_FILE=$("$node" "$lib" tool tofurc)
export TF_CLI_CONFIG_FILE
driver="$repo/test/engines/pulumi/driver.mjs"

# pulumi OP STACK.json: one engine operation; apply and plan must report a clean stack.
pulumi() {
  "$node" "$driver" "$1" "$cfg" "$2" > "$work/$1.out" 2> /dev/null || true
  [ "$1" = destroy ] || grep -q '"status":"ok"' "$work/$1.out" || { echo "pulumi $1 failed: $(head -c 400 "$work/$1.out")" >&2 && return 1; }
}
# tofu_run DIR apply|plan|destroy: raw tofu at the parallelism the engine uses; plan must find no changes.
tofu_run() {
  case $2 in
    apply | destroy) (cd "$1" && "$tofu" "$2" -auto-approve -input=false -no-color -parallelism=32 > /dev/null) ;;
    plan) (cd "$1" && "$tofu" plan -input=false -no-color -parallelism=32 -detailed-exitcode > /dev/null) || { echo "tofu re-plan not clean" >&2 && return 1; } ;;
  esac
}

for n in $sizes; do
  "$node" "$lib" stack "$cfg" "scale-$n" "$n" > "$work/stack-$n.json"
  tdir="$work/tofu-$n"
  mkdir -p "$tdir"
  "$node" "$lib" tofu "$cfg" "tofu-$n" "$n" eu > "$tdir/main.tf.json"
  (cd "$tdir" && "$tofu" init -input=false -no-color > /dev/null)
  load=$(bench_load)
  p_apply=() p_plan=() p_destroy=() t_apply=() t_plan=() t_destroy=()
  for ((i = 0; i < runs; i++)); do
    p_apply+=("$(bench_seconds pulumi apply "$work/stack-$n.json")")
    p_plan+=("$(bench_seconds pulumi plan "$work/stack-$n.json")")
    p_destroy+=("$(bench_seconds pulumi destroy "$work/stack-$n.json")")
    t_apply+=("$(bench_seconds tofu_run "$tdir" apply)")
    t_plan+=("$(bench_seconds tofu_run "$tdir" plan)")
    t_destroy+=("$(bench_seconds tofu_run "$tdir" destroy)")
  done
  echo "$n objects, $runs apply / re-plan / destroy cycles each (median seconds)"
  printf '  %-8s apply %6.2f  re-plan %6.2f  destroy %6.2f\n' \
    pulumi "$(printf '%s\n' "${p_apply[@]}" | bench_median)" "$(printf '%s\n' "${p_plan[@]}" | bench_median)" "$(printf '%s\n' "${p_destroy[@]}" | bench_median)" \
    tofu "$(printf '%s\n' "${t_apply[@]}" | bench_median)" "$(printf '%s\n' "${t_plan[@]}" | bench_median)" "$(printf '%s\n' "${t_destroy[@]}" | bench_median)"
  bench_result --bench "apply $n objects pulumi" --ours "pulumi engine apply ($n objects)" --ours-samples "${p_apply[*]}" \
    --baseline "raw tofu apply, kubectl_manifest" --baseline-samples "${t_apply[*]}" --target "<= 1.0x" --load "$load"
done

# The PULUMI_SKIP_CHECKPOINTS decision, measured: the same apply with pulumi's per-step checkpoints on.
if [ "${COMPARE_CHECKPOINTS:-1}" = 1 ]; then
  n=${CHECKPOINT_SIZE:-300}
  "$node" "$lib" stack "$cfg" "ckpt-$n" "$n" > "$work/ckpt-$n.json"
  c_on=$(PULUMI_SKIP_CHECKPOINTS=false bench_seconds pulumi apply "$work/ckpt-$n.json")
  pulumi destroy "$work/ckpt-$n.json"
  c_off=$(bench_seconds pulumi apply "$work/ckpt-$n.json")
  pulumi destroy "$work/ckpt-$n.json"
  printf '%s objects: apply with checkpoints on %.2f s, off %.2f s (not a target)\n' "$n" "$c_on" "$c_off"
fi

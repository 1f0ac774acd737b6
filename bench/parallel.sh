#!/usr/bin/env bash
# Plan the 12 stacks of a 2-region example (per region: cluster, mesh, observability, 2 tenants, 1 app)
# serially and with --parallel 2, against the local control plane, alternating, RUNS (default 3) runs
# each; target --parallel 2 ≤ 0.6× serial (2 cores). ENGINES="pulumi terraform" (default pulumi; the
# old ENGINE=terraform still works). Needs `npm run build` and `platform toolchain install`.
# It also prints how many cores the machine kept busy (from /proc/stat) in each mode: a serial plan that
# already keeps B of the N cores busy cannot get below B / N of its time with more stacks in flight,
# unless the work itself shrinks.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib-result.sh
NODE=$BENCH_NODE
RUNS=${RUNS:-3}
dir=
cli() { "$NODE" "$PWD/bin/run.js" "$@"; }
cleanup() {
  [ -n "$dir" ] || return 0
  cli local down --purge -c "$dir/platform.yaml" > /dev/null 2>&1 || true
  rm -rf "$dir"
  dir=
}
trap cleanup EXIT

# busy_jiffies: CPU time the whole machine spent busy (user, nice, system, irq, softirq, steal) since boot.
busy_jiffies() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
# timed_busy CMD...: "wall-seconds busy-cores" of one run (busy cores: machine-wide, the plane included).
timed_busy() {
  local before after wall
  before=$(busy_jiffies)
  wall=$(bench_seconds "$@") || return 1
  after=$(busy_jiffies)
  awk -v w="$wall" -v j=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%s %.2f\n", w, j / hz / w }'
}

bench_engine() {
  local engine=$1 stacks load serial=() parallel=() serial_busy=() parallel_busy=() s p busy
  dir=$(mktemp -d)
  cat > "$dir/platform.yaml" << YAML
apiVersion: platform.dev/v1
name: parbench
engine: $engine
regions:
  - { name: eu, cloud: local, location: local-eu, role: primary }
  - { name: us, cloud: local, location: local-us, role: dr }
tenants:
  - { name: alpha, plan: starter, owners: [a@example.com] }
  - { name: beta, plan: starter, owners: [b@example.com] }
services:
  - { name: web, tenant: alpha, image: ghcr.io/bench/web:1, port: 8080, replicas: 2, slo: { availability: 99.9 } }
mesh: { istio: { enabled: true, gateway: { hosts: [bench.example.com] } } }
observability: { prometheus: { enabled: true } }
dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: "*/30 * * * *" }
YAML
  stacks=$(cli stacks list --json -c "$dir/platform.yaml" | "$NODE" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).stacks.length))')
  cli local up -c "$dir/platform.yaml" > /dev/null 2>&1
  # plan --detailed-exitcode exits 3: changes pending (nothing is applied), which is what is planned.
  local -x BENCH_OK_EXIT="0 3"
  # One warm-up plan (engine workspaces, plugin start-up caches), then serial and parallel, alternating.
  bench_seconds cli plan --all --parallel 2 -c "$dir/platform.yaml" --detailed-exitcode > /dev/null
  load=$(bench_load)
  for ((i = 0; i < RUNS; i++)); do
    read -r s busy < <(timed_busy cli plan --all --parallel 1 -c "$dir/platform.yaml" --detailed-exitcode)
    [ -n "$s" ] || return 1 # the run failed (bench_seconds showed why)
    serial+=("$s") serial_busy+=("$busy")
    read -r p busy < <(timed_busy cli plan --all --parallel 2 -c "$dir/platform.yaml" --detailed-exitcode)
    [ -n "$p" ] || return 1
    parallel+=("$p") parallel_busy+=("$busy")
  done
  local busy1 busy2
  busy1=$(printf '%s\n' "${serial_busy[@]}" | bench_median)
  busy2=$(printf '%s\n' "${parallel_busy[@]}" | bench_median)
  echo "$engine plan of $stacks stacks, serial and --parallel 2 ($(nproc) cores)"
  echo "  busy cores (median, whole machine): serial $busy1, --parallel 2 $busy2; the serial plan's floor with every core busy: $(awk -v b="$busy1" -v n="$(nproc)" 'BEGIN { printf "%.2f", b / n }')x"
  bench_result --bench "plan --parallel 2 $engine" --ours "plan --all --parallel 2 ($stacks stacks)" --ours-samples "${parallel[*]}" \
    --baseline "plan --all --parallel 1" --baseline-samples "${serial[*]}" --target "<= 0.6x" --load "$load" \
    --extra "{\"busyCores\":{\"serial\":$busy1,\"parallel\":$busy2},\"cores\":$(nproc)}"
  cleanup
}

for engine in ${ENGINES:-${ENGINE:-pulumi}}; do bench_engine "$engine"; done

#!/usr/bin/env bash
# Plan the 12 stacks of a 2-region example (per region: cluster, mesh, observability, 2 tenants, 1 app)
# serially and with --parallel 2, against the local control plane, alternating, RUNS (default 3) runs
# each; target --parallel 2 ≤ 0.6× serial (2 cores). ENGINES="pulumi terraform" (default pulumi; the
# old ENGINE=terraform still works). Needs `npm run build` and `platform toolchain install`.
# It also prints the CPU seconds each mode costs (the CLI's process tree and the plane's processes): with
# N cores, --parallel 2 cannot take less than its CPU work / N, whatever the scheduling.
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

# plane_jiffies: CPU time (user + sys, clock ticks) of the local plane's processes so far (API servers,
# etcd, controllers, the operator: every process whose command line names the bench's folder).
plane_jiffies() {
  local pid total=0 t
  for pid in $(pgrep -f "$dir/"); do
    t=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2> /dev/null) && total=$((total + t))
  done
  echo "$total"
}
# timed_cpu CMD...: "wall-seconds cpu-seconds" of one run; the CPU is the command's process tree (GNU
# time: the CLI, pulumi or tofu, plugins) plus the plane's, so other load on the machine does not count.
timed_cpu() {
  local before after wall times
  times=$(mktemp)
  before=$(plane_jiffies)
  # -q: a plan with changes exits 3, and without it GNU time writes "Command exited with non-zero status"
  # above the figures.
  wall=$(bench_seconds /usr/bin/time -q -o "$times" -f '%U %S' "$@") || return 1
  after=$(plane_jiffies)
  awk -v w="$wall" -v j=$((after - before)) -v hz="$(getconf CLK_TCK)" '{ printf "%s %.2f\n", w, $1 + $2 + j / hz }' "$times"
  rm -f "$times"
}

bench_engine() {
  local engine=$1 stacks load serial=() parallel=() serial_cpu=() parallel_cpu=() s p cpu
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
    read -r s cpu < <(timed_cpu "$NODE" "$PWD/bin/run.js" plan --all --parallel 1 -c "$dir/platform.yaml" --detailed-exitcode)
    [ -n "$s" ] || return 1 # the run failed (bench_seconds showed why)
    serial+=("$s") serial_cpu+=("$cpu")
    read -r p cpu < <(timed_cpu "$NODE" "$PWD/bin/run.js" plan --all --parallel 2 -c "$dir/platform.yaml" --detailed-exitcode)
    [ -n "$p" ] || return 1
    parallel+=("$p") parallel_cpu+=("$cpu")
  done
  local cpu1 cpu2 floor
  cpu1=$(printf '%s\n' "${serial_cpu[@]}" | bench_median)
  cpu2=$(printf '%s\n' "${parallel_cpu[@]}" | bench_median)
  # Even with every core busy, --parallel 2 takes at least its CPU work spread over the cores.
  floor=$(awk -v c="$cpu2" -v n="$(nproc)" -v w="$(printf '%s\n' "${serial[@]}" | bench_median)" 'BEGIN { printf "%.2f", c / n / w }')
  echo "$engine plan of $stacks stacks, serial and --parallel 2 ($(nproc) cores)"
  echo "  CPU seconds per run (median; the CLI's process tree and the plane): serial $cpu1, --parallel 2 $cpu2; so --parallel 2 cannot beat ${floor}x of serial on $(nproc) cores"
  bench_result --bench "plan --parallel 2 $engine" --ours "plan --all --parallel 2 ($stacks stacks)" --ours-samples "${parallel[*]}" \
    --baseline "plan --all --parallel 1" --baseline-samples "${serial[*]}" --target "<= 0.6x" --load "$load" \
    --extra "{\"cpuSeconds\":{\"serial\":$cpu1,\"parallel\":$cpu2},\"floor\":$floor,\"cores\":$(nproc)}"
  cleanup
}

for engine in ${ENGINES:-${ENGINE:-pulumi}}; do bench_engine "$engine"; done

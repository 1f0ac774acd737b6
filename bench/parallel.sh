#!/usr/bin/env bash
# Plan the 12 stacks of a 2-region example (per region: cluster, mesh, observability, 2 tenants, 1 app)
# serially and with --parallel 2, against the local control plane, alternating, RUNS (default 3) runs
# each; target --parallel 2 ≤ 0.6× serial (2 cores). ENGINES="pulumi terraform" (default pulumi; the
# old ENGINE=terraform still works). Needs `npm run build` and `platform toolchain install`.
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

bench_engine() {
  local engine=$1 stacks load serial=() parallel=()
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
    serial+=("$(bench_seconds cli plan --all --parallel 1 -c "$dir/platform.yaml" --detailed-exitcode)")
    parallel+=("$(bench_seconds cli plan --all --parallel 2 -c "$dir/platform.yaml" --detailed-exitcode)")
  done
  echo "$engine plan of $stacks stacks, serial and --parallel 2 ($(nproc) cores)"
  bench_result --bench "plan --parallel 2 $engine" --ours "plan --all --parallel 2 ($stacks stacks)" --ours-samples "${parallel[*]}" \
    --baseline "plan --all --parallel 1" --baseline-samples "${serial[*]}" --target "<= 0.6x" --load "$load"
  cleanup
}

for engine in ${ENGINES:-${ENGINE:-pulumi}}; do bench_engine "$engine"; done

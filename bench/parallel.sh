#!/usr/bin/env bash
# Plan the 12 stacks of a 2-region example (per region: cluster, mesh, observability, 2 tenants, 1 app)
# serially and with --parallel 2, against the local control plane, in one script; print the ratio
# (target ≤ 0.6× serial on 2 cores). ENGINE=terraform to bench the other engine.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE=node_modules/.bin/node
[ -x "$NODE" ] || NODE=node
ENGINE=${ENGINE:-pulumi}
dir=$(mktemp -d)
cli() { "$NODE" "$PWD/bin/run.js" "$@"; }
cleanup() { cli local down --purge -c "$dir/platform.yaml" >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
cat > "$dir/platform.yaml" <<YAML
apiVersion: platform.dev/v1
name: parbench
engine: $ENGINE
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
cli local up -c "$dir/platform.yaml" >/dev/null 2>&1
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || [ $? -eq 3 ]; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
# One warm-up plan (engine workspaces, plugin start-up caches), then serial and parallel.
ms cli plan --all --parallel 2 -c "$dir/platform.yaml" --detailed-exitcode >/dev/null
serial=$(ms cli plan --all --parallel 1 -c "$dir/platform.yaml" --detailed-exitcode)
parallel=$(ms cli plan --all --parallel 2 -c "$dir/platform.yaml" --detailed-exitcode)
awk -v s="$serial" -v p="$parallel" -v n="$stacks" -v e="$ENGINE" 'BEGIN { printf "%s plan of %d stacks: serial %.1f s, --parallel 2 %.1f s, ratio %.2fx (target <= 0.6x)\n", e, n, s/1000, p/1000, p/s }'

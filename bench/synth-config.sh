#!/usr/bin/env bash
# Prints the benchmark estate's platform.yaml: 100 tenants × 3 local regions, one service each — 606
# stacks. Used by bench/synth.sh, bench/report.sh and the report tests. Usage: synth-config.sh [ENGINE]
set -euo pipefail
engine=${1:-pulumi}
printf 'apiVersion: platform.dev/v1\nname: bench\nengine: %s\nregions:\n' "$engine"
printf '  - { name: eu, cloud: local, location: l-eu, role: primary }\n  - { name: us, cloud: local, location: l-us, role: dr }\n  - { name: ap, cloud: local, location: l-ap, role: dr }\n'
printf 'dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: "*/30 * * * *" }\n'
printf 'mesh: { istio: { enabled: true, gateway: { hosts: [bench.example.com] } } }\nobservability: { prometheus: { enabled: true } }\ntenants:\n'
for i in $(seq 1 100); do printf '  - { name: t%d, plan: starter, owners: [o@example.com] }\n' "$i"; done
printf 'services:\n'
for i in $(seq 1 100); do printf '  - { name: svc, tenant: t%d, image: ghcr.io/bench/svc:1, port: 8080, slo: { availability: 99.9 } }\n' "$i"; done

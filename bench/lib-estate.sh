# shellcheck shell=bash
# The benchmark estates. Source it, then:
#   estate ENGINE [REGIONS]   platform.yaml of bench/synth.sh, cost.sh, policy.sh, report.sh: 100 tenants
#                             with one service each over three regions (609 stacks); REGIONS (YAML list
#                             items) replaces the three local regions
#   scale_estate ENGINE STACKS [NAME]
#                             platform.yaml of bench/scale.sh: exactly STACKS stacks (at least 4) on one
#                             local region — cluster, mesh and observability, then tenants and services
#                             alternating (tenant t1, its service, tenant t2, …), so an estate grows by
#                             adding tenants and keeps every stack of a smaller one
LOCAL_REGIONS='  - { name: eu, cloud: local, location: l-eu, role: primary }
  - { name: us, cloud: local, location: l-us, role: dr }
  - { name: ap, cloud: local, location: l-ap, role: dr }'

estate() {
  local engine=$1 regions=${2:-$LOCAL_REGIONS} i
  printf 'apiVersion: platform.dev/v1\nname: bench\nengine: %s\nregions:\n%s\n' "$engine" "$regions"
  printf 'dr: { rpoMinutes: 60, rtoMinutes: 30, backupSchedule: "*/30 * * * *" }\n'
  printf 'mesh: { istio: { enabled: true, gateway: { hosts: [bench.example.com] } } }\nobservability: { prometheus: { enabled: true } }\ntenants:\n'
  for i in $(seq 1 100); do printf '  - { name: t%d, plan: starter, owners: [o@example.com] }\n' "$i"; done
  printf 'services:\n'
  for i in $(seq 1 100); do printf '  - { name: svc, tenant: t%d, image: ghcr.io/bench/svc:1, port: 8080, slo: { availability: 99.9 } }\n' "$i"; done
}

scale_estate() {
  local engine=$1 stacks=$2 name=${3:-scale} tenants services i
  if ((stacks < 4)); then
    echo "scale_estate: $stacks stacks: at least 4 (cluster, mesh, observability, one tenant)" >&2
    return 2
  fi
  tenants=$(((stacks - 3 + 1) / 2))
  services=$((stacks - 3 - tenants))
  printf 'apiVersion: platform.dev/v1\nname: %s\nengine: %s\nregions:\n' "$name" "$engine"
  printf '  - { name: eu, cloud: local, location: local-eu, role: primary }\n'
  printf 'mesh: { istio: { enabled: true, gateway: { hosts: [bench.example.com] } } }\nobservability: { prometheus: { enabled: true } }\ntenants:\n'
  for ((i = 1; i <= tenants; i++)); do printf '  - { name: t%d, plan: starter, owners: [o@example.com] }\n' "$i"; done
  if ((services == 0)); then
    printf 'services: []\n'
    return
  fi
  printf 'services:\n'
  for ((i = 1; i <= services; i++)); do printf '  - { name: svc, tenant: t%d, image: ghcr.io/bench/svc:1, port: 8080, replicas: 1 }\n' "$i"; done
}

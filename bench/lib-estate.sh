# The benchmark estate of bench/synth.sh and bench/cost.sh: 100 tenants with one service each, over
# three regions. Source it, then `estate ENGINE [REGIONS]` prints platform.yaml; REGIONS (YAML list
# items) replaces the three local regions.
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

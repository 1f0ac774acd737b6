#!/usr/bin/env bash
# The README demo: the whole examples/local estate (two regions, two tenants, a canary service behind
# Istio, SLO rules, Velero backups) on the local control plane, with the real engine.
# Run through `npm run demo` (which builds the CLI and the toolchain first).
set -euo pipefail
cd "$(dirname "$0")/local"
platform() { node ../../bin/run.js "$@"; }
# kubectl from the toolchain (the pinned version), not whatever is on PATH.
KUBECTL=$(platform toolchain status --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).tools.find(t=>t.name==="kubectl").path))')
kubectl() { "$KUBECTL" "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "validate and list the stacks"
platform validate
platform stacks list

step "start the local control plane (one real kube-apiserver + kwok nodes per region)"
platform local up

step "plan everything (exit 3 = changes pending)"
platform plan --all --detailed-exitcode || [ $? -eq 3 ]

step "apply everything"
platform apply --all --yes

step "what is running"
kubectl --kubeconfig .platform/local/kubeconfig --context eu get deployments,services,virtualservices -n payments
kubectl --kubeconfig .platform/local/kubeconfig --context us get deployments -A -l platform.dev/project=acme

step "plan again: nothing to do"
platform plan --all --detailed-exitcode

step "drift: live state against Git (clean right after apply)"
platform drift --ref HEAD || true

step "done — try: edit platform.yaml and run platform plan --diff; platform dr drill --from eu --to us; platform destroy --all --yes --confirm all; platform local down"

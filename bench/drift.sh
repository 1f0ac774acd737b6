#!/usr/bin/env bash
# `platform drift` against the engines' own drift checks, on the same tenant stack of N objects (N
# ConfigMaps, default 1,000) applied by the engine to the local plane, all measured here:
#   - platform drift --stack tenant/eu/bench   (whole process: start, Git read, synthesis, state, live, compare)
#   - pulumi refresh --preview-only            (Automation API, our provider plugin)       [pulumi]
#   - tofu plan -refresh-only                  (kubectl_manifest)                           [terraform]
#   - kubectl diff --server-side               (the applied manifests, same field manager)
# twice: with nothing changed, then after 10 ConfigMaps are edited and 5 deleted out of band (every
# tool must find those 15). RUNS (default 3) runs of each tool per round, alternating. Prints seconds and
# the findings each tool reported; target: drift ≥ 5× faster than the fastest engine-native check, i.e.
# median(drift) / median(fastest) ≤ 0.2×, one BENCH result per engine and round.
# The N ConfigMaps are not in platform.yaml (the config format has no raw objects), so drift also
# reports them as `pending` (in state, not in Git); the comparison that matters is state ≠ live.
# Needs: `npm run build` and `platform toolchain install`. ENGINES="pulumi terraform" N=1000 RUNS=3.
#
# Measured 2026-11-21 11:03 on the 2-core dev box (load average 4–6 from other jobs), 1,000 ConfigMaps:
#                         unchanged             10 edited + 5 deleted
#   terraform  drift      0.39 s                0.67 s   (10 drifted, 5 missing)
#              plan -r-o  3.60 s  (9.2×)        6.95 s   (10.4×; 15 changed)
#              kubectl    3.14 s  (8.1×)        4.01 s   (6.0×; 15 differ)
#   pulumi     drift      0.47 s                0.45 s   (10 drifted, 5 missing)
#              refresh    6.28 s  (13.4×)       6.60 s   (14.7×; 5 changed: it saw the deletions only)
#              kubectl    4.27 s  (9.1×)        3.71 s   (8.2×; 15 differ)
# drift phases: git 22–66 ms, synthesis ~3 ms, state 7 ms (Pulumi) / 71–124 ms (OpenTofu state is
# encrypted: one pbkdf2 per state file), live (19 lists, ~1,015 objects) 50–80 ms, compare 38–71 ms;
# the rest is process start and module loading (kubernetes-models' validators). One bulk list of the
# 1,000 ConfigMaps with kubectl: 0.16–0.5 s. Under load average ~15 the same runs took 1.2–2.7 s for
# drift and 15–32 s for the engines' own checks.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/bench/lib-result.sh"
node=$BENCH_NODE
lib="$repo/bench/lib-drift.mjs"
n=${N:-1000}
if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 15)); then echo "drift.sh: N=$n: at least 15 (the second round edits 10 ConfigMaps and deletes 5)" >&2 && exit 2; fi
runs=${RUNS:-3}
engines=${ENGINES:-"pulumi terraform"}
kubectl=$("$node" "$lib" tool kubectl)
work=
cleanup() {
  [ -n "$work" ] || return 0
  "$node" "$lib" local down "$work/platform.yaml" > /dev/null 2>&1 || true
  rm -rf "$work"
  work=
}
trap cleanup EXIT

bench_engine() {
  local engine=$1 cfg kc manager engine_name tf_encryption tofurc tofu
  work=$(mktemp -d /tmp/platform-bench-drift.XXXX)
  cfg="$work/platform.yaml"
  cat > "$cfg" << YAML
apiVersion: platform.dev/v1
name: benchdrift
engine: $engine
regions:
  - { name: eu, cloud: local, location: local-eu, role: primary }
tenants:
  - { name: bench, plan: enterprise, owners: [ana@example.com] }
services: []
YAML
  (cd "$work" && git init -q -b main && printf '.platform/\n' > .gitignore && git add -A && git -c user.email=b@example.com -c user.name=bench -c commit.gpgsign=false commit -qm bench)
  "$node" "$lib" local up "$cfg"
  kc=(--kubeconfig "$work/.platform/local/kubeconfig" --context eu)
  local t0=$SECONDS
  "$node" "$lib" apply "$cfg" "$n" 2> "$work/apply.log" || { cat "$work/apply.log" >&2 && return 1; }
  echo "$engine: applied $n ConfigMaps in $((SECONDS - t0)) s"
  "$node" "$lib" manifests "$cfg" tenant/eu/bench > "$work/manifests.json"
  manager=$([ "$engine" = pulumi ] && echo platform || echo kubectl)
  engine_name=$([ "$engine" = pulumi ] && echo "pulumi refresh --preview-only" || echo "tofu plan -refresh-only")
  if [ "$engine" = terraform ]; then
    tf_encryption=$("$node" "$lib" tofu-encryption "$cfg")
    tofurc=$("$node" "$lib" tool tofurc)
    tofu=$("$node" "$lib" tool tofu)
  fi

  # drift exits 3 when it finds drift (the second round, and `pending` for the objects not in Git).
  drift() { (cd "$work" && "$node" "$repo/bin/run.js" drift --json --stack tenant/eu/bench --timings -c "$cfg" > "$work/drift.json" 2> "$work/drift.err") || [ $? -eq 3 ]; }
  engine_check() {
    if [ "$engine" = pulumi ]; then
      "$node" "$lib" refresh "$cfg" "$n" > "$work/engine.json"
    else
      (cd "$work/.platform/tf/tenant/eu/bench" && TF_ENCRYPTION=$tf_encryption TF_CLI_CONFIG_FILE=$tofurc TF_PLUGIN_CACHE_DIR='' "$tofu" plan -refresh-only -input=false -no-color -json -parallelism=32 > "$work/engine.json")
    fi
  }
  # kubectl diff exits 1 when objects differ, above 1 on an error.
  kubectl_diff() { "$kubectl" "${kc[@]}" diff --server-side --field-manager="$manager" --force-conflicts -f "$work/manifests.json" > "$work/kdiff.txt" 2>&1 || [ $? -eq 1 ]; }
  engine_findings() {
    if [ "$engine" = pulumi ]; then "$node" -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).changes; console.log((r.update??0)+(r.delete??0))' "$work/engine.json"
    else grep -c '"type":"resource_drift"' "$work/engine.json" || true; fi
  }
  # shellcheck disable=SC2016 # JavaScript template literals, not shell expansions
  drift_findings() { "$node" -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const f=r.stacks.flatMap(s=>s.findings); console.log(`${f.filter(x=>x.class==="drifted").length} drifted, ${f.filter(x=>x.class==="missing").length} missing, ${f.filter(x=>x.class==="pending").length} pending`)' "$work/drift.json"; }

  local round load d=() e=() k=() dm em km fastest fastest_samples
  for round in unchanged changed; do
    if [ "$round" = changed ]; then
      for i in $(seq 0 9); do "$kubectl" "${kc[@]}" patch configmap "cm-$i" -n bench --type=merge -p '{"data":{"index":"edited"}}' > /dev/null; done
      "$kubectl" "${kc[@]}" delete configmap -n bench cm-10 cm-11 cm-12 cm-13 cm-14 > /dev/null
    fi
    drift # warms the CRD/JSON cache and the disk
    load=$(bench_load)
    d=() e=() k=()
    for ((i = 0; i < runs; i++)); do
      d+=("$(bench_seconds drift)")
      e+=("$(bench_seconds engine_check)")
      k+=("$(bench_seconds kubectl_diff)")
    done
    dm=$(printf '%s\n' "${d[@]}" | bench_median)
    em=$(printf '%s\n' "${e[@]}" | bench_median)
    km=$(printf '%s\n' "${k[@]}" | bench_median)
    echo "== $engine, $n objects, $round (median of $runs, $(nproc) cores) =="
    printf '  %-34s %6.2f s   %s\n' "platform drift" "$dm" "$(drift_findings)"
    printf '  %-34s %6.2f s   %s changed\n' "$engine_name" "$em" "$(engine_findings)"
    printf '  %-34s %6.2f s   %s objects differ\n' "kubectl diff --server-side" "$km" "$(grep -c '^diff -u -N' "$work/kdiff.txt" || true)"
    printf '  %-34s %6.2f s\n' "kubectl get (one bulk list)" "$(bench_seconds "$kubectl" "${kc[@]}" get configmaps -n bench -o json)"
    printf '  %-34s %6.2f s\n' "platform --version (process start)" "$(bench_seconds "$node" "$repo/bin/run.js" --version)"
    printf '  drift phases (ms): %s\n' "$(grep -o 'timings .*' "$work/drift.err" | cut -c9-)"
    if awk -v a="$em" -v b="$km" 'BEGIN { exit !(a <= b) }'; then
      fastest=$engine_name fastest_samples="${e[*]}"
    else
      fastest="kubectl diff --server-side" fastest_samples="${k[*]}"
    fi
    bench_result --bench "drift $n objects $engine $round" --ours "platform drift --stack (whole process)" --ours-samples "${d[*]}" \
      --baseline "$fastest (the fastest)" --baseline-samples "$fastest_samples" --target "<= 0.2x" --load "$load" \
      --note ">= 5x faster than the fastest of $engine_name (${em} s) and kubectl diff --server-side (${km} s)"
  done
  cleanup
}

for engine in $engines; do bench_engine "$engine"; done

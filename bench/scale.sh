#!/usr/bin/env bash
# How plan and drift grow with the estate: the local plane at 15, 60 and 240 stacks (bench/lib-estate.sh
# scale_estate: one local region, cluster + mesh + observability, then tenants and their services),
# each engine. Per engine the estate is applied at each size, growing (the 60-stack estate keeps the 15
# stacks and adds 45), then timed in the state people plan and check every day:
#   plan --all --detailed-exitcode   after apply: must find no changes (exit 0)
#   drift                            after apply: every stack, Git vs state vs live
# RUNS (default 3) runs each per size: wall time (min/median/max) and peak RSS (GNU time %M: the largest
# single process of the tree — the CLI, or a pulumi/tofu child if larger). Then the exponent k of the
# least-squares fit log t = a + k log stacks over the medians, and the plan time it predicts at 600 stacks.
# Target: linear or better, k ≤ 1.1 (1.0 plus 0.1 for the noise of a three-point fit on a shared machine).
# The plane is taken down (--purge) on any exit.
#   ENGINE=pulumi|terraform|both (default both)  SIZES="15 60 240"  RUNS=3  PARALLEL=2 (the CLI's default)
# Needs `npm run build`, `platform toolchain install` and GNU time (/usr/bin/time: apt-get install time).
# At the default sizes this takes a long while (an hour or more on 2 cores, most of it the applies).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib-result.sh
. bench/lib-estate.sh
NODE=$BENCH_NODE
ROOT=$PWD
RUNS=${RUNS:-3}
SIZES=${SIZES:-"15 60 240"}
PARALLEL=${PARALLEL:-2}
case ${ENGINE:-both} in
  both) engines="pulumi terraform" ;;
  pulumi | terraform) engines=$ENGINE ;;
  *) echo "scale.sh: ENGINE=$ENGINE: pulumi, terraform or both" >&2 && exit 2 ;;
esac
[ -x /usr/bin/time ] || { echo "scale.sh: needs GNU time for peak RSS: apt-get install time" >&2 && exit 2; }
read -ra size_list <<< "$SIZES"
for n in "${size_list[@]}"; do
  if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 4)); then echo "scale.sh: SIZES=\"$SIZES\": stack counts of at least 4" >&2 && exit 2; fi
done
sorted=$(printf '%s\n' "${size_list[@]}" | sort -nu | tr '\n' ' ')
[ "$(wc -w <<< "$sorted")" -ge 2 ] || { echo "scale.sh: SIZES=\"$SIZES\": at least two different sizes for a fit" >&2 && exit 2; }

work=
cli=("$NODE" "$ROOT/bin/run.js")
cleanup() {
  [ -n "$work" ] || return 0
  "${cli[@]}" local down --purge -c "$work/platform.yaml" > /dev/null 2>&1 || true
  rm -rf "$work"
  work=
}
trap cleanup EXIT
commit() { git -C "$work" add -A && git -C "$work" -c user.email=b@example.com -c user.name=bench -c commit.gpgsign=false commit -qm "$1"; }
# timed FILE CMD...: wall seconds of CMD, its peak RSS (KiB) appended to FILE.
timed() {
  local rss=$1
  shift
  bench_seconds /usr/bin/time -a -o "$rss" -f %M "$@"
}

bench_engine() {
  local engine=$1 n cfg plan_points=() drift_points=() plan_samples drift_samples fit_plan fit_drift
  work=$(mktemp -d /tmp/platform-bench-scale-plane.XXXX)
  cfg="$work/platform.yaml"
  (cd "$work" && git init -q -b main && printf '.platform/\n' > .gitignore)
  echo "== $engine: plan and drift after apply, sizes $sorted(stacks), $RUNS runs each, --parallel $PARALLEL, $(nproc) cores"
  printf '  %6s  %-24s %-24s %9s %9s %9s\n' stacks "plan s (min-max)" "drift s (min-max)" "plan MiB" "drift MiB" "apply s"
  for n in $sorted; do
    scale_estate "$engine" "$n" "scale$engine" > "$cfg"
    commit "$n stacks"
    [ -d "$work/.platform/local" ] || "${cli[@]}" local up -c "$cfg" > /dev/null 2>&1
    local apply_s
    apply_s=$(timed "$work/rss-apply-$n" "${cli[@]}" apply --all --yes --parallel "$PARALLEL" -c "$cfg")
    # The first plan and drift warm the caches and prove the state the timed runs measure.
    timed /dev/null "${cli[@]}" plan --all --detailed-exitcode --parallel "$PARALLEL" -c "$cfg" > /dev/null ||
      { echo "scale.sh: $engine, $n stacks: plan after apply is not clean (changes pending or a failure)" >&2 && return 1; }
    BENCH_OK_EXIT="0 3" timed /dev/null "${cli[@]}" drift -c "$cfg" > /dev/null
    (cd "$work" && "${cli[@]}" drift --json -c "$cfg" > "$work/drift-$n.json" 2> /dev/null) || true
    local load plans=() drifts=()
    load=$(bench_load)
    for ((i = 0; i < RUNS; i++)); do
      plans+=("$(timed "$work/rss-plan-$n" "${cli[@]}" plan --all --detailed-exitcode --parallel "$PARALLEL" -c "$cfg")")
      drifts+=("$(cd "$work" && BENCH_OK_EXIT="0 3" timed "$work/rss-drift-$n" "${cli[@]}" drift -c "$cfg")")
    done
    local pm dm
    pm=$(printf '%s\n' "${plans[@]}" | bench_median)
    dm=$(printf '%s\n' "${drifts[@]}" | bench_median)
    plan_points+=("$n $pm $(sort -n "$work/rss-plan-$n" | tail -1)")
    drift_points+=("$n $dm $(sort -n "$work/rss-drift-$n" | tail -1)")
    plan_samples="${plans[*]}" drift_samples="${drifts[*]}"
    printf '  %6s  %-24s %-24s %9s %9s %9.1f   load %s\n' "$n" \
      "$(printf '%.2f (%.2f-%.2f)' "$pm" "$(printf '%s\n' "${plans[@]}" | sort -n | head -1)" "$(printf '%s\n' "${plans[@]}" | sort -n | tail -1)")" \
      "$(printf '%.2f (%.2f-%.2f)' "$dm" "$(printf '%s\n' "${drifts[@]}" | sort -n | head -1)" "$(printf '%s\n' "${drifts[@]}" | sort -n | tail -1)")" \
      "$(sort -n "$work/rss-plan-$n" | tail -1 | awk '{ printf "%.0f", $1 / 1024 }')" \
      "$(sort -n "$work/rss-drift-$n" | tail -1 | awk '{ printf "%.0f", $1 / 1024 }')" \
      "$apply_s" "$load"
    "$NODE" -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const c={}; for (const s of d.stacks) c[s.status]=(c[s.status]??0)+1; console.log("          drift statuses: "+JSON.stringify(c))' "$work/drift-$n.json" || true
  done
  local largest=${sorted%% }
  largest=${largest##* }
  read -r k_plan r2_plan at600_plan < <("$NODE" bench/lib-result.mjs fit --at 600 "${plan_points[@]}")
  read -r k_drift r2_drift at600_drift < <("$NODE" bench/lib-result.mjs fit --at 600 "${drift_points[@]}")
  echo "  fit (log-log, least squares): plan t ~ stacks^$k_plan (r2 $r2_plan), drift t ~ stacks^$k_drift (r2 $r2_drift)"
  awk -v p="$at600_plan" -v d="$at600_drift" -v par="$PARALLEL" 'BEGIN { printf "  predicted at 600 stacks: plan %.1f min at --parallel %s, drift %.1f s\n", p / 60, par, d }'
  # [stacks, median seconds, peak RSS MiB] per size
  fit_plan=$(printf '%s\n' "${plan_points[@]}" | awk '{ printf "%s[%s,%s,%.0f]", (NR > 1 ? "," : ""), $1, $2, $3 / 1024 }')
  fit_drift=$(printf '%s\n' "${drift_points[@]}" | awk '{ printf "%s[%s,%s,%.0f]", (NR > 1 ? "," : ""), $1, $2, $3 / 1024 }')
  bench_result --bench "scale plan $engine" --ours "plan --all after apply, $largest stacks" --ours-samples "$plan_samples" \
    --value "$k_plan" --target "<= 1.1" --note "exponent of the log-log fit over (stacks, median s); samples are the largest size; points: [stacks, median s, peak RSS MiB]" \
    --load "$load" --extra "{\"points\":[$fit_plan],\"r2\":$r2_plan,\"parallel\":$PARALLEL}"
  bench_result --bench "scale drift $engine" --ours "drift after apply, $largest stacks" --ours-samples "$drift_samples" \
    --value "$k_drift" --target "<= 1.1" --note "exponent of the log-log fit over (stacks, median s); samples are the largest size; points: [stacks, median s, peak RSS MiB]" \
    --load "$load" --extra "{\"points\":[$fit_drift],\"r2\":$r2_drift}"
  cleanup
}

for engine in $engines; do bench_engine "$engine"; done

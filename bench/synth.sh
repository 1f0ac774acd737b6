#!/usr/bin/env bash
# `platform synth` of 100 tenants × 3 regions, one service each (bench/lib-estate.sh: 609 stacks), for
# each engine, through the CLI: process start, config load, planning, synthesis, writing the output.
# Targets (wall, median of RUNS, default 3): Pulumi ≤ 2 s, Terraform ≤ 1 s. ENGINES="pulumi terraform".
# Needs `npm run build`.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib-result.sh
. bench/lib-estate.sh
NODE=$BENCH_NODE
RUNS=${RUNS:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for engine in ${ENGINES:-pulumi terraform}; do
  case $engine in
    pulumi) target="<= 2 s" ;;
    terraform) target="<= 1 s" ;;
    *) echo "synth.sh: unknown engine $engine (pulumi or terraform)" >&2 && exit 2 ;;
  esac
  f="$dir/$engine.yaml"
  estate "$engine" > "$f"
  synth() { "$NODE" bin/run.js synth -c "$f" --out "$dir/out-$engine" --json > "$dir/$engine.json"; }
  synth # warm the compile cache and the page cache, and check it works (the timed runs re-synth into the same folder: Terraform rewrites only changed files)
  stacks=$("$NODE" -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(d.stacks.length+" stacks, "+d.stacks.reduce((n,s)=>n+s.resources.length,0)+" resources")' "$dir/$engine.json")
  load=$(bench_load)
  samples=$(bench_samples "$RUNS" synth)
  echo "$engine synth of 100 tenants x 3 regions: $stacks"
  bench_result --bench "synth 100x3 $engine" --ours "platform synth ($stacks)" --ours-samples "$samples" --target "$target" --load "$load"
done

#!/usr/bin/env bash
# Time to synthesize 100 tenants × 3 regions (one service each) for each engine, through the CLI
# (process start, config load, planning, synthesis). Target ≤ 3 s each.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE=node_modules/.bin/node
[ -x "$NODE" ] || NODE=node
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for engine in pulumi terraform; do
  f="$dir/$engine.yaml"
  bash bench/synth-config.sh "$engine" > "$f"
  s=$(date +%s%N)
  "$NODE" bin/run.js synth -c "$f" --out "$dir/out-$engine" --json > "$dir/$engine.json"
  e=$(date +%s%N)
  stacks=$("$NODE" -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(d.stacks.length+" stacks, "+d.stacks.reduce((n,s)=>n+s.resources.length,0)+" resources")' "$dir/$engine.json")
  awk -v t="$(( (e - s) / 1000000 ))" -v en="$engine" -v st="$stacks" 'BEGIN { printf "%-9s synth of 100 tenants x 3 regions (%s): %.2f s (target <= 3 s)\n", en, st, t/1000 }'
done

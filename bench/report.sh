#!/usr/bin/env bash
# The HTML report of a 609-stack plan (100 tenants × 3 regions, bench/lib-estate.sh) beside the
# report of the local example (15 stacks), both built and opened in the system Chromium here: file
# size, build time, load time (RUNS loads each, default 5) and the ratios. Targets: the 609-stack
# report loads in ≤ 1 s and within ≤ 3× the small one. Also the Markdown summary's size (limit 65,536).
# Needs: `npm run build`, Chromium (/usr/bin/chromium, or CHROMIUM=...).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib-result.sh
. bench/lib-estate.sh
NODE=$BENCH_NODE
RUNS=${RUNS:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
estate pulumi > "$dir/big.yaml"
load=$(bench_load)
small=$("$NODE" bench/lib-report.mjs examples/local/platform.yaml "$dir/small.html" "$RUNS")
big=$("$NODE" bench/lib-report.mjs "$dir/big.yaml" "$dir/big.html" "$RUNS")
# shellcheck disable=SC2016 # JavaScript template literals, not shell expansions
"$NODE" -e '
const [s, b] = process.argv.slice(1).map((x) => JSON.parse(x));
const row = (name, r) => console.log(`${name.padEnd(14)} ${String(r.stacks).padStart(4)} stacks  ${(r.bytes / 1024).toFixed(0).padStart(5)} KiB  build ${String(r.buildMs).padStart(5)} ms  load ${String(r.loadMs).padStart(4)} ms  first rows ${String(r.listedMs).padStart(4)} ms  markdown ${r.markdownChars} chars`);
row("local example", s);
row("100x3 estate", b);
console.log(`ratio ${b.stacks}/${s.stacks} stacks: size ${(b.bytes / s.bytes).toFixed(1)}x, first rows ${(b.listedMs / s.listedMs).toFixed(2)}x; markdown ${b.markdownChars <= 65536 ? "within" : "OVER"} 65,536`);
' "$small" "$big"
seconds() { "$NODE" -e 'console.log(JSON.parse(process.argv[1]).loadsMs.map((ms) => ms / 1000).join(" "))' "$1"; }
stacks=$("$NODE" -e 'console.log(JSON.parse(process.argv[1]).stacks)' "$big")
bench_result --bench "report $stacks stacks load" --ours "HTML report of $stacks stacks, page load" --ours-samples "$(seconds "$big")" \
  --target "<= 1 s" --load "$load"
bench_result --bench "report load, $stacks vs 15 stacks" --ours "HTML report of $stacks stacks, page load" --ours-samples "$(seconds "$big")" \
  --baseline "HTML report of examples/local, page load" --baseline-samples "$(seconds "$small")" --target "<= 3x" --load "$load"

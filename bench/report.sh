#!/usr/bin/env bash
# The HTML report of a 609-stack plan (100 tenants × 3 regions, bench/lib-estate.sh) beside the
# report of the local example (15 stacks), both built and opened in the system Chromium here: file
# size, build time, load time (median of 5) and the ratios. Targets: the 609-stack report loads in
# under 1 s and within 3× the small one. Also the Markdown summary's size (limit 65,536).
# Needs: `npm run build`, Chromium (/usr/bin/chromium, or CHROMIUM=...).
set -euo pipefail
cd "$(dirname "$0")/.."
NODE=node_modules/.bin/node
[ -x "$NODE" ] || NODE=node
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. bench/lib-estate.sh
estate pulumi > "$dir/big.yaml"
small=$("$NODE" bench/lib-report.mjs examples/local/platform.yaml "$dir/small.html")
big=$("$NODE" bench/lib-report.mjs "$dir/big.yaml" "$dir/big.html")
"$NODE" -e '
const [s, b] = process.argv.slice(1).map((x) => JSON.parse(x));
const row = (name, r) => console.log(`${name.padEnd(14)} ${String(r.stacks).padStart(4)} stacks  ${(r.bytes / 1024).toFixed(0).padStart(5)} KiB  build ${String(r.buildMs).padStart(5)} ms  load ${String(r.loadMs).padStart(4)} ms  first rows ${String(r.listedMs).padStart(4)} ms  markdown ${r.markdownChars} chars`);
row("local example", s);
row("100x3 estate", b);
console.log(`ratio 609/15 stacks: size ${(b.bytes / s.bytes).toFixed(1)}x, load ${(b.loadMs / s.loadMs).toFixed(2)}x (target <= 3x), first rows ${(b.listedMs / s.listedMs).toFixed(2)}x; markdown ${b.markdownChars <= 65536 ? "within" : "OVER"} 65,536`);
' "$small" "$big"

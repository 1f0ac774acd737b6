#!/usr/bin/env bash
# `platform --help` wall time as a ratio to `node -e 0`, both measured here, same Node (target ≤ 3×).
set -euo pipefail
cd "$(dirname "$0")/.."
NODE=node_modules/.bin/node
[ -x "$NODE" ] || NODE=node
RUNS=${RUNS:-30}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }
"$NODE" bin/run.js --help >/dev/null 2>&1   # warm the compile cache and the page cache
node0=$(for _ in $(seq "$RUNS"); do time_ms "$NODE" -e 0; done | median)
help=$(for _ in $(seq "$RUNS"); do time_ms "$NODE" bin/run.js --help; done | median)
awk -v h="$help" -v n="$node0" -v r="$RUNS" 'BEGIN { printf "node -e 0: %.1f ms  platform --help: %.1f ms  ratio: %.2fx (target <= 3x; median of %d)\n", n/1000, h/1000, h/n, r }'

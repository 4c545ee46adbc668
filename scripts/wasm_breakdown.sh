#!/usr/bin/env bash
# What the widget's wasm holds, by library and by function (docs/BENCHMARKS.md, "What the wasm
# holds"). Links grove-core once more from the objects of a built wasm tree, with the same flags
# plus --profiling-funcs (names kept, code otherwise identical), into <tree>/profile/, then
# prints scripts/wasm_size.py's tables. The shipped module is not touched.
# Usage: scripts/wasm_breakdown.sh [build/wasm] [--top N]
set -euo pipefail
cd "$(dirname "$0")/.."
tree=${1:-build/wasm}; shift || true
export NODE_PATH=/usr/share/nodejs
link="$tree/widget/CMakeFiles/grove-core.dir/link.txt"
[ -f "$link" ] || { echo "wasm_breakdown: $link is missing: build the wasm tree first (./grove build)"; exit 1; }
mkdir -p "$tree/profile"
out=$(cd "$tree/profile" && pwd)/grove-core.js
# The link line as CMake wrote it, run from its folder, with the output moved and names kept.
cmd=$(sed -E "s#-o [^ ]*grove-core\.js#--profiling-funcs -o $out#" "$link")
echo "wasm_breakdown: linking with --profiling-funcs (a minute or two)"
(cd "$tree/widget" && eval "$cmd")
shipped=$(ls "$tree"/dist/widget/grove-core.wasm)
printf 'shipped %s: %d bytes, %d gzip\n' "$shipped" "$(stat -c%s "$shipped")" "$(gzip -9c "$shipped" | wc -c)"
python3 scripts/wasm_size.py "${out%.js}.wasm" --tree "$tree" "$@"

#!/usr/bin/env bash
# Writes widget/split_keep.txt: the names of the wasm functions that stay in the first module when
# the build splits grove-core (scripts/split_wasm.py, docs/BENCHMARKS.md "Split module, applied").
# They are the functions a learner's first view runs, plus typing in the composer and posting,
# recorded in Chromium in five scenarios (the demo page; two widgets on a page with an accent and
# a height; a phone in dark mode; the HTML view in forced colours; the browser suites' host page):
#   1. the build's module with names (build/wasm/widget/grove-core.named.wasm) is instrumented
#      (wasm-split --instrument) and packaged with the build's glue and loader;
#   2. tests/browser/split_profile.mjs --all runs it against a grove-server seeded with the demo
#      data, as the demo learner: load, first pull, ready, idle frames, scrolling, typing and
#      posting; the module reports which functions ran in each scenario;
#   3. the names of the functions any scenario ran, sorted, become the list, together with the
#      names of the list before that the module still has: which paths a run takes depends on
#      timing (a post inserted into the thread or the thread rebuilt), so one run can miss what
#      another ran, and a function once seen on a first view stays. --fresh starts from nothing.
# Run it again when the browser suite "split" says the first view called a deferred function,
# or when the build says the list is out of date; then rebuild (cmake --build build/wasm).
# Usage: scripts/wasm_split_keep.sh [build/wasm] [--fresh]    (about a minute)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
tree=build/wasm
fresh=0
for arg in "$@"; do
  case "$arg" in
    --fresh) fresh=1 ;;
    *) tree=$arg ;;
  esac
done
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
named="$tree/widget/grove-core.named.wasm"
[ -f "$named" ] || { echo "wasm_split_keep: $named is missing: build the wasm tree with GROVE_WASM_SPLIT=ON first (./grove build)"; exit 1; }
out=$(mkdir -p "$tree/split-keep" && cd "$tree/split-keep" && pwd)
feat=(--mvp-features --enable-mutable-globals)

wasm-split --instrument "$named" -o "$out/instrumented.wasm" "${feat[@]}"
rm -rf "$out/dist" && mkdir "$out/dist"
for f in grove-core.js grove-pages.js grove-insights.js; do cp "$tree/dist/widget/$f" "$out/dist/"; done
cp "$out/instrumented.wasm" "$out/dist/grove-core.wasm"
node scripts/package_widget.mjs --dist "$out/dist" --loader host-page/grove.js >/dev/null
rm -f "$out"/profile.*
node tests/browser/split_profile.mjs --widget-dir "$out/dist" --out "$out/profile" --all | grep split_profile
python3 scripts/split_wasm.py "$named" --profile-names "$out"/profile.* > "$out/ran.txt"
ran=$(wc -l < "$out/ran.txt")
[ "$ran" -gt 100 ] || { echo "wasm_split_keep: only $ran functions ran: the profile failed"; exit 1; }
cp "$out/ran.txt" "$out/keep.txt"
if [ "$fresh" = 0 ] && [ -f widget/split_keep.txt ]; then
  python3 scripts/split_wasm.py "$named" --names-in-module widget/split_keep.txt >> "$out/keep.txt"
fi
LC_ALL=C sort -u -o "$out/keep.txt" "$out/keep.txt"
count=$(wc -l < "$out/keep.txt")
{
  echo "# The wasm functions a learner's first view runs, with typing and posting: they stay in"
  echo "# grove-core.wasm, every other function goes to grove-core-deferred.wasm (scripts/split_wasm.py)."
  echo "# Written by scripts/wasm_split_keep.sh; do not edit by hand."
  cat "$out/keep.txt"
} > widget/split_keep.txt
echo "wasm_split_keep: widget/split_keep.txt names $count functions ($ran ran in this profile)"

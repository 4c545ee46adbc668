#!/usr/bin/env bash
# How small the first download of the wasm would be if it were split with binaryen's wasm-split
# (docs/BENCHMARKS.md "Split module"): a primary module with the functions a learner's first
# view runs, and a deferred one with the rest, loaded when one of them is first called.
# Measures only; the shipped module is not touched. From a built wasm tree:
#   1. links grove-core again with names kept (--profiling-funcs) and Emscripten's split-module
#      glue (-sSPLIT_MODULE=1), optionally limiting wasm-opt's inlining of functions with one
#      caller (--ocimfs N: at the link and in the post-link wasm-opt run, as the build does);
#   2. instruments it (wasm-split --instrument) and records two profiles in Chromium with
#      tests/browser/split_profile.mjs: the first view (load, first pull, ready, idle, scrolling)
#      and the first view plus typing in the composer and posting;
#   3. turns each profile into a list of function names to keep (the form a committed keep list
#      would take), maps the names to functions of the module without names, splits that, and
#      prints raw / gzip (zlib 9) / brotli (11) bytes of the unsplit, primary and deferred modules.
# Usage: scripts/wasm_split_measure.sh [build/wasm] [--ocimfs N]    (about 5 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
tree=build/wasm
[ $# -gt 0 ] && [ "${1#--}" = "$1" ] && { tree=$1; shift; }
ocimfs=""
[ "${1:-}" = --ocimfs ] && ocimfs=$2
export NODE_PATH=/usr/share/nodejs
link="$tree/widget/CMakeFiles/grove-core.dir/link.txt"
[ -f "$link" ] || { echo "wasm_split_measure: $link is missing: build the wasm tree first (./grove build)"; exit 1; }
out=$(mkdir -p "$tree/split/ocimfs-${ocimfs:-default}" && cd "$tree/split/ocimfs-${ocimfs:-default}" && pwd)
feat=(--mvp-features --enable-mutable-globals)
opt_extra=()
link_extra="--profiling-funcs -sSPLIT_MODULE=1"
if [ -n "$ocimfs" ]; then
  opt_extra=(--one-caller-inline-max-function-size="$ocimfs")
  link_extra+=" -sBINARYEN_EXTRA_PASSES=--one-caller-inline-max-function-size=$ocimfs"
fi

echo "wasm_split_measure: linking into $out (a few minutes)"
cmd=$(sed -E "s#-o [^ ]*grove-core\.js#$link_extra -o $out/grove-core.js#; s#\[locateFile,instantiateWasm,onAbort\]#[locateFile,instantiateWasm,onAbort,loadSplitModule]#" "$link")
(cd "$tree/widget" && eval "$cmd") 2>&1 | grep -v "SPLIT_MODULE setting is experimental" || true
cd "$out"
# The post-link run of widget/CMakeLists.txt, keeping names (-g) for the profile and the lists.
wasm-opt grove-core.wasm.orig -Oz "${opt_extra[@]}" --low-memory-unused --zero-filled-memory "${feat[@]}" -g -o named.wasm
wasm-opt named.wasm "${feat[@]}" --strip-debug -o plain.wasm
wasm-split --instrument named.wasm -o instrumented.wasm "${feat[@]}"
rm -rf dist-instrumented && mkdir dist-instrumented
for f in grove-pages.js grove-insights.js; do cp "$ROOT/$tree/dist/widget/$f" dist-instrumented/; done
cp grove-core.js dist-instrumented/ && cp instrumented.wasm dist-instrumented/grove-core.wasm
node "$ROOT/scripts/package_widget.mjs" --dist dist-instrumented --loader "$ROOT/host-page/grove.js" >/dev/null

rows=("unsplit plain.wasm")
for run in view compose; do
  more=()
  [ "$run" = compose ] && more=(--compose)
  node "$ROOT/tests/browser/split_profile.mjs" --widget-dir dist-instrumented --out "$run.profile" \
    "${more[@]}" | grep split_profile
  # The profile as a keep list of names (the form widget/split_keep.txt takes), and the split the
  # build makes from such a list (scripts/split_wasm.py: names mapped to functions, then split
  # without names).
  python3 "$ROOT/scripts/split_wasm.py" named.wasm --profile-names "$run.profile" > "$run.keep.txt"
  python3 "$ROOT/scripts/split_wasm.py" named.wasm --keep "$run.keep.txt" -o1 "$run.primary.wasm" \
    -o2 "$run.deferred.wasm" "--features=${feat[*]}"
  rows+=("$run:primary $run.primary.wasm" "$run:deferred $run.deferred.wasm")
done

echo "ocimfs=${ocimfs:-default (all one-caller functions inlined)}"
node --input-type=module -e '
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants as z } from "node:zlib";
console.log("module".padEnd(18) + "raw".padStart(10) + "gzip".padStart(10) + "brotli".padStart(10));
for (const row of process.argv.slice(1)) {
  const [label, file] = row.split(" ");
  const b = readFileSync(file);
  const br = brotliCompressSync(b, { params: { [z.BROTLI_PARAM_QUALITY]: 11, [z.BROTLI_PARAM_SIZE_HINT]: b.length } });
  console.log(label.padEnd(18) + String(b.length).padStart(10) + String(gzipSync(b, { level: 9 }).length).padStart(10) + String(br.length).padStart(10));
}' "${rows[@]}"

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
  # Names of the functions the profile kept (wasm-split prints them escaped: \28 for "(").
  wasm-split named.wasm --profile "$run.profile" -o1 /dev/null -o2 /dev/null "${feat[@]}" -v 2>&1 \
    | sed -n 's/^Keeping functions: //p' | sed 's/, /\n/g' \
    | python3 -c 'import re,sys; [print(re.sub(r"\\([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), l.rstrip("\n"))) for l in sys.stdin]' \
    > "$run.keep.txt"
  # Names to functions of the module without names, where binaryen calls the i-th function "i".
  # A name the module does not have is skipped: that function would only load later.
  python3 - "$ROOT/scripts/wasm_size.py" named.wasm "$run.keep.txt" "$run.indices" <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("wasm_size", sys.argv[1])
ws = importlib.util.module_from_spec(spec); spec.loader.exec_module(ws)
_, funcs = ws.parse(open(sys.argv[2], "rb").read())
keep = set(l.rstrip("\n") for l in open(sys.argv[3], encoding="utf-8") if l.strip())
idx = [str(i) for i, (name, _) in enumerate(funcs) if name in keep]
missing = len(keep - {name for name, _ in funcs})
open(sys.argv[4], "w").write("\n".join(idx) + "\n")
print(f"wasm_split_measure: {len(keep)} names kept, {len(idx)} functions of {len(funcs)}, {missing} names not found")
PY
  wasm-split plain.wasm --keep-funcs @"$run.indices" --export-prefix=% -o1 "$run.primary.wasm" \
    -o2 "$run.deferred.wasm" "${feat[@]}" >/dev/null
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

# Size and speed flags of the Emscripten build (the download target: <= 200 KB gzip). Applied to every
# target of the wasm tree (ImGui, shared/, widget/) at compile and link time (the link runs
# wasm-opt at the same level); the native tree is untouched. Numbers: docs/BENCHMARKS.md "Levers".
if(NOT EMSCRIPTEN)
  return()
endif()

# -Oz with LTO instead of CMake's Release -O3, measured side by side (bench/compare_builds.mjs,
# the thread UI, 5 rounds): wasm 216.5 -> 170.5 KB gzip (508 -> 344 KiB raw); grove:ready with a
# warm cache 995 -> 765 ms (a smaller module compiles faster); script time per frame while the
# pointer moves 4.13 -> 3.34 ms (no slower: ImGui's hot loops are small, -O3 mostly inlined more).
# With the sync engine (3 rounds, 10,000 posts cached): wasm 330.3 -> 225.7 KB gzip (816 -> 483
# KiB raw), but grove:ready (warm, reading 10,000 cached posts) 1298 -> 1532 ms: decoding the
# cache is the one place -O3 pays. Kept -Oz for the download; next: shared/ at -O3 without LTO.
set(GROVE_WASM_OPT "-Oz" CACHE STRING "Optimization flag of the wasm build (-O3, -O2, -Os, -Oz); overrides the build type's")
option(GROVE_WASM_LTO "Link-time optimization of the wasm build (with -Oz: smaller and no slower, see above)" ON)

if(GROVE_WASM_OPT)
  add_compile_options(${GROVE_WASM_OPT})
  add_link_options(${GROVE_WASM_OPT})
endif()
if(GROVE_WASM_LTO)
  add_compile_options(-flto)
  add_link_options(-flto)
endif()

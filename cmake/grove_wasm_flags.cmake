# Size and speed flags of the Emscripten build (the download target: <= 200 KB gzip). Applied to every
# target of the wasm tree (ImGui, shared/, widget/) at compile and link time (the link runs
# wasm-opt at the same level); the native tree is untouched. Numbers: docs/BENCHMARKS.md "Levers".
if(NOT EMSCRIPTEN)
  return()
endif()

# -Oz with LTO instead of CMake's Release -O3: a much smaller module (every learner downloads it
# at the end of a module), which also compiles faster, with no slower frames (ImGui's hot loops
# are small). The one place -O3 pays is decoding a large cache at start. Both measured side by
# side with bench/compare_builds.mjs; the figures are in docs/BENCHMARKS.md "Levers".
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

# No run-time type information: nothing in shared/ or widget/ uses typeid or dynamic_cast
# (std::function does not need it), and every class with virtual functions otherwise carries a
# type_info with its mangled name. -29 KB raw, -6 KB gzip (docs/BENCHMARKS.md "Smaller download").
option(GROVE_WASM_RTTI "Run-time type information in the wasm build" OFF)
# No exceptions either: Emscripten's default (DISABLE_EXCEPTION_CATCHING=1) already makes any
# throw end the module, and libc++'s own throws already abort; shared/ decodes without throwing
# (nlohmann::json parsed with allow_exceptions=false, types checked before get), so nothing
# relies on one. What goes: nlohmann's throw sites (their messages) and the glue's throw support.
# JSON_NOEXCEPTION turns those sites into abort(). -3.9 KB raw, -1.9 KB gzip wasm; -0.3 KB gzip glue.
option(GROVE_WASM_EXCEPTIONS "C++ exceptions in the wasm build" OFF)
if(NOT GROVE_WASM_RTTI)
  add_compile_options($<$<COMPILE_LANGUAGE:CXX>:-fno-rtti>)
  add_link_options(-fno-rtti)
endif()
if(NOT GROVE_WASM_EXCEPTIONS)
  add_compile_options($<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions>)
  add_compile_definitions(JSON_NOEXCEPTION)
  add_link_options(-fno-exceptions)
endif()

# libc++'s smaller std::function (_LIBCPP_ABI_OPTIMIZED_FUNCTION): one invoker per stored
# callable and, for small trivially copyable ones (most of Grove's lambdas: `this` and a few
# ids), no clone or destroy functions at all, where the default keeps a vtable of seven per
# lambda. An ABI switch, so every C++ file of the wasm tree gets it (here, directory-wide); the
# prebuilt libc++ passes no std::function across its boundary. -11 KB raw, -3.6 KB gzip.
add_compile_definitions($<$<COMPILE_LANGUAGE:CXX>:_LIBCPP_ABI_OPTIMIZED_FUNCTION>)

# JSON text read and written by shared/grove/json_text.cpp instead of nlohmann's lexer, parser and
# serializer (wire.cpp's parse_json and dump): the same values and bytes in less code (json_text.hpp;
# docs/BENCHMARKS.md "Smaller download, round 7"). nlohmann's value type stays.
add_compile_definitions(GROVE_SMALL_JSON_TEXT)

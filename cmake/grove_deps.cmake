# Third-party dependencies, all from Debian packages or the setup step (never committed).

# Warnings for Grove's own targets only (third-party code keeps its own).
function(grove_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(GROVE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# Fuzzing: the libFuzzer targets are built in the sanitized tree, beside its tests (one compile of
# everything under ASan/UBSan instead of two). Only the libraries the fuzz targets drive carry
# libFuzzer's coverage instrumentation (grove_fuzz_instrument), so the fuzzer sees into them; the
# tests that link them too get empty coverage callbacks from ASan's runtime. The fuzz targets
# alone link libFuzzer's main (tests/fuzz/CMakeLists.txt).
if(GROVE_FUZZ)
  if(EMSCRIPTEN)
    message(FATAL_ERROR "GROVE_FUZZ is for a native tree, not the Emscripten one")
  endif()
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "GROVE_FUZZ needs clang (libFuzzer): configure a new tree with CC=clang-14 CXX=clang++-14")
  endif()
  set(GROVE_SANITIZE ON)
endif()
function(grove_fuzz_instrument target)
  if(GROVE_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()

if(GROVE_SANITIZE AND NOT EMSCRIPTEN)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# nlohmann/json and doctest: header-only. Under Emscripten, /usr/include must never be an include
# dir (it breaks em++), so each gets a private include folder holding only a link to its headers.
function(grove_header_only name header_dir)
  set(dir "${CMAKE_BINARY_DIR}/deps/${name}/include")
  get_filename_component(leaf "${header_dir}" NAME)
  if(NOT EXISTS "${header_dir}")
    message(FATAL_ERROR "${name}: ${header_dir} is missing; run ./grove setup")
  endif()
  file(MAKE_DIRECTORY "${dir}")
  if(NOT EXISTS "${dir}/${leaf}")
    file(CREATE_LINK "${header_dir}" "${dir}/${leaf}" SYMBOLIC)
  endif()
  add_library(${name} INTERFACE)
  target_include_directories(${name} SYSTEM INTERFACE "${dir}")
endfunction()

grove_header_only(grove_json /usr/include/nlohmann)
target_compile_definitions(grove_json INTERFACE JSON_USE_IMPLICIT_CONVERSIONS=0)

# The oldest version of each library whose behaviour the code relies on; older ones stop the
# configure step with the reason (the code also checks the headers and, for SQLite, the library
# it runs with).
function(grove_require_version name found minimum why)
  if(found VERSION_LESS minimum)
    message(FATAL_ERROR "${name} ${found} is too old: Grove needs ${minimum} or newer (${why})")
  endif()
  message(STATUS "${name} ${found} (>= ${minimum}: ${why})")
endfunction()

# A header-only library's version, from its header's #defines.
function(grove_header_version out header major_macro minor_macro patch_macro)
  file(STRINGS "${header}" lines REGEX "#define (${major_macro}|${minor_macro}|${patch_macro}) ")
  set(parts "")
  foreach(macro ${major_macro} ${minor_macro} ${patch_macro})
    string(REGEX MATCH "#define ${macro} ([0-9]+)" _ "${lines}")
    list(APPEND parts "${CMAKE_MATCH_1}")
  endforeach()
  list(JOIN parts "." version)
  set(${out} "${version}" PARENT_SCOPE)
endfunction()

set(GROVE_JSON_VERSION_HEADER /usr/include/nlohmann/json.hpp)
if(EXISTS /usr/include/nlohmann/detail/abi_macros.hpp)   # where 3.11 keeps it
  set(GROVE_JSON_VERSION_HEADER /usr/include/nlohmann/detail/abi_macros.hpp)
endif()
grove_header_version(GROVE_JSON_VERSION ${GROVE_JSON_VERSION_HEADER}
  NLOHMANN_JSON_VERSION_MAJOR NLOHMANN_JSON_VERSION_MINOR NLOHMANN_JSON_VERSION_PATCH)
grove_require_version(nlohmann-json "${GROVE_JSON_VERSION}" 3.9.0 "JSON_USE_IMPLICIT_CONVERSIONS")

if(NOT EMSCRIPTEN)
  grove_header_only(grove_doctest /usr/include/doctest)
  grove_header_version(GROVE_DOCTEST_VERSION /usr/include/doctest/doctest.h
    DOCTEST_VERSION_MAJOR DOCTEST_VERSION_MINOR DOCTEST_VERSION_PATCH)
  grove_require_version(doctest "${GROVE_DOCTEST_VERSION}" 2.4.0 "doctest_discover_tests, SUBCASE")
  find_package(Threads REQUIRED)
  find_package(OpenSSL REQUIRED)        # HMAC-SHA256 for JWT
  grove_require_version(OpenSSL "${OPENSSL_VERSION}" 1.1.1 "HMAC, CRYPTO_memcmp")
  find_package(ZLIB REQUIRED)           # gzip for API answers
  find_package(SQLite3 REQUIRED)
  grove_require_version(SQLite "${SQLite3_VERSION}" 3.35.0 "UPDATE ... RETURNING, WAL checkpoints")
  # Boost.Beast (HTTP) and Boost.Asio (the event loop), header-only: the server's HTTP front.
  find_package(Boost 1.74 REQUIRED CONFIG)
  grove_require_version(Boost "${Boost_VERSION}" 1.74.0 "Beast's parser and serializer, Asio strands and thread_pool")
  # cpp-httplib: only the tests' HTTP client. Debian builds it as a shared library; its
  # pkg-config flags (SSL/zlib/brotli support) change the class layout, so they must be used as given.
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib>=0.11)
  # libpq: the PostgreSQL engine (--db postgresql://...).
  pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
  grove_require_version(libpq "${LIBPQ_VERSION}" 10.0 "SCRAM authentication, the default of PostgreSQL 14 and newer")
endif()

# Dear ImGui core, compiled once per build tree with Grove's config header.
if(NOT EXISTS "${IMGUI_DIR}/imgui.cpp")
  message(FATAL_ERROR "IMGUI_DIR=${IMGUI_DIR} has no imgui.cpp; run ./grove setup or pass -DIMGUI_DIR=<ImGui 1.86 checkout>")
endif()
# The web build compiles three of ImGui's files with a few lines changed (each must be found
# where expected, or configuring stops); the native build (its tests draw with a TTF through
# stb_truetype) compiles them as they are.
# - imgui_draw.cpp: nothing reaches ImGui's built-in ProggyClean font (12 KB of base85 and its
#   decompressor) or stb_truetype's rasterizer (~25 KB of code): the widget draws text with the
#   browser's fonts, and its atlas holds only the shapes' pixels (build_shapes_atlas in
#   widget/platform/web/web_text.cpp, set as the atlas's FontBuilderIO). ImGui 1.86 otherwise adds
#   its default font to an empty atlas and falls back to stb_truetype when no builder is set.
#   Nor does the atlas hold ImGui's software mouse cursors (the browser draws the cursor; the
#   widget never sets io.MouseDrawCursor), so their pixel art and RenderMouseCursor drop out.
# - imgui.cpp: no .ini settings handlers for windows and tables. The widget sets no IniFilename
#   (nothing to read or write in a browser), yet ImGui 1.86 registers both handlers, which link
#   their readers and writers and, through them, sscanf.
#   Features the widget never turns on return at once, so the linker drops their code: ImGui's
#   keyboard and gamepad navigation (no ImGuiConfigFlags_Nav*, the one window is NoNav: Grove has
#   its own focus ring, widget/app/focus_ring.hpp), resizing a window by hand, title bars, text
#   logging, modal dimming, old-style columns and tables' memory compaction (the widget has
#   neither columns nor tables nor modal popups); and StyleColorsDark, whose colours
#   grove::apply_theme replaces with the ones the widget draws with (the others stay zero, unused).
# - backends/imgui_impl_opengl3.cpp: the widget always asks for "#version 300 es" on WebGL 2, which
#   reports GL_MAJOR_VERSION 3, so neither version string needs sscanf, and the other GLSL
#   versions' shaders drop out.
# docs/BENCHMARKS.md ("Smaller download", rounds 3, 5 and 6) has what each saves.
# grove_patch_begin(file), then per change grove_patch(from to) (a text found exactly once), then
# grove_patch_end(var) (var names the patched copy in <build>/imgui-web/). Macros, so that the C++
# text's semicolons pass through as they are.
macro(grove_patch_begin src)
  set(grove_patch_src ${src})
  file(READ ${src} grove_patch_text)
endmacro()
macro(grove_patch from to)
  string(REPLACE "${from}" "@GROVE_PATCHED@" grove_patched "${grove_patch_text}")
  string(REGEX MATCHALL "@GROVE_PATCHED@" grove_patch_hits "${grove_patched}")
  list(LENGTH grove_patch_hits grove_patch_n)
  if(NOT grove_patch_n EQUAL 1)
    message(FATAL_ERROR "${grove_patch_src}: expected once, found ${grove_patch_n} times:\n${from}")
  endif()
  string(REPLACE "@GROVE_PATCHED@" "${to}" grove_patch_text "${grove_patched}")
endmacro()
macro(grove_patch_end out_var)
  get_filename_component(grove_patch_name ${grove_patch_src} NAME)
  set(${out_var} ${CMAKE_BINARY_DIR}/imgui-web/${grove_patch_name})
  file(WRITE ${${out_var}}.new "${grove_patch_text}")
  configure_file(${${out_var}}.new ${${out_var}} COPYONLY)   # rewritten only when the text changed
  set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${grove_patch_src})
endmacro()
set(GROVE_IMGUI_CORE ${IMGUI_DIR}/imgui.cpp)
set(GROVE_IMGUI_DRAW ${IMGUI_DIR}/imgui_draw.cpp)
set(GROVE_IMGUI_GL3_BACKEND ${IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
if(EMSCRIPTEN)
  grove_patch_begin(${IMGUI_DIR}/imgui_draw.cpp)
  grove_patch("    if (ConfigData.Size == 0)\n        AddFontDefault();\n"
    "    IM_ASSERT(ConfigData.Size > 0 && \"Grove's web build has no built-in font\");\n")
  grove_patch("        builder_io = ImFontAtlasGetBuilderForStbTruetype();\n"
    "        return false; // Grove's web build: set FontBuilderIO (no stb_truetype)\n")
  grove_patch("        if (!(atlas->Flags & ImFontAtlasFlags_NoMouseCursors))\n            atlas->PackIdMouseCursors"
    "        if (false) // Grove's web build: no software mouse cursors in the atlas\n            atlas->PackIdMouseCursors")
  grove_patch("    if (!(atlas->Flags & ImFontAtlasFlags_NoMouseCursors))\n    {\n        // Render/copy pixels"
    "    if (false) // Grove's web build: no software mouse cursors in the atlas\n    {\n        // Render/copy pixels")
  grove_patch("ImU32 col_fill, ImU32 col_border, ImU32 col_shadow)\n{\n"
    "ImU32 col_fill, ImU32 col_border, ImU32 col_shadow)\n{\n    return; // Grove's web build: the browser draws the cursor\n")
  grove_patch_end(GROVE_IMGUI_DRAW)
  grove_patch_begin(${IMGUI_DIR}/imgui.cpp)
  grove_patch("        g.SettingsHandlers.push_back(ini_handler);\n"
    "        (void)ini_handler; // Grove's web build: no .ini settings\n")
  grove_patch("    TableSettingsInstallHandler(context);\n"
    "    // Grove's web build: no .ini settings for tables\n")
  grove_patch("    ImGui::StyleColorsDark(this);\n"
    "    // Grove's web build: no default colours (grove::apply_theme sets the ones the widget draws with)\n")
  grove_patch("static void ImGui::NavUpdate()\n{\n    ImGuiContext& g = *GImGui;\n"
    "static void ImGui::NavUpdate()\n{\n    ImGuiContext& g = *GImGui;\n    g.IO.WantSetMousePos = false; g.NavInitRequest = g.NavInitRequestFromMove = false; g.NavInitResultId = g.NavJustMovedToId = 0;\n    g.NavMoveSubmitted = g.NavMoveScoringItems = g.NavAnyRequest = g.NavIdIsAlive = false; g.NavTabbingCounter = 0;\n    return; // Grove's web build: no keyboard or gamepad navigation (the widget has its own focus ring)\n")
  grove_patch("static void ImGui::NavProcessItem()\n{\n"
    "static void ImGui::NavProcessItem()\n{\n    return; // Grove's web build: no navigation\n")
  grove_patch("static void ImGui::NavEndFrame()\n{\n"
    "static void ImGui::NavEndFrame()\n{\n    return; // Grove's web build: no navigation (no CTRL+TAB window list)\n")
  grove_patch("int resize_grip_count, ImU32 resize_grip_col[4], const ImRect& visibility_rect)\n{\n"
    "int resize_grip_count, ImU32 resize_grip_col[4], const ImRect& visibility_rect)\n{\n    return false; // Grove's web build: no window is resized by hand\n")
  grove_patch("const ImRect& title_bar_rect, const char* name, bool* p_open)\n{\n"
    "const ImRect& title_bar_rect, const char* name, bool* p_open)\n{\n    return; // Grove's web build: no window has a title bar\n")
  grove_patch("void ImGui::LogRenderedText(const ImVec2* ref_pos, const char* text, const char* text_end)\n{\n"
    "void ImGui::LogRenderedText(const ImVec2* ref_pos, const char* text, const char* text_end)\n{\n    return; // Grove's web build: no text logging\n")
  grove_patch("static void ImGui::RenderDimmedBackgrounds()\n{\n"
    "static void ImGui::RenderDimmedBackgrounds()\n{\n    return; // Grove's web build: no modal windows, no CTRL+TAB window list\n")
  grove_patch("    if (window->DC.CurrentColumns)\n        EndColumns();\n"
    "    IM_ASSERT(window->DC.CurrentColumns == NULL); // Grove's web build: no columns\n")
  grove_patch("    for (int i = 0; i < g.TablesLastTimeActive.Size; i++)\n"
    "    for (int i = 0; i < 0; i++) // Grove's web build: no tables\n")
  grove_patch("    for (int i = 0; i < g.TablesTempData.Size; i++)\n        if (g.TablesTempData[i].LastTimeActive"
    "    for (int i = 0; i < 0; i++) // Grove's web build: no tables\n        if (g.TablesTempData[i].LastTimeActive")
  grove_patch("    g.GroupStack.clear();\n    TableGcCompactSettings();\n"
    "    g.GroupStack.clear(); // Grove's web build: no table settings to compact\n")
  grove_patch_end(GROVE_IMGUI_CORE)
  grove_patch_begin(${IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
  grove_patch("        const char* gl_version = (const char*)glGetString(GL_VERSION);\n        sscanf(gl_version, \"%d.%d\", &major, &minor);\n"
    "        IM_ASSERT(0 && \"Grove's web build: WebGL 2 reports GL_MAJOR_VERSION\");\n")
  grove_patch("    sscanf(bd->GlslVersionString, \"#version %d\", &glsl_version);\n"
    "    IM_ASSERT(strcmp(bd->GlslVersionString, \"#version 300 es\\\\n\") == 0); glsl_version = 300; // Grove's web build\n")
  grove_patch_end(GROVE_IMGUI_GL3_BACKEND)
endif()
add_library(imgui STATIC
  ${GROVE_IMGUI_CORE}
  ${GROVE_IMGUI_DRAW}
  ${IMGUI_DIR}/imgui_widgets.cpp
  ${IMGUI_DIR}/imgui_tables.cpp)
target_include_directories(imgui SYSTEM PUBLIC ${IMGUI_DIR} ${IMGUI_DIR}/backends)
target_compile_definitions(imgui PUBLIC IMGUI_USER_CONFIG="${CMAKE_SOURCE_DIR}/widget/imgui_config.hpp")

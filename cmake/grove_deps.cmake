# Third-party dependencies, all from Debian packages or the setup step (never committed).

# Warnings for Grove's own targets only (third-party code keeps its own).
function(grove_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(GROVE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# Fuzzing: everything in the build tree (grove_shared, grove_server_core, the targets) carries
# libFuzzer's coverage instrumentation and ASan/UBSan, so the fuzzer sees into the libraries it
# drives; the fuzz targets alone link libFuzzer's main (tests/fuzz/CMakeLists.txt).
if(GROVE_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

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

if(NOT EMSCRIPTEN)
  grove_header_only(grove_doctest /usr/include/doctest)
  find_package(Threads REQUIRED)
  find_package(OpenSSL REQUIRED)        # HMAC-SHA256 for JWT
  find_package(SQLite3 REQUIRED)
  # Debian builds cpp-httplib as a shared library; its pkg-config flags (SSL/zlib/brotli
  # support) change the class layout, so they must be used as given.
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
endif()

# Dear ImGui core, compiled once per build tree with Grove's config header.
if(GROVE_FUZZ)
  return()
endif()
if(NOT EXISTS "${IMGUI_DIR}/imgui.cpp")
  message(FATAL_ERROR "IMGUI_DIR=${IMGUI_DIR} has no imgui.cpp; run ./grove setup or pass -DIMGUI_DIR=<ImGui 1.86 checkout>")
endif()
add_library(imgui STATIC
  ${IMGUI_DIR}/imgui.cpp
  ${IMGUI_DIR}/imgui_draw.cpp
  ${IMGUI_DIR}/imgui_widgets.cpp
  ${IMGUI_DIR}/imgui_tables.cpp)
target_include_directories(imgui SYSTEM PUBLIC ${IMGUI_DIR} ${IMGUI_DIR}/backends)
target_compile_definitions(imgui PUBLIC IMGUI_USER_CONFIG="${CMAKE_SOURCE_DIR}/widget/imgui_config.hpp")

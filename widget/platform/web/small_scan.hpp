// Small replacements for the C library's text-to-number functions in the wasm build: strtod,
// strtof and the part of sscanf that Dear ImGui 1.86 and its OpenGL backend use. musl's versions
// share one scanner (__floatscan, vfscanf: ~11 KB of code) that nlohmann/json's number parsing
// and ImGui's .ini and table settings readers pull into the module; these are ~4 KB.
// (docs/BENCHMARKS.md "Smaller download, round 2".)
//
// They answer as glibc does (tests/unit/small_scan_test.cpp compares them with it):
// - to_double / to_float: strtod / strtof, correctly rounded (an exact fallback behind a fast
//   path), decimal and hexadecimal forms, "inf", "infinity", "nan", "nan(n-char-sequence)" with
//   glibc's payload, leading white space, end pointer; errno ERANGE on overflow and on an
//   inexact result below the smallest normal number. C locale: '.' is the decimal point.
// - scan: vsscanf for literals, white space, %%, %n, %c, %d %i %u %o %x %X and %e %f %g %a
//   (any case) with widths, '*' and the hh h l ll j z t modifiers (%l.. floats are double).
//   Integers convert as glibc's on a 64-bit machine: the digits are read as a 64-bit long
//   (saturating), then cut to the argument's size. Not supported (the scan stops there, as on
//   a failed match): %s, %[, %p, %C, %S, %L.. floats, positional %N$ arguments.
// The wasm build links these under the C names (small_scan.cpp); native builds keep glibc's.
#pragma once

#include <cstdarg>   // va_list

namespace grove::small_scan {

double to_double(const char* text, char** end);
float to_float(const char* text, char** end);
int scan(const char* input, const char* format, va_list args);

}   // namespace grove::small_scan

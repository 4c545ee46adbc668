// Strict UTF-8: validation (no overlongs, no surrogates, nothing above U+10FFFF), code point
// counting and trimming. Post bodies are limited in code points, not bytes (api.md).
#pragma once

#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint32_t
#include <string>    // std::string
#include <string_view>

namespace grove {

bool is_valid_utf8(std::string_view bytes);
// Number of code points in valid UTF-8 (continuation bytes are not counted).
std::size_t count_code_points(std::string_view utf8);
// Removes leading and trailing Unicode white space (ASCII blanks, NBSP, U+2000..U+200A, U+2028,
// U+2029, U+202F, U+205F, U+3000, U+FEFF); the input must be valid UTF-8.
std::string trim(std::string_view utf8);
// Decodes the code point at utf8[i]: its length in bytes, or 0 when the bytes there are not
// strict UTF-8 (then cp is unspecified).
std::size_t decode_code_point(std::string_view utf8, std::size_t i, std::uint32_t& cp);
// Appends the UTF-8 bytes of a code point (at most U+10FFFF; the caller rules out surrogates).
void append_utf8(std::string& out, std::uint32_t cp);
// The white space trim() removes.
bool is_unicode_space(std::uint32_t cp);
// The longest prefix of valid UTF-8 with at most max_code_points code points.
std::string_view prefix_code_points(std::string_view utf8, std::size_t max_code_points);

}  // namespace grove

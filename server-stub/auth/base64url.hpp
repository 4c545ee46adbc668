// base64url without padding (RFC 4648 section 5), as JWTs and Grove's cursors use it.
#pragma once

#include <optional>   // std::optional
#include <string>     // std::string
#include <string_view>

namespace grove {

std::string base64url_encode(std::string_view bytes);
// Strict: only A-Z a-z 0-9 - _, no padding, no stray bits in the last character.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace grove

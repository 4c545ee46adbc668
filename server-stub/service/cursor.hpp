// Changes-feed cursors. Opaque to clients: base64url of "g1.<rev>.<module hash>". The version
// prefix lets a later format coexist; the module hash catches a cursor used on another module.
#pragma once

#include <cstdint>    // std::int64_t
#include <string>     // std::string
#include <string_view>

#include "grove/expected.hpp"

namespace grove {

std::string encode_feed_cursor(std::int64_t rev, std::string_view module);
// Errors are 400 bad_request with field "since".
Expected<std::int64_t> decode_feed_cursor(std::string_view cursor, std::string_view module);

}  // namespace grove

// Server-assigned post ids for creates that bring none: ULIDs (26 characters of Crockford
// base32: 48 bits of Unix ms, 80 random bits), sortable by time and valid post ids.
#pragma once

#include <cstdint>   // std::int64_t
#include <string>    // std::string

namespace grove {

std::string new_post_id(std::int64_t now_ms);

}  // namespace grove

#include "service/cursor.hpp"

#include <cstdio>   // std::snprintf

#include "auth/base64url.hpp"
#include "grove/hash.hpp"   // fnv1a_32

namespace grove {

namespace {

std::string module_hash(std::string_view module) {
    char buf[9];   // a typo check, not security
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(fnv1a_32(module)));
    return buf;
}

ApiError bad_cursor(const char* why) {
    return ApiError::bad_request(std::string("The cursor in 'since' ") + why +
                                     "; sync again without 'since' to start over.",
                                 "since");
}

}  // namespace

std::string encode_feed_cursor(std::int64_t rev, std::string_view module) {
    return base64url_encode("g1." + std::to_string(rev) + "." + module_hash(module));
}

Expected<std::int64_t> decode_feed_cursor(std::string_view cursor, std::string_view module) {
    if (cursor.empty() || cursor.size() > 64) return bad_cursor("is not a cursor this server gave out");
    const auto text = base64url_decode(cursor);
    if (!text || text->rfind("g1.", 0) != 0) return bad_cursor("is not a cursor this server gave out");
    const auto dot = text->find('.', 3);
    if (dot == std::string::npos) return bad_cursor("is not a cursor this server gave out");
    const std::string digits = text->substr(3, dot - 3);
    if (digits.empty() || digits.size() > 18 || (digits.size() > 1 && digits[0] == '0'))
        return bad_cursor("is not a cursor this server gave out");
    std::int64_t rev = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return bad_cursor("is not a cursor this server gave out");
        rev = rev * 10 + (c - '0');
    }
    if (text->substr(dot + 1) != module_hash(module)) return bad_cursor("belongs to another module");
    return rev;
}

}  // namespace grove

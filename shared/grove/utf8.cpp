#include "grove/utf8.hpp"

#include <cstdint>   // std::uint32_t, std::uint64_t
#include <cstring>   // std::memcpy

namespace grove {

namespace {

// Decodes one code point at s[i]; returns its length, or 0 when the bytes are not strict UTF-8.
std::size_t decode(std::string_view s, std::size_t i, std::uint32_t& cp) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    std::size_t len;
    std::uint32_t min;
    if (c < 0x80) { cp = c; return 1; }
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

bool is_space(std::uint32_t cp) {
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000 || cp == 0xFEFF;
}

}  // namespace

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::size_t decode_code_point(std::string_view s, std::size_t i, std::uint32_t& cp) {
    return i < s.size() ? decode(s, i, cp) : 0;
}

bool is_unicode_space(std::uint32_t cp) { return is_space(cp); }

bool is_valid_utf8(std::string_view s) {
    std::uint32_t cp;
    for (std::size_t i = 0; i < s.size();) {
        // Runs of ASCII (most text) eight bytes at a time: the cache holds megabytes of it.
        std::uint64_t word;
        if (i + 8 <= s.size() && (std::memcpy(&word, s.data() + i, 8), (word & 0x8080808080808080ULL) == 0)) {
            i += 8;
            continue;
        }
        const std::size_t n = decode(s, i, cp);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::size_t count_code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::string trim(std::string_view s) {
    std::size_t begin = 0, end = s.size();
    std::uint32_t cp;
    while (begin < end) {
        const std::size_t n = decode(s, begin, cp);
        if (n == 0 || !is_space(cp)) break;
        begin += n;
    }
    while (end > begin) {
        std::size_t start = end - 1;
        while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
        const std::size_t n = decode(s, start, cp);
        if (n == 0 || start + n != end || !is_space(cp)) break;
        end = start;
    }
    return std::string(s.substr(begin, end - begin));
}

std::string_view prefix_code_points(std::string_view s, std::size_t max) {
    std::size_t i = 0, count = 0;
    std::uint32_t cp;
    while (i < s.size() && count < max) {
        const std::size_t n = decode(s, i, cp);
        if (n == 0) break;
        i += n;
        ++count;
    }
    return s.substr(0, i);
}

}  // namespace grove

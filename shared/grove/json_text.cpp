// A small JSON reader and writer for nlohmann::json values (see json_text.hpp for what they
// accept and write, and how that compares with nlohmann's own).
#include "grove/json_text.hpp"

#include <charconv>   // std::to_chars
#include <cmath>      // std::isfinite
#include <cstdint>    // std::uint32_t, std::uint64_t, std::int64_t
#include <cstdlib>    // std::strtod
#include <utility>    // std::move

#include "grove/utf8.hpp"   // decode_code_point, append_utf8

namespace grove::json_text {

namespace {

using Json = nlohmann::json;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

class Reader {
public:
    explicit Reader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

    bool document(Json& out) {
        if (end_ - p_ >= 3 && p_[0] == '\xEF' && p_[1] == '\xBB' && p_[2] == '\xBF') p_ += 3;
        if (!value(out, 0)) return false;
        skip_space();
        return p_ == end_;
    }

private:
    const char* p_;
    const char* end_;

    void skip_space() {
        while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    }

    // The next character is c (after white space): it is consumed.
    bool take(char c) {
        skip_space();
        if (p_ == end_ || *p_ != c) return false;
        ++p_;
        return true;
    }

    bool word(std::string_view w) {
        if (static_cast<std::size_t>(end_ - p_) < w.size() || std::string_view(p_, w.size()) != w) return false;
        p_ += w.size();
        return true;
    }

    bool value(Json& out, int depth) {
        skip_space();
        if (p_ == end_) return false;
        switch (*p_) {
        case '{': return object(out, depth + 1);
        case '[': return array(out, depth + 1);
        case '"': {
            std::string s;
            if (!string(s)) return false;
            out = std::move(s);
            return true;
        }
        case 't': out = true; return word("true");
        case 'f': out = false; return word("false");
        case 'n': out = nullptr; return word("null");
        default: return number(out);
        }
    }

    bool object(Json& out, int depth) {
        if (depth > kMaxDepth) return false;
        ++p_;
        out = Json::object();
        auto& members = *out.get_ptr<Json::object_t*>();
        skip_space();
        if (p_ < end_ && *p_ == '}') return ++p_, true;
        do {
            std::string key;
            Json item;
            skip_space();
            if (p_ == end_ || *p_ != '"' || !string(key) || !take(':') || !value(item, depth)) return false;
            members[std::move(key)] = std::move(item);
        } while (take(','));
        return take('}');
    }

    bool array(Json& out, int depth) {
        if (depth > kMaxDepth) return false;
        ++p_;
        out = Json::array();
        auto& items = *out.get_ptr<Json::array_t*>();
        skip_space();
        if (p_ < end_ && *p_ == ']') return ++p_, true;
        do {
            items.emplace_back();
            if (!value(items.back(), depth)) return false;
        } while (take(','));
        return take(']');
    }

    // Four hex digits after "\u".
    bool hex4(std::uint32_t& out) {
        if (end_ - p_ < 4) return false;
        out = 0;
        for (int i = 0; i < 4; ++i) {
            const int v = hex_value(p_[i]);
            if (v < 0) return false;
            out = out * 16 + static_cast<std::uint32_t>(v);
        }
        p_ += 4;
        return true;
    }

    bool escape(std::string& out) {
        if (p_ == end_) return false;
        const char c = *p_++;
        switch (c) {
        case '"': case '\\': case '/': out += c; return true;
        case 'b': out += '\b'; return true;
        case 'f': out += '\f'; return true;
        case 'n': out += '\n'; return true;
        case 'r': out += '\r'; return true;
        case 't': out += '\t'; return true;
        case 'u': break;
        default: return false;
        }
        std::uint32_t cp;
        if (!hex4(cp) || (cp >= 0xDC00 && cp <= 0xDFFF)) return false;
        if (cp >= 0xD800 && cp <= 0xDBFF) {   // a high surrogate: a low one must follow
            std::uint32_t low;
            if (!word("\\u") || !hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, cp);
        return true;
    }

    bool string(std::string& out) {
        ++p_;   // the opening quote
        for (;;) {
            const char* run = p_;   // plain printable ASCII is copied in runs
            while (p_ < end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20 &&
                   static_cast<unsigned char>(*p_) < 0x80)
                ++p_;
            out.append(run, p_);
            if (p_ == end_) return false;
            const unsigned char c = static_cast<unsigned char>(*p_);
            if (c == '"') return ++p_, true;
            if (c == '\\') {
                ++p_;
                if (!escape(out)) return false;
            } else if (c < 0x20) {
                return false;
            } else {
                std::uint32_t cp;
                const std::size_t n = decode_code_point(std::string_view(p_, static_cast<std::size_t>(end_ - p_)), 0, cp);
                if (n == 0) return false;
                out.append(p_, n);
                p_ += n;
            }
        }
    }

    void digits() {
        while (p_ < end_ && is_digit(*p_)) ++p_;
    }

    bool number(Json& out) {
        const char* start = p_;
        const bool negative = *p_ == '-';
        if (negative) ++p_;
        if (p_ == end_ || !is_digit(*p_)) return false;
        if (*p_ == '0') ++p_;
        else digits();
        const char* int_end = p_;
        bool is_float = false;
        if (p_ < end_ && *p_ == '.') {
            ++p_;
            if (p_ == end_ || !is_digit(*p_)) return false;
            digits();
            is_float = true;
        }
        if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
            ++p_;
            if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
            if (p_ == end_ || !is_digit(*p_)) return false;
            digits();
            is_float = true;
        }
        if (!is_float) {
            std::uint64_t magnitude = 0;
            bool fits = true;
            for (const char* d = start + negative; d < int_end && fits; ++d) {
                const std::uint64_t digit = static_cast<std::uint64_t>(*d - '0');
                fits = magnitude <= (UINT64_MAX - digit) / 10;
                magnitude = magnitude * 10 + digit;
            }
            if (fits && !negative) {
                out = magnitude;
                return true;
            }
            if (fits && magnitude <= std::uint64_t(1) << 63) {   // -2^63 is the smallest int64
                out = magnitude == std::uint64_t(1) << 63 ? INT64_MIN : -static_cast<std::int64_t>(magnitude);
                return true;
            }
        }
        // A double (also an integer too large for 64 bits, as nlohmann reads it).
        const std::string text(start, p_);
        char* end = nullptr;
        const double d = std::strtod(text.c_str(), &end);
        if (end != text.c_str() + text.size() || !std::isfinite(d)) return false;
        out = d;
        return true;
    }
};

class Writer {
public:
    std::string out;

    void value(const Json& j) {
        switch (j.type()) {
        case Json::value_t::null: out += "null"; break;
        case Json::value_t::boolean: out += *j.get_ptr<const Json::boolean_t*>() ? "true" : "false"; break;
        case Json::value_t::number_integer: integer(*j.get_ptr<const Json::number_integer_t*>()); break;
        case Json::value_t::number_unsigned: integer(*j.get_ptr<const Json::number_unsigned_t*>()); break;
        case Json::value_t::number_float: real(*j.get_ptr<const Json::number_float_t*>()); break;
        case Json::value_t::string: string(*j.get_ptr<const Json::string_t*>()); break;
        case Json::value_t::array: {
            char sep = '[';
            for (const Json& item : *j.get_ptr<const Json::array_t*>()) {
                out += sep;
                sep = ',';
                value(item);
            }
            out += sep == '[' ? "[]" : "]";
            break;
        }
        case Json::value_t::object: {
            char sep = '{';
            for (const auto& [key, item] : *j.get_ptr<const Json::object_t*>()) {
                out += sep;
                sep = ',';
                string(key);
                out += ':';
                value(item);
            }
            out += sep == '{' ? "{}" : "}";
            break;
        }
        case Json::value_t::discarded: out += "<discarded>"; break;   // as nlohmann writes it
        case Json::value_t::binary: out += "null"; break;              // Grove never makes one
        }
    }

private:
    template <typename Int>
    void integer(Int v) {
        char buf[24];
        out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
    }

    void real(double d) {
        if (!std::isfinite(d)) {
            out += "null";
            return;
        }
        char buf[64];
        out.append(buf, nlohmann::detail::to_chars(buf, buf + sizeof buf, d));
    }

    void string(const std::string& s) {
        out += '"';
        const std::string_view text(s);
        for (std::size_t i = 0; i < text.size();) {
            const unsigned char c = static_cast<unsigned char>(text[i]);
            if (c >= 0x80) {
                std::uint32_t cp;
                const std::size_t n = decode_code_point(text, i, cp);
                if (n != 0) {
                    out.append(text.data() + i, n);
                    i += n;
                } else {
                    out += "\xEF\xBF\xBD";   // U+FFFD for the longest valid start of a sequence
                    i += invalid_length(text, i);
                }
                continue;
            }
            ++i;
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += "0123456789abcdef"[c >> 4];
                    out += "0123456789abcdef"[c & 15];
                } else {
                    out += static_cast<char>(c);
                }
            }
        }
        out += '"';
    }

    // The bytes one U+FFFD replaces at text[i], which does not start valid UTF-8: the lead byte
    // and the continuation bytes after it that could still have made a valid sequence (as
    // nlohmann's decoder reads them; the byte that proved the sequence wrong is read again).
    static std::size_t invalid_length(std::string_view text, std::size_t i) {
        const unsigned char lead = static_cast<unsigned char>(text[i]);
        std::size_t need;   // continuation bytes the lead byte asks for
        unsigned char lo = 0x80, hi = 0xBF;   // the range of the first of them
        if (lead >= 0xC2 && lead <= 0xDF) need = 1;
        else if (lead >= 0xE0 && lead <= 0xEF) need = 2, lo = lead == 0xE0 ? 0xA0 : 0x80, hi = lead == 0xED ? 0x9F : 0xBF;
        else if (lead >= 0xF0 && lead <= 0xF4) need = 3, lo = lead == 0xF0 ? 0x90 : 0x80, hi = lead == 0xF4 ? 0x8F : 0xBF;
        else return 1;
        std::size_t n = 1;
        for (; n <= need && i + n < text.size(); ++n) {
            const unsigned char c = static_cast<unsigned char>(text[i + n]);
            if (c < lo || c > hi) break;
            lo = 0x80, hi = 0xBF;
        }
        return n;
    }
};

}  // namespace

Json read(std::string_view text) {
    Json out;
    if (!Reader(text).document(out)) return Json(Json::value_t::discarded);
    return out;
}

std::string write(const Json& value) {
    Writer w;
    w.value(value);
    return std::move(w.out);
}

}  // namespace grove::json_text

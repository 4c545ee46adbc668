// The web build's JSON reader and writer (shared/grove/json_text.hpp) against nlohmann's parser
// and serializer, which native builds use: the same accepted texts, the same values with the same
// number types, the same bytes written (also for strings that are not UTF-8), on hand-picked
// edge cases and on 20,000 random values and 20,000 random edits of their text.
#include <doctest/doctest.h>

#include <cmath>     // std::ldexp
#include <cstdint>   // std::uint64_t, std::int64_t
#include <cstring>   // std::memcmp
#include <limits>    // std::numeric_limits
#include <random>    // std::mt19937_64
#include <string>    // std::string
#include <vector>    // std::vector

#include "grove/json_text.hpp"

using Json = nlohmann::json;
using grove::json_text::read;
using grove::json_text::write;

namespace {

Json nlohmann_read(const std::string& text) { return Json::parse(text, nullptr, /*allow_exceptions=*/false); }
std::string nlohmann_write(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// Equal values whose numbers also have the same type (nlohmann's == takes 1u == 1).
bool same(const Json& a, const Json& b) {
    if (a.type() != b.type()) return false;
    if (a.is_array()) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same(a[i], b[i])) return false;
        return true;
    }
    if (a.is_object()) {
        if (a.size() != b.size()) return false;
        for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib)
            if (ia.key() != ib.key() || !same(*ia, *ib)) return false;
        return true;
    }
    if (a.is_number_float()) {   // bit for bit (-0.0 is not 0.0 here)
        const double x = a.get<double>(), y = b.get<double>();
        return std::memcmp(&x, &y, sizeof x) == 0;
    }
    return a == b;
}

// Reads the text both ways: both reject it, or both accept it with the same value.
void check_read(const std::string& text) {
    const Json mine = read(text);
    const Json theirs = nlohmann_read(text);
    INFO("text: " << text);
    REQUIRE(mine.is_discarded() == theirs.is_discarded());
    if (!mine.is_discarded()) CHECK(same(mine, theirs));
}

std::string random_string(std::mt19937_64& rng, bool utf8_only) {
    static const std::vector<std::string> pieces = {
        "a", "Z", " ", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", std::string(1, '\0'), "\x01", "\x1f", "\x7f",
        "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xEF\xBF\xBF", "\xED\x9F\xBF", "\xF4\x8F\xBF\xBF",
        "\xD7\xA9\xD7\x9C", "\xE0\xA4\xA8\xE0\xA4\xBF"};
    static const std::vector<std::string> broken = {
        "\x80", "\xBF", "\xC0\x80", "\xC1", "\xC2", "\xE0\x80\x80", "\xE0\xA0", "\xED\xA0\x80", "\xF0\x80",
        "\xF4\x90\x80\x80", "\xF5", "\xFF", "\xE1\x80", "\xF1\x80\x80", "\xC2\x41"};
    std::string s;
    const int n = static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) {
        if (!utf8_only && rng() % 4 == 0) s += broken[rng() % broken.size()];
        else s += pieces[rng() % pieces.size()];
    }
    return s;
}

double random_double(std::mt19937_64& rng) {
    switch (rng() % 6) {
    case 0: return static_cast<double>(static_cast<std::int64_t>(rng() % 2000001) - 1000000) / 1000.0;
    case 1: return std::ldexp(static_cast<double>(rng() >> 11), static_cast<int>(rng() % 2000) - 1000);
    case 2: return static_cast<float>(static_cast<std::int64_t>(rng() % 20001) - 10000) / 7.0f;
    case 3: return static_cast<double>(rng() % 100);
    case 4: return -0.0;
    default: return 1e300 * static_cast<double>(rng() % 100);
    }
}

Json random_value(std::mt19937_64& rng, int depth, bool utf8_only) {
    switch (rng() % (depth < 4 ? 9 : 7)) {
    case 0: return nullptr;
    case 1: return rng() % 2 == 0;
    case 2: return static_cast<std::int64_t>(rng());                  // negative half the time
    case 3: return static_cast<std::uint64_t>(rng() >> (rng() % 64));
    case 4: return random_double(rng);
    case 5:
    case 6: return random_string(rng, utf8_only);
    case 7: {
        Json a = Json::array();
        for (int n = static_cast<int>(rng() % 5); n > 0; --n) a.push_back(random_value(rng, depth + 1, utf8_only));
        return a;
    }
    default: {
        Json o = Json::object();
        for (int n = static_cast<int>(rng() % 5); n > 0; --n) o[random_string(rng, true)] = random_value(rng, depth + 1, utf8_only);
        return o;
    }
    }
}

}  // namespace

TEST_CASE("json_text reads what nlohmann reads, into the same values") {
    const char* cases[] = {
        // accepted
        "null", "true", "false", "0", "-0", "1", "-1", "123456789", "0.5", "-0.0", "1e5", "1E+5", "1e-5", "2.5e-3",
        "18446744073709551615", "18446744073709551616", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "1.7976931348623157e308",
        "4.9e-324", "1e-400", "\"\"", "\"abc\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\u0000\"", "\"\\u00e9\\u00E9\"",
        "\"\\ud83d\\ude00\"", "\"\\uD83D\\uDE00\"", "\"\\uffff\"", "\"\xC3\xA9\xF0\x9F\x98\x80\"", "[]", "{}", "[1,2,3]",
        " [ 1 , [ ] , { } ] ", "{\"a\":1,\"b\":[true,false,null]}", "{\"a\":1,\"a\":2}", "{\"b\":1,\"a\":2,\"b\":3}",
        "\t\r\n 7 \t\r\n", "\xEF\xBB\xBF{}", "\xEF\xBB\xBF 1", "{\"\":\"\"}", "[\"\x7f\"]",
        // rejected
        "", " ", "nul", "nulll", "True", "+1", "01", "-", "-01", "1.", ".5", "1e", "1e+", "0x10", "1e400", "-1e400",
        "NaN", "Infinity", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"\\ud83d\"", "\"\\ud83d\\u0041\"",
        "\"\\ude00\"", "\"\\ud83dx\"", "\"a\x01\"", "\"\t\"", "\"\x80\"", "\"\xC0\x80\"", "\"\xED\xA0\x80\"",
        "\"\xF4\x90\x80\x80\"", "\"\xE2\x82\"", "[", "]", "[1,]", "[,1]", "[1 2]", "{", "{\"a\"}", "{\"a\":}",
        "{\"a\":1,}", "{a:1}", "{\"a\" 1}", "{1:2}", "1 2", "[]]", "{}}", "\xEF\xBB", "\xEF\xBB\xBF", "//", "'a'",
        "[1]x", "\xFF"};
    for (const char* text : cases) check_read(text);
}

TEST_CASE("json_text is stricter than nlohmann in two ways: NUL outside strings, deep nesting") {
    // nlohmann reads a NUL byte as the end of the text.
    const std::string with_nul = std::string("{}") + '\0' + "garbage";
    CHECK(!nlohmann_read(with_nul).is_discarded());
    CHECK(read(with_nul).is_discarded());
    CHECK(read(std::string(1, '\0')).is_discarded());
    CHECK(read(std::string("\"a") + '\0' + "\"").is_discarded());   // nor in a string, as nlohmann
    // Nesting: kMaxDepth arrays and objects are read, one more is not.
    const int max = grove::json_text::kMaxDepth;
    const std::string deepest = std::string(max, '[') + std::string(max, ']');
    CHECK(same(read(deepest), nlohmann_read(deepest)));
    CHECK(read("[" + deepest + "]").is_discarded());
    std::string objects;
    for (int i = 0; i < max; ++i) objects += "{\"k\":";
    objects += "1" + std::string(max, '}');
    CHECK(same(read(objects), nlohmann_read(objects)));
    CHECK(read("[" + objects + "]").is_discarded());
}

TEST_CASE("json_text writes nlohmann's bytes, also for strings that are not UTF-8") {
    const Json values[] = {
        nullptr, true, false, 0, -0, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::uint64_t>::max(),
        0.0, -0.0, 1.0, 0.1, 1e16, 1e-5, 123.456, 1.7976931348623157e308, 5e-324,
        std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN(), 12.3f,
        "", "plain", "\"\\/\b\f\n\r\t\x01\x1f\x7f", std::string(1, '\0'), "\xC3\xA9\xF0\x9F\x98\x80",
        "\x80", "a\xC0\x80z", "\xE0\x80\x80", "\xE1\x80", "\xE1\x80" "A", "\xED\xA0\x80", "\xF4\x90\x80\x80",
        "\xF0\x9F\x98", "\xFF\xFE", Json::array(), Json::object(), Json::array({1, "x", nullptr}),
        Json{{"b", 1}, {"a", {{"z", Json::array()}, {"y", Json::object()}}}}, Json(Json::value_t::discarded)};
    for (const Json& v : values) {
        INFO("value: " << nlohmann_write(v));
        CHECK(write(v) == nlohmann_write(v));
    }
}

TEST_CASE("json_text agrees with nlohmann on random values and on random edits of their text") {
    std::mt19937_64 rng(20261207);
    static const char edits[] = "{}[],:\"\\ 0123456789-+.eEtrufalsn\xC3\xA9\x80";
    for (int round = 0; round < 20000; ++round) {
        // Any value: written the same; strict UTF-8 ones also read back the same.
        const Json any = random_value(rng, 0, /*utf8_only=*/false);
        const std::string theirs = nlohmann_write(any);
        REQUIRE(write(any) == theirs);
        const Json value = random_value(rng, 0, /*utf8_only=*/true);
        const std::string text = nlohmann_write(value);
        const Json back = read(text);
        REQUIRE(!back.is_discarded());
        CHECK(same(back, nlohmann_read(text)));
        CHECK(write(back) == text);
        // An edit of the text: both read it or both reject it (NUL bytes aside, see above).
        std::string edited = text;
        const std::size_t at = edited.empty() ? 0 : rng() % edited.size();
        const char c = edits[rng() % (sizeof edits - 1)];
        switch (rng() % 3) {
        case 0: edited.insert(at, 1, c); break;
        case 1: if (!edited.empty()) edited.erase(at, 1); break;
        default: if (!edited.empty()) edited[at] = c; break;
        }
        if (edited.find('\0') == std::string::npos) check_read(edited);
    }
}

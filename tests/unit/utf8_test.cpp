#include <doctest/doctest.h>

#include "grove/utf8.hpp"

using namespace grove;

TEST_CASE("utf8: strict validation") {
    SUBCASE("accepts ASCII, multi-byte and 4-byte sequences") {
        CHECK(is_valid_utf8(""));
        CHECK(is_valid_utf8("plain"));
        CHECK(is_valid_utf8("Zürich, Ελλάδα, Москва, 東京"));
        CHECK(is_valid_utf8("\xF0\x9F\x98\x80"));   // U+1F600
    }
    SUBCASE("rejects overlongs, surrogates, truncation and bytes above U+10FFFF") {
        CHECK_FALSE(is_valid_utf8("\xC0\xAF"));           // overlong '/'
        CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));       // overlong
        CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));       // U+D800 surrogate
        CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));   // U+110000
        CHECK_FALSE(is_valid_utf8("abc\xE2\x82"));         // truncated
        CHECK_FALSE(is_valid_utf8("\xFF"));
        CHECK_FALSE(is_valid_utf8("\x80"));               // lone continuation
    }
}

TEST_CASE("utf8: code points are counted, not bytes") {
    CHECK(count_code_points("abc") == 3);
    CHECK(count_code_points("é") == 1);
    CHECK(count_code_points("日本語") == 3);
    CHECK(count_code_points("\xF0\x9F\x98\x80x") == 2);
}

TEST_CASE("utf8: trim removes Unicode white space at both ends only") {
    CHECK(trim("  hello  ") == "hello");
    CHECK(trim("\t\n hello world \r\n") == "hello world");
    CHECK(trim("\xC2\xA0\xE3\x80\x80text\xE2\x80\x83") == "text");   // NBSP, ideographic space, em space
    CHECK(trim("   ").empty());
    CHECK(trim("a  b") == "a  b");
    CHECK(trim("ü ") == "ü");
}

TEST_CASE("utf8: prefix_code_points never splits a character") {
    CHECK(prefix_code_points("日本語", 2) == "日本");
    CHECK(prefix_code_points("ab", 5) == "ab");
    CHECK(prefix_code_points("abc", 0).empty());
}

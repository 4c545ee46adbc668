#include <doctest/doctest.h>

#include "grove/validation.hpp"

#include <string>

using namespace grove;

TEST_CASE("validation: post ids and module keys") {
    CHECK(is_valid_post_id("01JDXQ0M8Z4V2T9K3B6N5P7R1S"));
    CHECK(is_valid_post_id("a_b-c"));
    CHECK(is_valid_post_id(std::string(64, 'x')));
    CHECK_FALSE(is_valid_post_id(std::string(65, 'x')));
    CHECK_FALSE(is_valid_post_id(""));
    CHECK_FALSE(is_valid_post_id("a.b"));
    CHECK_FALSE(is_valid_post_id("a b"));
    CHECK(is_valid_module_key("fire-safety-101"));
    CHECK(is_valid_module_key("hr:onboarding.v2_1"));
    CHECK(is_valid_module_key(std::string(128, 'm')));
    CHECK_FALSE(is_valid_module_key(std::string(129, 'm')));
    CHECK_FALSE(is_valid_module_key("a/b"));
    CHECK_FALSE(is_valid_module_key("'; DROP TABLE posts;--"));
}

TEST_CASE("validation: bodies are trimmed and limited in code points") {
    SUBCASE("500 multi-byte code points are accepted, 501 are not") {
        std::string body;
        for (int i = 0; i < 500; ++i) body += "ж";
        auto ok = validate_body(body);
        REQUIRE(ok);
        CHECK(ok.value() == body);
        auto too_long = validate_body(body + "ж");
        REQUIRE_FALSE(too_long);
        CHECK(too_long.error().status == 422);
        CHECK(too_long.error().code == "too_long");
        CHECK(too_long.error().field == "body");
    }
    SUBCASE("white space only is empty") {
        auto e = validate_body(" \n\t ");
        REQUIRE_FALSE(e);
        CHECK(e.error().code == "empty");
        CHECK(e.error().field == "body");
    }
    SUBCASE("surrounding white space does not count") {
        auto ok = validate_body("  " + std::string(500, 'a') + "  ");
        REQUIRE(ok);
        CHECK(ok.value().size() == 500);
    }
    SUBCASE("invalid UTF-8 is its own error") {
        auto e = validate_body("bad \xFF");
        REQUIRE_FALSE(e);
        CHECK(e.error().code == "invalid_utf8");
        CHECK(e.error().status == 400);
    }
    SUBCASE("a server may set another limit") {
        CHECK_FALSE(validate_body("abcdef", 5));
        CHECK(validate_body("abcde", 5));
    }
}

TEST_CASE("validation: kinds per role") {
    CHECK(validate_kind("insight", Role::learner));
    CHECK(validate_kind("tip", Role::learner));
    CHECK(validate_kind("question", Role::curator));
    CHECK(validate_kind("leader_learning", Role::leader));
    CHECK(validate_kind("leader_learning", Role::admin));
    auto forbidden = validate_kind("leader_learning", Role::learner);
    REQUIRE_FALSE(forbidden);
    CHECK(forbidden.error().status == 403);
    CHECK_FALSE(validate_kind("leader_learning", Role::curator));
    auto unknown = validate_kind("rant", Role::admin);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == "invalid_field");
    CHECK(unknown.error().field == "kind");
}

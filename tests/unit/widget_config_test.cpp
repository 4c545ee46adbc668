#include <doctest/doctest.h>

#include "widget_config.hpp"

using namespace grove;

TEST_CASE("widget config: attributes from the loader are checked again") {
    auto ok = parse_widget_config(R"({"module":"fire-safety-101","prompt":"","theme":"dark","accent":"#0a66c2"})");
    REQUIRE(ok);
    CHECK(ok->module == "fire-safety-101");
    CHECK(ok->prompt == kDefaultPrompt);
    CHECK(ok->theme == ThemeMode::dark);
    CHECK(ok->accent_rgb == 0x0a66c2);

    CHECK(parse_widget_config(R"({"module":"a/b"})").error().field == "data-grove-module");
    CHECK(parse_widget_config(R"({"module":"m","theme":"neon"})").error().field == "data-grove-theme");
    CHECK(parse_widget_config(R"({"module":"m","accent":"blue"})").error().field == "data-grove-accent");
    CHECK_FALSE(parse_widget_config("not json"));
}

TEST_CASE("widget config: the module title and the loader's spotlight choice") {
    auto plain = parse_widget_config(R"({"module":"m"})");
    REQUIRE(plain);
    CHECK(plain->title.empty());
    CHECK(plain->spotlight);   // one widget alone shows the spotlight
    auto titled = parse_widget_config(R"({"module":"m","title":"  Fire safety 101 ","spotlight":false})");
    REQUIRE(titled);
    CHECK(titled->title == "Fire safety 101");
    CHECK_FALSE(titled->spotlight);
    const std::string long_title = std::string(R"({"module":"m","title":")") + std::string(121, 'x') + "\"}";
    CHECK(parse_widget_config(long_title).error().field == "data-grove-title");
    CHECK(parse_widget_config(R"({"module":"m","title":"two\nlines"})").error().field == "data-grove-title");
}

TEST_CASE("widget config: hex colours") {
    unsigned rgb = 0;
    CHECK(parse_hex_colour("#06c", rgb));
    CHECK(rgb == 0x0066cc);
    CHECK(parse_hex_colour("#A1b2C3", rgb));
    CHECK(rgb == 0xa1b2c3);
    CHECK_FALSE(parse_hex_colour("06c", rgb));
    CHECK_FALSE(parse_hex_colour("#12345", rgb));
    CHECK_FALSE(parse_hex_colour("#ggg", rgb));
}

TEST_CASE("widget config: data-grove-height none grows with the content") {
    CHECK_FALSE(parse_widget_config(R"({"module":"m"})")->grow);
    CHECK_FALSE(parse_widget_config(R"({"module":"m","height":"640px"})")->grow);
    CHECK(parse_widget_config(R"({"module":"m","height":"none"})")->grow);
    CHECK(parse_widget_config(R"({"module":"m","height":"None"})")->grow);
}

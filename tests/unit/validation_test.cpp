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

TEST_CASE("validation: a NUL character is refused in bodies and notes, whichever engine would store them") {
    using namespace std::string_literals;
    for (const std::string& text : {"before\0after"s, "\0"s, "trailing\0"s}) {
        const auto body = validate_body(text);
        REQUIRE_FALSE(body);
        CHECK(body.error().status == 422);
        CHECK(body.error().code == "invalid_field");
        CHECK(body.error().field == "body");
        const auto note = validate_note(text, "note", 280);
        REQUIRE_FALSE(note);
        CHECK(note.error().field == "note");
        CHECK_FALSE(validate_flag("spam", text));
    }
    CHECK(validate_note("", "note", 280));   // an empty note is still fine
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

TEST_CASE("validation: http(s) addresses - what a link or a resource may be") {
    SUBCASE("accepted") {
        for (const char* url : {"http://example.com", "https://example.com/", "HTTPS://Example.COM/a?b=c#d",
                                "https://sub.example.co.uk:8443/path/(x)", "http://127.0.0.1:8080/", "https://[::1]/",
                                "https://münchen.example/straße", "https://example.com/a%20b?q=1&r=2"}) {
            CAPTURE(url);
            CHECK(is_http_url(url));
        }
        CHECK(is_http_url("https://e.example/" + std::string(2048 - 18, 'a')));
    }
    SUBCASE("refused") {
        for (const char* url : {"", "example.com", "www.example.com", "ftp://example.com", "javascript:alert(1)",
                                "javascript://example.com/%0Aalert(1)", "data:text/html,hi", "http://", "https:///x",
                                "https://exa mple.com", "https://example.com/a b", "https://example.com/\x01",
                                "https://bank.example@evil.example/", "https://user:pw@example.com/",
                                "https://example.com:99999/", "https://example.com:/", "https://.example.com/",
                                "https://example..com/", "https://example.com./", "https://ex_ample.com/",
                                "https://example.com/\"onmouseover", "https://example.com/<script>", "https:\\\\evil.example",
                                "https://[::1/", "https://[zz]/", "http://example.com\\@evil.example/"}) {
            CAPTURE(url);
            CHECK_FALSE(is_http_url(url));
        }
        CHECK_FALSE(is_http_url("https://e.example/" + std::string(2048 - 17, 'a')));   // 2049 code points
        CHECK_FALSE(is_http_url("https://example.com/\xFF"));
        CHECK_FALSE(is_http_url("https://example.com/\xC2\xA0x"));   // a no-break space
    }
    SUBCASE("the host, for showing a link's domain") {
        CHECK(url_host("HTTPS://Docs.Example.COM:8443/a?b") == "docs.example.com");
        CHECK(url_host("http://[::1]:80/") == "[::1]");
        CHECK(url_host("javascript:alert(1)").empty());
        CHECK(url_host("https://bank.example@evil.example/").empty());
    }
}

TEST_CASE("validation: finding addresses in a post's text") {
    auto found = [](std::string_view text) {
        std::vector<std::string> out;
        for (const TextSpan& s : find_http_urls(text)) out.emplace_back(text.substr(s.offset, s.length));
        return out;
    };
    CHECK(found("Read https://example.com/guide.") == std::vector<std::string>{"https://example.com/guide"});
    CHECK(found("(see http://a.example/x_(y)) and https://b.example/, done") ==
          std::vector<std::string>{"http://a.example/x_(y)", "https://b.example/"});
    CHECK(found("«https://пример.example/путь»") == std::vector<std::string>{"https://пример.example/путь"});
    CHECK(found("two:https://a.example\nhttps://b.example") ==
          std::vector<std::string>{"https://a.example", "https://b.example"});
    CHECK(found("xhttps://a.example").empty());   // inside a word: not an address of its own
    CHECK(found("<a href=\"https://a.example/x\">") == std::vector<std::string>{"https://a.example/x"});
    CHECK(found("no links: www.example.com, javascript:alert(1), ftp://x.example, https://").empty());
    CHECK(found("https://bank.example@evil.example/").empty());
    CHECK(found("HTTPS://Loud.Example!") == std::vector<std::string>{"HTTPS://Loud.Example"});
    CHECK(found("bad \xFF https://a.example").empty());   // not UTF-8: nothing is a link
}

TEST_CASE("validation: links in a post are http(s) addresses and www. ones, opened as https") {
    auto found = [](std::string_view text) {
        std::vector<std::pair<std::string, std::string>> out;   // (the text, what opens)
        for (const TextLink& l : find_links(text))
            out.emplace_back(text.substr(l.span.offset, l.span.length), l.url);
        return out;
    };
    using Links = std::vector<std::pair<std::string, std::string>>;
    CHECK(found("Read www.example.com/guide.") == Links{{"www.example.com/guide", "https://www.example.com/guide"}});
    CHECK(found("(see www.a.example), WWW.B.Example, and https://c.example.") ==
          Links{{"www.a.example", "https://www.a.example"},
                {"WWW.B.Example", "https://WWW.B.Example"},
                {"https://c.example", "https://c.example"}});
    CHECK(found("«www.пример.example/путь»") == Links{{"www.пример.example/путь", "https://www.пример.example/путь"}});
    CHECK(found("https://www.a.example/x") == Links{{"https://www.a.example/x", "https://www.a.example/x"}});
    // Not hosts of their own, or not addresses at all.
    CHECK(found("xwww.a.example me@www.a.example a.www.b.example /www.a.example -www.a.example").empty());
    CHECK(found("www.example www. www..example www.a.example@evil.example").empty());
    CHECK(found("javascript:www.a.example").empty());
    CHECK(found("javascript:alert(1) ftp://www.a.example data:text/html,x").empty());
    CHECK(found("bad \xFF www.a.example").empty());
    // The server's rule for a resource's address is unchanged: www. text is no http(s) address.
    CHECK(find_http_urls("www.example.com").empty());
}

TEST_CASE("validation: a resource post's body holds an address - other kinds need none") {
    auto e = check_body_for_kind(Kind::resource, "A great checklist, ask me for it");
    REQUIRE(e);
    CHECK(e->status == 422);
    CHECK(e->code == "invalid_field");
    CHECK(e->field == "body");
    CHECK_FALSE(check_body_for_kind(Kind::resource, "Checklist: https://intranet.example/fire.pdf"));
    CHECK(check_body_for_kind(Kind::resource, "javascript:alert(1)"));
    CHECK_FALSE(check_body_for_kind(Kind::commitment, "When I next lead a drill, I will time it."));
    CHECK_FALSE(check_body_for_kind(Kind::insight, "no link"));
    CHECK(validate_kind("resource", Role::learner));
    CHECK(validate_kind("commitment", Role::learner));
}

TEST_CASE("validation: titles, notes and urls name their field") {
    SUBCASE("titles are one trimmed line of 1..max code points") {
        CHECK(validate_title("  Fire safety 101 ", "module_title", 120).value() == "Fire safety 101");
        CHECK(validate_title(std::string(120, 'x'), "title", 120));
        std::string cyrillic;
        for (int i = 0; i < 120; ++i) cyrillic += "ж";
        CHECK(validate_title(cyrillic, "title", 120));
        auto long_one = validate_title(cyrillic + "ж", "title", 120);
        CHECK(long_one.error().code == "too_long");
        CHECK(long_one.error().field == "title");
        auto empty = validate_title(" \t ", "module_title", 120);
        CHECK(empty.error().code == "empty");
        CHECK(empty.error().field == "module_title");
        CHECK(empty.error().message == "The module title cannot be empty.");
        auto two_lines = validate_title("a\nb", "title", 120);
        CHECK(two_lines.error().code == "invalid_field");
        CHECK(validate_title("\xFF", "title", 120).error().code == "invalid_utf8");
    }
    SUBCASE("notes may be empty, keep their lines, and are limited") {
        CHECK(validate_note("  ", "note", 280).value().empty());
        CHECK(validate_note("a\nb", "note", 280).value() == "a\nb");
        auto long_one = validate_note(std::string(281, 'n'), "details", 280);
        CHECK(long_one.error().code == "too_long");
        CHECK(long_one.error().field == "details");
    }
    SUBCASE("urls: trimmed, http(s), 422 invalid_field with field url") {
        CHECK(validate_url("  https://example.com/x  ").value() == "https://example.com/x");
        for (const std::string& bad : {std::string("javascript:alert(1)"), std::string(""), std::string("example.com"),
                                       "https://e.example/" + std::string(2048, 'a')}) {
            auto e = validate_url(bad);
            REQUIRE_FALSE(e);
            CHECK(e.error().status == 422);
            CHECK(e.error().code == "invalid_field");
            CHECK(e.error().field == "url");
        }
    }
    SUBCASE("a resource's fields: each trimmed, the first wrong one named") {
        auto ok = validate_resource_fields(" Checklist ", " https://e.example/c ", " print it ");
        REQUIRE(ok);
        CHECK(ok.value().title == "Checklist");
        CHECK(ok.value().url == "https://e.example/c");
        CHECK(ok.value().note == "print it");
        CHECK(validate_resource_fields("", "https://e.example/", "").error().field == "title");
        CHECK(validate_resource_fields("T", "ftp://e.example/", "").error().field == "url");
        CHECK(validate_resource_fields("T", "https://e.example/", std::string(281, 'n')).error().field == "note");
        CHECK(validate_resource_fields("T", "https://e.example/", "").value().note.empty());
    }
}

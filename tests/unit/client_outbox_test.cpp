// The outbox's keys, post ids and the REST call each queued write becomes.
#include <doctest/doctest.h>

#include <set>

#include "grove/client/outbox.hpp"
#include "grove/validation.hpp"
#include "grove/wire.hpp"

using namespace grove;

TEST_CASE("outbox: write keys sort in the order writes were made, across tabs") {
    const std::string a = make_write_key(1'790'000'000'000, 0xdeadbeef, 1);
    const std::string b = make_write_key(1'790'000'000'000, 0xdeadbeef, 2);
    const std::string c = make_write_key(1'790'000'000'001, 0x00000001, 1);
    CHECK(a < b);
    CHECK(b < c);
    CHECK(make_write_key(5, 1, 1) < make_write_key(1'790'000'000'000, 1, 1));   // fixed width
    CHECK(make_write_key(1, 0xa, 1) != make_write_key(1, 0xb, 1));                 // tabs differ
}

TEST_CASE("outbox: post ids are valid, time-ordered and distinct") {
    std::set<std::string> ids;
    std::string previous;
    for (std::uint64_t i = 0; i < 1000; ++i) {
        const std::string id = make_post_id(1'790'000'000'000 + static_cast<std::int64_t>(i),
                                            i * 0x9E3779B97F4A7C15ull, ~i * 0xC2B2AE3D27D4EB4Full);
        CHECK(id.size() == 26);
        CHECK(is_valid_post_id(id));
        CHECK(id.substr(0, 10) >= previous.substr(0, previous.empty() ? 0 : 10));
        previous = id;
        ids.insert(id);
    }
    CHECK(ids.size() == 1000);
    // Same time, different randomness: different ids.
    CHECK(make_post_id(1, 1, 1) != make_post_id(1, 2, 1));
    CHECK(make_post_id(1, 1, 1) != make_post_id(1, 1, 2));
}

TEST_CASE("outbox: each write becomes its REST call") {
    const std::string api = "https://intranet.example/grove/api/v1";
    OutboxEntry e;
    e.post_id = "P1";

    SUBCASE("create") {
        e.op = WriteOp::create;
        e.kind = Kind::tip;
        e.body = "Did you know? «ünïcode»";
        e.parent_id = "PARENT";
        const HttpRequest r = to_http_request(e, api, "fire:safety.101");
        CHECK(r.method == "POST");
        CHECK(r.url == api + "/modules/fire%3Asafety.101/posts");
        const Json j = Json::parse(r.body);
        CHECK(j["id"] == "P1");
        CHECK(j["kind"] == "tip");
        CHECK(j["body"] == "Did you know? «ünïcode»");
        CHECK(j["parent_id"] == "PARENT");
        REQUIRE(r.headers.size() == 1);
        CHECK(r.headers[0].second == "application/json");
    }
    SUBCASE("edit, pin, hide are PATCHes of one field") {
        e.op = WriteOp::edit;
        e.body = "new";
        HttpRequest r = to_http_request(e, api, "m");
        CHECK(r.method == "PATCH");
        CHECK(r.url == api + "/posts/P1");
        CHECK(Json::parse(r.body) == Json{{"body", "new"}});
        e.op = WriteOp::pin;
        e.value = true;
        CHECK(Json::parse(to_http_request(e, api, "m").body) == Json{{"pinned", true}});
        e.op = WriteOp::hide;
        e.value = false;
        CHECK(Json::parse(to_http_request(e, api, "m").body) == Json{{"hidden", false}});
    }
    SUBCASE("Keep visible dismisses the post's flags") {
        e.op = WriteOp::dismiss_flags;
        e.value = true;
        const HttpRequest r = to_http_request(e, api, "m");
        CHECK(r.method == "DELETE");
        CHECK(r.url == api + "/posts/P1/flags");
        CHECK(r.body.empty());
        CHECK(to_string(WriteOp::dismiss_flags) == "dismiss_flags");
        CHECK(write_op_from_string("dismiss_flags") == WriteOp::dismiss_flags);
    }
    SUBCASE("delete, endorse, unendorse, flag") {
        e.op = WriteOp::remove;
        HttpRequest r = to_http_request(e, api, "m");
        CHECK(r.method == "DELETE");
        CHECK(r.url == api + "/posts/P1");
        CHECK(r.body.empty());
        CHECK(r.headers.empty());
        e.op = WriteOp::endorse;
        e.value = true;
        r = to_http_request(e, api, "m");
        CHECK(r.method == "PUT");
        CHECK(r.url == api + "/posts/P1/endorsement");
        e.value = false;
        CHECK(to_http_request(e, api, "m").method == "DELETE");
        e.op = WriteOp::flag;
        e.reason = "off topic";
        r = to_http_request(e, api, "m");
        CHECK(r.method == "POST");
        CHECK(r.url == api + "/posts/P1/flags");
        CHECK(Json::parse(r.body) == Json{{"reason", "off topic"}});
        e.details = "The same link in five posts";   // optional: sent only when there are some
        CHECK(Json::parse(to_http_request(e, api, "m").body) ==
              Json{{"reason", "off topic"}, {"details", "The same link in five posts"}});
    }
    SUBCASE("the page's module title goes with every write that has a body") {
        const std::string title = "Fire safety 101";
        e.op = WriteOp::create;
        e.kind = Kind::leader_learning;
        e.body = "We walked the escape routes.";
        CHECK(Json::parse(to_http_request(e, api, "m", title).body)["module_title"] == title);
        CHECK_FALSE(Json::parse(to_http_request(e, api, "m").body).contains("module_title"));   // none: not sent
        e.op = WriteOp::edit;
        CHECK(Json::parse(to_http_request(e, api, "m", title).body) ==
              Json{{"body", "We walked the escape routes."}, {"module_title", title}});
        e.op = WriteOp::pin;
        e.value = true;
        CHECK(Json::parse(to_http_request(e, api, "m", title).body) == Json{{"pinned", true}, {"module_title", title}});
        e.op = WriteOp::flag;
        e.reason = "spam";
        CHECK(Json::parse(to_http_request(e, api, "m", title).body) == Json{{"reason", "spam"}, {"module_title", title}});
        e.op = WriteOp::outcome;
        CHECK(Json::parse(to_http_request(e, api, "m", title).body)["module_title"] == title);
        e.op = WriteOp::remove;   // no body: nothing to carry it
        CHECK(to_http_request(e, api, "m", title).body.empty());
    }
}

TEST_CASE("outbox: url_encode keeps only unreserved characters") {
    CHECK(url_encode("abc-_.~XYZ09") == "abc-_.~XYZ09");
    CHECK(url_encode("a b/c?d&e=f+g") == "a%20b%2Fc%3Fd%26e%3Df%2Bg");
    CHECK(url_encode("é") == "%C3%A9");
}

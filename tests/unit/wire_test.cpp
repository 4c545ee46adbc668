#include <doctest/doctest.h>

#include "grove/wire.hpp"

using namespace grove;

namespace {
Post sample() {
    Post p;
    p.id = "01JDXQ0M8Z4V2T9K3B6N5P7R1S";
    p.module = "fire-safety-101";
    p.kind = Kind::insight;
    p.body = "The 3-second rule changed how I think — «вот так».";
    p.author = Author{"u-123", "Alice Smith", Role::learner};
    p.created_at_ms = 1795646400123;
    p.endorsements = 3;
    p.leader_endorsed = true;
    p.rev = 1234;
    return p;
}
}  // namespace

TEST_CASE("wire: a post survives JSON both ways with the api.md field names") {
    const Post p = sample();
    const Json j = to_json(p);
    CHECK(j["created_at"] == "2026-11-25T22:40:00.123Z");
    CHECK(j["parent_id"].is_null());
    CHECK(j["edited_at"].is_null());
    CHECK(j["author"]["role"] == "learner");
    auto back = post_from_json(j);
    REQUIRE(back);
    CHECK(back.value() == p);

    Post reply = p;
    reply.parent_id = "parent-1";
    reply.edited_at_ms = p.created_at_ms + 5000;
    auto back2 = post_from_json(Json::parse(dump(to_json(reply))));
    REQUIRE(back2);
    CHECK(back2.value() == reply);
}

TEST_CASE("wire: decoding a post rejects wrong types and names the field") {
    Json j = to_json(sample());
    j["endorsements"] = "3";
    auto e = post_from_json(j);
    REQUIRE_FALSE(e);
    CHECK(e.error().field == "endorsements");
    j = to_json(sample());
    j.erase("rev");
    CHECK_FALSE(post_from_json(j));
    j = to_json(sample());
    j["created_at"] = "yesterday";
    CHECK(post_from_json(j).error().field == "created_at");
    CHECK_FALSE(post_from_json(Json::array()));
}

TEST_CASE("wire: request bodies") {
    SUBCASE("invalid UTF-8, invalid JSON and non-objects are told apart") {
        CHECK(parse_json_object("{\"a\":\"\xFF\"}").error().code == "invalid_utf8");
        CHECK(parse_json_object("{\"a\":").error().code == "invalid_json");
        CHECK(parse_json_object("[1,2]").error().code == "bad_request");
        CHECK(parse_json_object("{}"));
    }
    SUBCASE("create: kind per role, trimmed body, optional id and parent") {
        auto r = decode_create_post(Json{{"id", "abc"}, {"kind", "tip"}, {"body", "  hi  "}}, Role::learner);
        REQUIRE(r);
        CHECK(r->id == "abc");
        CHECK(r->body == "hi");
        CHECK_FALSE(r->parent_id);
        auto bad_id = decode_create_post(Json{{"id", "a b"}, {"kind", "tip"}, {"body", "x"}}, Role::learner);
        CHECK(bad_id.error().field == "id");
        auto wrong_type = decode_create_post(Json{{"kind", "tip"}, {"body", 5}}, Role::learner);
        CHECK(wrong_type.error().code == "bad_request");
        CHECK(wrong_type.error().field == "body");
        auto leader = decode_create_post(Json{{"kind", "leader_learning"}, {"body", "x"}}, Role::learner);
        CHECK(leader.error().status == 403);
    }
    SUBCASE("patch needs at least one known field with the right type") {
        CHECK(decode_patch_post(Json::object()).error().code == "bad_request");
        CHECK(decode_patch_post(Json{{"pinned", "yes"}}).error().field == "pinned");
        auto r = decode_patch_post(Json{{"hidden", true}});
        REQUIRE(r);
        CHECK(r->hidden == true);
        CHECK_FALSE(r->pinned);
    }
    SUBCASE("errors serialize as the api.md error body and parse back") {
        const ApiError e = ApiError::too_long("body", "Too long.");
        const std::string text = dump(to_json(e));
        CHECK(text == R"({"error":{"code":"too_long","field":"body","message":"Too long."}})");
        CHECK(error_from_response(422, text) == e);
        CHECK(error_from_response(502, "<html>bad gateway</html>").code == "http_502");
    }
}

#include <doctest/doctest.h>

#include "grove/time.hpp"   // format_rfc3339_ms
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

TEST_CASE("wire: the 1.1 post fields - null and 0 by default, every one both ways") {
    const Json plain = to_json(sample());
    CHECK(plain["module_title"].is_null());
    CHECK(plain["check_in_at"].is_null());
    CHECK(plain["outcome"].is_null());
    CHECK(plain["outcome_note"].is_null());
    CHECK(plain["outcome_at"].is_null());
    CHECK(plain["check_ins"] == 0);

    Post c = sample();
    c.kind = Kind::commitment;
    c.module_title = "Fire safety 101";
    c.check_in_at_ms = c.created_at_ms + 7 * 86'400'000LL;
    c.outcome = Outcome::not_yet;
    c.outcome_note = "Next week, promise.";
    c.outcome_at_ms = c.created_at_ms + 86'400'000LL;
    c.check_ins = 2;
    const Json j = to_json(c);
    CHECK(j["kind"] == "commitment");
    CHECK(j["module_title"] == "Fire safety 101");
    CHECK(j["check_in_at"] == "2026-12-02T22:40:00.123Z");
    CHECK(j["outcome"] == "not_yet");
    CHECK(j["outcome_note"] == "Next week, promise.");
    CHECK(j["outcome_at"] == "2026-11-26T22:40:00.123Z");
    CHECK(j["check_ins"] == 2);
    auto back = post_from_json(Json::parse(dump(j)));
    REQUIRE(back);
    CHECK(back.value() == c);
}

TEST_CASE("wire: posts from an older server (no 1.1 fields) still decode - wrong 1.1 types do not") {
    Json old = to_json(sample());
    for (const char* f : {"module_title", "check_in_at", "outcome", "outcome_note", "outcome_at", "check_ins"}) old.erase(f);
    auto p = post_from_json(old);
    REQUIRE(p);
    CHECK(p.value() == sample());

    Json bad = to_json(sample());
    bad["outcome"] = "maybe";
    CHECK(post_from_json(bad).error().field == "outcome");
    bad = to_json(sample());
    bad["check_in_at"] = 5;
    CHECK(post_from_json(bad).error().field == "check_in_at");
    bad = to_json(sample());
    bad["check_ins"] = "2";
    CHECK(post_from_json(bad).error().field == "check_ins");
    bad = to_json(sample());
    bad["module_title"] = Json::array();
    CHECK(post_from_json(bad).error().field == "module_title");
}

TEST_CASE("wire: resources both ways - a url that is not http(s) is refused even from a server") {
    Resource r;
    r.id = "res-1";
    r.module = "fire-safety-101";
    r.title = "Extinguisher checklist";
    r.url = "https://intranet.example/fire.pdf";
    r.note = "Print it.";
    r.added_by = Author{"cat", "Cat Curator", Role::curator};
    r.created_at_ms = 1795646400123;
    r.position = 2;
    r.rev = 77;
    const Json j = to_json(r);
    CHECK(j == Json{{"id", "res-1"},
                    {"module", "fire-safety-101"},
                    {"title", "Extinguisher checklist"},
                    {"url", "https://intranet.example/fire.pdf"},
                    {"note", "Print it."},
                    {"added_by", {{"id", "cat"}, {"name", "Cat Curator"}, {"role", "curator"}}},
                    {"created_at", "2026-11-25T22:40:00.123Z"},
                    {"position", 2},
                    {"deleted", false},
                    {"rev", 77}});
    auto back = resource_from_json(j);
    REQUIRE(back);
    CHECK(back.value() == r);
    Json evil = j;
    evil["url"] = "javascript:alert(1)";
    CHECK(resource_from_json(evil).error().field == "url");
}

TEST_CASE("wire: 1.1 request bodies") {
    SUBCASE("module_title on any write: optional, one line of 1..120, 400 for a wrong type") {
        auto r = decode_create_post(Json{{"kind", "insight"}, {"body", "x"}, {"module_title", " Fire 101 "}}, Role::learner);
        REQUIRE(r);
        CHECK(r->module_title == "Fire 101");
        CHECK(to_json(r.value())["module_title"] == "Fire 101");
        CHECK_FALSE(decode_create_post(Json{{"kind", "insight"}, {"body", "x"}, {"module_title", nullptr}}, Role::learner)
                        ->module_title);
        auto wrong = decode_create_post(Json{{"kind", "insight"}, {"body", "x"}, {"module_title", 5}}, Role::learner);
        CHECK(wrong.error().status == 400);
        CHECK(wrong.error().field == "module_title");
        auto empty = decode_patch_post(Json{{"pinned", true}, {"module_title", ""}});
        CHECK(empty.error().code == "empty");
        CHECK(empty.error().field == "module_title");
        CHECK(decode_patch_post(Json{{"module_title", "T"}}).error().code == "bad_request");   // nothing else to change
        CHECK(decode_flag(Json{{"module_title", std::string(121, 't')}}).error().code == "too_long");
        CHECK(decode_module_title(Json{{"module_title", "T"}}).value() == "T");
    }
    SUBCASE("resource posts need a link; commitments are for everyone") {
        auto no_link = decode_create_post(Json{{"kind", "resource"}, {"body", "the wiki page"}}, Role::learner);
        CHECK(no_link.error().code == "invalid_field");
        CHECK(no_link.error().field == "body");
        CHECK(decode_create_post(Json{{"kind", "resource"}, {"body", "https://wiki.example/fire"}}, Role::learner));
        CHECK(decode_create_post(Json{{"kind", "commitment"}, {"body", "When I..., I will..."}}, Role::learner));
    }
    SUBCASE("flags: details beside the reason") {
        auto f = decode_flag(Json{{"reason", "spam"}, {"details", "  links to a casino  "}});
        REQUIRE(f);
        CHECK(f->details == "links to a casino");
        CHECK(to_json(f.value()) == Json{{"reason", "spam"}, {"details", "links to a casino"}});
        CHECK(decode_flag(Json{{"details", std::string(501, 'd')}}).error().field == "details");
        CHECK(decode_flag(Json{{"details", 1}}).error().code == "bad_request");
    }
    SUBCASE("outcome: done, partly or not_yet with an optional note") {
        auto o = decode_outcome(Json{{"outcome", "partly"}, {"note", " half of it "}});
        REQUIRE(o);
        CHECK(o->outcome == Outcome::partly);
        CHECK(o->note == "half of it");
        CHECK(decode_outcome(to_json(o.value()))->note == "half of it");
        CHECK(decode_outcome(Json{{"outcome", "done"}})->note.empty());
        CHECK(decode_outcome(Json::object()).error().field == "outcome");
        CHECK(decode_outcome(Json{{"outcome", "sort of"}}).error().code == "invalid_field");
        CHECK(decode_outcome(Json{{"outcome", "done"}, {"note", std::string(281, 'n')}}).error().field == "note");
    }
    SUBCASE("resources: create needs title and url; patch needs something to change") {
        auto c = decode_create_resource(Json{{"id", "r1"}, {"title", " Checklist "}, {"url", " https://x.example/a "}});
        REQUIRE(c);
        CHECK(c->title == "Checklist");
        CHECK(c->url == "https://x.example/a");
        CHECK(c->note.empty());
        CHECK(decode_create_resource(to_json(c.value()))->url == c->url);
        CHECK(decode_create_resource(Json{{"title", "T"}}).error().field == "url");
        CHECK(decode_create_resource(Json{{"title", "T"}, {"url", "ftp://x.example"}}).error().field == "url");
        CHECK(decode_create_resource(Json{{"title", ""}, {"url", "https://x.example"}}).error().code == "empty");
        CHECK(decode_create_resource(Json{{"id", "a/b"}, {"title", "T"}, {"url", "https://x.example"}}).error().field == "id");
        CHECK(decode_create_resource(Json{{"title", "T"}, {"url", "https://x.example"}, {"note", std::string(281, 'n')}})
                  .error()
                  .field == "note");
        CHECK(decode_patch_resource(Json::object()).error().code == "bad_request");
        CHECK(decode_patch_resource(Json{{"position", -1}}).error().field == "position");
        CHECK(decode_patch_resource(Json{{"position", 1.5}}).error().code == "bad_request");
        CHECK(decode_patch_resource(Json{{"position", 18446744073709551615ULL}})->position > 0);
        auto p = decode_patch_resource(Json{{"position", 0}, {"note", ""}});
        REQUIRE(p);
        CHECK(p->position == 0);
        CHECK(p->note == "");
        CHECK(to_json(p.value()) == Json{{"position", 0}, {"note", ""}});
    }
}

TEST_CASE("wire: the answers the server writes and the widget reads, both ways") {
    SUBCASE("a page of the changes feed; a bad post is skipped and counted, not the page") {
        Post reply = sample();
        reply.id = "reply-1";
        reply.parent_id = sample().id;
        const Json j = feed_page_json({sample(), reply}, "c-42", true);
        CHECK(j["cursor"] == "c-42");
        CHECK(j["has_more"] == true);
        auto page = decode_feed_page(Json::parse(dump(j)));
        REQUIRE(page);
        REQUIRE(page->posts.size() == 2);
        CHECK(page->posts[0] == sample());
        CHECK(page->posts[1] == reply);
        CHECK(page->cursor == "c-42");
        CHECK(page->has_more);
        CHECK(page->skipped == 0);

        Json one_bad = j;
        one_bad["posts"][0]["kind"] = 7;
        auto lenient = decode_feed_page(one_bad);
        REQUIRE(lenient);
        CHECK(lenient->posts.size() == 1);
        CHECK(lenient->skipped == 1);

        for (const char* missing : {"posts", "cursor", "has_more"}) {
            Json broken = j;
            broken.erase(missing);
            auto e = decode_feed_page(broken);
            REQUIRE_FALSE(e);
            CHECK(e.error().field == missing);
        }
        CHECK_FALSE(decode_feed_page(Json::parse("<html>portal</html>", nullptr, false)));
        CHECK_FALSE(decode_feed_page(Json::array()));
    }
    SUBCASE("lists of posts (spotlight, check-ins) and of resources") {
        auto posts = decode_post_list(post_list_json({sample()}));
        REQUIRE(posts);
        REQUIRE(posts->posts.size() == 1);
        CHECK(posts->posts[0] == sample());
        CHECK(decode_post_list(post_list_json({}))->posts.empty());
        CHECK(decode_post_list(Json{{"posts", "no"}}).error().field == "posts");

        Resource r;
        r.id = "res-1";
        r.module = "fire-safety-101";
        r.title = "Checklist";
        r.url = "https://intranet.example/c.pdf";
        r.added_by = Author{"cat", "Cat Curator", Role::curator};
        Json shelf = resource_list_json({r, r});
        shelf["resources"][1]["url"] = "javascript:alert(1)";
        auto list = decode_resource_list(shelf);
        REQUIRE(list);
        REQUIRE(list->resources.size() == 1);
        CHECK(list->resources[0] == r);
        CHECK(list->skipped == 1);
        CHECK_FALSE(decode_resource_list(Json{{"posts", Json::array()}}));
    }
    SUBCASE("the curators' flag queue; an entry that does not decode is skipped and counted") {
        constexpr std::int64_t kAt = 1'800'000'000'000;
        FlaggedPost f;
        f.post = sample();
        f.count = 3;
        f.reasons = {"spam", "off topic"};
        f.reports = {FlagReport{"spam", "", kAt}, FlagReport{"", "Names a colleague.", kAt + 1500}};
        f.hidden_by_flags = true;
        const Json j = flag_queue_json({f});
        CHECK(j["flags"][0]["reports"][1]["flagged_at"] == format_rfc3339_ms(kAt + 1500));
        auto back = decode_flag_queue(Json::parse(dump(j)));
        REQUIRE(back);
        REQUIRE(back->flags.size() == 1);
        const FlaggedPost& g = back->flags[0];
        CHECK(g.post == f.post);
        CHECK(g.count == 3);
        CHECK(g.reasons == f.reasons);
        REQUIRE(g.reports.size() == 2);
        CHECK(g.reports[1].details == "Names a colleague.");
        CHECK(g.reports[1].at_ms == kAt + 1500);
        CHECK(g.hidden_by_flags);

        Json older = j;   // a server before flag details and hidden_by_flags
        older["flags"][0].erase("reports");
        older["flags"][0].erase("hidden_by_flags");
        auto old_queue = decode_flag_queue(older);
        REQUIRE(old_queue);
        REQUIRE(old_queue->flags.size() == 1);
        CHECK(old_queue->flags[0].reports.empty());
        CHECK_FALSE(old_queue->flags[0].hidden_by_flags);

        for (const char* broken_field : {"post", "count", "reasons", "reports", "hidden_by_flags"}) {
            CAPTURE(broken_field);
            Json broken = flag_queue_json({f, f});
            broken["flags"][0][broken_field] = "wrong";
            auto lenient = decode_flag_queue(broken);
            REQUIRE(lenient);
            CHECK(lenient->flags.size() == 1);
            CHECK(lenient->skipped == 1);
        }
        CHECK(decode_flag_queue(Json{{"flags", "no"}}).error().field == "flags");
        CHECK_FALSE(decode_flag_queue(Json::parse("<html>portal</html>", nullptr, false)));
    }
    SUBCASE("the endorsement answer") {
        const Json j = to_json(EndorsementState{4, true});
        CHECK(j == Json{{"endorsements", 4}, {"endorsed_by_me", true}});
        auto back = decode_endorsement_state(j);
        REQUIRE(back);
        CHECK(back->endorsements == 4);
        CHECK(back->endorsed_by_me);
        CHECK(decode_endorsement_state(Json{{"endorsements", 4}}).error().field == "endorsed_by_me");
        CHECK(decode_endorsement_state(Json{{"endorsements", -1}, {"endorsed_by_me", false}}).error().field ==
              "endorsements");
        CHECK_FALSE(decode_endorsement_state(Json("ok")));
    }
}

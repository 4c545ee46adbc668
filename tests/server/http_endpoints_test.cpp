// Every row of api.md's endpoint table over real HTTP against the real binary: results, roles,
// idempotent retries, and the changes feed followed with small pages.
#include <doctest/doctest.h>

#include <map>   // std::map

#include "grove/time.hpp"
#include "http_test_support.hpp"

using namespace grove;
using namespace grove::test;

namespace {
const std::string kAnn = HttpApi::token("ann");
const std::string kBob = HttpApi::token("bob");
const std::string kCat = HttpApi::token("cat", Role::curator);
const std::string kLea = HttpApi::token("lea", Role::leader);
const std::string kAdm = HttpApi::token("adm", Role::admin);
}  // namespace

TEST_CASE("http endpoints: health and me") {
    HttpApi api;
    auto res = api.call("GET", "/api/v1/health");
    CHECK(res.status == 200);
    CHECK(res.json()["status"] == "ok");
    CHECK(res.json()["version"] == GROVE_VERSION);
    res = api.call("GET", "/api/v1/me", kLea);
    CHECK(res.status == 200);
    CHECK(res.json() == Json{{"id", "lea"}, {"name", "User lea"}, {"role", "leader"}});
    CHECK(res.header("Content-Type") == "application/json; charset=utf-8");
}

TEST_CASE("http endpoints: dev tokens exist only with --dev, last 12 hours and are checked") {
    {
        HttpApi api;
        auto res = api.call("POST", "/api/v1/dev/token", "", R"({"sub":"u","name":"U","role":"learner"})");
        CHECK(res.status == 404);
        CHECK(res.code() == "not_found");
    }
    HttpApi api({"--dev"});
    auto res = api.call("POST", "/api/v1/dev/token", "", R"({"sub":"u-7","name":"Zoë","role":"curator","team":"ops"})");
    REQUIRE(res.status == 200);
    const std::string token = res.json()["token"].get<std::string>();
    const auto expires = parse_rfc3339(res.json()["expires_at"].get<std::string>());
    REQUIRE(expires);
    CHECK(*expires - system_unix_ms() > 11 * 3600 * 1000LL);
    CHECK(*expires - system_unix_ms() <= 12 * 3600 * 1000LL);
    CHECK(api.call("GET", "/api/v1/me", token).json() ==
          Json{{"id", "u-7"}, {"name", "Zoë"}, {"role", "curator"}, {"team", "ops"}});
    // The dev server verifies tokens signed with its own secret only.
    CHECK(api.call("GET", "/api/v1/me", kAnn).status == 401);
    res = api.call("POST", "/api/v1/dev/token", "", R"({"sub":"u","name":"U","role":"king"})");
    CHECK(res.status == 422);
    CHECK(res.field() == "role");
    res = api.call("POST", "/api/v1/dev/token", "", R"({"sub":5,"name":"U","role":"learner"})");
    CHECK(res.status == 400);
    CHECK(res.field() == "sub");
    CHECK(api.call("POST", "/api/v1/dev/token", "", "{").code() == "invalid_json");
}

TEST_CASE("http endpoints: create, with client ids and without - idempotent retries - conflicts") {
    HttpApi api;
    auto res = api.call("POST", "/api/v1/modules/fire-101/posts", kAnn, create_json("p-1", "  First!  "));
    REQUIRE(res.status == 201);
    const Json created = res.json();
    CHECK(created["id"] == "p-1");
    CHECK(created["module"] == "fire-101");
    CHECK(created["parent_id"].is_null());
    CHECK(created["kind"] == "insight");
    CHECK(created["body"] == "First!");
    CHECK(created["author"] == Json{{"id", "ann"}, {"name", "User ann"}, {"role", "learner"}});
    const auto at = parse_rfc3339(created["created_at"].get<std::string>());
    REQUIRE(at);
    CHECK(std::abs(*at - system_unix_ms()) < 60'000);
    CHECK(created["created_at"].get<std::string>().size() == 24);   // ...T22:40:00.123Z
    CHECK(created["edited_at"].is_null());
    CHECK(created["endorsements"] == 0);
    CHECK(created["endorsed_by_me"] == false);
    CHECK(created["leader_endorsed"] == false);
    CHECK(created["pinned"] == false);
    CHECK(created["hidden"] == false);
    CHECK(created["deleted"] == false);
    CHECK(created["rev"].get<std::int64_t>() > 0);

    SUBCASE("a retried create returns the stored post unchanged with 200") {
        res = api.call("POST", "/api/v1/modules/fire-101/posts", kAnn, create_json("p-1", "Different text"));
        CHECK(res.status == 200);
        CHECK(res.json() == created);
    }
    SUBCASE("the same id by another author, or in another module, is a conflict") {
        res = api.call("POST", "/api/v1/modules/fire-101/posts", kBob, create_json("p-1", "mine"));
        CHECK(res.status == 409);
        CHECK(res.code() == "conflict");
        res = api.call("POST", "/api/v1/modules/other/posts", kAnn, create_json("p-1", "elsewhere"));
        CHECK(res.status == 409);
        CHECK(api.call("GET", "/api/v1/posts/p-1", kAnn).json() == created);
    }
    SUBCASE("without an id the server assigns one") {
        res = api.call("POST", "/api/v1/modules/fire-101/posts", kAnn, create_json("", "no id"));
        CHECK(res.status == 201);
        const std::string id = res.json()["id"].get<std::string>();
        CHECK(id.size() == 26);
        CHECK(id != "p-1");
        CHECK(api.call("GET", "/api/v1/posts/" + id, kBob).json()["body"] == "no id");
    }
    SUBCASE("replies are one level deep, in the same module") {
        res = api.call("POST", "/api/v1/modules/fire-101/posts", kBob,
                       dump(Json{{"id", "r-1"}, {"kind", "question"}, {"body", "why?"}, {"parent_id", "p-1"}}));
        CHECK(res.status == 201);
        CHECK(res.json()["parent_id"] == "p-1");
        res = api.call("POST", "/api/v1/modules/fire-101/posts", kAnn,
                       dump(Json{{"id", "r-2"}, {"kind", "insight"}, {"body", "deeper"}, {"parent_id", "r-1"}}));
        CHECK(res.status == 422);
        CHECK(res.code() == "invalid_field");
        CHECK(res.field() == "parent_id");
        res = api.call("POST", "/api/v1/modules/other/posts", kAnn,
                       dump(Json{{"id", "r-3"}, {"kind", "insight"}, {"body", "x"}, {"parent_id", "p-1"}}));
        CHECK(res.status == 422);
        res = api.call("POST", "/api/v1/modules/fire-101/posts", kAnn,
                       dump(Json{{"id", "r-4"}, {"kind", "insight"}, {"body", "x"}, {"parent_id", "nope"}}));
        CHECK(res.status == 422);
    }
    SUBCASE("leader_learning is for leaders and admins") {
        CHECK(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("l1", "x", "leader_learning")).status == 403);
        CHECK(api.call("POST", "/api/v1/modules/m/posts", kCat, create_json("l2", "x", "leader_learning")).code() ==
              "forbidden");
        CHECK(api.call("POST", "/api/v1/modules/m/posts", kLea, create_json("l3", "x", "leader_learning")).status == 201);
        CHECK(api.call("POST", "/api/v1/modules/m/posts", kAdm, create_json("l4", "x", "leader_learning")).status == 201);
        for (const char* kind : {"insight", "question", "tip"})
            CHECK(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json(std::string("k-") + kind, "x", kind)).status ==
                  201);
    }
}

TEST_CASE("http endpoints: PATCH edits by the author, pins and hides by curators and admins") {
    HttpApi api;
    REQUIRE(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("p", "original")).status == 201);
    auto res = api.call("PATCH", "/api/v1/posts/p", kAnn, R"({"body":"  better  "})");
    REQUIRE(res.status == 200);
    const Json edited = res.json();
    CHECK(edited["body"] == "better");
    CHECK(edited["edited_at"].is_string());
    // The same values again: nothing changes, not even the rev.
    res = api.call("PATCH", "/api/v1/posts/p", kAnn, R"({"body":"better"})");
    CHECK(res.status == 200);
    CHECK(res.json() == edited);

    CHECK(api.call("PATCH", "/api/v1/posts/p", kBob, R"({"body":"hijack"})").code() == "forbidden");
    CHECK(api.call("PATCH", "/api/v1/posts/p", kCat, R"({"body":"curated"})").status == 403);
    CHECK(api.call("PATCH", "/api/v1/posts/p", kAdm, R"({"body":"by admin"})").status == 200);
    CHECK(api.call("PATCH", "/api/v1/posts/p", kAnn, R"({"pinned":true})").status == 403);
    CHECK(api.call("PATCH", "/api/v1/posts/p", kLea, R"({"hidden":true})").status == 403);
    res = api.call("PATCH", "/api/v1/posts/p", kCat, R"({"pinned":true})");
    CHECK(res.status == 200);
    CHECK(res.json()["pinned"] == true);
    res = api.call("PATCH", "/api/v1/posts/p", kAdm, R"({"hidden":true, "pinned":false})");
    CHECK(res.json()["hidden"] == true);
    CHECK(res.json()["pinned"] == false);
    CHECK(res.json()["body"] == "by admin");   // admins see hidden bodies
    CHECK(api.call("PATCH", "/api/v1/posts/nope", kCat, R"({"pinned":true})").status == 404);
    CHECK(api.call("PATCH", "/api/v1/posts/p", kCat, "{}").code() == "bad_request");
}

TEST_CASE("http endpoints: DELETE by author, curator or admin - idempotent - a tombstone in the feed") {
    HttpApi api;
    for (const char* id : {"a", "b", "c"}) REQUIRE(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json(id, id)).status == 201);
    const std::string cursor = api.call("GET", "/api/v1/modules/m/posts", kAnn).json()["cursor"].get<std::string>();
    CHECK(api.call("DELETE", "/api/v1/posts/a", kBob).status == 403);
    CHECK(api.call("DELETE", "/api/v1/posts/a", kLea).code() == "forbidden");
    auto res = api.call("DELETE", "/api/v1/posts/a", kAnn);
    CHECK(res.status == 200);
    CHECK(res.json()["id"] == "a");
    CHECK(res.json()["deleted"] == true);
    const Json again = api.call("DELETE", "/api/v1/posts/a", kAnn).json();
    CHECK(again == res.json());   // idempotent: same answer, no new rev
    CHECK(api.call("DELETE", "/api/v1/posts/b", kCat).status == 200);
    CHECK(api.call("DELETE", "/api/v1/posts/c", kAdm).status == 200);
    CHECK(api.call("DELETE", "/api/v1/posts/zzz", kAdm).status == 404);

    const Json tomb = api.call("GET", "/api/v1/posts/a", kBob).json();
    CHECK(tomb["deleted"] == true);
    CHECK(tomb["body"] == "");
    CHECK(api.call("GET", "/api/v1/modules/m/posts", kAnn).json()["posts"].empty());
    const Json changes = api.call("GET", "/api/v1/modules/m/posts?since=" + cursor, kAnn).json();
    REQUIRE(changes["posts"].size() == 3);
    for (const Json& p : changes["posts"]) {
        CHECK(p["deleted"] == true);
        CHECK(p["body"] == "");
    }
    // A deleted post cannot be edited, endorsed or flagged.
    CHECK(api.call("PATCH", "/api/v1/posts/a", kAnn, R"({"body":"back"})").status == 404);
    CHECK(api.call("PUT", "/api/v1/posts/a/endorsement", kBob).status == 404);
    CHECK(api.call("POST", "/api/v1/posts/a/flags", kBob, "{}").status == 404);
}

TEST_CASE("http endpoints: endorsements are idempotent, per user, never on your own post") {
    HttpApi api;
    REQUIRE(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("p", "help")).status == 201);
    auto res = api.call("PUT", "/api/v1/posts/p/endorsement", kAnn);
    CHECK(res.status == 403);
    CHECK(res.code() == "own_post");
    for (int i = 0; i < 2; ++i) {
        res = api.call("PUT", "/api/v1/posts/p/endorsement", kBob);
        CHECK(res.status == 200);
        CHECK(res.json() == Json{{"endorsements", 1}, {"endorsed_by_me", true}});
    }
    CHECK(api.call("PUT", "/api/v1/posts/p/endorsement", kLea).json() == Json{{"endorsements", 2}, {"endorsed_by_me", true}});
    CHECK(api.call("GET", "/api/v1/posts/p", kAnn).json()["leader_endorsed"] == true);
    for (int i = 0; i < 2; ++i) {
        res = api.call("DELETE", "/api/v1/posts/p/endorsement", kBob);
        CHECK(res.status == 200);
        CHECK(res.json() == Json{{"endorsements", 1}, {"endorsed_by_me", false}});
    }
    CHECK(api.call("DELETE", "/api/v1/posts/p/endorsement", kAnn).json() == Json{{"endorsements", 1}, {"endorsed_by_me", false}});
    CHECK(api.call("PUT", "/api/v1/posts/nope/endorsement", kBob).status == 404);
    CHECK(api.call("DELETE", "/api/v1/posts/nope/endorsement", kBob).status == 404);
}

TEST_CASE("http endpoints: a feed page asked again is the same answer, per reader, and new after a write") {
    // Asked again at the same rev, the page comes from the server's cache (on its event loop):
    // it must be what a fresh read gives, for this reader only, and a write must end it.
    HttpApi api;
    REQUIRE(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("p", "help")).status == 201);
    const std::string feed = "/api/v1/modules/m/posts";
    REQUIRE(api.call("PUT", "/api/v1/posts/p/endorsement", kBob).status == 200);
    const auto bob_first = api.call("GET", feed, kBob);
    const auto ann_first = api.call("GET", feed, kAnn);
    REQUIRE(bob_first.status == 200);
    REQUIRE(ann_first.status == 200);
    CHECK(bob_first.json()["posts"][0]["endorsed_by_me"] == true);
    CHECK(ann_first.json()["posts"][0]["endorsed_by_me"] == false);
    for (int i = 0; i < 3; ++i) {
        const auto bob = api.call("GET", feed, kBob);
        const auto ann = api.call("GET", feed, kAnn);
        CHECK(bob.body == bob_first.body);
        CHECK(ann.body == ann_first.body);
        for (const char* h : {"Content-Type", "Content-Length", "Cache-Control"}) CHECK(ann.header(h) == ann_first.header(h));
    }
    CHECK(api.call("GET", feed + "?limit=0", kAnn).status == 400);
    CHECK(api.call("GET", feed, "").status == 401);
    // A write at a new rev: both readers see it on their next read.
    REQUIRE(api.call("DELETE", "/api/v1/posts/p/endorsement", kBob).status == 200);
    CHECK(api.call("GET", feed, kBob).json()["posts"][0]["endorsements"] == 0);
    CHECK(api.call("GET", feed, kBob).json()["posts"][0]["endorsed_by_me"] == false);
    CHECK(api.call("GET", feed, kAnn).json()["posts"][0]["endorsements"] == 0);
}

TEST_CASE("http endpoints: flags are accepted once per user - the queue is for curators and admins") {
    HttpApi api;
    REQUIRE(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("p", "hmm")).status == 201);
    auto res = api.call("POST", "/api/v1/posts/p/flags", kBob, R"({"reason":"  off-topic  "})");
    CHECK(res.status == 202);
    CHECK(api.call("POST", "/api/v1/posts/p/flags", kBob, R"({"reason":"again"})").status == 202);
    CHECK(api.call("POST", "/api/v1/posts/nope/flags", kBob, "{}").status == 404);
    CHECK(api.call("GET", "/api/v1/flags", kAnn).status == 403);
    CHECK(api.call("GET", "/api/v1/flags", kLea).code() == "forbidden");
    for (const std::string* who : {&kCat, &kAdm}) {
        res = api.call("GET", "/api/v1/flags", *who);
        REQUIRE(res.status == 200);
        const Json flags = res.json()["flags"];
        REQUIRE(flags.size() == 1);
        CHECK(flags[0]["post"]["id"] == "p");
        CHECK(flags[0]["count"] == 1);
        CHECK(flags[0]["reasons"] == Json::array({"off-topic"}));
    }
}

TEST_CASE("http endpoints: spotlight lists leader learnings of all modules, newest first") {
    HttpApi api;
    REQUIRE(api.call("POST", "/api/v1/modules/a/posts", kLea, create_json("l1", "one", "leader_learning")).status == 201);
    REQUIRE(api.call("POST", "/api/v1/modules/b/posts", kAdm, create_json("l2", "two", "leader_learning")).status == 201);
    REQUIRE(api.call("POST", "/api/v1/modules/a/posts", kAnn, create_json("t", "tip", "tip")).status == 201);
    for (const std::string* who : {&kAnn, &kCat, &kLea, &kAdm}) {
        auto res = api.call("GET", "/api/v1/spotlight?days=7", *who);
        REQUIRE(res.status == 200);
        const Json posts = res.json()["posts"];
        REQUIRE(posts.size() == 2);
        CHECK(posts[0]["id"] == "l2");
        CHECK(posts[1]["id"] == "l1");
    }
    CHECK(api.call("GET", "/api/v1/spotlight", kAnn).json()["posts"].size() == 2);   // days defaults to 7
    auto bad = api.call("GET", "/api/v1/spotlight?days=week", kAnn);
    CHECK(bad.status == 400);
    CHECK(bad.field() == "days");
}

TEST_CASE("http endpoints: module stats for curators, leaders and admins") {
    // Activity counts on the UTC day it happened. The days expected are those of the server's
    // own timestamps (and of the moments around each request), so this holds across midnight.
    HttpApi api;
    std::map<std::string, int> posts_on;   // date -> posts and replies
    auto created_day = [](const HttpAnswer& res) {
        const auto at = parse_rfc3339(res.json()["created_at"].get<std::string>());
        REQUIRE(at);
        return format_date(*at);
    };
    auto res = api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("p", "x"));
    REQUIRE(res.status == 201);
    ++posts_on[created_day(res)];
    res = api.call("POST", "/api/v1/modules/m/posts", kBob,
                   dump(Json{{"id", "r"}, {"kind", "insight"}, {"body", "y"}, {"parent_id", "p"}}));
    REQUIRE(res.status == 201);
    ++posts_on[created_day(res)];
    const std::string endorsed_from = format_date(system_unix_ms());
    REQUIRE(api.call("PUT", "/api/v1/posts/p/endorsement", kBob).status == 200);
    const std::string endorsed_to = format_date(system_unix_ms());
    CHECK(api.call("GET", "/api/v1/modules/m/stats", kAnn).status == 403);
    for (const std::string* who : {&kCat, &kLea, &kAdm}) {
        const std::string asked_from = format_date(system_unix_ms());
        res = api.call("GET", "/api/v1/modules/m/stats", *who);
        const std::string asked_to = format_date(system_unix_ms());
        REQUIRE(res.status == 200);
        const Json s = res.json();
        CHECK(s["posts"] == 1);
        CHECK(s["replies"] == 1);
        CHECK(s["contributors"] == 2);
        CHECK(s["endorsements"] == 1);
        REQUIRE(s["per_day"].size() == 30);
        // Thirty days in order, up to the day the server answered on.
        const std::string last = s["per_day"].back()["date"].get<std::string>();
        CHECK((last == asked_from || last == asked_to));
        std::string previous;
        std::map<std::string, int> posts, endorsements;
        for (const Json& day : s["per_day"]) {
            const std::string date = day["date"].get<std::string>();
            CHECK(date > previous);
            previous = date;
            if (day["posts"] != 0) posts[date] = day["posts"].get<int>();
            if (day["endorsements"] != 0) endorsements[date] = day["endorsements"].get<int>();
        }
        CHECK(posts == posts_on);
        REQUIRE(endorsements.size() == 1);
        CHECK(endorsements.begin()->second == 1);
        CHECK((endorsements.begin()->first == endorsed_from || endorsements.begin()->first == endorsed_to));
    }
}

TEST_CASE("http endpoints: following the cursor with small limits, then again later, gives exactly the server's state") {
    HttpApi api;
    for (int i = 0; i < 7; ++i)
        REQUIRE(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("p" + std::to_string(i), "post")).status == 201);
    REQUIRE(api.call("POST", "/api/v1/modules/other/posts", kAnn, create_json("x", "elsewhere")).status == 201);
    std::map<std::string, Json> client;
    std::string cursor;
    int pages = 0;
    auto follow = [&] {
        bool more = true;
        while (more) {
            const std::string target = "/api/v1/modules/m/posts?limit=2" + (cursor.empty() ? "" : "&since=" + cursor);
            const auto res = api.call("GET", target, kBob);
            REQUIRE(res.status == 200);
            const Json page = res.json();
            CHECK(page["posts"].size() <= 2);
            for (const Json& p : page["posts"]) {
                if (p["deleted"] == true) client.erase(p["id"].get<std::string>());
                else client[p["id"].get<std::string>()] = p;
            }
            cursor = page["cursor"].get<std::string>();
            more = page["has_more"].get<bool>();
            ++pages;
        }
    };
    follow();
    CHECK(pages == 4);
    CHECK(client.size() == 7);
    CHECK_FALSE(client.count("x"));

    // Changes after the last page: edits, endorsements, deletes, new posts.
    api.call("PATCH", "/api/v1/posts/p1", kAnn, R"({"body":"edited"})");
    api.call("PUT", "/api/v1/posts/p2/endorsement", kBob);
    api.call("DELETE", "/api/v1/posts/p3", kAnn);
    api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("p7", "late"));
    api.call("PATCH", "/api/v1/posts/p0", kCat, R"({"pinned":true})");
    follow();
    const auto truth = api.call("GET", "/api/v1/modules/m/posts?limit=1000", kBob).json();
    std::map<std::string, Json> server;
    for (const Json& p : truth["posts"]) server[p["id"].get<std::string>()] = p;
    CHECK(client == server);
    CHECK(client["p1"]["body"] == "edited");
    CHECK(client["p2"]["endorsed_by_me"] == true);
    CHECK_FALSE(client.count("p3"));

    // Nothing new: an empty page, the same cursor.
    const auto quiet = api.call("GET", "/api/v1/modules/m/posts?since=" + cursor, kBob).json();
    CHECK(quiet["posts"].empty());
    CHECK(quiet["has_more"] == false);
    CHECK(quiet["cursor"] == cursor);
}

TEST_CASE("http endpoints: bad cursors and limits are 400 bad_request naming the parameter") {
    HttpApi api;
    REQUIRE(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("p", "x")).status == 201);
    const std::string cursor = api.call("GET", "/api/v1/modules/m/posts", kAnn).json()["cursor"].get<std::string>();
    for (const std::string& since : {std::string("garbage"), std::string("Zz1"), cursor + "A", std::string("%00")}) {
        CAPTURE(since);
        const auto res = api.call("GET", "/api/v1/modules/m/posts?since=" + since, kAnn);
        CHECK(res.status == 400);
        CHECK(res.code() == "bad_request");
        CHECK(res.field() == "since");
    }
    const auto other_module = api.call("GET", "/api/v1/modules/other/posts?since=" + cursor, kAnn);
    CHECK(other_module.status == 400);
    CHECK(other_module.field() == "since");
    for (const char* limit : {"0", "1001", "-1", "ten", "2.5", ""}) {
        CAPTURE(limit);
        const auto res = api.call("GET", std::string("/api/v1/modules/m/posts?limit=") + limit, kAnn);
        CHECK(res.status == 400);
        CHECK(res.field() == "limit");
    }
    CHECK(api.call("GET", "/api/v1/modules/m/posts?limit=1000", kAnn).status == 200);
    CHECK(api.call("GET", "/api/v1/modules/m/posts?limit=1", kAnn).status == 200);
}

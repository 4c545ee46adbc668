// ApiRouter in process: what is clearer with a clock the test controls (token expiry, the write
// limit), CORS decisions, the changes feed against a randomized history, and the service rules.
#include <doctest/doctest.h>

#include <map>      // std::map
#include <random>   // std::mt19937
#include <set>      // std::set

#include "api_test_support.hpp"
#include "grove/time.hpp"

using namespace grove;
using namespace grove::test;

namespace {

std::string create_body(const std::string& id, const std::string& body, const char* kind = "insight") {
    return dump(Json{{"id", id}, {"kind", kind}, {"body", body}});
}

}  // namespace

TEST_CASE("api router: the documented in-process example works (dev token, then /me)") {
    ServerOptions o;
    o.dev = true;
    InProcessApi t(o);
    auto res = t.call("POST", "/api/v1/dev/token", "", R"({"sub":"u1","name":"Ann","role":"learner"})");
    REQUIRE(res.status == 200);
    const std::string token = body_of(res)["token"].get<std::string>();
    res = t.call("GET", "/api/v1/me", token);
    CHECK(res.status == 200);
    CHECK(body_of(res) == Json{{"id", "u1"}, {"name", "Ann"}, {"role", "learner"}});
    CHECK(res.header("Content-Type") == "application/json; charset=utf-8");
    CHECK(res.header("Cache-Control") == "no-store");
}

TEST_CASE("api router: token expiry and nbf follow the injected clock") {
    InProcessApi t;
    const std::string token = mint(t.options.jwt_secret, "u1", Role::learner, t.now_ms / 1000 + 60);
    CHECK(t.call("GET", "/api/v1/me", token).status == 200);
    t.now_ms += 59'000;
    CHECK(t.call("GET", "/api/v1/me", token).status == 200);
    t.now_ms += 1'000;   // now == exp: refused (a verified token is not trusted past its exp)
    auto res = t.call("GET", "/api/v1/me", token);
    CHECK(res.status == 401);
    CHECK(error_code(res) == "unauthorized");
    CHECK(res.header("WWW-Authenticate") == "Bearer");

    TokenClaims later{"u2", "Bo", Role::learner, t.now_ms / 1000 + 600, t.now_ms / 1000 + 30, std::nullopt};
    const std::string not_yet = sign_token(later, t.options.jwt_secret);
    CHECK(t.call("GET", "/api/v1/me", not_yet).status == 401);
    t.now_ms += 30'000;
    CHECK(t.call("GET", "/api/v1/me", not_yet).status == 200);
}

TEST_CASE("api router: the per-user write limit answers 429 with Retry-After and refills over time") {
    ServerOptions o;
    o.writes_per_minute = 30;
    InProcessApi t(o);
    const std::string ann = t.token("ann"), bob = t.token("bob");
    for (int i = 0; i < 30; ++i)
        REQUIRE(t.call("POST", "/api/v1/modules/m/posts", ann, create_body("p" + std::to_string(i), "x")).status == 201);
    auto res = t.call("POST", "/api/v1/modules/m/posts", ann, create_body("p30", "x"));
    CHECK(res.status == 429);
    CHECK(error_code(res) == "rate_limited");
    CHECK(res.header("Retry-After") == "2");   // one write every 2 s at 30 a minute
    // Nothing was stored, reads are not limited, other users are not affected.
    CHECK(t.call("GET", "/api/v1/posts/p30", ann).status == 404);
    CHECK(t.call("GET", "/api/v1/modules/m/posts", ann).status == 200);
    CHECK(t.call("POST", "/api/v1/modules/m/posts", bob, create_body("b1", "x")).status == 201);
    t.now_ms += 2'000;
    CHECK(t.call("POST", "/api/v1/modules/m/posts", ann, create_body("p30", "x")).status == 201);
    CHECK(t.call("POST", "/api/v1/modules/m/posts", ann, create_body("p31", "x")).status == 429);
}

TEST_CASE("api router: CORS allowlist, preflights and exposed headers") {
    ServerOptions o;
    o.allow_origins = {"https://intranet.example"};
    InProcessApi t(o);
    const std::string token = t.token("u1");

    SUBCASE("an allowed origin can read answers, errors included, and Retry-After") {
        auto res = t.call("GET", "/api/v1/me", token, "", {{"Origin", "https://intranet.example"}});
        CHECK(res.header("Access-Control-Allow-Origin") == "https://intranet.example");
        CHECK(res.header("Access-Control-Expose-Headers").find("Retry-After") != std::string::npos);
        CHECK(res.header("Vary") == "Origin");
        res = t.call("GET", "/api/v1/me", "", "", {{"Origin", "https://intranet.example"}});
        CHECK(res.status == 401);
        CHECK(res.header("Access-Control-Allow-Origin") == "https://intranet.example");
    }
    SUBCASE("another origin gets no Access-Control-Allow-Origin") {
        auto res = t.call("GET", "/api/v1/me", token, "", {{"Origin", "https://evil.example"}});
        CHECK(res.status == 200);
        CHECK(res.header("Access-Control-Allow-Origin").empty());
    }
    SUBCASE("preflight for an allowed origin lists methods and headers") {
        auto res = t.call("OPTIONS", "/api/v1/posts/abc", "", "",
                          {{"Origin", "https://intranet.example"},
                           {"Access-Control-Request-Method", "PATCH"},
                           {"Access-Control-Request-Headers", "authorization, content-type"}});
        CHECK(res.status == 204);
        CHECK(res.header("Access-Control-Allow-Origin") == "https://intranet.example");
        CHECK(res.header("Access-Control-Allow-Methods").find("PATCH") != std::string::npos);
        CHECK(res.header("Access-Control-Allow-Headers").find("Authorization") != std::string::npos);
        CHECK(res.header("Access-Control-Max-Age") == "600");
    }
    SUBCASE("preflight from another origin, or for an unsupported method, is refused") {
        auto res = t.call("OPTIONS", "/api/v1/posts/abc", "", "",
                          {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "PATCH"}});
        CHECK(res.status == 403);
        CHECK(res.header("Access-Control-Allow-Origin").empty());
        res = t.call("OPTIONS", "/api/v1/me", "", "",
                     {{"Origin", "https://intranet.example"}, {"Access-Control-Request-Method", "DELETE"}});
        CHECK(res.status == 403);
        CHECK(res.header("Access-Control-Allow-Methods").empty());
    }
    SUBCASE("a plain OPTIONS says what the path allows") {
        auto res = t.call("OPTIONS", "/api/v1/modules/m/posts");
        CHECK(res.status == 204);
        CHECK(res.header("Allow") == "GET, POST, OPTIONS");
    }
}

TEST_CASE("api router: routes, methods and paths") {
    InProcessApi t;
    const std::string token = t.token("u1");
    CHECK(t.call("GET", "/api/v1/health").status == 200);
    auto res = t.call("GET", "/api/v1/nothing-here", token);
    CHECK(res.status == 404);
    CHECK(error_code(res) == "not_found");
    res = t.call("DELETE", "/api/v1/me", token);
    CHECK(res.status == 405);
    CHECK(res.header("Allow") == "GET, OPTIONS");
    CHECK(t.call("HEAD", "/api/v1/me", token).status == 200);
    CHECK(t.call("POST", "/api/v1/dev/token", "", "{}").status == 404);   // not in dev mode
    // Percent-encoded segments are decoded; an encoded slash cannot smuggle a path.
    CHECK(t.call("POST", "/api/v1/modules/m%3A1/posts", token, create_body("a", "x")).status == 201);
    CHECK(body_of(t.call("GET", "/api/v1/posts/a", token))["module"] == "m:1");
    res = t.call("GET", "/api/v1/modules/a%2Fb/posts", token);
    CHECK(res.status == 400);
    CHECK(error_field(res) == "module");
    CHECK(t.call("GET", "/api/v1/modules/m%zz/posts", token).status == 400);
    CHECK(t.call("POST", "/api/v1/modules/m/posts", token, std::string(64 * 1024 + 1, ' ')).status == 413);
}

TEST_CASE("api router: endorsed_by_me and hidden bodies are per reader - leader_endorsed by leaders and curators") {
    InProcessApi t;
    const std::string ann = t.token("ann"), bob = t.token("bob"), cat = t.token("cat", Role::curator),
                      lea = t.token("lea", Role::leader), adm = t.token("adm", Role::admin);
    REQUIRE(t.call("POST", "/api/v1/modules/m/posts", ann, create_body("p", "secret words")).status == 201);
    auto res = t.call("PUT", "/api/v1/posts/p/endorsement", bob);
    CHECK(body_of(res) == Json{{"endorsements", 1}, {"endorsed_by_me", true}});
    CHECK(body_of(t.call("GET", "/api/v1/posts/p", bob))["endorsed_by_me"] == true);
    CHECK(body_of(t.call("GET", "/api/v1/posts/p", ann))["endorsed_by_me"] == false);
    CHECK(body_of(t.call("GET", "/api/v1/posts/p", ann))["leader_endorsed"] == false);
    t.call("PUT", "/api/v1/posts/p/endorsement", adm);
    CHECK(body_of(t.call("GET", "/api/v1/posts/p", ann))["leader_endorsed"] == false);   // admins are not leaders
    t.call("PUT", "/api/v1/posts/p/endorsement", lea);
    CHECK(body_of(t.call("GET", "/api/v1/posts/p", ann))["leader_endorsed"] == true);
    t.call("DELETE", "/api/v1/posts/p/endorsement", lea);
    CHECK(body_of(t.call("GET", "/api/v1/posts/p", ann))["leader_endorsed"] == false);
    t.call("PUT", "/api/v1/posts/p/endorsement", cat);
    const Json p = body_of(t.call("GET", "/api/v1/posts/p", ann));
    CHECK(p["leader_endorsed"] == true);
    CHECK(p["endorsements"] == 3);

    REQUIRE(t.call("PATCH", "/api/v1/posts/p", cat, R"({"hidden": true})").status == 200);
    for (const std::string* reader : {&ann, &bob, &lea}) {
        const Json seen = body_of(t.call("GET", "/api/v1/posts/p", *reader));
        CHECK(seen["hidden"] == true);
        CHECK(seen["body"] == "");
    }
    CHECK(body_of(t.call("GET", "/api/v1/posts/p", cat))["body"] == "secret words");
    CHECK(body_of(t.call("GET", "/api/v1/posts/p", adm))["body"] == "secret words");
    const Json feed = body_of(t.call("GET", "/api/v1/modules/m/posts", bob));
    REQUIRE(feed["posts"].size() == 1);
    CHECK(feed["posts"][0]["body"] == "");
}

TEST_CASE("api router: three distinct flags hide a post until a curator decides") {
    InProcessApi t;
    const std::string ann = t.token("ann"), cat = t.token("cat", Role::curator);
    REQUIRE(t.call("POST", "/api/v1/modules/m/posts", ann, create_body("p", "questionable")).status == 201);
    for (const char* user : {"u1", "u2"}) {
        CHECK(t.call("POST", "/api/v1/posts/p/flags", t.token(user), R"({"reason":"spam"})").status == 202);
        CHECK(t.call("POST", "/api/v1/posts/p/flags", t.token(user), R"({"reason":"spam"})").status == 202);   // once per user
    }
    CHECK(body_of(t.call("GET", "/api/v1/posts/p", ann))["hidden"] == false);
    CHECK(t.call("POST", "/api/v1/posts/p/flags", t.token("u3"), "").status == 202);   // reason optional
    Json p = body_of(t.call("GET", "/api/v1/posts/p", ann));
    CHECK(p["hidden"] == true);
    CHECK(p["body"] == "");

    Json queue = body_of(t.call("GET", "/api/v1/flags", cat));
    REQUIRE(queue["flags"].size() == 1);
    CHECK(queue["flags"][0]["count"] == 3);
    CHECK(queue["flags"][0]["reasons"] == Json::array({"spam", "spam"}));
    CHECK(queue["flags"][0]["post"]["body"] == "questionable");

    // The curator decides to show it: it stays visible, the queue is empty, and the same
    // flaggers cannot hide it again; new ones can.
    REQUIRE(t.call("PATCH", "/api/v1/posts/p", cat, R"({"hidden": false})").status == 200);
    CHECK(body_of(t.call("GET", "/api/v1/flags", cat))["flags"].empty());
    for (const char* user : {"u1", "u2", "u3"}) t.call("POST", "/api/v1/posts/p/flags", t.token(user), "{}");
    CHECK(body_of(t.call("GET", "/api/v1/posts/p", ann))["hidden"] == false);
    for (const char* user : {"u4", "u5", "u6"}) t.call("POST", "/api/v1/posts/p/flags", t.token(user), "{}");
    CHECK(body_of(t.call("GET", "/api/v1/posts/p", ann))["hidden"] == true);
}

TEST_CASE("api router: spotlight and stats follow the clock") {
    InProcessApi t;
    REQUIRE(t.call("POST", "/api/v1/modules/a/posts", t.token("lea", Role::leader),
                   create_body("old", "old news", "leader_learning"))
                .status == 201);
    t.now_ms += 8 * 86'400'000LL;
    const std::string lea = t.token("lea", Role::leader), ann = t.token("ann"), cat = t.token("cat", Role::curator);
    REQUIRE(t.call("POST", "/api/v1/modules/b/posts", lea, create_body("new", "fresh", "leader_learning")).status == 201);
    REQUIRE(t.call("POST", "/api/v1/modules/a/posts", ann, create_body("tip", "a tip", "tip")).status == 201);
    Json s = body_of(t.call("GET", "/api/v1/spotlight", ann));
    REQUIRE(s["posts"].size() == 1);
    CHECK(s["posts"][0]["id"] == "new");
    s = body_of(t.call("GET", "/api/v1/spotlight?days=9", ann));
    REQUIRE(s["posts"].size() == 2);
    CHECK(s["posts"][0]["id"] == "new");   // newest first
    CHECK(s["posts"][1]["id"] == "old");
    CHECK(t.call("GET", "/api/v1/spotlight?days=0", ann).status == 400);

    t.call("PUT", "/api/v1/posts/tip/endorsement", cat);
    Json st = body_of(t.call("GET", "/api/v1/modules/a/stats?days=10", cat));
    CHECK(st["posts"] == 2);
    CHECK(st["replies"] == 0);
    CHECK(st["contributors"] == 2);
    CHECK(st["endorsements"] == 1);
    REQUIRE(st["per_day"].size() == 10);
    CHECK(st["per_day"][9]["date"] == format_date(t.now_ms));
    CHECK(st["per_day"][9]["posts"] == 1);
    CHECK(st["per_day"][9]["endorsements"] == 1);
    CHECK(st["per_day"][1]["posts"] == 1);   // "old", 8 days earlier
    CHECK(t.call("GET", "/api/v1/modules/a/stats", ann).status == 403);
    CHECK(t.call("GET", "/api/v1/modules/a/stats", lea).status == 200);
}

// A client that follows cursors with small pages, interleaved with random writes, ends with
// exactly the server's state.
TEST_CASE("api router: following the changes feed with small pages converges on the server's state") {
    for (unsigned seed : {1u, 2u, 3u}) {
        CAPTURE(seed);
        ServerOptions o;
        o.writes_per_minute = 1000000;
        InProcessApi t(o);
        std::mt19937 rng(seed);
        const std::vector<std::string> users = {t.token("a"), t.token("b"), t.token("c", Role::curator)};
        std::vector<std::string> ids;
        std::map<std::string, Json> client;   // id -> post as the client last saw it
        std::string cursor;
        auto pull = [&](int limit) {
            for (int guard = 0; guard < 1000; ++guard) {
                std::string target = "/api/v1/modules/m/posts?limit=" + std::to_string(limit);
                if (!cursor.empty()) target += "&since=" + cursor;
                auto res = t.call("GET", target, users[0]);
                REQUIRE(res.status == 200);
                const Json page = body_of(res);
                std::int64_t last_rev = 0;
                for (const Json& p : page["posts"]) {
                    CHECK(p["rev"].get<std::int64_t>() > last_rev);   // each page ordered by rev
                    last_rev = p["rev"].get<std::int64_t>();
                    if (p["deleted"] == true) client.erase(p["id"].get<std::string>());
                    else client[p["id"].get<std::string>()] = p;
                }
                cursor = page["cursor"].get<std::string>();
                if (page["has_more"] == false) return;
            }
            FAIL("the feed never ended");
        };
        for (int step = 0; step < 300; ++step) {
            const std::string& who = users[rng() % users.size()];
            const int op = static_cast<int>(rng() % 6);
            if (op == 0 || ids.empty()) {
                const std::string id = "p" + std::to_string(step);
                if (t.call("POST", "/api/v1/modules/m/posts", who, create_body(id, "post " + id)).status == 201)
                    ids.push_back(id);
            } else {
                const std::string& id = ids[rng() % ids.size()];
                if (op == 1) t.call("PATCH", "/api/v1/posts/" + id, who, dump(Json{{"body", "edit " + std::to_string(step)}}));
                if (op == 2) t.call("PUT", "/api/v1/posts/" + id + "/endorsement", who);
                if (op == 3) t.call("DELETE", "/api/v1/posts/" + id + "/endorsement", who);
                if (op == 4 && rng() % 4 == 0) t.call("DELETE", "/api/v1/posts/" + id, who);
                if (op == 5) t.call("PATCH", "/api/v1/posts/" + id, users[2], dump(Json{{"pinned", rng() % 2 == 0}}));
            }
            if (rng() % 10 == 0) pull(1 + static_cast<int>(rng() % 4));
        }
        pull(3);
        // The truth: a fresh read of every current post.
        const Json full = body_of(t.call("GET", "/api/v1/modules/m/posts?limit=1000", users[0]));
        std::map<std::string, Json> server;
        for (const Json& p : full["posts"]) server[p["id"].get<std::string>()] = p;
        CHECK(client.size() == server.size());
        CHECK(client == server);
    }
}

// Role escalation and id reuse, in process (ApiRouter on SQLite) where a full matrix is cheap,
// and the id races over real HTTP. tests/server/ checks the roles endpoint by endpoint with a
// few callers; here every write endpoint meets every role, as author and as stranger, fields a
// client should never be able to set are tried, and every refusal is checked to have left the
// post exactly as it was (same rev: no partial write).
#include <doctest/doctest.h>

#include <algorithm>   // std::count
#include <atomic>   // std::atomic
#include <mutex>    // std::mutex
#include <set>      // std::set
#include <thread>   // std::thread

#include "api_test_support.hpp"
#include "hardening_support.hpp"

using namespace grove;
using namespace grove::test;

namespace {

struct Actor {
    const char* name;
    std::string id;
    Role role;
};

// A post by "ann" (a learner), fresh for each check.
struct Fixture {
    InProcessApi t;
    std::vector<Actor> callers = {{"the author", "ann", Role::learner}, {"another learner", "bob", Role::learner},
                                   {"a leader", "lea", Role::leader},   {"a curator", "cat", Role::curator},
                                   {"an admin", "adm", Role::admin}};
    int next = 0;

    Fixture() : t(options()) {}
    static ServerOptions options() {
        ServerOptions o;
        o.writes_per_minute = 1000000;
        return o;
    }
    std::string token(const Actor& c) { return t.token(c.id, c.role); }
    std::string admin() { return t.token("adm", Role::admin); }

    std::string new_post() {
        const std::string id = "p" + std::to_string(next++);
        REQUIRE(t.call("POST", "/api/v1/modules/m/posts", t.token("ann"), dump(Json{{"id", id}, {"kind", "insight"}, {"body", "ann's words"}}))
                    .status == 201);
        return id;
    }
    Json stored(const std::string& id) { return body_of(t.call("GET", "/api/v1/posts/" + id, admin())); }
};

// One write endpoint: how to call it on a post, and which callers (by id) may.
struct Endpoint {
    const char* what;
    const char* method;
    const char* suffix;           // appended to /api/v1/posts/{id}
    std::string body;
    std::set<std::string> allowed;
    int ok_status;
};

}  // namespace

TEST_CASE("roles: every write endpoint, every role, author or not - refusals change nothing") {
    const std::vector<Endpoint> endpoints = {
        {"edit the body", "PATCH", "", R"({"body":"rewritten"})", {"ann", "adm"}, 200},
        {"pin", "PATCH", "", R"({"pinned":true})", {"cat", "adm"}, 200},
        {"hide", "PATCH", "", R"({"hidden":true})", {"cat", "adm"}, 200},
        {"edit and pin at once", "PATCH", "", R"({"body":"sneaky","pinned":true})", {"adm"}, 200},
        {"delete", "DELETE", "", "", {"ann", "cat", "adm"}, 200},
        {"endorse", "PUT", "/endorsement", "", {"bob", "lea", "cat", "adm"}, 200},
        {"withdraw an endorsement", "DELETE", "/endorsement", "", {"ann", "bob", "lea", "cat", "adm"}, 200},
        {"flag", "POST", "/flags", R"({"reason":"why"})", {"ann", "bob", "lea", "cat", "adm"}, 202},
        {"dismiss flags", "DELETE", "/flags", "", {"cat", "adm"}, 200},
        {"dismiss flags, naming the module", "DELETE", "/flags", R"({"module_title":"Hijacked"})", {"cat", "adm"}, 200},
    };
    Fixture f;
    for (const Endpoint& e : endpoints) {
        for (const Actor& c : f.callers) {
            CAPTURE(e.what);
            CAPTURE(c.name);
            const std::string id = f.new_post();
            const Json before = f.stored(id);
            const auto res = f.t.call(e.method, "/api/v1/posts/" + id + e.suffix, f.token(c), e.body);
            if (e.allowed.count(c.id)) {
                CHECK(res.status == e.ok_status);
            } else {
                CHECK(res.status == 403);
                CHECK((error_code(res) == "forbidden" || error_code(res) == "own_post"));
                CHECK(f.stored(id) == before);
            }
        }
    }
}

TEST_CASE("roles: on a hidden post only curators and admins edit, reply or endorse - refusals change nothing") {
    const std::vector<Endpoint> endpoints = {
        {"edit the body", "PATCH", "", R"({"body":"rewritten while under review"})", {"adm"}, 200},
        {"endorse", "PUT", "/endorsement", "", {"cat", "adm"}, 200},
        {"withdraw an endorsement", "DELETE", "/endorsement", "", {"ann", "bob", "lea", "cat", "adm"}, 200},
        {"flag", "POST", "/flags", R"({"reason":"why"})", {"ann", "bob", "lea", "cat", "adm"}, 202},
        {"delete", "DELETE", "", "", {"ann", "cat", "adm"}, 200},
        {"show it again", "PATCH", "", R"({"hidden":false})", {"cat", "adm"}, 200},
    };
    Fixture f;
    auto hidden_post = [&] {
        const std::string id = f.new_post();
        REQUIRE(f.t.call("PATCH", "/api/v1/posts/" + id, f.admin(), R"({"hidden":true})").status == 200);
        return id;
    };
    for (const Endpoint& e : endpoints) {
        for (const Actor& c : f.callers) {
            CAPTURE(e.what);
            CAPTURE(c.name);
            const std::string id = hidden_post();
            const Json before = f.stored(id);
            const auto res = f.t.call(e.method, "/api/v1/posts/" + id + e.suffix, f.token(c), e.body);
            if (e.allowed.count(c.id)) {
                CHECK(res.status == e.ok_status);
            } else {
                CHECK(res.status == 403);
                const std::string code = error_code(res);
                CHECK((code == "forbidden" || code == "own_post" || code == "under_review"));
                CHECK(f.stored(id) == before);
            }
        }
    }
    for (const Actor& c : f.callers) {   // replies
        CAPTURE(c.name);
        const std::string id = hidden_post();
        const Json before = f.stored(id);
        const std::string reply = "re-" + id + "-" + c.id;
        const auto res = f.t.call("POST", "/api/v1/modules/m/posts", f.token(c),
                                  dump(Json{{"id", reply}, {"kind", "insight"}, {"body", "a reply"}, {"parent_id", id}}));
        const bool moderates = c.role == Role::curator || c.role == Role::admin;
        CHECK(res.status == (moderates ? 201 : 403));
        if (!moderates) {
            CHECK(error_code(res) == "under_review");
            CHECK(error_field(res) == "parent_id");
            CHECK(f.t.call("GET", "/api/v1/posts/" + reply, f.admin()).status == 404);
        }
        CHECK(f.stored(id) == before);
    }
}

TEST_CASE("roles: reads for curators and leaders, and posts only leaders may write") {
    Fixture f;
    for (const Actor& c : f.callers) {
        CAPTURE(c.name);
        const bool moderates = c.role == Role::curator || c.role == Role::admin;
        const auto flags = f.t.call("GET", "/api/v1/flags", f.token(c));
        CHECK(flags.status == (moderates ? 200 : 403));
        const auto stats = f.t.call("GET", "/api/v1/modules/m/stats", f.token(c));
        CHECK(stats.status == (c.role == Role::learner ? 403 : 200));
        const std::string id = "lead-" + c.id;
        const auto lead = f.t.call("POST", "/api/v1/modules/m/posts", f.token(c),
                                   dump(Json{{"id", id}, {"kind", "leader_learning"}, {"body", "this week"}}));
        const bool leads = c.role == Role::leader || c.role == Role::admin;
        CHECK(lead.status == (leads ? 201 : 403));
        CHECK(f.t.call("GET", "/api/v1/posts/" + id, f.admin()).status == (leads ? 200 : 404));
        // A reply cannot smuggle the kind in either.
        const std::string parent = f.new_post();
        const auto reply = f.t.call("POST", "/api/v1/modules/m/posts", f.token(c),
                                    dump(Json{{"id", "r-" + c.id}, {"kind", "leader_learning"}, {"body", "x"}, {"parent_id", parent}}));
        CHECK(reply.status == (leads ? 201 : 403));
        // Nobody mints tokens without --dev, whatever their role.
        CHECK(f.t.call("POST", "/api/v1/dev/token", f.token(c), R"({"sub":"x","name":"X","role":"admin"})").status == 404);
    }
}

TEST_CASE("roles: fields a client must not set are ignored or refused, never stored") {
    Fixture f;
    const std::string ann = f.t.token("ann");
    // Create with server-owned fields: the author, counters, flags, times and rev are the server's.
    const Json forged{{"id", "forged"},
                      {"kind", "insight"},
                      {"body", "hello"},
                      {"author", {{"id", "adm"}, {"name", "The Admin"}, {"role", "admin"}}},
                      {"module", "other"},
                      {"endorsements", 99},
                      {"leader_endorsed", true},
                      {"pinned", true},
                      {"hidden", true},
                      {"deleted", true},
                      {"rev", 1},
                      {"created_at", "2001-01-01T00:00:00.000Z"},
                      {"role", "admin"},
                      {"check_in_at", "2001-01-01T00:00:00.000Z"},
                      {"outcome", "done"},
                      {"outcome_note", "forged"},
                      {"outcome_at", "2001-01-01T00:00:00.000Z"},
                      {"check_ins", 3}};
    auto res = f.t.call("POST", "/api/v1/modules/m/posts", ann, dump(forged));
    REQUIRE(res.status == 201);
    const Json p = f.stored("forged");
    CHECK(p["author"] == Json{{"id", "ann"}, {"name", "User ann"}, {"role", "learner"}});
    CHECK(p["module"] == "m");
    CHECK(p["endorsements"] == 0);
    CHECK(p["leader_endorsed"] == false);
    CHECK(p["pinned"] == false);
    CHECK(p["hidden"] == false);
    CHECK(p["deleted"] == false);
    CHECK(p["created_at"] != "2001-01-01T00:00:00.000Z");
    CHECK(p["check_in_at"].is_null());
    CHECK(p["outcome"].is_null());
    CHECK(p["outcome_note"].is_null());
    CHECK(p["outcome_at"].is_null());
    CHECK(p["check_ins"] == 0);

    // Edits cannot change the kind, the author or the counters either.
    res = f.t.call("PATCH", "/api/v1/posts/forged", ann,
                   dump(Json{{"body", "edited"}, {"kind", "leader_learning"}, {"author", {{"id", "bob"}}}, {"endorsements", 5}}));
    REQUIRE(res.status == 200);
    const Json q = f.stored("forged");
    CHECK(q["kind"] == "insight");
    CHECK(q["author"]["id"] == "ann");
    CHECK(q["endorsements"] == 0);
    CHECK(q["body"] == "edited");

    // A deleted post cannot be brought back by its author.
    REQUIRE(f.t.call("DELETE", "/api/v1/posts/forged", ann).status == 200);
    CHECK(f.t.call("PATCH", "/api/v1/posts/forged", ann, R"({"body":"back"})").status == 404);
    CHECK(f.t.call("PATCH", "/api/v1/posts/forged", f.admin(), R"({"hidden":false})").status == 404);
    CHECK(f.stored("forged")["deleted"] == true);
}

TEST_CASE("roles: a commitment's outcome is its author's - every other role is refused and changes nothing") {
    Fixture f;
    REQUIRE(f.t.call("POST", "/api/v1/modules/m/posts", f.t.token("ann"),
                     dump(Json{{"id", "c"}, {"kind", "commitment"}, {"body", "When I..., I will..."}}))
                .status == 201);
    for (const Actor& c : f.callers) {
        CAPTURE(c.name);
        const Json before = f.stored("c");
        const auto res = f.t.call("PUT", "/api/v1/posts/c/outcome", f.token(c),
                                  R"({"outcome":"partly","note":"forged?","module_title":"Hijacked"})");
        if (c.id == "ann") {
            CHECK(res.status == 200);
        } else {
            CHECK(res.status == 403);
            CHECK(f.stored("c") == before);
        }
    }
}

TEST_CASE("roles: the resource shelf - only curators and admins change it - refusals change nothing") {
    Fixture f;
    const std::string cat = f.t.token("cat", Role::curator);
    REQUIRE(f.t.call("POST", "/api/v1/modules/m/resources", cat,
                     R"({"id":"r","title":"Checklist","url":"https://x.example/a"})")
                .status == 201);
    const auto shelf = [&] { return body_of(f.t.call("GET", "/api/v1/modules/m/resources", f.admin())); };
    int n = 0;
    for (const Actor& c : f.callers) {
        CAPTURE(c.name);
        const bool curates = c.role == Role::curator || c.role == Role::admin;
        const Json before = shelf();
        const std::string id = "new-" + std::to_string(n++);
        auto res = f.t.call("POST", "/api/v1/modules/m/resources", f.token(c),
                            dump(Json{{"id", id}, {"title", "T"}, {"url", "https://x.example/" + id}, {"module_title", "Hijacked"}}));
        CHECK(res.status == (curates ? 201 : 403));
        res = f.t.call("PATCH", "/api/v1/resources/r", f.token(c), R"({"title":"Renamed","position":5})");
        CHECK(res.status == (curates ? 200 : 403));
        res = f.t.call("DELETE", "/api/v1/resources/" + id, f.token(c));
        CHECK(res.status == (curates ? 200 : 403));
        if (!curates) {
            CHECK(shelf() == before);
            CHECK(f.stored(f.new_post())["module_title"].is_null());
        }
    }
}

TEST_CASE("roles: look-alike user ids are other people") {
    Fixture f;
    const std::string id = f.new_post();
    const Json before = f.stored(id);
    for (const char* lookalike : {"Ann", "ANN", "ann ", " ann", "ann\u200b", "a\u0301nn", "ann\u00a0", "ann/", "ann%00"}) {
        CAPTURE(lookalike);
        const std::string token = f.t.token(lookalike);
        CHECK(f.t.call("PATCH", "/api/v1/posts/" + id, token, R"({"body":"mine now"})").status == 403);
        CHECK(f.t.call("DELETE", "/api/v1/posts/" + id, token).status == 403);
        CHECK(f.t.call("POST", "/api/v1/modules/m/posts", token, dump(Json{{"id", id}, {"kind", "tip"}, {"body", "x"}})).status == 409);
        CHECK(f.t.call("PUT", "/api/v1/posts/" + id + "/endorsement", token).status == 200);   // not the author: may endorse
    }
    const Json after = f.stored(id);
    CHECK(after["body"] == before["body"]);
    CHECK(after["endorsements"] == 9);
}

TEST_CASE("ids: reused across authors and modules - the first post keeps its id, nothing is overwritten") {
    Fixture f;
    const std::string ann = f.t.token("ann"), bob = f.t.token("bob"), adm = f.admin();
    auto create = [&](const std::string& token, const std::string& module, const Json& body) {
        return f.t.call("POST", "/api/v1/modules/" + module + "/posts", token, dump(body));
    };
    REQUIRE(create(ann, "m", Json{{"id", "shared"}, {"kind", "tip"}, {"body", "ann's tip"}}).status == 201);
    const Json original = f.stored("shared");

    SUBCASE("another author, same module or another, any role: 409 and the post is unchanged") {
        for (const std::string* who : {&bob, &adm})
            for (const char* module : {"m", "other"}) {
                const auto res = create(*who, module, Json{{"id", "shared"}, {"kind", "insight"}, {"body", "takeover"}});
                CHECK(res.status == 409);
                CHECK(error_code(res) == "conflict");
                CHECK(res.body.find("ann") == std::string::npos);   // the refusal does not say whose it is
            }
        CHECK(f.stored("shared") == original);
    }
    SUBCASE("the same author in another module: 409, the post stays where it is") {
        CHECK(create(ann, "other", Json{{"id", "shared"}, {"kind", "tip"}, {"body", "moved"}}).status == 409);
        CHECK(f.stored("shared") == original);
        CHECK(body_of(f.t.call("GET", "/api/v1/modules/other/posts", ann))["posts"].empty());
    }
    SUBCASE("the same author retrying with different content: 200 and the stored post, unchanged") {
        const auto res = create(ann, "m", Json{{"id", "shared"}, {"kind", "question"}, {"body", "changed my mind"}});
        CHECK(res.status == 200);
        CHECK(body_of(res) == original);
        CHECK(f.stored("shared") == original);
    }
    SUBCASE("an id used as a parent cannot be re-created as a reply, and a deleted post keeps its id") {
        CHECK(create(bob, "m", Json{{"id", "shared"}, {"kind", "insight"}, {"body", "x"}, {"parent_id", "shared"}}).status == 409);
        REQUIRE(f.t.call("DELETE", "/api/v1/posts/shared", ann).status == 200);
        CHECK(create(bob, "m", Json{{"id", "shared"}, {"kind", "tip"}, {"body", "reuse a tombstone"}}).status == 409);
        const auto again = create(ann, "m", Json{{"id", "shared"}, {"kind", "tip"}, {"body", "undelete?"}});
        CHECK(again.status == 200);
        CHECK(body_of(again)["deleted"] == true);
        CHECK(f.stored("shared")["deleted"] == true);
    }
    SUBCASE("ids are case-sensitive: 'Shared' is another post") {
        CHECK(create(bob, "m", Json{{"id", "Shared"}, {"kind", "tip"}, {"body", "bob's"}}).status == 201);
        CHECK(f.stored("shared") == original);
        CHECK(f.stored("Shared")["author"]["id"] == "bob");
    }
}

TEST_CASE("ids: authors racing for the same id over HTTP - exactly one wins, the rest get 409 or the winner's post") {
    HttpApi api;
    constexpr int kRacers = 8, kIds = 15;
    for (int n = 0; n < kIds; ++n) {
        const std::string id = "race-" + std::to_string(n);
        std::vector<int> status(kRacers);
        std::vector<std::string> answers(kRacers);
        std::vector<std::thread> threads;
        std::atomic<int> ready{0};
        for (int r = 0; r < kRacers; ++r)
            threads.emplace_back([&, r] {
                // Two racers share an author (a retry from a second tab); the rest are strangers.
                const std::string user = r < 2 ? "twin" : "racer" + std::to_string(r);
                const std::string token = HttpApi::token(user);
                const std::string module = r % 3 == 2 ? "elsewhere" : "race";
                ready++;
                while (ready < kRacers) std::this_thread::yield();
                const auto res = api.call("POST", "/api/v1/modules/" + module + "/posts", token,
                                          create_json(id, "by " + user + " in " + module));
                status[static_cast<std::size_t>(r)] = res.status;
                answers[static_cast<std::size_t>(r)] = res.body;
            });
        for (auto& th : threads) th.join();
        CAPTURE(id);
        const int created = static_cast<int>(std::count(status.begin(), status.end(), 201));
        CHECK(created == 1);
        const Json stored = api.call("GET", "/api/v1/posts/" + id, HttpApi::token("reader")).json();
        for (int r = 0; r < kRacers; ++r) {
            const int s = status[static_cast<std::size_t>(r)];
            CHECK((s == 201 || s == 200 || s == 409));
            if (s == 200 || s == 201) {
                // Whoever got a post back got the one stored post.
                Json answer = Json::parse(answers[static_cast<std::size_t>(r)]);
                CHECK(answer["id"] == id);
                CHECK(answer["body"] == stored["body"]);
                CHECK(answer["author"]["id"] == stored["author"]["id"]);
            }
        }
    }
}

// Commitments and check-ins (api.md "Commitments and check-ins") in process, with a clock the test
// moves: the first check-in, answers and when they are asked again, idempotent retries, who may
// answer, the changes feed, due check-ins across modules, and module stats.
#include <doctest/doctest.h>

#include "api_test_support.hpp"
#include "grove/time.hpp"

using namespace grove;
using namespace grove::test;

namespace {

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kYearS = 365 * 86'400;

struct World {
    InProcessApi t;
    std::string ann, bob, cat;
    explicit World(int check_in_days = 7) : t(options(check_in_days)) {
        // Valid for a year: these tests let weeks pass.
        ann = t.token("ann", Role::learner, kYearS);
        bob = t.token("bob", Role::learner, kYearS);
        cat = t.token("cat", Role::curator, kYearS);
    }
    static ServerOptions options(int check_in_days) {
        ServerOptions o;
        o.writes_per_minute = 1000000;
        o.check_in_days = check_in_days;
        return o;
    }
    Json commit(const std::string& id, const std::string& module = "m", const std::string& token = "") {
        auto res = t.call("POST", "/api/v1/modules/" + module + "/posts", token.empty() ? ann : token,
                          dump(Json{{"id", id}, {"kind", "commitment"}, {"body", "When I next run a drill, I will time it."}}));
        REQUIRE(res.status == 201);
        return body_of(res);
    }
    ApiResponse answer(const std::string& id, const char* outcome, const std::string& note = "",
                       const std::string& token = "") {
        return t.call("PUT", "/api/v1/posts/" + id + "/outcome", token.empty() ? ann : token,
                      dump(Json{{"outcome", outcome}, {"note", note}}));
    }
    std::vector<std::string> due(const std::string& token) {
        auto res = t.call("GET", "/api/v1/me/check-ins", token);
        REQUIRE(res.status == 200);
        const Json answer = body_of(res);
        std::vector<std::string> ids;
        for (const Json& p : answer["posts"]) ids.push_back(p["id"].get<std::string>());
        return ids;
    }
};

}  // namespace

TEST_CASE("commitments: a commitment is asked about a week later - other kinds never") {
    World w;
    const Json c = w.commit("c1");
    CHECK(c["kind"] == "commitment");
    CHECK(c["check_in_at"] == format_rfc3339_ms(w.t.now_ms + 7 * kDay));
    CHECK(c["outcome"].is_null());
    CHECK(c["outcome_note"].is_null());
    CHECK(c["outcome_at"].is_null());
    CHECK(c["check_ins"] == 0);
    auto res = w.t.call("POST", "/api/v1/modules/m/posts", w.ann, dump(Json{{"id", "i"}, {"kind", "insight"}, {"body", "x"}}));
    CHECK(body_of(res)["check_in_at"].is_null());
    CHECK(body_of(res)["check_ins"] == 0);
    // A client cannot set them.
    res = w.t.call("POST", "/api/v1/modules/m/posts", w.ann,
                   dump(Json{{"id", "forged"}, {"kind", "commitment"}, {"body", "x"}, {"check_in_at", "2001-01-01T00:00:00.000Z"},
                             {"outcome", "done"}, {"check_ins", 3}}));
    REQUIRE(res.status == 201);
    CHECK(body_of(res)["check_in_at"] == format_rfc3339_ms(w.t.now_ms + 7 * kDay));
    CHECK(body_of(res)["outcome"].is_null());
    CHECK(body_of(res)["check_ins"] == 0);

    CHECK(w.due(w.ann).empty());
    w.t.now_ms += 7 * kDay - 1;
    CHECK(w.due(w.ann).empty());
    w.t.now_ms += 1;   // check_in_at has come: due
    CHECK(w.due(w.ann) == std::vector<std::string>{"c1", "forged"});
    CHECK(w.due(w.bob).empty());   // only the caller's own
}

TEST_CASE("commitments: --check-in-days sets the interval") {
    World w(2);
    CHECK(w.commit("c")["check_in_at"] == format_rfc3339_ms(w.t.now_ms + 2 * kDay));
    auto res = w.answer("c", "partly");
    CHECK(body_of(res)["check_in_at"] == format_rfc3339_ms(w.t.now_ms + 2 * kDay));
}

TEST_CASE("commitments: done ends the check-ins - partly and not_yet ask again - three answers at most") {
    World w;
    w.commit("done-now");
    w.commit("keeps-trying");
    const std::int64_t t0 = w.t.now_ms;

    SUBCASE("done at once, before it was due") {
        w.t.now_ms += kDay;
        auto res = w.answer("done-now", "done", "  Timed the drill: 3 min.  ");
        REQUIRE(res.status == 200);
        const Json p = body_of(res);
        CHECK(p["outcome"] == "done");
        CHECK(p["outcome_note"] == "Timed the drill: 3 min.");
        CHECK(p["outcome_at"] == format_rfc3339_ms(t0 + kDay));
        CHECK(p["check_in_at"].is_null());
        CHECK(p["check_ins"] == 1);
        w.t.now_ms += 30 * kDay;
        CHECK(w.due(w.ann) == std::vector<std::string>{"keeps-trying"});
    }
    SUBCASE("partly, not_yet, partly: asked again after each, then not any more") {
        w.t.now_ms = t0 + 7 * kDay;
        Json p = body_of(w.answer("keeps-trying", "partly", "Half of it"));
        CHECK(p["check_in_at"] == format_rfc3339_ms(w.t.now_ms + 7 * kDay));
        CHECK(p["check_ins"] == 1);
        CHECK(w.due(w.ann) == std::vector<std::string>{"done-now"});
        w.t.now_ms += 7 * kDay;
        CHECK(w.due(w.ann) == std::vector<std::string>{"done-now", "keeps-trying"});
        p = body_of(w.answer("keeps-trying", "not_yet"));
        CHECK(p["outcome"] == "not_yet");
        CHECK(p["outcome_note"] == "");
        CHECK(p["check_in_at"] == format_rfc3339_ms(w.t.now_ms + 7 * kDay));
        CHECK(p["check_ins"] == 2);
        w.t.now_ms += 7 * kDay;
        p = body_of(w.answer("keeps-trying", "partly", "Half of it"));   // the same as the first: still a new answer
        CHECK(p["check_ins"] == 3);
        CHECK(p["check_in_at"].is_null());                               // the third answer: no more check-ins
        w.t.now_ms += 30 * kDay;
        CHECK(w.due(w.ann) == std::vector<std::string>{"done-now"});
        // Answering later is still possible ("any time"), and never asks again.
        p = body_of(w.answer("keeps-trying", "done"));
        CHECK(p["outcome"] == "done");
        CHECK(p["check_ins"] == 4);
        CHECK(p["check_in_at"].is_null());
    }
}

TEST_CASE("commitments: the same answer repeated is a retry - nothing changes, no new rev") {
    World w;
    w.commit("c");
    w.t.now_ms += 7 * kDay;
    auto first = w.answer("c", "partly", "half");
    REQUIRE(first.status == 200);
    w.t.now_ms += 1000;
    auto again = w.answer("c", "partly", "half");
    CHECK(again.status == 200);
    CHECK(body_of(again) == body_of(first));
    // A different note is a new answer.
    auto changed = w.answer("c", "partly", "more than half");
    CHECK(body_of(changed)["check_ins"] == 2);
    CHECK(body_of(changed)["rev"].get<std::int64_t>() > body_of(first)["rev"].get<std::int64_t>());
}

TEST_CASE("commitments: only the author answers, only commitments have outcomes - refusals change nothing") {
    World w;
    w.commit("c");
    REQUIRE(w.t.call("POST", "/api/v1/modules/m/posts", w.ann, dump(Json{{"id", "i"}, {"kind", "insight"}, {"body", "x"}})).status == 201);
    const Json before = body_of(w.t.call("GET", "/api/v1/posts/c", w.cat));
    for (const std::string* other : {&w.bob, &w.cat}) {
        auto res = w.answer("c", "done", "", *other);
        CHECK(res.status == 403);
        CHECK(error_code(res) == "forbidden");
    }
    CHECK(w.answer("c", "done", "", w.t.token("adm", Role::admin)).status == 403);
    auto res = w.answer("i", "done");
    CHECK(res.status == 422);
    CHECK(error_code(res) == "invalid_field");
    CHECK(error_field(res) == "kind");
    CHECK(w.answer("nope", "done").status == 404);
    CHECK(w.answer("bad.id", "done").status == 404);
    res = w.answer("c", "maybe");
    CHECK(res.status == 422);
    CHECK(error_field(res) == "outcome");
    res = w.answer("c", "done", std::string(281, 'n'));
    CHECK(res.status == 422);
    CHECK(error_code(res) == "too_long");
    CHECK(error_field(res) == "note");
    res = w.t.call("PUT", "/api/v1/posts/c/outcome", w.ann, R"({"note":"no outcome"})");
    CHECK(res.status == 400);
    CHECK(error_field(res) == "outcome");
    CHECK(error_code(w.t.call("PUT", "/api/v1/posts/c/outcome", w.ann, "")) == "invalid_json");
    CHECK(body_of(w.t.call("GET", "/api/v1/posts/c", w.cat)) == before);
    // A commitment a curator hid cannot be answered until it is shown again; a deleted one is gone.
    REQUIRE(w.t.call("PATCH", "/api/v1/posts/c", w.cat, R"({"hidden":true})").status == 200);
    res = w.answer("c", "done");
    CHECK(res.status == 403);
    REQUIRE(w.t.call("DELETE", "/api/v1/posts/c", w.ann).status == 200);
    CHECK(w.answer("c", "done").status == 404);
}

TEST_CASE("commitments: answers go through the changes feed - hidden and deleted ones are never due") {
    World w;
    w.commit("c");
    w.commit("hidden");
    w.commit("deleted");
    w.commit("elsewhere", "other-module");
    auto feed = body_of(w.t.call("GET", "/api/v1/modules/m/posts", w.bob));
    const std::string cursor = feed["cursor"].get<std::string>();
    w.t.now_ms += 1000;   // c's next check-in comes a second after the others' first
    REQUIRE(w.answer("c", "not_yet", "soon").status == 200);
    feed = body_of(w.t.call("GET", "/api/v1/modules/m/posts?since=" + cursor, w.bob));
    REQUIRE(feed["posts"].size() == 1);
    CHECK(feed["posts"][0]["id"] == "c");
    CHECK(feed["posts"][0]["outcome"] == "not_yet");
    CHECK(feed["posts"][0]["outcome_note"] == "soon");   // others see the latest answer and its note

    REQUIRE(w.t.call("PATCH", "/api/v1/posts/hidden", w.cat, R"({"hidden":true})").status == 200);
    REQUIRE(w.t.call("DELETE", "/api/v1/posts/deleted", w.ann).status == 200);
    w.t.now_ms += 8 * kDay;
    CHECK(w.due(w.ann) == std::vector<std::string>{"elsewhere", "c"});   // every module, oldest check-in first
}

TEST_CASE("commitments: a hidden answer's note is seen only by curators, like the body") {
    World w;
    w.commit("c");
    REQUIRE(w.answer("c", "done", "private words").status == 200);
    REQUIRE(w.t.call("PATCH", "/api/v1/posts/c", w.cat, R"({"hidden":true})").status == 200);
    const Json seen = body_of(w.t.call("GET", "/api/v1/posts/c", w.bob));
    CHECK(seen["body"] == "");
    CHECK(seen["outcome_note"] == "");
    CHECK(body_of(w.t.call("GET", "/api/v1/posts/c", w.cat))["outcome_note"] == "private words");
}

TEST_CASE("commitments: module stats count commitments made, done and partly") {
    World w;
    for (const char* id : {"a", "b", "c", "d"}) w.commit(id);
    w.commit("x", "other");
    REQUIRE(w.answer("a", "done").status == 200);
    REQUIRE(w.answer("b", "partly").status == 200);
    REQUIRE(w.answer("c", "not_yet").status == 200);
    REQUIRE(w.t.call("DELETE", "/api/v1/posts/d", w.ann).status == 200);
    const Json s = body_of(w.t.call("GET", "/api/v1/modules/m/stats?days=3", w.cat));
    CHECK(s["commitments"] == 3);
    CHECK(s["commitments_done"] == 1);
    CHECK(s["commitments_partly"] == 1);
    CHECK(s["per_day"][2]["commitments"] == 3);   // made today and not deleted
    CHECK(s["per_day"][2]["contributors"] == 1);
}

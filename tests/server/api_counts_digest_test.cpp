// Counts for listing pages, the digest, and every module's statistics with their CSV (api.md
// "Counts and digest"), in process with a clock the test moves.
#include <doctest/doctest.h>

#include <sstream>   // std::istringstream

#include "api_test_support.hpp"
#include "grove/time.hpp"

using namespace grove;
using namespace grove::test;

namespace {

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kYearS = 365 * 86'400;

struct World {
    InProcessApi t{options()};
    // Valid for a year: these tests let weeks pass.
    std::string ann = t.token("ann", Role::learner, kYearS), bob = t.token("bob", Role::learner, kYearS),
                cat = t.token("cat", Role::curator, kYearS), lea = t.token("lea", Role::leader, kYearS),
                adm = t.token("adm", Role::admin, kYearS);

    static ServerOptions options() {
        ServerOptions o;
        o.writes_per_minute = 1000000;
        return o;
    }
    void post(const std::string& module, const std::string& id, const std::string& token, const char* kind = "insight",
              const std::optional<std::string>& parent = std::nullopt) {
        Json j{{"id", id}, {"kind", kind}, {"body", "words of " + id + (std::string(kind) == "resource" ? " https://x.example" : "")}};
        if (parent) j["parent_id"] = *parent;
        auto res = t.call("POST", "/api/v1/modules/" + module + "/posts", token, dump(j));
        REQUIRE_MESSAGE(res.status == 201, res.body);
    }
    std::vector<std::string> ids(const Json& posts) {
        std::vector<std::string> out;
        for (const Json& p : posts) out.push_back(p["id"].get<std::string>());
        return out;
    }
};

}  // namespace

TEST_CASE("counts: visible posts, replies and contributors per module - unknown modules count 0") {
    World w;
    w.post("a", "a1", w.ann);
    w.post("a", "a2", w.ann);
    w.post("a", "a3", w.bob);
    w.post("a", "r1", w.bob, "insight", "a1");
    w.post("a", "hidden", w.lea);
    w.post("a", "deleted", w.cat);
    w.post("b", "b1", w.ann);
    REQUIRE(w.t.call("PATCH", "/api/v1/posts/hidden", w.cat, R"({"hidden":true})").status == 200);
    REQUIRE(w.t.call("DELETE", "/api/v1/posts/deleted", w.cat).status == 200);
    REQUIRE(w.t.call("PATCH", "/api/v1/posts/b1", w.ann, R"({"body":"edited","module_title":"Module B"})").status == 200);

    auto res = w.t.call("GET", "/api/v1/counts?modules=a,b,never-used,a", w.ann);
    REQUIRE(res.status == 200);
    CHECK(body_of(res) == Json{{"counts",
                                {{"a", {{"posts", 3}, {"replies", 1}, {"contributors", 2}, {"module_title", nullptr}}},
                                 {"b", {{"posts", 1}, {"replies", 0}, {"contributors", 1}, {"module_title", "Module B"}}},
                                 {"never-used", {{"posts", 0}, {"replies", 0}, {"contributors", 0}, {"module_title", nullptr}}}}}});
    // Unhiding and replying show up at once.
    REQUIRE(w.t.call("PATCH", "/api/v1/posts/hidden", w.cat, R"({"hidden":false})").status == 200);
    CHECK(body_of(w.t.call("GET", "/api/v1/counts?modules=a", w.bob))["counts"]["a"]["contributors"] == 3);
}

TEST_CASE("counts: 1..100 valid keys, else 400 naming 'modules'") {
    World w;
    std::string hundred, hundred_one;
    for (int i = 0; i < 100; ++i) hundred += (i ? "," : "") + std::string("m") + std::to_string(i);
    hundred_one = hundred + ",m100";
    auto res = w.t.call("GET", "/api/v1/counts?modules=" + hundred, w.ann);
    REQUIRE(res.status == 200);
    CHECK(body_of(res)["counts"].size() == 100);
    for (const std::string& bad : {std::string(""), std::string("?modules="), "?modules=" + hundred_one,
                                   std::string("?modules=a,,b"), std::string("?modules=a%2Fb"), std::string("?modules=a,"),
                                   "?modules=" + std::string(129, 'k')}) {
        CAPTURE(bad);
        res = w.t.call("GET", "/api/v1/counts" + bad, w.ann);
        CHECK(res.status == 400);
        CHECK(error_code(res) == "bad_request");
        CHECK(error_field(res) == "modules");
    }
    CHECK(w.t.call("GET", "/api/v1/counts?modules=a").status == 401);
}

TEST_CASE("digest: the window's leader learnings, top posts weighted by trusted endorsements, commitments, active modules") {
    World w;
    w.post("a", "old-lead", w.lea, "leader_learning");
    w.post("a", "old-post", w.ann);
    w.t.now_ms += 10 * kDay;
    w.post("a", "lead-1", w.lea, "leader_learning");
    w.t.now_ms += 1000;
    w.post("b", "lead-2", w.lea, "leader_learning");
    w.post("b", "lead-hidden", w.lea, "leader_learning");
    w.post("a", "popular", w.ann);       // 3 learner endorsements: 3
    w.post("b", "trusted", w.bob);       // 1 curator endorsement: 3, + 1 learner: 4
    w.post("b", "hidden-hit", w.bob);    // many endorsements, but hidden
    w.post("b", "deleted-hit", w.ann);   // many endorsements, but deleted
    w.post("a", "c1", w.ann, "commitment");
    w.post("b", "c2", w.bob, "commitment");
    w.post("b", "c3", w.bob, "commitment");
    for (const char* u : {"u1", "u2", "u3"}) REQUIRE(w.t.call("PUT", "/api/v1/posts/popular/endorsement", w.t.token(u)).status == 200);
    REQUIRE(w.t.call("PUT", "/api/v1/posts/trusted/endorsement", w.cat).status == 200);
    REQUIRE(w.t.call("PUT", "/api/v1/posts/trusted/endorsement", w.ann).status == 200);
    REQUIRE(w.t.call("PUT", "/api/v1/posts/old-post/endorsement", w.bob).status == 200);   // an old post endorsed now counts
    for (const char* u : {"u1", "u2", "u3", "u4", "u5"}) {
        w.t.call("PUT", "/api/v1/posts/hidden-hit/endorsement", w.t.token(u, Role::leader));
        w.t.call("PUT", "/api/v1/posts/deleted-hit/endorsement", w.t.token(u, Role::leader));
    }
    REQUIRE(w.t.call("PATCH", "/api/v1/posts/hidden-hit", w.cat, R"({"hidden":true})").status == 200);
    REQUIRE(w.t.call("PATCH", "/api/v1/posts/lead-hidden", w.cat, R"({"hidden":true})").status == 200);
    REQUIRE(w.t.call("DELETE", "/api/v1/posts/deleted-hit", w.ann).status == 200);
    REQUIRE(w.t.call("PUT", "/api/v1/posts/c1/outcome", w.ann, R"({"outcome":"done"})").status == 200);
    REQUIRE(w.t.call("PUT", "/api/v1/posts/c2/outcome", w.bob, R"({"outcome":"partly"})").status == 200);
    REQUIRE(w.t.call("PATCH", "/api/v1/posts/popular", w.ann, R"({"body":"still popular","module_title":"Module A"})").status == 200);

    // Curators too never see hidden posts in a digest: it is meant to be passed on.
    for (const std::string* reader : {&w.ann, &w.cat}) {
        auto res = w.t.call("GET", "/api/v1/digest?days=7", *reader);
        REQUIRE(res.status == 200);
        const Json d = body_of(res);
        CHECK(d["from"] == format_rfc3339_ms(w.t.now_ms - 7 * kDay));
        CHECK(d["to"] == format_rfc3339_ms(w.t.now_ms));
        CHECK(w.ids(d["leader_learnings"]) == std::vector<std::string>{"lead-2", "lead-1"});
        CHECK(w.ids(d["top_posts"]) == std::vector<std::string>{"trusted", "popular", "old-post"});
        CHECK(d["top_posts"][1]["module_title"] == "Module A");
        CHECK(d["commitments"] == Json{{"made", 3}, {"done", 1}, {"partly", 1}});
        REQUIRE(d["modules"].size() == 2);
        CHECK(d["modules"][0] == Json{{"module", "b"}, {"module_title", nullptr}, {"posts", 4}, {"contributors", 2}});
        CHECK(d["modules"][1] == Json{{"module", "a"}, {"module_title", "Module A"}, {"posts", 3}, {"contributors", 2}});
        const std::string text = res.body;
        for (const char* never : {"hidden-hit", "deleted-hit", "lead-hidden"}) CHECK(text.find(never) == std::string::npos);
    }
    // The window is the last `days` days: a month is too long, a day shows only today's.
    CHECK(w.t.call("GET", "/api/v1/digest?days=32", w.ann).status == 400);
    CHECK(error_field(w.t.call("GET", "/api/v1/digest?days=0", w.ann)) == "days");
    w.t.now_ms += 8 * kDay;
    const Json later = body_of(w.t.call("GET", "/api/v1/digest", w.ann));
    CHECK(later["leader_learnings"].empty());
    CHECK(later["top_posts"].empty());
    CHECK(later["modules"].empty());
    CHECK(later["commitments"] == Json{{"made", 0}, {"done", 0}, {"partly", 0}});
    CHECK(w.ids(body_of(w.t.call("GET", "/api/v1/digest?days=31", w.ann))["leader_learnings"]) ==
          std::vector<std::string>{"lead-2", "lead-1", "old-lead"});
}

TEST_CASE("digest: at most 10 top posts") {
    World w;
    for (int i = 0; i < 12; ++i) {
        const std::string id = "p" + std::to_string(i);
        w.post("m", id, w.ann);
        for (int k = 0; k <= i; ++k) w.t.call("PUT", "/api/v1/posts/" + id + "/endorsement", w.t.token("u" + std::to_string(k)));
    }
    const Json d = body_of(w.t.call("GET", "/api/v1/digest", w.bob));
    REQUIRE(d["top_posts"].size() == 10);
    CHECK(d["top_posts"][0]["id"] == "p11");
    CHECK(d["top_posts"][9]["id"] == "p2");
}

TEST_CASE("stats: every module per day for curators, leaders and admins - and the same numbers as CSV") {
    World w;
    w.post("b-mod", "b1", w.ann);
    w.post("b-mod", "b2", w.bob, "commitment");
    REQUIRE(w.t.call("PUT", "/api/v1/posts/b2/outcome", w.bob,
                     dump(Json{{"outcome", "done"}, {"module_title", R"(=HYPERLINK("http://evil.example","click"))"}}))
                .status == 200);
    w.t.now_ms += kDay;
    w.post("a-mod", "a1", w.ann);
    w.post("a-mod", "a2", w.ann, "insight", "a1");
    REQUIRE(w.t.call("PUT", "/api/v1/posts/b1/endorsement", w.bob).status == 200);
    REQUIRE(w.t.call("PATCH", "/api/v1/posts/a1", w.ann, R"({"body":"x","module_title":"Fire, \"safety\" 101"})").status == 200);

    for (const std::string* reader : {&w.ann}) CHECK(w.t.call("GET", "/api/v1/stats", *reader).status == 403);
    for (const std::string* reader : {&w.ann}) CHECK(w.t.call("GET", "/api/v1/stats.csv", *reader).status == 403);
    for (const std::string* reader : {&w.cat, &w.lea, &w.adm}) CHECK(w.t.call("GET", "/api/v1/stats?days=2", *reader).status == 200);

    const Json s = body_of(w.t.call("GET", "/api/v1/stats?days=3", w.lea));
    CHECK(s["from"] == format_date(w.t.now_ms - 2 * kDay));
    CHECK(s["to"] == format_date(w.t.now_ms));
    CHECK(s["posts"] == 3);
    CHECK(s["replies"] == 1);
    CHECK(s["contributors"] == 2);
    CHECK(s["endorsements"] == 1);
    CHECK(s["commitments"] == 1);
    CHECK(s["commitments_done"] == 1);
    REQUIRE(s["per_day"].size() == 3);
    CHECK(s["per_day"][1]["posts"] == 2);
    CHECK(s["per_day"][2]["posts"] == 2);
    REQUIRE(s["modules"].size() == 2);
    const Json& a = s["modules"][0];
    CHECK(a["module"] == "a-mod");
    CHECK(a["module_title"] == "Fire, \"safety\" 101");
    CHECK(a["posts"] == 1);
    CHECK(a["replies"] == 1);
    REQUIRE(a["per_day"].size() == 3);
    CHECK(a["per_day"][2] == Json{{"date", format_date(w.t.now_ms)}, {"posts", 2}, {"endorsements", 0}, {"contributors", 1}, {"commitments", 0}});
    const Json& b = s["modules"][1];
    CHECK(b["module"] == "b-mod");
    CHECK(b["commitments_done"] == 1);
    CHECK(b["per_day"][1]["commitments"] == 1);
    CHECK(b["per_day"][2]["endorsements"] == 1);
    CHECK(w.t.call("GET", "/api/v1/stats?days=366", w.cat).status == 400);

    const ApiResponse csv = w.t.call("GET", "/api/v1/stats.csv?days=3", w.cat);
    REQUIRE(csv.status == 200);
    CHECK(csv.header("Content-Type") == "text/csv; charset=utf-8; header=present");
    CHECK(csv.header("Content-Disposition") == "attachment; filename=\"grove-stats-" + format_date(w.t.now_ms) + ".csv\"");
    CHECK(csv.header("Cache-Control") == "no-store");
    std::vector<std::string> lines;
    std::istringstream in(csv.body);
    for (std::string line; std::getline(in, line);) {
        REQUIRE_MESSAGE((!line.empty() && line.back() == '\r'), "rows end with CRLF");
        lines.push_back(line.substr(0, line.size() - 1));
    }
    REQUIRE(lines.size() == 1 + 2 * 3);   // a header, then one row per module and day
    CHECK(lines[0] == "date,module,module_title,posts,contributors,endorsements,commitments");
    const std::string d0 = format_date(w.t.now_ms - 2 * kDay), d1 = format_date(w.t.now_ms - kDay),
                      d2 = format_date(w.t.now_ms);
    CHECK(lines[1] == d0 + ",a-mod,\"Fire, \"\"safety\"\" 101\",0,0,0,0");
    CHECK(lines[3] == d2 + ",a-mod,\"Fire, \"\"safety\"\" 101\",2,1,0,0");
    // A title that a spreadsheet would run as a formula is made inert (a leading ').
    CHECK(lines[5] == d1 + ",b-mod,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",2,2,0,1");
    CHECK(lines[6] == d2 + ",b-mod,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",0,0,1,0");
}

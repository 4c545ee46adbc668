// Moderation additions (api.md): dismissing flags ("keep visible"), flag details in the queue,
// and module titles carried by any write, in process.
#include <doctest/doctest.h>

#include "api_test_support.hpp"

using namespace grove;
using namespace grove::test;

namespace {

struct World {
    InProcessApi t{options()};
    std::string ann = t.token("ann"), bob = t.token("bob"), cat = t.token("cat", Role::curator),
                lea = t.token("lea", Role::leader), adm = t.token("adm", Role::admin);

    static ServerOptions options() {
        ServerOptions o;
        o.writes_per_minute = 1000000;
        return o;
    }
    void post(const std::string& id, const std::string& module = "m") {
        REQUIRE(t.call("POST", "/api/v1/modules/" + module + "/posts", ann,
                       dump(Json{{"id", id}, {"kind", "insight"}, {"body", "words of " + id}}))
                    .status == 201);
    }
    void flag(const std::string& id, int from, int to, const std::string& details = "") {
        for (int i = from; i < to; ++i)
            REQUIRE(t.call("POST", "/api/v1/posts/" + id + "/flags", t.token("f" + std::to_string(i)),
                           dump(Json{{"reason", "spam"}, {"details", details}}))
                        .status == 202);
    }
    Json get(const std::string& id, const std::string& token) { return body_of(t.call("GET", "/api/v1/posts/" + id, token)); }
    Json queue() { return body_of(t.call("GET", "/api/v1/flags", cat))["flags"]; }
};

}  // namespace

TEST_CASE("dismiss flags: a post the flags hid is shown again and leaves the queue") {
    World w;
    w.post("p");
    w.flag("p", 0, 3);
    REQUIRE(w.get("p", w.ann)["hidden"] == true);
    REQUIRE(w.queue().size() == 1);
    CHECK(w.queue()[0]["hidden_by_flags"] == true);
    auto res = w.t.call("DELETE", "/api/v1/posts/p/flags", w.cat);
    REQUIRE(res.status == 200);
    const Json a = body_of(res);
    CHECK(a["id"] == "p");
    CHECK(a["flags"] == 0);
    CHECK(a["hidden"] == false);
    const Json seen = w.get("p", w.bob);
    CHECK(seen["hidden"] == false);
    CHECK(seen["body"] == "words of p");
    CHECK(w.queue().empty());
    // Idempotent: again is the same answer and changes nothing.
    res = w.t.call("DELETE", "/api/v1/posts/p/flags", w.adm);
    CHECK(res.status == 200);
    CHECK(body_of(res) == a);
    // The dismissed flaggers cannot hide it again; three new ones can.
    w.flag("p", 0, 3);
    CHECK(w.get("p", w.ann)["hidden"] == false);
    w.flag("p", 3, 6);
    CHECK(w.get("p", w.ann)["hidden"] == true);
}

TEST_CASE("dismiss flags: a post a curator hid stays hidden - a visible flagged post stays visible") {
    World w;
    w.post("by-curator");
    REQUIRE(w.t.call("PATCH", "/api/v1/posts/by-curator", w.cat, R"({"hidden":true})").status == 200);
    w.flag("by-curator", 0, 2);
    REQUIRE(w.queue().size() == 1);
    CHECK(w.queue()[0]["hidden_by_flags"] == false);
    auto res = w.t.call("DELETE", "/api/v1/posts/by-curator/flags", w.cat);
    CHECK(res.status == 200);
    CHECK(body_of(res)["hidden"] == true);
    CHECK(w.get("by-curator", w.ann)["hidden"] == true);
    CHECK(w.queue().empty());

    w.post("visible");
    w.flag("visible", 0, 1);
    const auto rev = w.get("visible", w.cat)["rev"].get<std::int64_t>();
    CHECK(w.t.call("DELETE", "/api/v1/posts/visible/flags", w.cat).status == 200);
    CHECK(w.get("visible", w.cat)["rev"] == rev);   // the post did not change, only its flags
    CHECK(w.queue().empty());

    // A curator who unhides a flag-hidden post decides too: afterwards it is a curator's post state.
    w.post("q");
    w.flag("q", 0, 3);
    const auto q_rev = w.get("q", w.cat)["rev"].get<std::int64_t>();
    auto again = w.t.call("PATCH", "/api/v1/posts/q", w.cat, R"({"hidden":true})");
    REQUIRE(again.status == 200);
    CHECK(body_of(again)["rev"] == q_rev);   // nothing anyone sees changed, so no new rev
    CHECK(w.queue().empty());                // the curator decided: the flags are settled
    w.flag("q", 3, 4);
    REQUIRE(w.t.call("DELETE", "/api/v1/posts/q/flags", w.cat).status == 200);
    CHECK(w.get("q", w.ann)["hidden"] == true);
}

TEST_CASE("dismiss flags: curators and admins only - unknown posts are 404, deleted ones have no flags left") {
    World w;
    w.post("p");
    w.flag("p", 0, 3);
    for (const std::string* who : {&w.ann, &w.bob, &w.lea}) {
        auto res = w.t.call("DELETE", "/api/v1/posts/p/flags", *who);
        CHECK(res.status == 403);
        CHECK(error_code(res) == "forbidden");
    }
    CHECK(w.get("p", w.ann)["hidden"] == true);
    CHECK(w.queue().size() == 1);
    CHECK(w.t.call("DELETE", "/api/v1/posts/nope/flags", w.cat).status == 404);
    REQUIRE(w.t.call("DELETE", "/api/v1/posts/p", w.ann).status == 200);
    CHECK(w.queue().empty());   // deleting settled them
    const Json tombstone = w.get("p", w.cat);
    auto res = w.t.call("DELETE", "/api/v1/posts/p/flags", w.cat);   // a retry after the delete
    CHECK(res.status == 200);
    CHECK(body_of(res)["flags"] == 0);
    CHECK(w.get("p", w.cat) == tombstone);
    CHECK(w.t.call("DELETE", "/api/v1/posts/p/flags").status == 401);
}

TEST_CASE("flags: details beside the reason, shown to curators in the queue") {
    World w;
    w.post("p");
    REQUIRE(w.t.call("POST", "/api/v1/posts/p/flags", w.bob, R"({"reason":"spam","details":"  links to a casino  "})").status == 202);
    REQUIRE(w.t.call("POST", "/api/v1/posts/p/flags", w.lea, R"({"details":"Names a colleague"})").status == 202);
    REQUIRE(w.t.call("POST", "/api/v1/posts/p/flags", w.t.token("u3"), "").status == 202);
    const Json q = w.queue();
    REQUIRE(q.size() == 1);
    CHECK(q[0]["count"] == 3);
    CHECK(q[0]["reasons"] == Json::array({"spam"}));
    REQUIRE(q[0]["reports"].size() == 2);
    CHECK(q[0]["reports"][0]["reason"] == "spam");
    CHECK(q[0]["reports"][0]["details"] == "links to a casino");
    CHECK(q[0]["reports"][0].contains("flagged_at"));
    CHECK(q[0]["reports"][1] ["details"] == "Names a colleague");
    for (const char* flagger : {"\"bob\"", "\"lea\"", "\"u3\""})   // flaggers stay anonymous
        CHECK(dump(q).find(flagger) == std::string::npos);

    auto res = w.t.call("POST", "/api/v1/posts/p/flags", w.t.token("u4"), dump(Json{{"details", std::string(501, 'd')}}));
    CHECK(res.status == 422);
    CHECK(error_code(res) == "too_long");
    CHECK(error_field(res) == "details");
    res = w.t.call("POST", "/api/v1/posts/p/flags", w.t.token("u4"), R"({"details":5})");
    CHECK(res.status == 400);
    CHECK(error_field(res) == "details");
    CHECK(w.queue()[0]["count"] == 3);
    std::string five_hundred;
    for (int i = 0; i < 500; ++i) five_hundred += "ж";
    CHECK(w.t.call("POST", "/api/v1/posts/p/flags", w.t.token("u5"), dump(Json{{"details", five_hundred}})).status == 202);
}

TEST_CASE("module titles: any write may carry one, the latest is kept, posts carry it") {
    World w;
    auto res = w.t.call("POST", "/api/v1/modules/fire-101/posts", w.ann,
                        R"({"id":"p","kind":"insight","body":"hi","module_title":" Fire safety 101 "})");
    REQUIRE(res.status == 201);
    CHECK(body_of(res)["module_title"] == "Fire safety 101");
    w.post("other", "other-module");
    CHECK(w.get("other", w.ann)["module_title"].is_null());

    // Each kind of write keeps the title it carries.
    struct Write {
        const char* what;
        std::string method, path, token, body;
    };
    w.post("q", "fire-101");
    const std::vector<Write> writes = {
        {"edit", "PATCH", "/api/v1/posts/q", w.ann, R"({"body":"edited","module_title":"T1"})"},
        {"endorse", "PUT", "/api/v1/posts/q/endorsement", w.bob, R"({"module_title":"T2"})"},
        {"withdraw", "DELETE", "/api/v1/posts/q/endorsement", w.bob, R"({"module_title":"T3"})"},
        {"flag", "POST", "/api/v1/posts/q/flags", w.bob, R"({"reason":"x","module_title":"T4"})"},
        {"dismiss", "DELETE", "/api/v1/posts/q/flags", w.cat, R"({"module_title":"T5"})"},
        {"resource", "POST", "/api/v1/modules/fire-101/resources", w.cat,
         R"({"id":"r","title":"R","url":"https://x.example","module_title":"T6"})"},
        {"edit resource", "PATCH", "/api/v1/resources/r", w.cat, R"({"note":"n","module_title":"T7"})"},
        {"remove resource", "DELETE", "/api/v1/resources/r", w.cat, R"({"module_title":"T8"})"},
        {"retried create", "POST", "/api/v1/modules/fire-101/posts", w.ann,
         R"({"id":"p","kind":"insight","body":"hi","module_title":"T9"})"},
        {"delete", "DELETE", "/api/v1/posts/q", w.ann, R"({"module_title":"T10"})"},
    };
    for (const Write& wr : writes) {
        CAPTURE(wr.what);
        res = w.t.call(wr.method, wr.path, wr.token, wr.body);
        CHECK(res.status < 300);
        const std::string expected = std::string(Json::parse(wr.body)["module_title"]);
        CHECK(w.get("p", w.lea)["module_title"] == expected);
    }
    // Titles in the feed, the spotlight and counts come from the same place.
    const Json feed = body_of(w.t.call("GET", "/api/v1/modules/fire-101/posts", w.bob));
    for (const Json& p : feed["posts"]) CHECK(p["module_title"] == "T10");
    CHECK(body_of(w.t.call("GET", "/api/v1/counts?modules=fire-101", w.bob))["counts"]["fire-101"]["module_title"] == "T10");
}

TEST_CASE("module titles: a refused write keeps nothing - a bad title refuses the write") {
    World w;
    w.post("p", "m");
    REQUIRE(w.t.call("PATCH", "/api/v1/posts/p", w.ann, R"({"body":"x","module_title":"Good"})").status == 200);
    struct Case {
        std::string method, path, token, body;
        int status;
    };
    const std::vector<Case> refused = {
        {"PATCH", "/api/v1/posts/p", w.bob, R"({"body":"not mine","module_title":"Evil"})", 403},
        {"PUT", "/api/v1/posts/p/endorsement", w.ann, R"({"module_title":"Evil"})", 403},
        {"DELETE", "/api/v1/posts/p/flags", w.ann, R"({"module_title":"Evil"})", 403},
        {"PATCH", "/api/v1/posts/p", w.ann, R"({"body":"","module_title":"Evil"})", 422},
        {"POST", "/api/v1/modules/m/posts", w.bob, R"({"id":"p","kind":"insight","body":"x","module_title":"Evil"})", 409},
        {"PATCH", "/api/v1/posts/p", w.ann, R"({"body":"x","module_title":""})", 422},
        {"PATCH", "/api/v1/posts/p", w.ann, R"({"body":"x","module_title":5})", 400},
        {"PUT", "/api/v1/posts/p/endorsement", w.bob, R"({"module_title":"a\nb"})", 422},
        {"PUT", "/api/v1/posts/p/endorsement", w.bob, R"(not json)", 400},
        {"DELETE", "/api/v1/posts/p", w.ann, R"({"module_title":")" + std::string(121, 't') + R"("})", 422},
    };
    const Json before = w.get("p", w.cat);
    for (const Case& c : refused) {
        CAPTURE(c.body);
        auto res = w.t.call(c.method, c.path, c.token, c.body);
        CHECK(res.status == c.status);
    }
    CHECK(w.get("p", w.cat) == before);
    CHECK(before["module_title"] == "Good");
    // Bodyless writes stay bodyless: no body, no title, no change.
    CHECK(w.t.call("PUT", "/api/v1/posts/p/endorsement", w.bob).status == 200);
    CHECK(w.get("p", w.cat)["module_title"] == "Good");
}

// The resource shelf (api.md "Resources") in process: every endpoint row, every error, roles,
// idempotent creates, what reordering and removing do to the other resources' positions, and
// `resource` posts.
#include <doctest/doctest.h>

#include "api_test_support.hpp"
#include "grove/time.hpp"

using namespace grove;
using namespace grove::test;

namespace {

struct Shelf {
    InProcessApi t{options()};
    std::string cat = t.token("cat", Role::curator);
    std::string adm = t.token("adm", Role::admin);
    std::string ann = t.token("ann");
    std::string lea = t.token("lea", Role::leader);

    static ServerOptions options() {
        ServerOptions o;
        o.writes_per_minute = 1000000;
        return o;
    }
    ApiResponse add(const std::string& id, const std::string& title, const std::string& token = "",
                    const std::string& module = "m") {
        return t.call("POST", "/api/v1/modules/" + module + "/resources", token.empty() ? cat : token,
                      dump(Json{{"id", id}, {"title", title}, {"url", "https://intranet.example/" + id}}));
    }
    // The shelf as "id@position" in order, e.g. "a@0 b@1".
    std::string order(const std::string& module = "m") {
        const auto res = t.call("GET", "/api/v1/modules/" + module + "/resources", ann);
        REQUIRE(res.status == 200);
        const Json shelf = body_of(res);
        std::string out;
        for (const Json& r : shelf["resources"])
            out += (out.empty() ? "" : " ") + r["id"].get<std::string>() + "@" + std::to_string(r["position"].get<int>());
        return out;
    }
};

}  // namespace

TEST_CASE("resources: a curator adds one, everyone reads it - every field as documented") {
    Shelf s;
    CHECK(s.order().empty());
    auto res = s.t.call("POST", "/api/v1/modules/fire-101/resources", s.cat,
                        dump(Json{{"id", "r-1"},
                                  {"title", "  Extinguisher checklist  "},
                                  {"url", " https://intranet.example/fire.pdf "},
                                  {"note", "Print it for the drill."}}));
    REQUIRE(res.status == 201);
    const Json r = body_of(res);
    CHECK(r["id"] == "r-1");
    CHECK(r["module"] == "fire-101");
    CHECK(r["title"] == "Extinguisher checklist");
    CHECK(r["url"] == "https://intranet.example/fire.pdf");
    CHECK(r["note"] == "Print it for the drill.");
    CHECK(r["added_by"] == Json{{"id", "cat"}, {"name", "User cat"}, {"role", "curator"}});
    CHECK(r["created_at"] == format_rfc3339_ms(s.t.now_ms));
    CHECK(r["position"] == 0);
    CHECK(r["deleted"] == false);
    CHECK(r["rev"].get<std::int64_t>() > 0);
    for (const std::string* reader : {&s.ann, &s.lea, &s.cat, &s.adm}) {
        const Json list = body_of(s.t.call("GET", "/api/v1/modules/fire-101/resources", *reader));
        REQUIRE(list["resources"].size() == 1);
        CHECK(list["resources"][0] == r);
    }
    // An admin may too; the note is optional; without an id the server picks one.
    res = s.t.call("POST", "/api/v1/modules/fire-101/resources", s.adm,
                   dump(Json{{"title", "Video"}, {"url", "http://video.example/v?id=7"}}));
    REQUIRE(res.status == 201);
    CHECK(body_of(res)["id"].get<std::string>().size() == 26);
    CHECK(body_of(res)["note"] == "");
    CHECK(body_of(res)["position"] == 1);
}

TEST_CASE("resources: learners and leaders cannot change the shelf - and nothing changes") {
    Shelf s;
    REQUIRE(s.add("r", "Mine").status == 201);
    const std::string before = dump(body_of(s.t.call("GET", "/api/v1/modules/m/resources", s.ann)));
    for (const std::string* who : {&s.ann, &s.lea}) {
        auto res = s.add("x", "Not mine", *who);
        CHECK(res.status == 403);
        CHECK(error_code(res) == "forbidden");
        res = s.t.call("PATCH", "/api/v1/resources/r", *who, R"({"title":"Hijacked"})");
        CHECK(res.status == 403);
        res = s.t.call("DELETE", "/api/v1/resources/r", *who);
        CHECK(res.status == 403);
    }
    CHECK(dump(body_of(s.t.call("GET", "/api/v1/modules/m/resources", s.ann))) == before);
    CHECK(s.t.call("GET", "/api/v1/modules/m/resources").status == 401);
}

TEST_CASE("resources: creates are idempotent by id, like posts") {
    Shelf s;
    auto first = s.add("r", "Checklist");
    REQUIRE(first.status == 201);
    SUBCASE("the same curator retrying gets the stored resource back, unchanged, with 200") {
        auto again = s.add("r", "Another title");
        CHECK(again.status == 200);
        CHECK(body_of(again) == body_of(first));
        CHECK(s.order() == "r@0");
    }
    SUBCASE("another curator, or another module, is a conflict") {
        auto res = s.add("r", "Checklist", s.adm);
        CHECK(res.status == 409);
        CHECK(error_code(res) == "conflict");
        res = s.add("r", "Checklist", s.cat, "other");
        CHECK(res.status == 409);
        CHECK(s.order("other").empty());
    }
    SUBCASE("a retry after the resource was removed does not bring it back") {
        REQUIRE(s.t.call("DELETE", "/api/v1/resources/r", s.cat).status == 200);
        auto again = s.add("r", "Checklist");
        CHECK(again.status == 200);
        CHECK(body_of(again)["deleted"] == true);
        CHECK(s.order().empty());
    }
}

TEST_CASE("resources: validation errors name the field and store nothing") {
    Shelf s;
    struct Case {
        Json body;
        int status;
        const char* code;
        const char* field;
    };
    const std::vector<Case> cases = {
        {Json{{"title", "T"}, {"url", "javascript:alert(1)"}}, 422, "invalid_field", "url"},
        {Json{{"title", "T"}, {"url", "ftp://files.example/x"}}, 422, "invalid_field", "url"},
        {Json{{"title", "T"}, {"url", "https://bank.example@evil.example/"}}, 422, "invalid_field", "url"},
        {Json{{"title", "T"}, {"url", "https://e.example/" + std::string(2048, 'a')}}, 422, "invalid_field", "url"},
        {Json{{"title", "T"}, {"url", ""}}, 422, "invalid_field", "url"},
        {Json{{"title", "T"}}, 400, "bad_request", "url"},
        {Json{{"title", "T"}, {"url", 7}}, 400, "bad_request", "url"},
        {Json{{"url", "https://x.example"}}, 400, "bad_request", "title"},
        {Json{{"title", "   "}, {"url", "https://x.example"}}, 422, "empty", "title"},
        {Json{{"title", std::string(121, 't')}, {"url", "https://x.example"}}, 422, "too_long", "title"},
        {Json{{"title", "two\nlines"}, {"url", "https://x.example"}}, 422, "invalid_field", "title"},
        {Json{{"title", "T"}, {"url", "https://x.example"}, {"note", std::string(281, 'n')}}, 422, "too_long", "note"},
        {Json{{"title", "T"}, {"url", "https://x.example"}, {"note", 1}}, 400, "bad_request", "note"},
        {Json{{"id", "a/b"}, {"title", "T"}, {"url", "https://x.example"}}, 422, "invalid_field", "id"},
        {Json{{"title", "T"}, {"url", "https://x.example"}, {"module_title", ""}}, 422, "empty", "module_title"},
    };
    for (const Case& c : cases) {
        CAPTURE(dump(c.body));
        auto res = s.t.call("POST", "/api/v1/modules/m/resources", s.cat, dump(c.body));
        CHECK(res.status == c.status);
        CHECK(error_code(res) == c.code);
        CHECK(error_field(res) == c.field);
    }
    // 280 and 120 code points are fine.
    std::string note, title;
    for (int i = 0; i < 280; ++i) note += "ж";
    for (int i = 0; i < 120; ++i) title += "é";
    CHECK(s.t.call("POST", "/api/v1/modules/m/resources", s.cat,
                   dump(Json{{"id", "ok"}, {"title", title}, {"url", "https://x.example"}, {"note", note}}))
              .status == 201);
    CHECK(s.order() == "ok@0");
    auto res = s.t.call("POST", "/api/v1/modules/a%2Fb/resources", s.cat, dump(Json{{"title", "T"}, {"url", "https://x.example"}}));
    CHECK(res.status == 400);
    CHECK(error_field(res) == "module");
    CHECK(s.t.call("GET", "/api/v1/modules/a%2Fb/resources", s.ann).status == 400);
    CHECK(error_code(s.t.call("POST", "/api/v1/modules/m/resources", s.cat, "{")) == "invalid_json");
    CHECK(error_code(s.t.call("POST", "/api/v1/modules/m/resources", s.cat, "")) == "invalid_json");
}

TEST_CASE("resources: PATCH edits title, url and note - same values change nothing") {
    Shelf s;
    REQUIRE(s.add("r", "Checklist").status == 201);
    auto res = s.t.call("PATCH", "/api/v1/resources/r", s.cat,
                        R"({"title":"Fire checklist","url":"https://intranet.example/v2.pdf","note":"Updated in May."})");
    REQUIRE(res.status == 200);
    const Json r = body_of(res);
    CHECK(r["title"] == "Fire checklist");
    CHECK(r["url"] == "https://intranet.example/v2.pdf");
    CHECK(r["note"] == "Updated in May.");
    CHECK(r["added_by"]["id"] == "cat");   // who added it stays, whoever edits
    auto same = s.t.call("PATCH", "/api/v1/resources/r", s.adm, R"({"title":"Fire checklist"})");
    CHECK(same.status == 200);
    CHECK(body_of(same)["rev"] == r["rev"]);
    CHECK(body_of(s.t.call("PATCH", "/api/v1/resources/r", s.cat, R"({"note":""})"))["note"] == "");

    res = s.t.call("PATCH", "/api/v1/resources/r", s.cat, R"j({"url":"javascript:alert(1)"})j");
    CHECK(res.status == 422);
    CHECK(error_field(res) == "url");
    res = s.t.call("PATCH", "/api/v1/resources/r", s.cat, R"({"title":"x","position":-1})");
    CHECK(res.status == 422);
    CHECK(error_field(res) == "position");
    CHECK(body_of(s.t.call("GET", "/api/v1/modules/m/resources", s.ann))["resources"][0]["title"] == "Fire checklist");
    res = s.t.call("PATCH", "/api/v1/resources/r", s.cat, R"({"pinned":true})");
    CHECK(res.status == 400);
    CHECK(error_code(res) == "bad_request");
    CHECK(s.t.call("PATCH", "/api/v1/resources/nope", s.cat, R"({"title":"x"})").status == 404);
    CHECK(s.t.call("PATCH", "/api/v1/resources/bad.id", s.cat, R"({"title":"x"})").status == 404);
}

TEST_CASE("resources: reordering moves one and shifts the ones between - the shelf stays 0..n-1") {
    Shelf s;
    for (const char* id : {"a", "b", "c", "d"}) REQUIRE(s.add(id, id).status == 201);
    CHECK(s.order() == "a@0 b@1 c@2 d@3");
    auto move = [&](const char* id, long long to) {
        auto res = s.t.call("PATCH", std::string("/api/v1/resources/") + id, s.cat, dump(Json{{"position", to}}));
        REQUIRE(res.status == 200);
        return body_of(res)["position"].get<int>();
    };
    CHECK(move("d", 0) == 0);
    CHECK(s.order() == "d@0 a@1 b@2 c@3");
    CHECK(move("d", 2) == 2);
    CHECK(s.order() == "a@0 b@1 d@2 c@3");
    CHECK(move("a", 99) == 3);   // past the end: last
    CHECK(s.order() == "b@0 d@1 c@2 a@3");
    CHECK(move("c", 2) == 2);    // where it is: nothing changes
    CHECK(s.order() == "b@0 d@1 c@2 a@3");
    // Removing one moves the ones after it up; a new one goes last.
    REQUIRE(s.t.call("DELETE", "/api/v1/resources/d", s.cat).status == 200);
    CHECK(s.order() == "b@0 c@1 a@2");
    REQUIRE(s.add("e", "e").status == 201);
    CHECK(s.order() == "b@0 c@1 a@2 e@3");
    // Other modules' shelves are untouched.
    REQUIRE(s.add("z", "z", s.cat, "other").status == 201);
    CHECK(move("z", 0) == 0);
    CHECK(s.order("other") == "z@0");
}

TEST_CASE("resources: DELETE is idempotent - unknown ids are 404 - a shelf holds at most 100") {
    Shelf s;
    REQUIRE(s.add("r", "R").status == 201);
    auto res = s.t.call("DELETE", "/api/v1/resources/r", s.cat);
    REQUIRE(res.status == 200);
    CHECK(body_of(res)["id"] == "r");
    CHECK(body_of(res)["deleted"] == true);
    const auto rev = body_of(res)["rev"];
    res = s.t.call("DELETE", "/api/v1/resources/r", s.adm);
    CHECK(res.status == 200);
    CHECK(body_of(res)["rev"] == rev);
    CHECK(s.t.call("DELETE", "/api/v1/resources/nope", s.cat).status == 404);
    CHECK(s.t.call("PATCH", "/api/v1/resources/r", s.cat, R"({"title":"back"})").status == 404);

    for (int i = 0; i < 100; ++i) REQUIRE(s.add("n" + std::to_string(i), "N").status == 201);
    res = s.add("n100", "one too many");
    CHECK(res.status == 422);
    CHECK(error_code(res) == "too_long");
    CHECK(error_field(res) == "resources");
}

TEST_CASE("resources: resource posts suggest one - any role, but the body needs an http(s) address") {
    Shelf s;
    auto res = s.t.call("POST", "/api/v1/modules/m/posts", s.ann,
                        dump(Json{{"id", "sug"}, {"kind", "resource"}, {"body", "This helped: https://wiki.example/fire"}}));
    REQUIRE(res.status == 201);
    CHECK(body_of(res)["kind"] == "resource");
    for (const char* body : {"This helped: the wiki page", "javascript:alert(1)", "www.example.com", "ftp://x.example"}) {
        CAPTURE(body);
        res = s.t.call("POST", "/api/v1/modules/m/posts", s.ann, dump(Json{{"kind", "resource"}, {"body", body}}));
        CHECK(res.status == 422);
        CHECK(error_code(res) == "invalid_field");
        CHECK(error_field(res) == "body");
    }
    // An edit must keep an address too.
    res = s.t.call("PATCH", "/api/v1/posts/sug", s.ann, R"({"body":"removed the link"})");
    CHECK(res.status == 422);
    CHECK(error_field(res) == "body");
    CHECK(body_of(s.t.call("GET", "/api/v1/posts/sug", s.ann))["body"] == "This helped: https://wiki.example/fire");
    CHECK(s.t.call("PATCH", "/api/v1/posts/sug", s.ann, R"({"body":"Better: https://wiki.example/fire2"})").status == 200);
}

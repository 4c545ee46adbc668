// The version 1.1 additions over real HTTP against the real binary: one happy path per endpoint
// (resources, commitments with the --dev test clock, counts, digest, stats and CSV, dismissing
// flags, flag details, module titles), the --check-in-days flag, and a database made by the
// version 1 schema upgraded on start.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <fstream>   // std::ifstream
#include <sstream>   // std::ostringstream

#include "grove/time.hpp"
#include "http_test_support.hpp"

using namespace grove;
using namespace grove::test;

namespace {
const std::string kAnn = HttpApi::token("ann");
const std::string kBob = HttpApi::token("bob");
const std::string kCat = HttpApi::token("cat", Role::curator);
const std::string kLea = HttpApi::token("lea", Role::leader);
constexpr std::int64_t kDay = 86'400'000;

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, "cannot read " << path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A --dev server signs with a secret of its own: its tokens come from /dev/token.
std::string dev_token(HttpApi& api, const std::string& sub, const std::string& role) {
    auto r = api.call("POST", "/api/v1/dev/token", "", dump(Json{{"sub", sub}, {"name", sub}, {"role", role}}));
    REQUIRE(r.status == 200);
    return r.json()["token"].get<std::string>();
}
}  // namespace

TEST_CASE("http 1.1: the resource shelf - add, list, edit, reorder, remove") {
    HttpApi api;
    auto res = api.call("POST", "/api/v1/modules/fire-101/resources", kCat,
                        R"({"id":"r1","title":"Extinguisher checklist","url":"https://intranet.example/fire.pdf","note":"Print it."})");
    REQUIRE(res.status == 201);
    CHECK(res.json()["position"] == 0);
    REQUIRE(api.call("POST", "/api/v1/modules/fire-101/resources", kCat,
                     R"({"id":"r2","title":"Evacuation video","url":"https://video.example/evac"})")
                .status == 201);
    CHECK(api.call("POST", "/api/v1/modules/fire-101/resources", kAnn, R"({"title":"x","url":"https://x.example"})").status == 403);
    res = api.call("POST", "/api/v1/modules/fire-101/resources", kCat, R"j({"title":"x","url":"javascript:alert(1)"})j");
    CHECK(res.status == 422);
    CHECK(res.field() == "url");
    res = api.call("PATCH", "/api/v1/resources/r2", kCat, R"({"position":0,"note":"Watch first."})");
    REQUIRE(res.status == 200);
    CHECK(res.json()["position"] == 0);
    res = api.call("GET", "/api/v1/modules/fire-101/resources", kAnn);
    REQUIRE(res.status == 200);
    const Json shelf = res.json()["resources"];
    REQUIRE(shelf.size() == 2);
    CHECK(shelf[0]["id"] == "r2");
    CHECK(shelf[0]["note"] == "Watch first.");
    CHECK(shelf[1]["id"] == "r1");
    CHECK(shelf[1]["position"] == 1);
    res = api.call("DELETE", "/api/v1/resources/r2", kCat);
    REQUIRE(res.status == 200);
    CHECK(res.json()["deleted"] == true);
    const Json after = api.call("GET", "/api/v1/modules/fire-101/resources", kBob).json()["resources"];
    REQUIRE(after.size() == 1);
    CHECK(after[0]["position"] == 0);
    CHECK(api.call("POST", "/api/v1/modules/fire-101/posts", kAnn,
                   create_json("sug", "Found this: https://wiki.example/fire", "resource"))
              .status == 201);
}

TEST_CASE("http 1.1: commitments - the --dev clock lets a week pass - the answer reaches the feed") {
    HttpApi api({"--dev", "--check-in-days", "3"});
    const std::string ann = dev_token(api, "ann", "learner"), bob = dev_token(api, "bob", "learner"),
                      lea = dev_token(api, "lea", "leader");
    auto res = api.call("POST", "/api/v1/modules/m/posts", ann,
                        create_json("c1", "When I next lead a drill, I will time it.", "commitment"));
    REQUIRE(res.status == 201);
    const auto due = parse_rfc3339(res.json()["check_in_at"].get<std::string>());
    const auto created = parse_rfc3339(res.json()["created_at"].get<std::string>());
    REQUIRE(due);
    REQUIRE(created);
    CHECK(*due - *created == 3 * kDay);
    CHECK(api.call("GET", "/api/v1/me/check-ins", ann).json()["posts"].empty());

    const std::string cursor = api.call("GET", "/api/v1/modules/m/posts", bob).json()["cursor"].get<std::string>();
    res = api.call("PUT", "/api/v1/dev/clock", "", dump(Json{{"offset_ms", 3 * kDay + 1000}}));
    REQUIRE(res.status == 200);
    CHECK(res.json()["offset_ms"] == 3 * kDay + 1000);
    CHECK(*parse_rfc3339(res.json()["now"].get<std::string>()) > *due);
    // Tokens keep the real clock: the same token still works after the jump.
    res = api.call("GET", "/api/v1/me/check-ins", ann);
    REQUIRE(res.status == 200);
    REQUIRE(res.json()["posts"].size() == 1);
    CHECK(res.json()["posts"][0]["id"] == "c1");
    CHECK(api.call("GET", "/api/v1/me/check-ins", bob).json()["posts"].empty());

    res = api.call("PUT", "/api/v1/posts/c1/outcome", ann, R"({"outcome":"partly","note":"Timed one of two."})");
    REQUIRE(res.status == 200);
    CHECK(res.json()["outcome"] == "partly");
    CHECK(res.json()["check_ins"] == 1);
    CHECK(*parse_rfc3339(res.json()["check_in_at"].get<std::string>()) -
              *parse_rfc3339(res.json()["outcome_at"].get<std::string>()) ==
          3 * kDay);
    CHECK(api.call("PUT", "/api/v1/posts/c1/outcome", bob, R"({"outcome":"done"})").status == 403);
    CHECK(api.call("GET", "/api/v1/me/check-ins", ann).json()["posts"].empty());
    const Json feed = api.call("GET", "/api/v1/modules/m/posts?since=" + cursor, bob).json();
    REQUIRE(feed["posts"].size() == 1);
    CHECK(feed["posts"][0]["outcome_note"] == "Timed one of two.");
    const Json stats = api.call("GET", "/api/v1/modules/m/stats", lea).json();
    CHECK(stats["commitments"] == 1);
    CHECK(stats["commitments_partly"] == 1);
    CHECK(api.call("GET", "/api/v1/dev/clock").json()["offset_ms"] == 3 * kDay + 1000);
    CHECK(api.call("PUT", "/api/v1/dev/clock", "", R"({"offset_ms":"soon"})").status == 400);
}

TEST_CASE("http 1.1: the test clock does not exist without --dev") {
    HttpApi api;
    CHECK(api.call("PUT", "/api/v1/dev/clock", "", R"({"offset_ms":86400000})").status == 404);
    CHECK(api.call("GET", "/api/v1/dev/clock", kCat).status == 404);
}

TEST_CASE("http 1.1: counts, digest, stats and stats.csv") {
    // The --dev clock stands at noon UTC a week ago: every write, and the day the CSV dates its
    // rows by, is that day, however long the test takes and whenever it runs (across midnight too).
    HttpApi api({"--dev"});
    const std::int64_t real_now = system_unix_ms();
    const std::int64_t noon = (real_now / kDay - 7) * kDay + kDay / 2;
    REQUIRE(api.call("PUT", "/api/v1/dev/clock", "", dump(Json{{"offset_ms", noon - real_now}})).status == 200);
    const std::string ann = dev_token(api, "ann", "learner"), bob = dev_token(api, "bob", "learner"),
                      cat = dev_token(api, "cat", "curator"), lea = dev_token(api, "lea", "leader");
    REQUIRE(api.call("POST", "/api/v1/modules/a/posts", ann,
                     R"({"id":"p1","kind":"insight","body":"one","module_title":"Module A"})")
                .status == 201);
    REQUIRE(api.call("POST", "/api/v1/modules/a/posts", bob, create_json("p2", "two")).status == 201);
    REQUIRE(api.call("POST", "/api/v1/modules/b/posts", lea, create_json("l1", "learned", "leader_learning")).status == 201);
    REQUIRE(api.call("PUT", "/api/v1/posts/p1/endorsement", lea).status == 200);

    auto res = api.call("GET", "/api/v1/counts?modules=a,b,c", ann);
    REQUIRE(res.status == 200);
    CHECK(res.json()["counts"]["a"] == Json{{"posts", 2}, {"replies", 0}, {"contributors", 2}, {"module_title", "Module A"}});
    CHECK(res.json()["counts"]["c"]["posts"] == 0);
    CHECK(api.call("GET", "/api/v1/counts", ann).status == 400);

    res = api.call("GET", "/api/v1/digest?days=7", ann);
    REQUIRE(res.status == 200);
    CHECK(res.json()["leader_learnings"][0]["id"] == "l1");
    CHECK(res.json()["top_posts"][0]["id"] == "p1");
    CHECK(res.json()["top_posts"][0]["module_title"] == "Module A");
    CHECK(res.json()["modules"][0]["module"] == "a");

    CHECK(api.call("GET", "/api/v1/stats", ann).status == 403);
    res = api.call("GET", "/api/v1/stats?days=2", cat);
    REQUIRE(res.status == 200);
    CHECK(res.json()["posts"] == 3);
    CHECK(res.json()["modules"].size() == 2);
    res = api.call("GET", "/api/v1/stats.csv?days=2", lea);
    REQUIRE(res.status == 200);
    CHECK(res.header("Content-Type") == "text/csv; charset=utf-8; header=present");
    CHECK(res.body.rfind("date,module,module_title,posts,contributors,endorsements,commitments\r\n", 0) == 0);
    const std::string day = format_date(noon);
    CAPTURE(res.body);
    CHECK(res.body.find(day + ",a,Module A,2,2,1,0\r\n") != std::string::npos);
    CHECK(res.body.find(day + ",b,,1,1,0,0\r\n") != std::string::npos);
}

TEST_CASE("http 1.1: flag details for curators, and dismissing flags shows an auto-hidden post again") {
    HttpApi api;
    REQUIRE(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("p", "questionable")).status == 201);
    for (const char* u : {"u1", "u2", "u3"})
        REQUIRE(api.call("POST", "/api/v1/posts/p/flags", HttpApi::token(u), R"({"reason":"spam","details":"a casino link"})").status == 202);
    CHECK(api.call("GET", "/api/v1/posts/p", kBob).json()["hidden"] == true);
    const Json queue = api.call("GET", "/api/v1/flags", kCat).json()["flags"];
    REQUIRE(queue.size() == 1);
    CHECK(queue[0]["reports"][0]["details"] == "a casino link");
    // A DELETE may carry the module's title as its body, like any write.
    auto res = api.call("DELETE", "/api/v1/posts/p/flags", kCat, R"({"module_title":"Moderated module"})");
    REQUIRE(res.status == 200);
    CHECK(res.json()["flags"] == 0);
    CHECK(api.call("GET", "/api/v1/posts/p", kBob).json()["module_title"] == "Moderated module");
    CHECK(api.call("PUT", "/api/v1/posts/p/endorsement", kBob, R"({"module_title":"Endorsed module"})").status == 200);
    CHECK(api.call("GET", "/api/v1/counts?modules=m", kBob).json()["counts"]["m"]["module_title"] == "Endorsed module");
    CHECK(api.call("GET", "/api/v1/posts/p", kBob).json()["body"] == "questionable");
    CHECK(api.call("GET", "/api/v1/flags", kCat).json()["flags"].empty());
    CHECK(api.call("DELETE", "/api/v1/posts/p/flags", kAnn).status == 403);
}

TEST_CASE("http 1.1: a database made by the version 1 schema is upgraded on start - nothing lost, counts right") {
    // grove_v1.sql: the dump of a database that grove-server 1.0 (schema version 1) wrote over
    // HTTP: posts, a reply, endorsements, a curator's hide, an auto-hide by three flags, a delete.
    const std::string dir = make_temp_dir();
    const std::string db_path = dir + "/grove.db";
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
        char* error = nullptr;
        const std::string sql = read_text(std::string(GROVE_TEST_DATA_DIR) + "/grove_v1.sql");
        const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
        CHECK_MESSAGE(rc == SQLITE_OK, (error ? error : ""));
        sqlite3_free(error);
        sqlite3_close(db);
    }
    {
        HttpApi api({}, db_path);
        const Json fire = api.call("GET", "/api/v1/modules/fire-101/posts", kCat).json();
        REQUIRE(fire["posts"].size() == 5);   // the deleted one is a tombstone, not listed
        std::map<std::string, Json> by_id;
        for (const Json& p : fire["posts"]) by_id[p["id"].get<std::string>()] = p;
        CHECK(by_id.at("v1-insight")["body"] == "Keep the extinguisher pin in until you aim.");
        CHECK(by_id.at("v1-insight")["endorsements"] == 2);
        CHECK(by_id.at("v1-insight")["leader_endorsed"] == true);
        CHECK(by_id.at("v1-insight")["check_in_at"].is_null());
        CHECK(by_id.at("v1-insight")["check_ins"] == 0);
        CHECK(by_id.at("v1-insight")["module_title"].is_null());
        CHECK(by_id.at("v1-reply")["parent_id"] == "v1-insight");
        CHECK(by_id.at("v1-by-curator")["hidden"] == true);
        CHECK(by_id.at("v1-by-flags")["hidden"] == true);
        // Counts were built from the old posts: visible ones only.
        const Json counts = api.call("GET", "/api/v1/counts?modules=fire-101,hr-onboarding", kAnn).json()["counts"];
        CHECK(counts["fire-101"] == Json{{"posts", 2}, {"replies", 1}, {"contributors", 2}, {"module_title", nullptr}});
        CHECK(counts["hr-onboarding"]["posts"] == 1);
        // The post three flags hid is known as such: dismissing its flags shows it again; the
        // curator's hide stays.
        REQUIRE(api.call("DELETE", "/api/v1/posts/v1-by-flags/flags", kCat).status == 200);
        CHECK(api.call("GET", "/api/v1/posts/v1-by-flags", kAnn).json()["hidden"] == false);
        REQUIRE(api.call("DELETE", "/api/v1/posts/v1-by-curator/flags", kCat).status == 200);
        CHECK(api.call("GET", "/api/v1/posts/v1-by-curator", kAnn).json()["hidden"] == true);
        // Old cursors keep working, and new writes continue the rev sequence.
        const std::string cursor = fire["cursor"].get<std::string>();
        auto res = api.call("POST", "/api/v1/modules/fire-101/posts", kAnn, create_json("new", "after the upgrade", "commitment"));
        REQUIRE(res.status == 201);
        CHECK(res.json()["rev"].get<std::int64_t>() > by_id.at("v1-insight")["rev"].get<std::int64_t>());
        CHECK_FALSE(res.json()["check_in_at"].is_null());
        const Json changes = api.call("GET", "/api/v1/modules/fire-101/posts?since=" + cursor, kAnn).json();
        CHECK(changes["posts"].size() == 2);   // the shown post and the new one
    }
    // The file now says version 2, and a second start changes nothing.
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, "SELECT MAX(version), COUNT(*) FROM schema_migrations", -1, &st, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        CHECK(sqlite3_column_int(st, 0) == 2);
        CHECK(sqlite3_column_int(st, 1) == 2);
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    {
        HttpApi api({}, db_path);
        CHECK(api.call("GET", "/api/v1/counts?modules=fire-101", kAnn).json()["counts"]["fire-101"]["posts"] == 4);
    }
    remove_temp_dir(dir);
}

// The version 1.1 endpoints under the limits every write has (api.md "Limits"): each new write
// counts toward the per-user write limit and a 429 stores nothing (not even the module_title it
// carried); reads are never limited; a body over 64 KiB is 413 and stores nothing.
#include <doctest/doctest.h>

#include "api_test_support.hpp"

using namespace grove;
using namespace grove::test;

namespace {

struct Write {
    const char* name;
    const char* method;
    std::string path;
    std::string body;
    int ok;   // the status when the limit is not reached
};

// A world where ann and cat have one write each left after the setup (their quota refills
// only when the test moves the clock).
struct World {
    InProcessApi t{options()};
    std::string ann = t.token("ann"), cat = t.token("cat", Role::curator);

    static ServerOptions options() {
        ServerOptions o;
        o.writes_per_minute = 4;
        return o;
    }
    World() {
        // Setup writes by other people: a commitment of ann's is made by ann below.
        const std::string bob = t.token("bob");
        REQUIRE(t.call("POST", "/api/v1/modules/m/posts", bob, R"({"id":"p","kind":"insight","body":"x"})").status == 201);
        REQUIRE(t.call("POST", "/api/v1/posts/p/flags", t.token("f1"), R"({"reason":"spam"})").status == 202);
        REQUIRE(t.call("POST", "/api/v1/modules/m/posts", ann, R"({"id":"c","kind":"commitment","body":"When I, I will"})").status == 201);
        REQUIRE(t.call("POST", "/api/v1/modules/m/resources", cat, R"({"id":"r","title":"T","url":"https://x.example"})").status == 201);
        t.now_ms += 60'000;   // everyone's quota is full again
    }
    // Uses up all but one of the caller's writes with a write that changes nothing.
    void spend(const std::string& token, int n) {
        for (int i = 0; i < n; ++i)
            REQUIRE(t.call("DELETE", "/api/v1/posts/p/endorsement", token).status == 200);
    }
    std::string state() {
        return t.call("GET", "/api/v1/modules/m/posts", cat).body + t.call("GET", "/api/v1/modules/m/resources", cat).body +
               t.call("GET", "/api/v1/flags", cat).body + t.call("GET", "/api/v1/counts?modules=m", cat).body;
    }
};

std::vector<Write> new_writes(bool curator) {
    if (curator)
        return {
            {"add a resource", "POST", "/api/v1/modules/m/resources", R"({"id":"r2","title":"T","url":"https://y.example","module_title":"Changed"})", 201},
            {"edit a resource", "PATCH", "/api/v1/resources/r", R"({"title":"New","module_title":"Changed"})", 200},
            {"remove a resource", "DELETE", "/api/v1/resources/r", R"({"module_title":"Changed"})", 200},
            {"dismiss flags", "DELETE", "/api/v1/posts/p/flags", R"({"module_title":"Changed"})", 200},
        };
    return {
        {"answer a check-in", "PUT", "/api/v1/posts/c/outcome", R"({"outcome":"done","module_title":"Changed"})", 200},
        {"flag with details", "POST", "/api/v1/posts/p/flags", R"({"reason":"spam","details":"d","module_title":"Changed"})", 202},
        {"suggest a resource", "POST", "/api/v1/modules/m/posts", R"({"id":"s","kind":"resource","body":"https://z.example","module_title":"Changed"})", 201},
    };
}

}  // namespace

TEST_CASE("limits 1.1: every new write counts toward the per-user write limit - a 429 stores nothing") {
    for (const bool curator : {false, true}) {
        for (const Write& w : new_writes(curator)) {
            CAPTURE(w.name);
            World world;
            const std::string& token = curator ? world.cat : world.ann;
            world.spend(token, 4);
            const std::string before = world.state();
            auto res = world.t.call(w.method, w.path, token, w.body);
            CHECK(res.status == 429);
            CHECK(error_code(res) == "rate_limited");
            CHECK_FALSE(res.header("Retry-After").empty());
            CHECK(world.state() == before);
            CHECK(world.state().find("Changed") == std::string::npos);
            world.t.now_ms += 60'000;
            res = world.t.call(w.method, w.path, token, w.body);
            CHECK(res.status == w.ok);
            CHECK(world.state().find("Changed") != std::string::npos);   // the title came with the accepted write
        }
    }
}

TEST_CASE("limits 1.1: the new reads are never limited") {
    World world;
    world.spend(world.cat, 4);
    REQUIRE(world.t.call("DELETE", "/api/v1/posts/p/endorsement", world.cat).status == 429);
    for (const char* path : {"/api/v1/modules/m/resources", "/api/v1/me/check-ins", "/api/v1/counts?modules=m",
                             "/api/v1/digest?days=7", "/api/v1/stats?days=7", "/api/v1/stats.csv?days=7",
                             "/api/v1/modules/m/stats", "/api/v1/flags"})
        for (int i = 0; i < 10; ++i) {
            CAPTURE(path);
            CHECK(world.t.call("GET", path, world.cat).status == 200);
        }
}

TEST_CASE("limits 1.1: a body over 64 KiB to a new write is 413 and stores nothing") {
    for (const bool curator : {false, true}) {
        for (const Write& w : new_writes(curator)) {
            CAPTURE(w.name);
            World world;
            const std::string before = world.state();
            // Valid JSON, just too big: the limit is checked before anything is read.
            const std::string big = R"({"title":"T","url":"https://x.example","outcome":"done","note":")" +
                                    std::string(64 * 1024, 'n') + R"("})";
            auto res = world.t.call(w.method, w.path, curator ? world.cat : world.ann, big);
            CHECK(res.status == 413);
            CHECK(error_code(res) == "payload_too_large");
            CHECK(world.state() == before);
        }
    }
}

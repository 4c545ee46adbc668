// Attacks at the HTTP layer and on the data path over real sockets: request smuggling through
// duplicate or conflicting Content-Length and Transfer-Encoding, CORS origins that only look
// allowed, the per-user write limit under parallel connections, and SQL metacharacters in every
// place a caller controls (token claims, reasons, ids, query parameters), not only post bodies.
#include <doctest/doctest.h>

#include <atomic>   // std::atomic
#include <thread>   // std::thread

#include "hardening_support.hpp"
#include "raw_socket.hpp"

using namespace grove;
using namespace grove::test;
using namespace std::chrono;

namespace {

std::string post_request(const std::string& token, const std::string& headers, const std::string& body) {
    return "POST /api/v1/modules/m/posts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
           "\r\nContent-Type: application/json\r\n" + headers + "\r\n" + body;
}

int count_responses(const std::string& raw) {
    int n = 0;
    for (std::size_t at = raw.find("HTTP/1.1 "); at != std::string::npos; at = raw.find("HTTP/1.1 ", at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("smuggling: duplicate, conflicting or doubtful body lengths are refused with 400 and the connection closed") {
    HttpApi api;
    const std::string ann = HttpApi::token("ann");
    // The body holds a complete second request; a server that believes the shorter length
    // would run it as the next request on this connection.
    const std::string inner = "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ann + "\r\n\r\n";
    const std::string body = create_json("smuggled", "x");
    const std::string both = body + inner;
    struct Case {
        const char* what;
        std::string headers;
    };
    const Case cases[] = {
        {"two different lengths", "Content-Length: " + std::to_string(body.size()) + "\r\nContent-Length: " +
                                      std::to_string(both.size()) + "\r\n"},
        {"two different lengths, long one first",
         "Content-Length: " + std::to_string(both.size()) + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n"},
        {"the same length twice", "Content-Length: " + std::to_string(both.size()) + "\r\nContent-Length: " +
                                      std::to_string(both.size()) + "\r\n"},
        {"a list of lengths", "Content-Length: " + std::to_string(body.size()) + ", " + std::to_string(both.size()) + "\r\n"},
        {"chunked and a length", "Transfer-Encoding: chunked\r\nContent-Length: " + std::to_string(body.size()) + "\r\n"},
        {"a length and chunked", "Content-Length: " + std::to_string(body.size()) + "\r\nTransfer-Encoding: chunked\r\n"},
        {"an encoding that is not chunked", "Transfer-Encoding: gzip\r\nContent-Length: " + std::to_string(body.size()) + "\r\n"},
        {"chunked twice", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"},
        {"chunked, identity", "Transfer-Encoding: chunked, identity\r\n"},
        {"xchunked", "Transfer-Encoding: xchunked\r\n"},
        {"a signed length", "Content-Length: +" + std::to_string(body.size()) + "\r\n"},
        {"a negative length", "Content-Length: -1\r\n"},
        {"a hexadecimal length", "Content-Length: 0x20\r\n"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.what);
        RawSocket conn(api.port());
        REQUIRE(conn.send_all(post_request(ann, c.headers, both)));
        const std::string answer = conn.read_until_closed(nullptr, seconds(10));
        CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
        CHECK(count_responses(answer) == 1);   // the inner request never ran
        CHECK(answer.find("\"role\"") == std::string::npos);
    }
    CHECK(api.call("GET", "/api/v1/posts/smuggled", ann).status == 404);
    // An honest request on the same server works.
    RawSocket ok(api.port());
    REQUIRE(ok.send_all(post_request(ann, "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n", body)));
    CHECK(ok.read_until_closed(nullptr, seconds(10)).rfind("HTTP/1.1 201", 0) == 0);
}

TEST_CASE("cors: origins that only look allowed get no allow headers, and none ever gets credentials or *") {
    HttpApi api({"--allow-origin", "https://intranet.example"});
    const std::string ann = HttpApi::token("ann");
    const char* lookalikes[] = {"https://intranet.example.evil.com", "https://evil.intranet.example",
                                "https://intranet.examplex",         "http://intranet.example",
                                "https://intranet.example:8443",     "null",
                                "*",                                 "https://intranet.example%00.evil.com",
                                "https://intranet.example@evil.com", "https://intranet.example, https://evil.com",
                                "https://xintranet.example",         "file://"};
    for (const std::string origin : lookalikes) {
        CAPTURE(origin);
        httplib::Headers h = {{"Origin", origin}};
        auto res = api.call("GET", "/api/v1/me", ann, "", h);
        CHECK(res.status == 200);
        CHECK_FALSE(res.headers.count("Access-Control-Allow-Origin"));
        CHECK(res.header("Vary").find("Origin") != std::string::npos);   // caches keep answers per origin
        h.emplace("Access-Control-Request-Method", "POST");
        h.emplace("Access-Control-Request-Headers", "authorization, content-type");
        res = api.call("OPTIONS", "/api/v1/modules/m/posts", "", "", h);
        CHECK(res.status == 403);
        CHECK_FALSE(res.headers.count("Access-Control-Allow-Origin"));
        CHECK_FALSE(res.headers.count("Access-Control-Allow-Methods"));
    }
    // The allowed origin: exact echo, never '*', never credentials, and only the API's headers.
    auto res = api.call("OPTIONS", "/api/v1/modules/m/posts", "", "",
                        {{"Origin", "https://intranet.example"}, {"Access-Control-Request-Method", "POST"},
                         {"Access-Control-Request-Headers", "authorization, x-forwarded-user"}});
    CHECK(res.status == 403);   // a header the API does not take
    res = api.call("OPTIONS", "/api/v1/modules/m/posts", "", "",
                   {{"Origin", "https://intranet.example"}, {"Access-Control-Request-Method", "TRACE"}});
    CHECK(res.status == 403);
    res = api.call("GET", "/api/v1/me", ann, "", {{"Origin", "https://intranet.example"}});
    CHECK(res.header("Access-Control-Allow-Origin") == "https://intranet.example");
    CHECK_FALSE(res.headers.count("Access-Control-Allow-Credentials"));
    // The widget's files are public and fetched by pages on other origins (the wasm with
    // compileStreaming needs CORS): '*' without credentials, so no cookie or token ever rides
    // along. The demo page and the API's own answers never get '*'.
    res = api.call("GET", "/widget/grove.js", "", "", {{"Origin", "https://evil.example"}});
    CHECK(res.header("Access-Control-Allow-Origin") == "*");
    CHECK_FALSE(res.headers.count("Access-Control-Allow-Credentials"));
    res = api.call("GET", "/", "", "", {{"Origin", "https://evil.example"}});
    CHECK_FALSE(res.headers.count("Access-Control-Allow-Origin"));
    res = api.call("GET", "/api/v1/me", ann, "", {{"Origin", "https://evil.example"}});
    CHECK_FALSE(res.headers.count("Access-Control-Allow-Origin"));
    // Without --allow-origin nothing is allowed, however close the origin is to the server's own.
    HttpApi closed;
    res = closed.call("GET", "/api/v1/me", ann, "", {{"Origin", "http://127.0.0.1:" + std::to_string(closed.port())}});
    CHECK_FALSE(res.headers.count("Access-Control-Allow-Origin"));
}

TEST_CASE("rate limits: per user across parallel connections and tokens - others are not slowed") {
    HttpApi api({"--writes-per-minute", "10"});
    constexpr int kThreads = 8;
    std::atomic<int> created{0}, limited{0}, other{0};
    std::vector<std::thread> threads;
    const auto start = std::chrono::steady_clock::now();
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            // Eight tabs of the same person, each with its own token (different expiry).
            const std::string token = HttpApi::token("ann", Role::learner, 600 + t);
            for (int i = 0; i < 6; ++i) {
                const auto res = api.call("POST", "/api/v1/modules/m/posts", token,
                                          create_json("t" + std::to_string(t) + "-" + std::to_string(i), "x"));
                if (res.status == 201) created++;
                else if (res.status == 429 && !res.header("Retry-After").empty()) limited++;
                else other++;
            }
        });
    for (auto& th : threads) th.join();
    // The bucket of 10, plus what refilled while the writes went on (one every 6 s): however
    // long a loaded machine took, no more than that.
    const auto took = std::chrono::steady_clock::now() - start;
    const int refilled = static_cast<int>(took / std::chrono::seconds(6));
    CAPTURE(std::chrono::duration_cast<std::chrono::milliseconds>(took).count());
    CHECK(other == 0);
    CHECK(created >= 10);
    CHECK(created <= 10 + refilled);
    CHECK(limited == kThreads * 6 - created);
    // What was refused is not stored; another user is not affected; reads are not limited.
    CHECK(static_cast<int>(all_posts(api, "m", HttpApi::token("reader")).size()) == created.load());
    const std::string bob = HttpApi::token("bob");
    for (int i = 0; i < 10; ++i) CHECK(api.call("POST", "/api/v1/modules/m/posts", bob, create_json("bob" + std::to_string(i), "x")).status == 201);
    for (int i = 0; i < 30; ++i) CHECK(api.call("GET", "/api/v1/modules/m/posts?limit=1", HttpApi::token("ann")).status == 200);
}

TEST_CASE("rate limits: Retry-After is honest - waiting that long is enough") {
    HttpApi api({"--writes-per-minute", "60"});
    const std::string ann = HttpApi::token("ann");
    int i = 0;
    HttpAnswer res;
    do {
        res = api.call("PUT", "/api/v1/posts/none/endorsement", ann);   // writes count even when they fail
    } while (res.status == 404 && ++i < 200);
    REQUIRE(res.status == 429);
    const int wait = std::stoi(res.header("Retry-After"));
    CHECK(wait >= 1);
    CHECK(wait <= 2);
    pause_ms(wait * 1000 + 50);
    CHECK(api.call("POST", "/api/v1/modules/m/posts", ann, create_json("after-wait", "x")).status == 201);
}

TEST_CASE("sql: metacharacters in token claims, reasons, ids and parameters are data, never SQL") {
    HttpApi api;
    const std::string nasty_sub = "x'); DROP TABLE posts; --";
    const std::string nasty_name = "O'Brien \"Bobby\" Tables; DELETE FROM endorsements WHERE '1'='1";
    const std::string nasty = mint(HttpApi::kSecret, nasty_sub, Role::curator, system_unix_ms() / 1000 + 600, nasty_name);
    const std::string ann = HttpApi::token("ann");

    auto me = api.call("GET", "/api/v1/me", nasty);
    REQUIRE(me.status == 200);
    CHECK(me.json()["id"] == nasty_sub);
    CHECK(me.json()["name"] == nasty_name);
    auto res = api.call("POST", "/api/v1/modules/m/posts", nasty, create_json("n1", "body"));
    REQUIRE(res.status == 201);
    CHECK(res.json()["author"]["id"] == nasty_sub);
    CHECK(res.json()["author"]["name"] == nasty_name);
    REQUIRE(api.call("POST", "/api/v1/modules/m/posts", ann, create_json("a1", "ann's")).status == 201);
    // The viewer id is a bound parameter: endorsed_by_me is right for this user and no other.
    CHECK(api.call("PUT", "/api/v1/posts/a1/endorsement", nasty).json()["endorsed_by_me"] == true);
    CHECK(api.call("GET", "/api/v1/posts/a1", nasty).json()["endorsed_by_me"] == true);
    CHECK(api.call("GET", "/api/v1/posts/a1", ann).json()["endorsed_by_me"] == false);
    CHECK(api.call("GET", "/api/v1/posts/a1", ann).json()["leader_endorsed"] == true);   // a curator's
    // Reasons and teams.
    const std::string reason = "'); UPDATE posts SET hidden = 1; -- %_ \\";
    CHECK(api.call("POST", "/api/v1/posts/a1/flags", HttpApi::token("bob"), dump(Json{{"reason", reason}})).status == 202);
    const Json queue = api.call("GET", "/api/v1/flags", nasty).json();
    REQUIRE(queue["flags"].size() == 1);
    CHECK(queue["flags"][0]["reasons"] == Json::array({reason}));
    CHECK(queue["flags"][0]["post"]["hidden"] == false);
    // Ids, modules and query parameters with SQL in them are refused before any query.
    CHECK(api.call("GET", "/api/v1/posts/a1'%20OR%20'1'%3D'1", ann).status == 404);
    CHECK(api.call("GET", "/api/v1/posts/%25", ann).status == 404);
    CHECK(api.call("GET", "/api/v1/modules/m%27%3B--/posts", ann).status == 400);
    CHECK(api.call("GET", "/api/v1/modules/m/posts?limit=1%20OR%201%3D1", ann).status == 400);
    CHECK(api.call("GET", "/api/v1/modules/m/posts?since=%27%20OR%20%271%27%3D%271", ann).status == 400);
    CHECK(api.call("GET", "/api/v1/spotlight?days=7;DROP", ann).status == 400);
    // NUL bytes: in a path they are refused; inside JSON text they are kept exactly.
    CHECK(api.call("GET", "/api/v1/posts/a1%00x", ann).status == 404);
    res = api.call("POST", "/api/v1/modules/m/posts", ann, R"({"id":"nul","kind":"tip","body":"a\u0000b"})");
    if (res.status == 201) CHECK(api.call("GET", "/api/v1/posts/nul", ann).json()["body"] == std::string("a\0b", 3));
    else CHECK(res.status == 422);
    // Everything is still there.
    const auto posts = all_posts(api, "m", ann);
    CHECK(posts.size() >= 2);
    CHECK(api.call("GET", "/api/v1/posts/a1", ann).json()["endorsements"] == 1);
}

TEST_CASE("json: a NUL byte does not end a body - whatever follows it is not ignored") {
    // nlohmann/json stops reading at a raw NUL; found by fuzzing (tests/fuzz/regressions/jwt/).
    HttpApi api;
    const std::string ann = HttpApi::token("ann");
    const std::string smuggled = create_json("after-nul", "x") + std::string(1, '\0') + R"({"id":"other","kind":"tip","body":"y"})";
    const auto res = api.call("POST", "/api/v1/modules/m/posts", ann, smuggled);
    CHECK(res.status == 400);
    CHECK(res.code() == "invalid_json");
    CHECK(api.call("GET", "/api/v1/posts/after-nul", ann).status == 404);
    CHECK(api.call("PATCH", "/api/v1/posts/x", ann, std::string(R"({"body":"z"})") + std::string(1, '\0')).code() == "invalid_json");
}

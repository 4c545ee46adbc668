// Limits and transport behaviour over real sockets: 413 before the body is read, the write limit,
// CORS, slow clients that must not starve the worker pool, graceful shutdown.
#include <doctest/doctest.h>

#include <signal.h>       // kill, SIGTERM

#include <atomic>         // std::atomic
#include <chrono>         // std::chrono
#include <mutex>          // std::mutex
#include <set>            // std::set
#include <thread>         // std::thread

#include "http_test_support.hpp"
#include "raw_socket.hpp"

using namespace grove;
using namespace grove::test;

namespace {

const std::string kAnn = HttpApi::token("ann");

std::string post_head(const std::string& path, std::size_t length, const std::string& extra = "") {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kAnn +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(length) + "\r\n" + extra + "\r\n";
}

}  // namespace

TEST_CASE("http limits: a body over 64 KiB is 413 payload_too_large, and nothing is stored") {
    HttpApi api;
    const std::string big = create_json("big", std::string(64 * 1024, 'a'));
    auto res = api.call("POST", "/api/v1/modules/m/posts", kAnn, big);
    CHECK(res.status == 413);
    CHECK(res.code() == "payload_too_large");
    CHECK(res.header("Connection") == "close");
    // Exactly 64 KiB is allowed through to validation (and refused there as too long a post).
    std::string exact = create_json("exact", "");
    exact = create_json("exact", std::string(64 * 1024 - exact.size(), 'b'));
    REQUIRE(exact.size() == 64 * 1024);
    res = api.call("POST", "/api/v1/modules/m/posts", kAnn, exact);
    CHECK(res.status == 422);
    CHECK(res.code() == "too_long");
    CHECK(api.call("PATCH", "/api/v1/posts/x", kAnn, std::string(70000, ' ')).status == 413);
    CHECK(api.call("GET", "/api/v1/posts/big", kAnn).status == 404);
    CHECK(api.call("GET", "/api/v1/modules/m/posts", kAnn).json()["posts"].empty());
}

TEST_CASE("http limits: 413 is sent from the headers alone - the server does not wait for the body") {
    // The server would give the body 10 minutes to arrive: an answer within kPatience can only
    // have been decided from the headers.
    HttpApi api({"--request-timeout", "600"});
    RawSocket s(api.port());
    // Announce 10 MB, send only the headers: the answer must come anyway, then the connection closes.
    REQUIRE(s.send_all(post_head("/api/v1/modules/m/posts", 10 * 1000 * 1000)));
    bool closed = false;
    const std::string answer = s.read_until_closed(&closed);
    CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(answer.find("payload_too_large") != std::string::npos);
    CHECK(closed);
    // The server is fine afterwards.
    CHECK(api.call("GET", "/api/v1/health").status == 200);
}

TEST_CASE("http limits: Expect: 100-continue with a too-large body gets 413 instead of 100") {
    HttpApi api;
    RawSocket s(api.port());
    REQUIRE(s.send_all(post_head("/api/v1/modules/m/posts", 100000, "Expect: 100-continue\r\n")));
    bool closed = false;
    const std::string answer = s.read_until_closed(&closed);
    CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(answer.find("100 Continue") == std::string::npos);
    CHECK(closed);
}

TEST_CASE("http limits: a chunked body is read only up to 64 KiB") {
    HttpApi api;
    RawSocket s(api.port());
    std::string head = "POST /api/v1/modules/m/posts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kAnn +
                       "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    REQUIRE(s.send_all(head));
    const std::string chunk(16 * 1024, 'x');
    char size_line[32];
    std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
    for (int i = 0; i < 5; ++i) REQUIRE(s.send_all(size_line + chunk + "\r\n"));   // 80 KiB, never finished
    const std::string answer = s.read_until_closed();
    CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
    // A small chunked body is fine.
    RawSocket ok(api.port());
    const std::string body = create_json("chunked", "sent in chunks");
    char len[32];
    std::snprintf(len, sizeof len, "%zx\r\n", body.size());
    REQUIRE(ok.send_all(head.substr(0, head.size() - 2) + "Connection: close\r\n\r\n" + len + body + "\r\n0\r\n\r\n"));
    CHECK(ok.read_until_closed().rfind("HTTP/1.1 201", 0) == 0);
}

TEST_CASE("http limits: a GET with a body is refused instead of being misread") {
    HttpApi api;
    RawSocket s(api.port());
    REQUIRE(s.send_all("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nGET /"));
    const std::string answer = s.read_until_closed();
    CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(answer.find("HTTP/1.1", 10) == std::string::npos);   // one answer, then closed
}

TEST_CASE("http limits: writes over the per-user limit are 429 with Retry-After - reads are not limited") {
    HttpApi api({"--writes-per-minute", "5"});
    const std::string bob = HttpApi::token("bob");
    for (int i = 0; i < 5; ++i)
        REQUIRE(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("p" + std::to_string(i), "x")).status == 201);
    const auto res = api.call("PUT", "/api/v1/posts/p0/endorsement", kAnn);
    CHECK(res.status == 429);
    CHECK(res.code() == "rate_limited");
    const int retry = std::stoi(res.header("Retry-After"));
    CHECK(retry >= 1);
    CHECK(retry <= 12);   // one write every 12 s at 5 a minute
    for (int i = 0; i < 20; ++i) REQUIRE(api.call("GET", "/api/v1/modules/m/posts", kAnn).status == 200);
    CHECK(api.call("PUT", "/api/v1/posts/p0/endorsement", bob).status == 200);   // per user
}

TEST_CASE("http limits: CORS over HTTP: allowed origins, preflights, and nothing for other origins") {
    HttpApi api({"--allow-origin", "https://intranet.example", "--allow-origin", "http://localhost:3000/"});
    auto res = api.call("OPTIONS", "/api/v1/modules/m/posts", "", "",
                        {{"Origin", "http://localhost:3000"},
                         {"Access-Control-Request-Method", "POST"},
                         {"Access-Control-Request-Headers", "Content-Type, Authorization"}});
    CHECK(res.status == 204);
    CHECK(res.header("Access-Control-Allow-Origin") == "http://localhost:3000");
    CHECK(res.header("Access-Control-Allow-Methods") == "GET, POST, OPTIONS");
    CHECK(res.header("Access-Control-Allow-Headers") == "Authorization, Content-Type");
    res = api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("c", "cross-origin"),
                   {{"Origin", "https://intranet.example"}});
    CHECK(res.status == 201);
    CHECK(res.header("Access-Control-Allow-Origin") == "https://intranet.example");
    CHECK(res.header("Access-Control-Expose-Headers") == "Retry-After");
    res = api.call("GET", "/api/v1/modules/m/posts", kAnn, "", {{"Origin", "https://evil.example"}});
    CHECK(res.status == 200);
    CHECK_FALSE(res.headers.count("Access-Control-Allow-Origin"));
    res = api.call("OPTIONS", "/api/v1/modules/m/posts", "", "",
                   {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
    CHECK(res.status == 403);
    CHECK_FALSE(res.headers.count("Access-Control-Allow-Origin"));
    // 413 answers carry CORS headers too, so the widget can read why.
    res = api.call("POST", "/api/v1/modules/m/posts", kAnn, std::string(70000, 'x'), {{"Origin", "https://intranet.example"}});
    CHECK(res.status == 413);
    CHECK(res.header("Access-Control-Allow-Origin") == "https://intranet.example");
}

TEST_CASE("http limits: clients that stall cannot starve the worker pool") {
    // Two workers, both taken by clients that send half a request and stop.
    HttpApi api({"--threads", "2", "--request-timeout", "1", "--idle-timeout", "1"});
    RawSocket slow1(api.port()), slow2(api.port());
    REQUIRE(slow1.send_all("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n"));
    REQUIRE(slow2.send_all("POST /api/v1/modules/m/posts HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"kind\""));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    // Answered at all (the client waits 30 s): stalled clients that kept their workers would
    // keep them for good.
    const auto res = api.call("GET", "/api/v1/health");
    CHECK(res.status == 200);
    // The stalled connections were closed by the server (EOF or reset), not given up on by us.
    bool closed1 = false, closed2 = false;
    const std::string a1 = slow1.read_until_closed(&closed1);
    const std::string a2 = slow2.read_until_closed(&closed2);
    CHECK(closed1);
    CHECK(closed2);
    CHECK(a1.find("200 OK") == std::string::npos);
    CHECK(a2.find("201") == std::string::npos);
}

TEST_CASE("http limits: SIGTERM finishes in-flight writes - every 2xx is there after a restart") {
    const std::string dir = make_temp_dir();
    const std::string db = dir + "/grove.db";
    std::vector<std::string> acknowledged;
    std::string held_answer;
    {
        HttpApi api({}, db);
        std::atomic<bool> stop{false};
        std::vector<std::thread> writers;
        std::mutex mutex;
        for (int t = 0; t < 4; ++t)
            writers.emplace_back([&, t] {
                const std::string token = HttpApi::token("w" + std::to_string(t));
                for (int i = 0; !stop; ++i) {
                    const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
                    const auto res = api.call("POST", "/api/v1/modules/m/posts", token, create_json(id, "x"));
                    if (res.status == 201) {
                        std::lock_guard lock(mutex);
                        acknowledged.push_back(id);
                    } else if (res.status == 0) {
                        return;   // the server is gone
                    }
                }
            });
        auto acknowledged_count = [&] {
            std::lock_guard lock(mutex);
            return acknowledged.size();
        };
        for (const auto until = Clock::now() + kPatience; acknowledged_count() < 20 && Clock::now() < until;)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        REQUIRE(acknowledged_count() >= 20);

        // A write in flight when the signal comes: its head was read (the server said 100
        // Continue) and half its body sent. The server stops listening, then the rest arrives.
        RawSocket held(api.port());
        const std::string body = create_json("held", "sent across SIGTERM");
        REQUIRE(held.send_all(post_head("/api/v1/modules/m/posts", body.size(), "Expect: 100-continue\r\n")));
        std::string interim;
        REQUIRE(held.read_until_text(interim, "\r\n\r\n"));
        REQUIRE(interim.rfind("HTTP/1.1 100", 0) == 0);
        REQUIRE(held.send_all(body.substr(0, body.size() / 2)));
        REQUIRE(::kill(api.server().pid(), SIGTERM) == 0);
        bool listening = true;
        for (const auto until = Clock::now() + kPatience; listening && Clock::now() < until;) {
            listening = accepts_connections(api.port());
            if (listening) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        CHECK_FALSE(listening);   // the server stopped taking connections
        REQUIRE(held.send_all(body.substr(body.size() / 2)));
        held_answer = held.read_until_closed();
        CHECK(api.server().stop() == 0);
        stop = true;
        for (auto& w : writers) w.join();
    }
    CAPTURE(held_answer);
    CHECK(held_answer.rfind("HTTP/1.1 201", 0) == 0);
    HttpApi again({}, db);
    std::set<std::string> present;
    for (const Json& p : all_posts(again, "m", kAnn)) present.insert(p["id"].get<std::string>());
    for (const std::string& id : acknowledged) CHECK_MESSAGE(present.count(id), id);
    CHECK(present.count("held") == 1);
    remove_temp_dir(dir);
}

TEST_CASE("http limits: a client that follows the Keep-Alive hint never reuses a connection the server closed") {
    // A request sent on an idle connection as the server closes it fails ("other side closed").
    // The hint must end clients' reuse well before the idle timeout does.
    HttpApi api({"--idle-timeout", "4"});
    RawSocket c(api.port());
    std::string got;
    REQUIRE(c.send_all("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    REQUIRE(c.read_until_text(got, "\r\n\r\n"));
    const auto hint = got.find("Keep-Alive: timeout=");
    REQUIRE(hint != std::string::npos);
    const int seconds = std::stoi(got.substr(hint + 20));
    CHECK(seconds >= 1);
    CHECK(seconds < 4);
    // A client reuses the connection at the last moment the hint allows: still answered.
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    got.clear();
    REQUIRE(c.send_all("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    CHECK(c.read_until_text(got, "HTTP/1.1 200"));
    // The idle timeout still closes it.
    bool closed = false;
    c.read_until_closed(&closed);
    CHECK(closed);

    // An answer after which the server closes says so, so no client sends another request on it.
    RawSocket once(api.port());
    got.clear();
    REQUIRE(once.send_all("GET /api/v1/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"));
    got = once.read_until_closed(&closed);
    CHECK(closed);
    CHECK(got.find("Keep-Alive:") == std::string::npos);
    RawSocket refused(api.port());
    REQUIRE(refused.send_all("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: b\n\r\n"));
    got = refused.read_until_closed(&closed);
    CHECK(got.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(got.find("Connection: close") != std::string::npos);
    CHECK(got.find("Keep-Alive:") == std::string::npos);
}

// Slow, idle and oversized clients against the real binary, with a small worker pool so a few
// misbehaving connections would take every worker. tests/server/http_limits_test.cpp covers a
// client that stalls (sends half a request, then nothing): the per-read timeout handles that.
// These are the harder cases: a client that trickles a byte now and then (each read succeeds, so
// no per-read timeout ever fires), idle keep-alive connections holding every worker, URLs and
// headers past any sensible size, and a flood of header lines meant to exhaust memory.
#include <doctest/doctest.h>

#include <algorithm>   // std::max
#include <atomic>      // std::atomic
#include <thread>      // std::thread

#include "hardening_support.hpp"
#include "raw_socket.hpp"

using namespace grove;
using namespace grove::test;
using namespace std::chrono;

namespace {

// kPatience (raw_socket.hpp), how long these tests wait for something the server must do, is also
// far shorter than the timeouts the server is given where the test is about it doing it early.

// A health request on a fresh connection: how long it took, and the status (0: no answer
// within `patience`).
std::pair<int, milliseconds> timed_health(int port, seconds patience = seconds(30)) {
    const auto start = steady_clock::now();
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(patience.count(), 0);
    client.set_read_timeout(patience.count(), 0);
    auto res = client.Get("/api/v1/health");
    return {res ? res->status : 0, duration_cast<milliseconds>(steady_clock::now() - start)};
}

// What a trickling connection went through: how long the server let it live (`limit` itself:
// still open) and every byte the server sent it meanwhile.
struct Trickled {
    milliseconds lived;
    std::string received;
};

// Sends `prefix`, then one byte of `trickle` every `every` on each connection until the server
// closes it or `limit` passes.
std::vector<Trickled> trickle(std::vector<std::unique_ptr<RawSocket>>& conns, const std::string& prefix,
                              const std::string& trickle, milliseconds every, milliseconds limit) {
    std::vector<Trickled> result(conns.size(), Trickled{limit, {}});
    std::vector<bool> open(conns.size(), true);
    const auto start = steady_clock::now();
    for (auto& c : conns) REQUIRE(c->send_all(prefix));
    for (std::size_t step = 0; steady_clock::now() - start < limit; ++step) {
        bool any = false;
        for (std::size_t i = 0; i < conns.size(); ++i) {
            if (!open[i]) continue;
            const bool alive = conns[i]->read_some(result[i].received, milliseconds(0)) &&
                               conns[i]->send_all(std::string(1, trickle[step % trickle.size()]));
            if (!alive) {
                open[i] = false;
                result[i].lived = duration_cast<milliseconds>(steady_clock::now() - start);
            }
            any = any || open[i];
        }
        if (!any) break;
        std::this_thread::sleep_for(every);
    }
    return result;
}

}  // namespace

// Under AddressSanitizer freed memory waits in a quarantine (up to 256 MB), so the server's RSS
// grows with every request whatever the code does: the memory bounds are checked in the plain
// build, which runs the same tests.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kMemoryIsMeasurable = false;
#else
constexpr bool kMemoryIsMeasurable = true;
#endif

TEST_CASE("slow clients: a request head trickled a byte at a time is cut off, and nobody else waits for it") {
    // 4 workers, 6 slowloris connections; reads never stall for a whole second, so only a
    // deadline for the whole request head can end them.
    HttpApi api({"--threads", "4", "--request-timeout", "2", "--idle-timeout", "2"});
    std::vector<std::unique_ptr<RawSocket>> slow;
    for (int i = 0; i < 6; ++i) slow.push_back(std::make_unique<RawSocket>(api.port()));

    std::atomic<bool> done{false};
    std::vector<std::pair<int, milliseconds>> others;
    std::thread normal([&] {
        pause_ms(300);
        do {
            others.push_back(timed_health(api.port()));
            pause_ms(250);
        } while (!done);
    });
    // Each trickled head would live for ever without a deadline for the whole head (the server
    // has one of 2 s): all must be closed by the server well before kPatience.
    const auto trickled = trickle(slow, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ", "abcdefgh",
                                  milliseconds(400), kPatience);
    done = true;
    normal.join();

    int with_408 = 0;
    for (const auto& t : trickled) {
        CHECK_MESSAGE(t.lived < kPatience, "a slow client lived " << t.lived.count() << " ms");
        CHECK(t.received.find("200 OK") == std::string::npos);
        with_408 += t.received.rfind("HTTP/1.1 408", 0) == 0 ? 1 : 0;
    }
    MESSAGE(with_408 << " of 6 slow clients read the 408 before the connection closed");
    REQUIRE(!others.empty());
    // Every ordinary request was answered (each waits up to 30 s; behind slow clients that were
    // never cut off it would wait until they gave up).
    milliseconds worst{0};
    for (const auto& [status, took] : others) {
        CHECK(status == 200);
        worst = std::max(worst, took);
    }
    MESSAGE(others.size() << " ordinary requests meanwhile, the slowest took " << worst.count() << " ms");
}

TEST_CASE("slow clients: a request body trickled a byte at a time is cut off and nothing is stored") {
    HttpApi api({"--threads", "4", "--request-timeout", "2", "--idle-timeout", "2"});
    const std::string body = create_json("trickled", std::string(150, 'x'));
    std::vector<std::unique_ptr<RawSocket>> slow;
    slow.push_back(std::make_unique<RawSocket>(api.port()));
    const std::string head = "POST /api/v1/modules/m/posts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                             HttpApi::token("ann") + "\r\nContent-Type: application/json\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n";
    // At a byte every 400 ms the body would take longer than kPatience; the server's deadline is 2 s.
    REQUIRE(milliseconds(400) * body.size() > kPatience);
    const auto trickled = trickle(slow, head, body, milliseconds(400), kPatience);
    CHECK_MESSAGE(trickled[0].lived < kPatience, "the slow body lived " << trickled[0].lived.count() << " ms");
    CHECK(api.call("GET", "/api/v1/posts/trickled", HttpApi::token("ann")).status == 404);
    CHECK(api.call("GET", "/api/v1/health").status == 200);
}

TEST_CASE("slow clients: idle keep-alive connections give way when the connection limit is reached") {
    // Room for 3 connections and a long idle timeout: three browsers that made one request each
    // and keep their connections open would otherwise keep everyone else out for 10 minutes.
    HttpApi api({"--max-connections", "3", "--idle-timeout", "600", "--request-timeout", "5"});
    std::vector<std::unique_ptr<RawSocket>> idle;
    for (int i = 0; i < 3; ++i) {
        idle.push_back(std::make_unique<RawSocket>(api.port()));
        REQUIRE(idle.back()->send_all("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"));
        std::string got;
        idle.back()->read_until_text(got, "\r\n\r\n", seconds(5));
        REQUIRE(got.rfind("HTTP/1.1 200", 0) == 0);
    }
    pause_ms(300);
    // Answered within kPatience, far less than the idle timeout: the server made room.
    const auto [status, took] = timed_health(api.port(), kPatience);
    CHECK(status == 200);
    MESSAGE("a new client waited " << took.count() << " ms behind idle connections");
    // The server closed idle ones to make room: at least one ends (EOF or reset) long before
    // its idle timeout.
    int closed = 0;
    std::vector<bool> open(idle.size(), true);
    for (const auto until = steady_clock::now() + kPatience; closed == 0 && steady_clock::now() < until;)
        for (std::size_t i = 0; i < idle.size(); ++i) {
            bool ended = false;
            if (open[i]) idle[i]->read_until_closed(&ended, milliseconds(50));
            if (ended) open[i] = false, ++closed;
        }
    CHECK(closed >= 1);

    // A keep-alive client whose idle connection was closed simply reconnects.
    httplib::Client browser("127.0.0.1", api.port());
    browser.set_keep_alive(true);
    for (int i = 0; i < 3; ++i) {
        auto res = browser.Get("/api/v1/health");
        REQUIRE(res);
        CHECK(res->status == 200);
    }
}

TEST_CASE("oversized requests: a URL over 8 KiB is 414 with a JSON error, again and again, at no cost") {
    HttpApi api;
    const long rss_before = rss_kib(api.server().pid());
    const std::string target = "/api/v1/modules/" + std::string(9000, 'm') + "/posts";
    const auto res = api.call("GET", target, HttpApi::token("ann"));
    CHECK(res.status == 414);
    CHECK(res.code() == "uri_too_long");
    for (int i = 0; i < 300; ++i) REQUIRE(api.call("GET", target + "?" + std::to_string(i)).status == 414);
    const auto raw_long = api.call("GET", "/widget/" + std::string(20000, 'w'));
    CHECK(raw_long.status == 414);
    CHECK(api.call("GET", "/api/v1/health").status == 200);
    const long rss_after = rss_kib(api.server().pid());
    MESSAGE("server RSS " << rss_before << " KiB before, " << rss_after << " KiB after 300 oversized URLs");
    if (!kMemoryIsMeasurable) return;   // see kMemoryIsMeasurable
    CHECK(rss_after - rss_before < 16 * 1024);
}

TEST_CASE("oversized requests: a header line over 8 KiB is 400 - a flood of header lines is cut off early") {
    HttpApi api({"--request-timeout", "5"});
    {
        RawSocket c(api.port());
        REQUIRE(c.send_all("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'b') + "\r\n\r\n"));
        const std::string answer = c.read_until_closed(nullptr, seconds(10));
        CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
    }

    // 48 MB of short header lines, each within every per-line limit, sent as fast as the server
    // reads them. Without a budget for the whole request head, they all pile up in memory.
    const int pid = api.server().pid();
    const long rss_before = rss_kib(pid);
    long rss_peak = rss_before;
    std::atomic<bool> sending{true};
    std::size_t sent = 0;
    std::thread flood([&] {
        RawSocket c(api.port());
        std::string chunk;
        for (int i = 0; chunk.size() < 64 * 1024; ++i) chunk += "X-Fill-" + std::to_string(i) + ": " + std::string(80, 'f') + "\r\n";
        // A server that stops reading and holds the connection has cut the flood off too: after
        // 10 s without room for more, the sending stops.
        bool ok = c.send_all("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n", seconds(10));
        const auto start = steady_clock::now();
        while (ok && sent < 48u * 1024 * 1024 && steady_clock::now() - start < seconds(25)) {
            ok = c.send_all(chunk, seconds(10));
            if (ok) sent += chunk.size();
        }
        sending = false;
    });
    while (sending) {
        rss_peak = std::max(rss_peak, rss_kib(pid));
        pause_ms(50);
    }
    flood.join();
    MESSAGE("the server took " << sent / 1024 << " KiB of header lines before closing; RSS " << rss_before << " -> peak "
                               << rss_peak << " KiB");
    CHECK(sent < 8u * 1024 * 1024);
    if (kMemoryIsMeasurable) CHECK(rss_peak - rss_before < 64 * 1024);
    CHECK(api.call("GET", "/api/v1/health").status == 200);
}

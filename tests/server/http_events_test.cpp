// Live updates over real HTTP (API contract 1.1): GET /api/v1/events against the real binary.
// Errors are JSON before any event; a commit in a followed module is announced within 2 s; a
// leader learning anywhere reaches every stream; pings keep idle streams alive; a stream ends
// when its token expires or the server stops; and open streams cost no threads.
#include <doctest/doctest.h>

#include <poll.h>         // poll
#include <unistd.h>       // close

#include <algorithm>      // std::clamp
#include <chrono>         // std::chrono
#include <cstdlib>        // std::getenv
#include <fstream>        // std::ifstream
#include <thread>         // std::this_thread, std::thread::hardware_concurrency

#include "event_stream_client.hpp"
#include "http_test_support.hpp"

using namespace grove;
using namespace grove::test;
using namespace std::chrono;

namespace {

std::string event(const std::string& module, std::int64_t rev) {
    return "event: changed\ndata: " + dump(Json{{"module", module}, {"rev", rev}}) + "\n\n";
}

int threads_of(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
    return -1;
}

}  // namespace

TEST_CASE("events: a missing token is 401 and a bad module list 400, as JSON before any event") {
    HttpApi api;
    const std::string ann = HttpApi::token("ann");
    auto res = api.call("GET", "/api/v1/events?modules=m");
    CHECK(res.status == 401);
    CHECK(res.code() == "unauthorized");
    CHECK(res.header("Content-Type").rfind("application/json", 0) == 0);
    for (const std::string& query : std::vector<std::string>{"", "?modules=", "?modules=a,,b", "?modules=a%20b", "?modules=a,b,",
                                    "?other=a", "?modules=" + std::string(129, 'm')}) {
        CAPTURE(query);
        res = api.call("GET", "/api/v1/events" + query, ann);
        CHECK(res.status == 400);
        CHECK(res.code() == "bad_request");
        CHECK(res.field() == "modules");
    }
    std::string modules;
    for (int i = 0; i < 21; ++i) modules += (i ? "," : "") + std::string("m") + std::to_string(i);
    CHECK(api.call("GET", "/api/v1/events?modules=" + modules, ann).status == 400);
    CHECK(api.call("POST", "/api/v1/events?modules=m", ann, "{}").status == 405);
    // Twenty modules (one repeated) are fine.
    EventStream twenty(api.port(), modules.substr(0, modules.rfind(',')) + ",m0", ann);
    CHECK(twenty.wait_for(": ping\n\n"));
}

TEST_CASE("events: the stream's headers, then `changed` within 2 s of a commit in a followed module, nothing for others") {
    HttpApi api;
    const std::string ann = HttpApi::token("ann"), bob = HttpApi::token("bob");
    EventStream s(api.port(), "a,b", bob);
    REQUIRE(s.wait_for(": ping\n\n"));   // the stream is open, and subscribed
    const std::string head = s.head();
    CHECK(head.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(head.find("Content-Type: text/event-stream") != std::string::npos);
    CHECK(head.find("Cache-Control: no-store") != std::string::npos);

    REQUIRE(api.call("POST", "/api/v1/modules/c/posts", ann, create_json("c1", "elsewhere")).status == 201);
    const auto start = steady_clock::now();
    const auto created = api.call("POST", "/api/v1/modules/a/posts", ann, create_json("a1", "hello"));
    REQUIRE(created.status == 201);
    REQUIRE(s.wait_for(event("a", created.json()["rev"].get<std::int64_t>()), seconds(2)));
    MESSAGE("a commit reached the stream " << duration_cast<milliseconds>(steady_clock::now() - start).count()
                                           << " ms after the write was sent");
    // Every kind of change is announced with the post's new rev.
    REQUIRE(api.call("POST", "/api/v1/modules/b/posts", ann, create_json("b1", "x")).status == 201);
    const auto endorsed = api.call("PUT", "/api/v1/posts/b1/endorsement", bob);
    REQUIRE(endorsed.status == 200);
    const auto rev_b1 = [&] { return api.call("GET", "/api/v1/posts/b1", ann).json()["rev"].get<std::int64_t>(); };
    CHECK(s.wait_for(event("b", rev_b1()), seconds(2)));
    REQUIRE(api.call("PATCH", "/api/v1/posts/b1", ann, R"({"body":"y"})").status == 200);
    CHECK(s.wait_for(event("b", rev_b1()), seconds(2)));
    const auto deleted = api.call("DELETE", "/api/v1/posts/b1", ann);
    CHECK(s.wait_for(event("b", deleted.json()["rev"].get<std::int64_t>()), seconds(2)));
    CHECK(s.body().find("\"module\":\"c\"") == std::string::npos);
    CHECK(s.body().find("spotlight") == std::string::npos);
}

TEST_CASE("events: a leader learning in any module sends `spotlight` to every stream") {
    HttpApi api;
    EventStream s1(api.port(), "x", HttpApi::token("ann"));
    EventStream s2(api.port(), "y,z", HttpApi::token("bob"));
    REQUIRE(s1.wait_for(": ping\n\n"));
    REQUIRE(s2.wait_for(": ping\n\n"));
    const auto res = api.call("POST", "/api/v1/modules/elsewhere/posts", HttpApi::token("lea", Role::leader),
                              create_json("l1", "what I learned", "leader_learning"));
    REQUIRE(res.status == 201);
    const std::string spot = "event: spotlight\ndata: " + dump(Json{{"rev", res.json()["rev"]}}) + "\n\n";
    CHECK(s1.wait_for(spot, seconds(2)));
    CHECK(s2.wait_for(spot, seconds(2)));
    CHECK(s1.count("event: changed") == 0);
}

TEST_CASE("events: a burst of writes ends with the last rev announced") {
    HttpApi api;
    EventStream s(api.port(), "m", HttpApi::token("bob"));
    REQUIRE(s.wait_for(": ping\n\n"));
    std::int64_t last = 0;
    for (int i = 0; i < 40; ++i) {
        const auto res = api.call("POST", "/api/v1/modules/m/posts", HttpApi::token("ann"), create_json("p" + std::to_string(i), "x"));
        REQUIRE(res.status == 201);
        last = res.json()["rev"].get<std::int64_t>();
    }
    CHECK(s.wait_for(event("m", last), seconds(2)));
    MESSAGE("40 writes, " << s.count("event: changed") << " events");
    CHECK(s.count("event: changed") <= 40);
}

TEST_CASE("events: `: ping` every --ping-interval, and the stream ends when the token expires") {
    HttpApi api({"--ping-interval", "1"});
    const auto start = steady_clock::now();
    EventStream s(api.port(), "m", HttpApi::token("ann", Role::learner, 4));
    REQUIRE(s.wait_for(": ping\n\n: ping\n\n: ping\n\n", seconds(4)));
    REQUIRE(s.wait_closed(seconds(6)));
    const auto lived = duration_cast<milliseconds>(steady_clock::now() - start);
    MESSAGE("a stream with a 4 s token lived " << lived.count() << " ms");
    CHECK(lived >= seconds(2));   // exp is whole seconds: at least 3 s minus rounding
    CHECK(lived < seconds(7));
    CHECK(s.ended_cleanly());     // the last chunk: the client knows the stream ended, not broke
    CHECK(api.call("GET", "/api/v1/health").status == 200);
}

TEST_CASE("events: 500 open streams and 500 idle keep-alive connections hold no threads - all hear one write") {
    HttpApi api({"--threads", "2", "--write-threads", "2"});
    const std::string bob = HttpApi::token("bob");
    std::vector<std::unique_ptr<EventStream>> streams;
    for (int i = 0; i < 500; ++i) streams.push_back(std::make_unique<EventStream>(api.port(), "fan", bob));
    for (auto& s : streams) REQUIRE(s->wait_for(": ping\n\n"));
    std::vector<std::unique_ptr<httplib::Client>> idle;
    for (int i = 0; i < 500; ++i) {
        idle.push_back(std::make_unique<httplib::Client>("127.0.0.1", api.port()));
        idle.back()->set_keep_alive(true);
        auto res = idle.back()->Get("/api/v1/health");
        REQUIRE(res);
    }
    const int threads = threads_of(api.server().pid());
    MESSAGE("grove-server runs " << threads << " threads with 1,000 open connections");
    CHECK(threads > 0);
    // main, signals, the hub, 2 + 2 workers, PostgreSQL's listener, the io threads (one per core,
    // up to four): what matters is that 1,000 connections add none.
    const int io_threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
    CHECK(threads <= 7 + io_threads);
    const auto start = steady_clock::now();
    CHECK(api.call("GET", "/api/v1/health").status == 200);
    CHECK(steady_clock::now() - start < seconds(1));

    const auto res = api.call("POST", "/api/v1/modules/fan/posts", HttpApi::token("ann"), create_json("f", "to all"));
    REQUIRE(res.status == 201);
    const std::string expected = event("fan", res.json()["rev"].get<std::int64_t>());
    int heard = 0;
    for (auto& s : streams) heard += s->wait_for(expected, seconds(2)) ? 1 : 0;
    CHECK(heard == 500);
    CHECK(duration_cast<milliseconds>(steady_clock::now() - start) < seconds(3));
}

TEST_CASE("events: SIGTERM ends open streams cleanly and the server exits 0 at once") {
    HttpApi api;
    EventStream s(api.port(), "m", HttpApi::token("ann"));
    REQUIRE(s.wait_for(": ping\n\n"));
    const auto start = steady_clock::now();
    CHECK(api.server().stop() == 0);
    CHECK(steady_clock::now() - start < seconds(3));
    CHECK(s.wait_closed(seconds(2)));
    CHECK(s.ended_cleanly());
}

TEST_CASE("events: write workers - 32 by default on SQLite, as many as --threads on PostgreSQL, --write-threads sets them") {
    // Writes that wait for the writer together commit as one group, which cannot have more
    // members than there are write workers: so on SQLite there are many (http_server.cpp). On
    // PostgreSQL each may hold a pooled connection, so there they stay as many as --threads.
    const char* db = std::getenv("GROVE_TEST_DB");
    const bool on_postgres = db != nullptr && std::string(db) == "postgresql";
    const int default_writers = on_postgres ? 2 : 32;
    // main, signals, the hub, PostgreSQL's listener, and the io threads (one per core, up to four)
    const int io_threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
    {
        HttpApi api({"--threads", "2"});
        const int threads = threads_of(api.server().pid());
        MESSAGE("grove-server --threads 2 runs " << threads << " threads");
        CHECK(threads >= default_writers + 2);
        CHECK(threads <= default_writers + 2 + 4 + io_threads);
    }
    {
        HttpApi api({"--threads", "2", "--write-threads", "3"});
        const int threads = threads_of(api.server().pid());
        CHECK(threads >= 3 + 2);
        CHECK(threads <= 3 + 2 + 4 + io_threads);
        CHECK(api.call("POST", "/api/v1/modules/w/posts", HttpApi::token("ann"), create_json("w1", "one")).status == 201);
    }
}

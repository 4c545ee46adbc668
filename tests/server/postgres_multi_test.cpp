// Several grove-server instances on one PostgreSQL database (API contract 1.1, "Several
// instances, PostgreSQL, live updates"): two real server processes on a real cluster, one secret,
// over real HTTP. The changes feed stays exact with writers on both instances while every commit
// is held back (--test-commit-delay-ms); idempotent creates, the per-user write limit and live
// events work across instances; kill -9 loses no acknowledged write. Skipped without PostgreSQL.
#include <doctest/doctest.h>

#include <atomic>    // std::atomic
#include <chrono>    // std::chrono
#include <map>       // std::map
#include <mutex>     // std::mutex
#include <set>       // std::set
#include <thread>    // std::thread
#include <vector>    // std::vector

#include "event_stream_client.hpp"
#include "http_test_support.hpp"
#include "postgres_cluster.hpp"
#include "test_skip.hpp"

using namespace grove;
using namespace grove::test;

namespace {

std::optional<std::string> fresh_database(PostgresCluster*& cluster, const std::string& name) {
    std::string why_not;
    cluster = PostgresCluster::shared(why_not);
    if (!cluster) {
        skip_test(why_not);
        return std::nullopt;
    }
    cluster->create_database(name);
    return cluster->uri(name);
}

// A follower of one module's changes feed on one instance: pulls with its cursor, keeps the
// newest rev of every post it was shown.
struct Follower {
    HttpApi* instance;
    std::string module;
    std::string token;
    std::string cursor;
    std::map<std::string, std::int64_t> seen;   // post id -> rev

    // One pull to the end of the feed; false on an error answer.
    bool pull() {
        for (;;) {
            const std::string since = cursor.empty() ? "" : "&since=" + cursor;
            const auto res = instance->call("GET", "/api/v1/modules/" + module + "/posts?limit=1000" + since, token);
            if (res.status != 200) return false;
            const Json j = res.json();
            for (const Json& p : j["posts"]) {
                auto& rev = seen[p["id"].get<std::string>()];
                rev = std::max(rev, p["rev"].get<std::int64_t>());
            }
            cursor = j["cursor"].get<std::string>();
            if (!j["has_more"].get<bool>()) return true;
        }
    }
};

// The module's whole state as a fresh reader gets it.
std::map<std::string, std::int64_t> whole_feed(HttpApi& api, const std::string& module, const std::string& token) {
    Follower f{&api, module, token, {}, {}};
    REQUIRE(f.pull());
    return f.seen;
}

std::string changed(const std::string& module, std::int64_t rev) {
    return "event: changed\ndata: " + dump(Json{{"module", module}, {"rev", rev}}) + "\n\n";
}

}  // namespace

TEST_CASE("postgres multi-instance: 8 writers on two instances, 4 followers on both - every follower ends exact") {
    PostgresCluster* cluster = nullptr;
    const auto uri = fresh_database(cluster, "multi_feed");
    if (!uri) return;
    // Every write holds its stamped revs for 15 ms before COMMIT: a rev handed out before an
    // earlier one commits would let a follower's cursor pass it.
    HttpApi a({"--test-commit-delay-ms", "15"}, *uri);
    HttpApi b({"--test-commit-delay-ms", "15"}, *uri);
    HttpApi* instances[] = {&a, &b};
    const std::string modules[] = {"fire-101", "fire-102"};
    constexpr int kWriters = 8, kPostsEach = 12;

    std::mutex acked_mutex;
    std::map<std::string, std::string> acked;   // id -> module
    std::atomic<int> writers_left{kWriters};
    std::atomic<bool> failed{false};
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
        threads.emplace_back([&, w] {
            const std::string token = HttpApi::token("writer-" + std::to_string(w));
            for (int i = 0; i < kPostsEach; ++i) {
                const std::string id = "w" + std::to_string(w) + "-" + std::to_string(i);
                const std::string& module = modules[(w + i) % 2];
                const auto res = instances[(w + i) % 2]->call("POST", "/api/v1/modules/" + module + "/posts", token,
                                                             create_json(id, "Post " + id));
                if (res.status == 201) {
                    std::lock_guard lock(acked_mutex);
                    acked[id] = module;
                } else {
                    failed = true;
                }
            }
            --writers_left;
        });
    }
    // 4 followers: both modules, each on one instance (two on A, two on B), pulling while the
    // writers write, then once more after the last acknowledgement.
    std::vector<Follower> followers;
    for (int f = 0; f < 4; ++f)
        followers.push_back(Follower{instances[f % 2], modules[(f / 2) % 2], HttpApi::token("reader-" + std::to_string(f)), {}, {}});
    std::vector<std::thread> readers;
    for (Follower& f : followers) {
        readers.emplace_back([&] {
            while (writers_left > 0)
                if (!f.pull()) failed = true;
            if (!f.pull()) failed = true;
        });
    }
    for (auto& t : threads) t.join();
    for (auto& t : readers) t.join();
    REQUIRE_FALSE(failed);
    REQUIRE(acked.size() == kWriters * kPostsEach);

    const std::string reader = HttpApi::token("auditor");
    for (const std::string& module : modules) {
        const auto truth = whole_feed(a, module, reader);
        CHECK(truth == whole_feed(b, module, reader));
        CHECK(cluster->query("multi_feed", "SELECT COUNT(*) FROM posts WHERE module = '" + module + "'") ==
              std::to_string(truth.size()));
        // Plain variables, not structured bindings, in *_MESSAGE: clang 14 cannot capture those in its lambda.
        for (const auto& entry : acked) {
            const std::string& id = entry.first;
            if (entry.second == module) CHECK_MESSAGE(truth.count(id) == 1, id);
        }
        for (const Follower& f : followers) {
            if (f.module != module) continue;
            // Exactly the server's state: every acknowledged post at its rev, nothing else.
            CHECK(f.seen.size() == truth.size());
            for (const auto& entry : truth) {
                const std::string& id = entry.first;
                const std::int64_t rev = entry.second;
                const auto it = f.seen.find(id);
                CHECK_MESSAGE(it != f.seen.end(), "a follower never saw " << id << " (rev " << rev << ")");
                if (it != f.seen.end()) CHECK(it->second == rev);
            }
        }
    }
}

TEST_CASE("postgres multi-instance: the same create on A then on B is 201 then 200, one post") {
    PostgresCluster* cluster = nullptr;
    const auto uri = fresh_database(cluster, "multi_idempotent");
    if (!uri) return;
    HttpApi a({}, *uri), b({}, *uri);
    const std::string ann = HttpApi::token("ann");
    const auto first = a.call("POST", "/api/v1/modules/m/posts", ann, create_json("p-1", "Once"));
    CHECK(first.status == 201);
    const auto again = b.call("POST", "/api/v1/modules/m/posts", ann, create_json("p-1", "Once"));
    CHECK(again.status == 200);
    CHECK(again.json()["rev"] == first.json()["rev"]);
    CHECK(cluster->query("multi_idempotent", "SELECT COUNT(*) FROM posts") == "1");
}

TEST_CASE("postgres multi-instance: 40 writes by one user alternating instances at 30 a minute - 30 accepted") {
    PostgresCluster* cluster = nullptr;
    const auto uri = fresh_database(cluster, "multi_limit");
    if (!uri) return;
    HttpApi a({"--writes-per-minute", "30"}, *uri), b({"--writes-per-minute", "30"}, *uri);
    const std::string ann = HttpApi::token("ann");
    int accepted = 0, limited = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 40; ++i) {
        HttpApi& on = i % 2 ? b : a;
        const auto res = on.call("POST", "/api/v1/modules/m/posts", ann, create_json("p-" + std::to_string(i), "Write " + std::to_string(i)));
        if (res.status == 201) ++accepted;
        if (res.status == 429) {
            ++limited;
            CHECK(std::stoi(res.header("Retry-After")) >= 1);
        }
    }
    const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // The bucket refills one write every 2 s: a slow machine may earn one more per 2 s it took.
    const int earned = static_cast<int>(elapsed_s / 2);
    MESSAGE("40 writes took " << elapsed_s << " s; accepted " << accepted);
    CHECK(accepted >= 30);
    CHECK(accepted <= 30 + earned);
    CHECK(accepted + limited == 40);
    CHECK(cluster->query("multi_limit", "SELECT COUNT(*) FROM posts WHERE author_id = 'ann'") == std::to_string(accepted));
    // Another user has a budget of their own.
    CHECK(a.call("POST", "/api/v1/modules/m/posts", HttpApi::token("bob"), create_json("b-1", "Mine")).status == 201);
}

TEST_CASE("postgres multi-instance: kill -9 of an instance loses no acknowledged write") {
    PostgresCluster* cluster = nullptr;
    const auto uri = fresh_database(cluster, "multi_kill");
    if (!uri) return;
    HttpApi a({"--test-commit-delay-ms", "5"}, *uri), b({}, *uri);
    std::mutex acked_mutex;
    std::set<std::string> acked;
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
        writers.emplace_back([&, w] {
            const std::string token = HttpApi::token("writer-" + std::to_string(w));
            for (int i = 0; !stop; ++i) {
                const std::string id = "k" + std::to_string(w) + "-" + std::to_string(i);
                const auto res = a.call("POST", "/api/v1/modules/m/posts", token, create_json(id, "Before the crash"));
                if (res.status == 0) return;   // the instance is gone
                if (res.status == 201) {
                    std::lock_guard lock(acked_mutex);
                    acked.insert(id);
                }
            }
        });
    }
    while (true) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::lock_guard lock(acked_mutex);
        if (acked.size() >= 20) break;
    }
    a.server().kill_hard();
    stop = true;
    for (auto& t : writers) t.join();
    REQUIRE(acked.size() >= 20);
    // The other instance serves every acknowledged write.
    const auto truth = whole_feed(b, "m", HttpApi::token("auditor"));
    for (const std::string& id : acked) CHECK_MESSAGE(truth.count(id) == 1, id);
    // And writes go on there: the dead instance's writer lock went with its connection.
    CHECK(b.call("POST", "/api/v1/modules/m/posts", HttpApi::token("ann"), create_json("after", "After")).status == 201);
}

TEST_CASE("postgres multi-instance: a write on A reaches an event stream on B within 2 s, also after B's LISTEN connection was killed") {
    PostgresCluster* cluster = nullptr;
    const auto uri = fresh_database(cluster, "multi_events");
    if (!uri) return;
    HttpApi a({}, *uri), b({}, *uri);
    const std::string ann = HttpApi::token("ann"), bob = HttpApi::token("bob");
    EventStream on_b(b.port(), "m", bob);
    REQUIRE(on_b.wait_for(": ping\n\n"));   // open and subscribed

    auto res = a.call("POST", "/api/v1/modules/m/posts", ann, create_json("p-1", "From A"));
    REQUIRE(res.status == 201);
    CHECK(on_b.wait_for(changed("m", res.json()["rev"].get<std::int64_t>()), std::chrono::seconds(2)));

    // B's listener, by the name it gives its connection.
    const std::string name = "grove-server listen " + std::to_string(b.server().pid());
    CHECK(cluster->query("multi_events", "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '" +
                                             name + "'") == "1");
    res = a.call("POST", "/api/v1/modules/m/posts", ann, create_json("p-2", "From A, while B reconnects"));
    REQUIRE(res.status == 201);
    CHECK(on_b.wait_for(changed("m", res.json()["rev"].get<std::int64_t>()), std::chrono::seconds(2)));
    // B listens again.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::string listeners;
    do {
        listeners = cluster->query("multi_events", "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '" + name + "'");
        if (listeners == "1") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (std::chrono::steady_clock::now() < deadline);
    CHECK(listeners == "1");
    res = a.call("POST", "/api/v1/modules/m/posts", ann, create_json("p-3", "From A, after"));
    REQUIRE(res.status == 201);
    CHECK(on_b.wait_for(changed("m", res.json()["rev"].get<std::int64_t>()), std::chrono::seconds(2)));
}

TEST_CASE("postgres multi-instance: text with a NUL character is refused with 422 on PostgreSQL as on SQLite") {
    PostgresCluster* cluster = nullptr;
    const auto uri = fresh_database(cluster, "multi_nul");
    if (!uri) return;
    HttpApi on_pg({}, *uri), on_sqlite;
    const std::string ann = HttpApi::token("ann");
    const std::string body = R"({"id":"p-nul","kind":"insight","body":"before\u0000after"})";
    for (HttpApi* api : {&on_pg, &on_sqlite}) {
        const auto res = api->call("POST", "/api/v1/modules/m/posts", ann, body);
        CHECK(res.status == 422);
        CHECK(res.code() == "invalid_field");
        CHECK(res.field() == "body");
    }
    CHECK(cluster->query("multi_nul", "SELECT COUNT(*) FROM posts") == "0");
}

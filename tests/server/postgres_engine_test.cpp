// What only the PostgreSQL engine has: the schema version in the database, clear refusals, and
// several engines (as several grove-server instances would) sharing one database. The contract
// every engine meets is in storage_engine_test.cpp. Skipped where PostgreSQL is not installed.
#include <doctest/doctest.h>

#include <atomic>   // std::atomic
#include <chrono>   // std::chrono::milliseconds
#include <fstream>  // std::ofstream
#include <set>      // std::set
#include <thread>   // std::thread
#include <vector>   // std::vector

#include "http_test_support.hpp"
#include "options.hpp"
#include "postgres_cluster.hpp"
#include "server_process.hpp"
#include "storage/open_engine.hpp"
#include "storage/postgres_engine.hpp"
#include "test_skip.hpp"

using namespace grove;

namespace {

// A fresh database on the process's cluster, or nullopt (and the test is skipped).
std::optional<std::string> fresh_database(test::PostgresCluster*& cluster, const std::string& name) {
    std::string why_not;
    cluster = test::PostgresCluster::shared(why_not);
    if (!cluster) {
        test::skip_test(why_not);
        return std::nullopt;
    }
    cluster->create_database(name);
    return cluster->uri(name);
}

NewPost post(const std::string& id, const std::string& module = "m") {
    return NewPost{id, module, std::nullopt, Kind::insight, "body of " + id, Author{"ann", "Ann", Role::learner}, 1000};
}

}  // namespace

TEST_CASE("postgresql engine: schema version in the database, newer schemas refused, bad URIs refused clearly") {
    test::PostgresCluster* cluster = nullptr;
    const auto uri = fresh_database(cluster, "schema_check");
    if (!uri) return;
    { open_postgres_engine(PostgresOptions{*uri}); }
    // Opening again migrates nothing; the factory picks the engine by the URI's scheme.
    CHECK(open_storage_engine(EngineChoice{*uri, false})->name() == "postgresql");
    CHECK(cluster->query("schema_check", "SELECT MAX(version) FROM schema_migrations") ==
          std::to_string(kPostgresSchemaVersion));
    CHECK(cluster->query("schema_check", "SELECT COUNT(*) FROM schema_migrations") == "1");
    cluster->query("schema_check", "INSERT INTO schema_migrations VALUES (99, 0)");
    try {
        open_postgres_engine(PostgresOptions{*uri});
        FAIL("a newer schema was accepted");
    } catch (const StorageError& e) {
        CHECK(std::string(e.what()).find("schema version 99") != std::string::npos);
    }
    // A database that does not exist, and a password that must not appear in the message.
    const std::string missing = "postgresql://grove:s3cret@/no_such_db?host=" + cluster->dir() + "&port=5432";
    try {
        open_postgres_engine(PostgresOptions{missing});
        FAIL("a missing database was accepted");
    } catch (const StorageError& e) {
        const std::string what = e.what();
        CHECK(what.find("no_such_db") != std::string::npos);
        CHECK(what.find("s3cret") == std::string::npos);
    }
}

TEST_CASE("postgresql engine: --db takes a PostgreSQL URI, and a malformed one is refused before starting") {
    CHECK(is_postgres_uri("postgresql://grove@/grove?host=/run/postgresql"));
    CHECK(is_postgres_uri("postgres://h/db"));
    CHECK_FALSE(is_postgres_uri("grove.db"));
    CHECK_FALSE(is_postgres_uri("/var/lib/grove/postgresql.db"));
    CHECK(redact_postgres_uri("postgresql://u:pw@h:5/db?x=1") == "postgresql://u:***@h:5/db?x=1");
    CHECK(redact_postgres_uri("postgresql://h/db?password=pw&x=1") == "postgresql://h/db?password=***&x=1");
    const std::string dir = test::make_temp_dir();
    const std::string secret = dir + "/secret";
    std::ofstream(secret) << "a-secret-of-at-least-32-bytes-0123456789\n";
    const char* good[] = {"grove-server", "--jwt-secret-file", secret.c_str(), "--db", "postgresql://grove@/grove?host=/tmp&port=5432"};
    const auto ok = parse_server_options(5, good);
    REQUIRE(ok);
    CHECK(ok->db == "postgresql://grove@/grove?host=/tmp&port=5432");
    const char* bad[] = {"grove-server", "--jwt-secret-file", secret.c_str(), "--db", "postgresql://grove@/grove?nonsense=1"};
    const auto refused = parse_server_options(5, bad);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("PostgreSQL") != std::string::npos);
    // A dev server's secret and clock live in its process; instances on PostgreSQL must share one.
    const char* dev[] = {"grove-server", "--dev", "--db", "postgresql://grove@/grove?host=/tmp"};
    const auto no_dev = parse_server_options(4, dev);
    REQUIRE_FALSE(no_dev);
    CHECK(no_dev.error().message.find("--dev works with a SQLite --db only") != std::string::npos);
    test::remove_temp_dir(dir);
}

TEST_CASE("postgresql engine: two engines on one database (two instances) - revs unique, gapless, in commit order") {
    test::PostgresCluster* cluster = nullptr;
    const auto uri = fresh_database(cluster, "two_instances");
    if (!uri) return;
    // A pause between stamping a rev and committing it widens the window in which a follower
    // could read a later rev first, were revs not stamped under the writer lock.
    PostgresOptions options{*uri};
    options.test_delay_before_commit_ms = 1;
    auto a = open_postgres_engine(options);
    auto b = open_postgres_engine(options);
    // Followers read the feed while 4 writers (2 per engine) insert: a follower's cursor never
    // passes a rev that commits later, so each follower ends having seen every post exactly once.
    std::atomic<bool> writing{true};
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w)
        writers.emplace_back([&, w] {
            StorageEngine& engine = w % 2 ? *b : *a;
            for (int i = 0; i < 40; ++i) {
                auto tx = engine.begin_write();
                tx->insert_post(post("w" + std::to_string(w) + "-" + std::to_string(i)));
                tx->commit();
            }
        });
    std::vector<std::thread> followers;
    std::vector<std::vector<std::int64_t>> seen(2);
    for (int f = 0; f < 2; ++f)
        followers.emplace_back([&, f] {
            StorageEngine& engine = f ? *b : *a;
            std::int64_t cursor = 0;
            auto pull = [&] {
                auto page = engine.begin_read()->list_module_posts(ModulePostsQuery{"m", cursor, true, 1000, ""});
                for (const Post& p : page.posts) {
                    seen[f].push_back(p.rev);
                    cursor = p.rev;
                }
            };
            while (writing.load()) pull();
            pull();
        });
    for (auto& t : writers) t.join();
    writing = false;
    for (auto& t : followers) t.join();
    for (const auto& revs : seen) {
        REQUIRE(revs.size() == 160);
        for (std::size_t i = 0; i < revs.size(); ++i) CHECK(revs[i] == static_cast<std::int64_t>(i + 1));
    }
    CHECK(a->begin_read()->last_rev() == 160);
    CHECK(b->begin_read()->last_rev() == 160);
}

TEST_CASE("postgresql engine: a writer connection the server closed is replaced on the next write") {
    test::PostgresCluster* cluster = nullptr;
    const auto uri = fresh_database(cluster, "reconnect");
    if (!uri) return;
    auto engine = open_postgres_engine(PostgresOptions{*uri});
    {
        auto tx = engine->begin_write();
        tx->insert_post(post("before"));
        tx->commit();
    }
    CHECK(engine->begin_read()->find_post(PostQuery{"before", ""}));
    // Every session of this database but the one asking ends (as a restart or an operator would).
    cluster->query("reconnect",
                   "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                   "WHERE datname = 'reconnect' AND pid <> pg_backend_pid()");
    auto tx = engine->begin_write();
    CHECK(tx->insert_post(post("after")) == 2);
    tx->commit();
    // The pooled reader was closed too: it is replaced as well.
    CHECK(engine->begin_read()->find_post(PostQuery{"after", ""}));
}

TEST_CASE("postgresql engine: grove-server with --db postgresql:// stores posts there - a restart keeps them") {
    test::PostgresCluster* cluster = nullptr;
    const auto uri = fresh_database(cluster, "http_server");
    if (!uri) return;
    const std::string ann = test::HttpApi::token("ann");
    {
        test::HttpApi api({}, *uri);
        auto res = api.call("POST", "/api/v1/modules/fire-101/posts", ann, test::create_json("p-1", "Stored in PostgreSQL ✓"));
        CHECK(res.status == 201);
        res = api.call("POST", "/api/v1/modules/fire-101/posts", ann, test::create_json("p-1", "Stored in PostgreSQL ✓"));
        CHECK(res.status == 200);   // a retry finds the stored post
        CHECK(cluster->query("http_server", "SELECT body FROM posts WHERE id = 'p-1'") == "Stored in PostgreSQL ✓");
        CHECK(cluster->query("http_server", "SELECT COUNT(*) FROM posts") == "1");
    }
    test::HttpApi again({}, *uri);
    const auto res = again.call("GET", "/api/v1/modules/fire-101/posts", ann);
    REQUIRE(res.status == 200);
    const Json posts = res.json()["posts"];
    REQUIRE(posts.size() == 1);
    CHECK(posts[0]["body"].get<std::string>() == "Stored in PostgreSQL ✓");
}

TEST_CASE("postgresql engine: a write transaction on one instance sees every write committed before it on another") {
    // What idempotent creates and 409s across instances rest on: B's "is there a post p?" waits
    // for A's open write transaction and then sees A's post, instead of both inserting it.
    test::PostgresCluster* cluster = nullptr;
    const auto uri = fresh_database(cluster, "read_then_write");
    if (!uri) return;
    auto a = open_postgres_engine(PostgresOptions{*uri});
    auto b = open_postgres_engine(PostgresOptions{*uri});
    auto on_a = a->begin_write();
    on_a->insert_post(post("p"));
    std::atomic<bool> b_started{false};
    std::optional<Post> b_saw;
    std::thread other([&] {
        b_started = true;
        auto on_b = b->begin_write();   // waits for A's transaction to end
        b_saw = on_b->find_post(PostQuery{"p", ""});
        on_b->commit();
    });
    while (!b_started) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));   // let B reach the lock (a wider window only)
    on_a->commit();
    other.join();
    REQUIRE(b_saw);
    CHECK(b_saw->rev == 1);
}

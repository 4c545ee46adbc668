// The storage engine contract (server-stub/storage/storage_engine.hpp), run against every engine.
// Each ENGINE_TEST_CASE is two ctest entries: "storage engine: ..." on SQLite (a file in WAL mode,
// one with synchronous=FULL, and :memory:) and "storage engine on postgresql: ..." on a real
// PostgreSQL cluster (tests/support/postgres_cluster.hpp), reported as skipped, never as passed,
// where PostgreSQL is not installed.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <atomic>       // std::atomic
#include <functional>   // std::function
#include <map>          // std::map
#include <memory>       // std::unique_ptr
#include <mutex>        // std::mutex
#include <set>          // std::set
#include <thread>       // std::thread
#include <vector>       // std::vector

#include "postgres_cluster.hpp"
#include "server_process.hpp"
#include "storage/postgres_engine.hpp"
#include "storage/sqlite_engine.hpp"
#include "test_skip.hpp"

using namespace grove;

namespace {

struct EngineKind {
    const char* name;
    bool persistent;            // reopening the same location sees the data
    bool concurrent_readers;    // a read transaction may stay open while a write commits
    std::function<std::unique_ptr<StorageEngine>(const std::string& dir)> open;
};

const std::vector<EngineKind> kSqliteEngines = {
    {"sqlite (file, WAL)", true, true,
     [](const std::string& dir) { return open_sqlite_engine(SqliteOptions{dir + "/grove.db", false}); }},
    {"sqlite (file, synchronous=FULL)", true, true,
     [](const std::string& dir) { return open_sqlite_engine(SqliteOptions{dir + "/grove-full.db", true}); }},
    {"sqlite (:memory:)", false, false,
     [](const std::string&) { return open_sqlite_engine(SqliteOptions{":memory:", false}); }},
};

// One database per test folder on the process's cluster: reopening the folder reopens it.
std::string postgres_uri_for(const std::string& dir) {
    std::string why_not;
    test::PostgresCluster* cluster = test::PostgresCluster::shared(why_not);
    if (!cluster) throw std::runtime_error(why_not);
    const std::string db = test::database_name_for(dir);
    cluster->create_database(db);
    return cluster->uri(db);
}

const std::vector<EngineKind> kPostgresEngines = {
    {"postgresql", true, true,
     [](const std::string& dir) { return open_postgres_engine(PostgresOptions{postgres_uri_for(dir)}); }},
};

const std::vector<EngineKind>* g_engines = &kSqliteEngines;

// The engines the running test case is about.
struct EngineSet {
    explicit EngineSet(const std::vector<EngineKind>& engines) { g_engines = &engines; }
    ~EngineSet() { g_engines = &kSqliteEngines; }
};

template <class F>
void for_each_engine(F&& body) {
    if (g_engines == &kPostgresEngines) {
        std::string why_not;
        if (!test::PostgresCluster::shared(why_not)) {
            test::skip_test(why_not);
            return;
        }
    }
    for (const EngineKind& kind : *g_engines) {
        CAPTURE(kind.name);
        const std::string dir = test::make_temp_dir();
        {
            auto engine = kind.open(dir);
            body(kind, *engine, dir);
        }
        test::remove_temp_dir(dir);
    }
}

#define ENGINE_TEST_CASE(title) ENGINE_TEST_CASE_IMPL(title, DOCTEST_ANONYMOUS(engine_test_))
#define ENGINE_TEST_CASE_IMPL(title, fn)                    \
    static void fn();                                       \
    TEST_CASE("storage engine: " title) {                   \
        EngineSet only(kSqliteEngines);                     \
        fn();                                               \
    }                                                       \
    TEST_CASE("storage engine on postgresql: " title) {     \
        EngineSet only(kPostgresEngines);                   \
        fn();                                               \
    }                                                       \
    static void fn()

NewPost new_post(const std::string& id, const std::string& module = "m", std::int64_t at = 1000,
                 Kind kind = Kind::insight, const std::string& author = "ann") {
    return NewPost{id, module, std::nullopt, kind, "body of " + id, Author{author, "Name " + author, Role::learner}, at};
}

std::int64_t insert(StorageEngine& engine, const NewPost& p) {
    auto tx = engine.begin_write();
    const std::int64_t rev = tx->insert_post(p);
    tx->commit();
    return rev;
}

std::optional<Post> find(StorageEngine& engine, const std::string& id, const std::string& viewer = "") {
    return engine.begin_read()->find_post(PostQuery{id, viewer});
}

}  // namespace

ENGINE_TEST_CASE("a post is stored with every field and stamped with the next rev") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        CHECK(engine.begin_read()->last_rev() == 0);
        NewPost p = new_post("p1");
        p.body = "Quotes ' \" ; -- DROP TABLE posts; and ✓ emoji 🌳";
        p.author = Author{"u-1", "Zoë O'Brien", Role::leader};
        p.kind = Kind::leader_learning;
        CHECK(insert(engine, p) == 1);
        NewPost reply = new_post("r1");
        reply.parent_id = "p1";
        CHECK(insert(engine, reply) == 2);
        CHECK(engine.committed_rev() == 2);

        const auto got = find(engine, "p1");
        REQUIRE(got);
        CHECK(got->id == "p1");
        CHECK(got->module == "m");
        CHECK_FALSE(got->parent_id);
        CHECK(got->kind == Kind::leader_learning);
        CHECK(got->body == p.body);
        CHECK(got->author == p.author);
        CHECK(got->created_at_ms == 1000);
        CHECK_FALSE(got->edited_at_ms);
        CHECK(got->endorsements == 0);
        CHECK_FALSE(got->endorsed_by_me);
        CHECK_FALSE(got->leader_endorsed);
        CHECK_FALSE(got->pinned);
        CHECK_FALSE(got->hidden);
        CHECK_FALSE(got->deleted);
        CHECK(got->rev == 1);
        CHECK(find(engine, "r1")->parent_id == std::optional<std::string>("p1"));
        CHECK_FALSE(find(engine, "nope"));
        CHECK(engine.begin_read()->last_rev() == 2);
    });
}

ENGINE_TEST_CASE("a transaction that is not committed leaves nothing behind") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        insert(engine, new_post("kept"));
        {
            auto tx = engine.begin_write();
            tx->insert_post(new_post("lost"));
            tx->add_endorsement(EndorsementChange{"kept", "bob", true, 5});
            CHECK(tx->find_post(PostQuery{"lost", ""}));   // visible inside the transaction
        }
        CHECK_FALSE(find(engine, "lost"));
        CHECK(find(engine, "kept")->endorsements == 0);
        CHECK(engine.committed_rev() == 1);
        CHECK(engine.begin_read()->last_rev() == 1);
        CHECK(insert(engine, new_post("next")) == 2);   // the rolled-back revs are handed out again
    });
}

ENGINE_TEST_CASE("writes need a write transaction") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        auto tx = engine.begin_read();
        CHECK_THROWS_AS(tx->insert_post(new_post("x")), StorageError);
        CHECK_THROWS_AS(tx->update_post(PostUpdate{"x", {}, {}, true, {}, false}), StorageError);
    });
}

ENGINE_TEST_CASE("module posts by rev, with tombstones on request, in pages") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        for (int i = 0; i < 5; ++i) insert(engine, new_post("a" + std::to_string(i), "mod-a"));
        insert(engine, new_post("b0", "mod-b"));
        {
            auto tx = engine.begin_write();
            CHECK(tx->update_post(PostUpdate{"a1", {}, {}, {}, {}, true}) == 7);   // delete
            CHECK(tx->update_post(PostUpdate{"a0", std::string("edited"), 99, {}, {}, false}) == 8);
            tx->commit();
        }
        auto tx = engine.begin_read();
        auto page = tx->list_module_posts(ModulePostsQuery{"mod-a", 0, false, 200, ""});
        std::vector<std::string> ids;
        for (auto& p : page.posts) ids.push_back(p.id);
        CHECK(ids == std::vector<std::string>{"a2", "a3", "a4", "a0"});
        CHECK_FALSE(page.has_more);

        page = tx->list_module_posts(ModulePostsQuery{"mod-a", 3, true, 2, ""});
        REQUIRE(page.posts.size() == 2);
        CHECK(page.posts[0].id == "a3");
        CHECK(page.posts[1].id == "a4");
        CHECK(page.has_more);
        page = tx->list_module_posts(ModulePostsQuery{"mod-a", 5, true, 2, ""});
        REQUIRE(page.posts.size() == 2);
        CHECK(page.posts[0].id == "a1");
        CHECK(page.posts[0].deleted);
        CHECK(page.posts[0].body.empty());
        CHECK(page.posts[1].id == "a0");
        CHECK(page.posts[1].body == "edited");
        CHECK(page.posts[1].edited_at_ms == std::optional<std::int64_t>(99));
        CHECK_FALSE(page.has_more);
        CHECK(tx->list_module_posts(ModulePostsQuery{"mod-c", 0, true, 10, ""}).posts.empty());
    });
}

ENGINE_TEST_CASE("updates change only the given fields - unknown posts change nothing") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        insert(engine, new_post("p"));
        auto tx = engine.begin_write();
        CHECK(tx->update_post(PostUpdate{"p", {}, {}, true, {}, false}) == 2);
        CHECK(tx->update_post(PostUpdate{"p", {}, {}, {}, true, false}) == 3);
        CHECK(tx->update_post(PostUpdate{"missing", {}, {}, true, {}, false}) == 0);
        tx->commit();
        const auto p = find(engine, "p");
        CHECK(p->pinned);
        CHECK(p->hidden);
        CHECK(p->body == "body of p");
        CHECK(p->rev == 3);
        CHECK(engine.committed_rev() == 3);
    });
}

ENGINE_TEST_CASE("endorsements are counted once per user - trusted ones set leader_endorsed") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        insert(engine, new_post("p"));
        auto tx = engine.begin_write();
        CHECK(tx->add_endorsement(EndorsementChange{"p", "bob", false, 10}) == 2);
        CHECK(tx->add_endorsement(EndorsementChange{"p", "bob", false, 11}) == 0);
        CHECK(tx->add_endorsement(EndorsementChange{"p", "lea", true, 12}) == 3);
        tx->commit();
        auto p = find(engine, "p", "bob");
        CHECK(p->endorsements == 2);
        CHECK(p->endorsed_by_me);
        CHECK(p->leader_endorsed);
        CHECK_FALSE(find(engine, "p", "ann")->endorsed_by_me);
        tx = engine.begin_write();
        CHECK(tx->remove_endorsement(EndorsementChange{"p", "lea", false, 13}) == 4);
        CHECK(tx->remove_endorsement(EndorsementChange{"p", "lea", false, 14}) == 0);
        tx->commit();
        p = find(engine, "p", "bob");
        CHECK(p->endorsements == 1);
        CHECK_FALSE(p->leader_endorsed);
        CHECK(p->rev == 4);
    });
}

ENGINE_TEST_CASE("flags once per user, open until resolved, most flagged first") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        insert(engine, new_post("p"));
        insert(engine, new_post("q"));
        insert(engine, new_post("gone"));
        auto tx = engine.begin_write();
        CHECK(tx->add_flag(NewFlag{"p", "u1", "rude", 10}));
        CHECK_FALSE(tx->add_flag(NewFlag{"p", "u1", "again", 11}));
        CHECK(tx->add_flag(NewFlag{"q", "u1", "", 12}));
        CHECK(tx->add_flag(NewFlag{"q", "u2", "off-topic", 13}));
        CHECK(tx->add_flag(NewFlag{"gone", "u2", "x", 14}));
        tx->update_post(PostUpdate{"gone", {}, {}, {}, {}, true});
        CHECK(tx->post_moderation(PostModerationQuery{"q"}).open_flags == 2);
        tx->commit();
        auto rows = engine.begin_read()->list_flagged(FlagQueueQuery{200, ""});
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].post.id == "q");
        CHECK(rows[0].count == 2);
        CHECK(rows[0].reasons == std::vector<std::string>{"off-topic"});
        CHECK(rows[1].post.id == "p");
        CHECK(rows[1].reasons == std::vector<std::string>{"rude"});
        tx = engine.begin_write();
        tx->resolve_flags(FlagResolution{"q", 20});
        CHECK(tx->post_moderation(PostModerationQuery{"q"}).open_flags == 0);
        CHECK_FALSE(tx->add_flag(NewFlag{"q", "u1", "still", 21}));   // one flag per user and post, ever
        CHECK(tx->add_flag(NewFlag{"q", "u3", "new", 22}));
        tx->commit();
        rows = engine.begin_read()->list_flagged(FlagQueueQuery{200, ""});
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].post.id == "q");   // 1 open flag, newer than p's
        CHECK(rows[0].count == 1);
        CHECK(rows[0].reasons == std::vector<std::string>{"new"});
    });
}

ENGINE_TEST_CASE("spotlight and module statistics") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        const std::int64_t day = 86'400'000;
        insert(engine, new_post("old", "a", 1 * day, Kind::leader_learning, "lea"));
        insert(engine, new_post("l1", "a", 10 * day, Kind::leader_learning, "lea"));
        insert(engine, new_post("l2", "b", 10 * day + 5, Kind::leader_learning, "lea"));
        insert(engine, new_post("hid", "b", 10 * day + 6, Kind::leader_learning, "lea"));
        insert(engine, new_post("tip", "a", 10 * day + 7, Kind::tip, "ann"));
        NewPost reply = new_post("re", "a", 11 * day, Kind::insight, "bob");
        reply.parent_id = "tip";
        insert(engine, reply);
        auto tx = engine.begin_write();
        tx->update_post(PostUpdate{"hid", {}, {}, {}, true, false});
        tx->add_endorsement(EndorsementChange{"tip", "bob", false, 11 * day + 1});
        tx->add_endorsement(EndorsementChange{"l1", "bob", false, 11 * day + 2});
        tx->commit();

        auto rtx = engine.begin_read();
        auto spot = rtx->list_spotlight(SpotlightQuery{Kind::leader_learning, 5 * day, false, 100, ""});
        REQUIRE(spot.size() == 2);
        CHECK(spot[0].id == "l2");
        CHECK(spot[1].id == "l1");
        CHECK(rtx->list_spotlight(SpotlightQuery{Kind::leader_learning, 5 * day, true, 100, ""}).size() == 3);
        CHECK(rtx->list_spotlight(SpotlightQuery{Kind::leader_learning, 0, true, 1, ""}).size() == 1);

        const ModuleStatsRow s = rtx->module_stats(ModuleStatsQuery{"a", 9 * day});
        CHECK(s.posts == 3);
        CHECK(s.replies == 1);
        CHECK(s.contributors == 3);
        CHECK(s.endorsements == 2);
        REQUIRE(s.per_day.size() == 2);
        CHECK(s.per_day[0].day_start_ms == 10 * day);
        CHECK(s.per_day[0].posts == 2);
        CHECK(s.per_day[0].endorsements == 0);
        CHECK(s.per_day[1].day_start_ms == 11 * day);
        CHECK(s.per_day[1].posts == 1);
        CHECK(s.per_day[1].endorsements == 2);
    });
}

ENGINE_TEST_CASE("concurrent write transactions are serialized - revs are unique and gapless") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&engine, t] {
                for (int i = 0; i < 50; ++i) insert(engine, new_post("t" + std::to_string(t) + "-" + std::to_string(i)));
            });
        for (auto& th : threads) th.join();
        auto page = engine.begin_read()->list_module_posts(ModulePostsQuery{"m", 0, true, 1000, ""});
        REQUIRE(page.posts.size() == 200);
        for (std::size_t i = 0; i < page.posts.size(); ++i) CHECK(page.posts[i].rev == static_cast<std::int64_t>(i + 1));
        CHECK(engine.committed_rev() == 200);
    });
}

ENGINE_TEST_CASE("a read transaction sees one snapshot while writes commit") {
    for_each_engine([](const EngineKind& kind, StorageEngine& engine, const std::string&) {
        if (!kind.concurrent_readers) return;
        insert(engine, new_post("before"));
        auto reader = engine.begin_read();
        CHECK(reader->find_post(PostQuery{"before", ""}));
        insert(engine, new_post("after"));
        CHECK_FALSE(reader->find_post(PostQuery{"after", ""}));
        CHECK(reader->last_rev() == 1);
        reader.reset();
        CHECK(find(engine, "after"));
    });
}

ENGINE_TEST_CASE("data survives reopening - the schema version is stored and checked") {
    for_each_engine([](const EngineKind& kind, StorageEngine& engine, const std::string& dir) {
        if (!kind.persistent) return;
        insert(engine, new_post("p"));
        {
            auto tx = engine.begin_write();
            tx->add_endorsement(EndorsementChange{"p", "bob", true, 5});
            tx->commit();
        }
        auto again = kind.open(dir);
        const auto p = again->begin_read()->find_post(PostQuery{"p", "bob"});
        REQUIRE(p);
        CHECK(p->endorsements == 1);
        CHECK(p->endorsed_by_me);
        CHECK(again->committed_rev() == 2);
        CHECK(insert(*again, new_post("q")) == 3);
    });
}

TEST_CASE("sqlite engine: WAL mode, schema version in the database, newer schemas refused") {
    const std::string dir = test::make_temp_dir();
    const std::string path = dir + "/grove.db";
    { open_sqlite_engine(SqliteOptions{path, false}); }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    auto scalar = [db](const char* sql) {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        std::string v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        return v;
    };
    CHECK(scalar("PRAGMA journal_mode") == "wal");
    CHECK(scalar("SELECT MAX(version) FROM schema_migrations") == std::to_string(kSqliteSchemaVersion));
    REQUIRE(sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (99, 0)", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    try {
        open_sqlite_engine(SqliteOptions{path, false});
        FAIL("a newer schema was accepted");
    } catch (const StorageError& e) {
        CHECK(std::string(e.what()).find("schema version 99") != std::string::npos);
    }
    CHECK_THROWS_AS(open_sqlite_engine(SqliteOptions{dir + "/no/such/dir/x.db", false}), StorageError);
    test::remove_temp_dir(dir);
}

// -- Version 1.1: counts, commitments, titles, resources, digests -------------------------------

namespace {

ModuleCountsRow counts_of(StorageEngine& engine, const std::string& module) {
    const auto rows = engine.begin_read()->module_counts(ModuleCountsQuery{{module}});
    return rows.empty() ? ModuleCountsRow{module, std::nullopt, 0, 0, 0} : rows.front();
}

void update(StorageEngine& engine, const PostUpdate& u) {
    auto tx = engine.begin_write();
    REQUIRE(tx->update_post(u) > 0);
    tx->commit();
}

PostUpdate hide(const std::string& id, bool hidden, bool by_flags = false) {
    PostUpdate u{id, {}, {}, {}, hidden, false, by_flags};
    return u;
}

PostUpdate tombstone(const std::string& id) { return PostUpdate{id, {}, {}, {}, {}, true, false}; }

}  // namespace

ENGINE_TEST_CASE("module counts follow every insert, hide, unhide and delete") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        CHECK(engine.begin_read()->module_counts(ModuleCountsQuery{{"m", "nobody-wrote-here"}}).empty());
        insert(engine, new_post("a1", "m", 1, Kind::insight, "ann"));
        insert(engine, new_post("a2", "m", 2, Kind::insight, "ann"));
        insert(engine, new_post("b1", "m", 3, Kind::insight, "bob"));
        NewPost reply = new_post("r1", "m", 4, Kind::insight, "cat");
        reply.parent_id = "a1";
        insert(engine, reply);
        insert(engine, new_post("x1", "other", 5, Kind::insight, "ann"));
        auto c = counts_of(engine, "m");
        CHECK(c.posts == 3);
        CHECK(c.replies == 1);
        CHECK(c.contributors == 3);

        update(engine, hide("b1", true));     // bob's only post: bob stops counting
        c = counts_of(engine, "m");
        CHECK(c.posts == 2);
        CHECK(c.contributors == 2);
        update(engine, hide("b1", true));     // hiding again changes nothing
        CHECK(counts_of(engine, "m").posts == 2);
        update(engine, hide("b1", false));
        c = counts_of(engine, "m");
        CHECK(c.posts == 3);
        CHECK(c.contributors == 3);

        update(engine, tombstone("a1"));         // ann still has a2
        c = counts_of(engine, "m");
        CHECK(c.posts == 2);
        CHECK(c.contributors == 3);
        update(engine, hide("a2", true));
        update(engine, tombstone("a2"));         // hidden then deleted: counted down once
        update(engine, tombstone("r1"));
        c = counts_of(engine, "m");
        CHECK(c.posts == 1);
        CHECK(c.replies == 0);
        CHECK(c.contributors == 1);
        update(engine, hide("a2", false));    // a deleted post shown again stays out of the counts
        CHECK(counts_of(engine, "m").posts == 1);
        CHECK(counts_of(engine, "other").posts == 1);

        // A rolled-back write leaves the counts as they were.
        {
            auto tx = engine.begin_write();
            tx->insert_post(new_post("never", "m", 9, Kind::insight, "zed"));
        }
        CHECK(counts_of(engine, "m").contributors == 1);

        // The counts equal what a full count of the posts says.
        auto page = engine.begin_read()->list_module_posts(ModulePostsQuery{"m", 0, false, 1000, ""});
        std::set<std::string> authors;
        std::int64_t top = 0, replies = 0;
        for (const Post& p : page.posts) {
            if (p.hidden) continue;
            authors.insert(p.author.id);
            (p.parent_id ? replies : top) += 1;
        }
        c = counts_of(engine, "m");
        CHECK(c.posts == top);
        CHECK(c.replies == replies);
        CHECK(c.contributors == static_cast<std::int64_t>(authors.size()));
    });
}

ENGINE_TEST_CASE("module titles - set, kept, carried by posts, and a rev for each change") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        insert(engine, new_post("p", "m"));
        CHECK_FALSE(find(engine, "p")->module_title);
        auto tx = engine.begin_write();
        const std::int64_t rev = tx->set_module_title(ModuleTitleChange{"m", "Fire safety 101"});
        CHECK(rev == 2);
        CHECK(tx->set_module_title(ModuleTitleChange{"m", "Fire safety 101"}) == 0);   // unchanged
        CHECK(tx->set_module_title(ModuleTitleChange{"fresh", "Not written in yet"}) == 3);
        tx->commit();
        CHECK(engine.committed_rev() == 3);
        CHECK(find(engine, "p")->module_title == "Fire safety 101");
        CHECK(find(engine, "p")->rev == 1);   // the post itself did not change
        auto rtx = engine.begin_read();
        const auto rows = rtx->module_counts(ModuleCountsQuery{{"m", "fresh", "unknown"}});
        REQUIRE(rows.size() == 2);   // "unknown" was never written to
        for (const auto& r : rows)
            CHECK(r.module_title == (r.module == "m" ? "Fire safety 101" : "Not written in yet"));
    });
}

ENGINE_TEST_CASE("commitments - first check-in, answers, due check-ins oldest first") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        auto commitment = [](const std::string& id, std::int64_t at, std::int64_t due, const std::string& author = "ann") {
            NewPost p = new_post(id, "m", at, Kind::commitment, author);
            p.check_in_at_ms = due;
            return p;
        };
        insert(engine, commitment("c1", 10, 500));
        insert(engine, commitment("c2", 20, 300));
        insert(engine, commitment("c3", 30, 900));
        insert(engine, commitment("c-bob", 40, 100, "bob"));
        insert(engine, commitment("c-hidden", 50, 100));
        insert(engine, commitment("c-deleted", 60, 100));
        insert(engine, new_post("plain", "m", 70, Kind::insight, "ann"));
        update(engine, hide("c-hidden", true));
        update(engine, tombstone("c-deleted"));
        CHECK(find(engine, "c1")->check_in_at_ms == 500);
        CHECK_FALSE(find(engine, "plain")->check_in_at_ms);
        CHECK_FALSE(find(engine, "c-deleted")->check_in_at_ms);   // a tombstone is never asked about

        auto due = engine.begin_read()->list_due_check_ins(DueCheckInsQuery{"ann", 600, 100, "ann"});
        REQUIRE(due.size() == 2);
        CHECK(due[0].id == "c2");
        CHECK(due[1].id == "c1");

        auto tx = engine.begin_write();
        CHECK(tx->record_outcome(OutcomeRecord{"c2", Outcome::partly, "half", 600, 1300, 1}) > 0);
        CHECK(tx->record_outcome(OutcomeRecord{"nope", Outcome::done, "", 600, std::nullopt, 1}) == 0);
        CHECK(tx->record_outcome(OutcomeRecord{"c-deleted", Outcome::done, "", 600, std::nullopt, 1}) == 0);
        tx->commit();
        const Post c2 = *find(engine, "c2");
        CHECK(c2.outcome == Outcome::partly);
        CHECK(c2.outcome_note == "half");
        CHECK(c2.outcome_at_ms == 600);
        CHECK(c2.check_in_at_ms == 1300);
        CHECK(c2.check_ins == 1);
        due = engine.begin_read()->list_due_check_ins(DueCheckInsQuery{"ann", 600, 100, "ann"});
        REQUIRE(due.size() == 1);
        CHECK(due[0].id == "c1");
        // Deleting clears the answer's note with the body.
        update(engine, tombstone("c2"));
        CHECK(find(engine, "c2")->outcome_note.empty());
    });
}

ENGINE_TEST_CASE("resources - stored whole, listed by position, updated, tombstoned") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        const Author cat{"cat", "Cat O'Curator", Role::curator};
        auto tx = engine.begin_write();
        CHECK(tx->insert_resource(NewResource{"r1", "m", "Checklist ✓", "https://x.example/a", "note '; --", cat, 5, 1}) == 1);
        CHECK(tx->insert_resource(NewResource{"r0", "m", "First", "https://x.example/b", "", cat, 6, 0}) == 2);
        CHECK(tx->insert_resource(NewResource{"other", "n", "Elsewhere", "https://x.example/c", "", cat, 7, 0}) == 3);
        tx->commit();
        auto r1 = engine.begin_read()->find_resource(ResourceQuery{"r1"});
        REQUIRE(r1);
        CHECK(r1->module == "m");
        CHECK(r1->title == "Checklist ✓");
        CHECK(r1->url == "https://x.example/a");
        CHECK(r1->note == "note '; --");
        CHECK(r1->added_by == cat);
        CHECK(r1->created_at_ms == 5);
        CHECK(r1->position == 1);
        CHECK_FALSE(r1->deleted);
        CHECK(r1->rev == 1);
        auto shelf = engine.begin_read()->list_resources(ModuleResourcesQuery{"m"});
        REQUIRE(shelf.size() == 2);
        CHECK(shelf[0].id == "r0");
        CHECK(shelf[1].id == "r1");

        tx = engine.begin_write();
        ResourceUpdate u;
        u.id = "r1";
        u.title = "Renamed";
        u.position = 0;
        CHECK(tx->update_resource(u) == 4);
        ResourceUpdate gone;
        gone.id = "r0";
        gone.mark_deleted = true;
        CHECK(tx->update_resource(gone) == 5);
        ResourceUpdate missing;
        missing.id = "missing";
        missing.note = "x";
        CHECK(tx->update_resource(missing) == 0);
        tx->commit();
        CHECK(engine.committed_rev() == 5);
        shelf = engine.begin_read()->list_resources(ModuleResourcesQuery{"m"});
        REQUIRE(shelf.size() == 1);
        CHECK(shelf[0].title == "Renamed");
        CHECK(shelf[0].url == "https://x.example/a");   // unchanged fields stay
        CHECK(shelf[0].rev == 4);
        const auto r0 = engine.begin_read()->find_resource(ResourceQuery{"r0"});
        REQUIRE(r0);
        CHECK(r0->deleted);
    });
}

ENGINE_TEST_CASE("flags carry details - who hid a post is remembered - resolving says how many") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        insert(engine, new_post("p"));
        auto tx = engine.begin_write();
        CHECK(tx->add_flag(NewFlag{"p", "u1", "spam", 10, "links to a casino"}));
        CHECK(tx->add_flag(NewFlag{"p", "u2", "", 11, ""}));
        CHECK(tx->add_flag(NewFlag{"p", "u3", "", 12, "only details"}));
        tx->update_post(hide("p", true, /*by_flags=*/true));
        tx->commit();
        auto rows = engine.begin_read()->list_flagged(FlagQueueQuery{200, ""});
        REQUIRE(rows.size() == 1);
        CHECK(rows[0].count == 3);
        CHECK(rows[0].reasons == std::vector<std::string>{"spam"});
        REQUIRE(rows[0].reports.size() == 2);
        CHECK(rows[0].reports[0].reason == "spam");
        CHECK(rows[0].reports[0].details == "links to a casino");
        CHECK(rows[0].reports[0].at_ms == 10);
        CHECK(rows[0].reports[1].details == "only details");
        CHECK(rows[0].hidden_by_flags);
        CHECK(engine.begin_read()->post_moderation(PostModerationQuery{"p"}).open_flags == 3);

        tx = engine.begin_write();
        CHECK(tx->resolve_flags(FlagResolution{"p", 20}) == 3);
        CHECK(tx->resolve_flags(FlagResolution{"p", 21}) == 0);
        tx->update_post(hide("p", false));
        tx->update_post(hide("p", true));   // a curator's hide
        tx->commit();
        CHECK_FALSE(engine.begin_read()->post_moderation(PostModerationQuery{"p"}).hidden_by_flags);
        CHECK(engine.begin_read()->post_moderation(PostModerationQuery{"p"}).open_flags == 0);
    });
}

ENGINE_TEST_CASE("digest queries - weighted top posts, commitments, module activity, no hidden posts") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        const std::int64_t day = 86'400'000;
        insert(engine, new_post("old", "a", 1 * day, Kind::insight, "ann"));      // before the window
        insert(engine, new_post("p1", "a", 10 * day, Kind::insight, "ann"));
        insert(engine, new_post("p2", "b", 10 * day + 1, Kind::tip, "bob"));
        insert(engine, new_post("p3", "b", 10 * day + 2, Kind::insight, "cat"));
        insert(engine, new_post("hid", "b", 10 * day + 3, Kind::insight, "dan"));
        NewPost c1 = new_post("c1", "a", 10 * day + 4, Kind::commitment, "ann");
        NewPost c2 = new_post("c2", "b", 10 * day + 5, Kind::commitment, "bob");
        insert(engine, c1);
        insert(engine, c2);
        auto tx = engine.begin_write();
        // p1: 3 learners (3); p2: one leader (3) + one learner (4); old: endorsed in the window (2).
        for (const char* u : {"u1", "u2", "u3"}) tx->add_endorsement(EndorsementChange{"p1", u, false, 11 * day});
        tx->add_endorsement(EndorsementChange{"p2", "lea", true, 11 * day});
        tx->add_endorsement(EndorsementChange{"p2", "u1", false, 11 * day});
        tx->add_endorsement(EndorsementChange{"old", "u1", false, 11 * day});
        tx->add_endorsement(EndorsementChange{"old", "u2", false, 1 * day});   // before the window
        tx->add_endorsement(EndorsementChange{"old", "u3", false, 11 * day});
        for (const char* u : {"u1", "u2", "u3", "u4", "u5"}) tx->add_endorsement(EndorsementChange{"hid", u, true, 11 * day});
        tx->update_post(hide("hid", true));
        tx->record_outcome(OutcomeRecord{"c1", Outcome::done, "", 12 * day, std::nullopt, 1});
        tx->record_outcome(OutcomeRecord{"c2", Outcome::partly, "", 12 * day, 19 * day, 1});
        tx->commit();

        auto rtx = engine.begin_read();
        const auto top = rtx->list_top_posts(TopPostsQuery{9 * day, 13 * day, 3, 10, "u1"});
        REQUIRE(top.size() == 3);
        CHECK(top[0].id == "p2");
        CHECK(top[1].id == "p1");
        CHECK(top[2].id == "old");
        CHECK(top[0].endorsed_by_me);
        CHECK(rtx->list_top_posts(TopPostsQuery{9 * day, 13 * day, 3, 1, ""}).size() == 1);
        CHECK(rtx->list_top_posts(TopPostsQuery{12 * day, 13 * day, 3, 10, ""}).empty());

        const CommitmentTotals t = rtx->commitment_totals(CommitmentTotalsQuery{9 * day, 13 * day});
        CHECK(t.made == 2);
        CHECK(t.done == 1);
        CHECK(t.partly == 1);
        CHECK(rtx->commitment_totals(CommitmentTotalsQuery{11 * day, 13 * day}).made == 0);

        const auto active = rtx->module_activity(ModuleActivityQuery{9 * day, 13 * day, 50});
        REQUIRE(active.size() == 2);
        CHECK(active[0].module == "b");   // p2, p3, c2 (hid is hidden)
        CHECK(active[0].posts == 3);
        CHECK(active[0].contributors == 2);
        CHECK(active[1].module == "a");
        CHECK(active[1].posts == 2);
    });
}

ENGINE_TEST_CASE("statistics of one module, every module, and all together") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        const std::int64_t day = 86'400'000;
        insert(engine, new_post("a1", "a", 10 * day, Kind::insight, "ann"));
        insert(engine, new_post("a2", "a", 10 * day + 1, Kind::commitment, "bob"));
        insert(engine, new_post("b1", "b", 11 * day, Kind::commitment, "ann"));
        insert(engine, new_post("b2", "b", 11 * day + 1, Kind::commitment, "ann"));
        insert(engine, new_post("gone", "b", 11 * day + 2, Kind::insight, "cat"));
        auto tx = engine.begin_write();
        tx->record_outcome(OutcomeRecord{"b1", Outcome::done, "", 11 * day, std::nullopt, 1});
        tx->record_outcome(OutcomeRecord{"b2", Outcome::partly, "", 11 * day, 18 * day, 1});
        tx->add_endorsement(EndorsementChange{"a1", "bob", false, 11 * day});
        tx->set_module_title(ModuleTitleChange{"b", "Module B"});
        tx->update_post(tombstone("gone"));
        tx->commit();

        auto rtx = engine.begin_read();
        const ModuleStatsRow b = rtx->module_stats(ModuleStatsQuery{"b", 0});
        CHECK(b.module == "b");
        CHECK(b.module_title == "Module B");
        CHECK(b.posts == 2);
        CHECK(b.commitments == 2);
        CHECK(b.commitments_done == 1);
        CHECK(b.commitments_partly == 1);
        REQUIRE(b.per_day.size() == 1);
        CHECK(b.per_day[0].posts == 2);
        CHECK(b.per_day[0].contributors == 1);
        CHECK(b.per_day[0].commitments == 2);

        const ModuleStatsRow all = rtx->module_stats(ModuleStatsQuery{std::nullopt, 0});
        CHECK(all.module.empty());
        CHECK(all.posts == 4);
        CHECK(all.contributors == 2);   // ann and bob (cat's post is deleted)
        CHECK(all.endorsements == 1);
        CHECK(all.commitments == 3);
        REQUIRE(all.per_day.size() == 2);
        CHECK(all.per_day[0].posts == 2);
        CHECK(all.per_day[1].posts == 2);
        CHECK(all.per_day[1].endorsements == 1);

        const auto rows = rtx->all_modules_stats(AllModulesStatsQuery{11 * day});
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].module == "a");
        CHECK_FALSE(rows[0].module_title);
        CHECK(rows[0].posts == 2);
        REQUIRE(rows[0].per_day.size() == 1);   // a's posts were before the range; its endorsement is in it
        CHECK(rows[0].per_day[0].posts == 0);
        CHECK(rows[0].per_day[0].endorsements == 1);
        CHECK(rows[1].module == "b");
        CHECK(rows[1].module_title == "Module B");
        CHECK(rows[1].commitments_done == 1);
        REQUIRE(rows[1].per_day.size() == 1);
        CHECK(rows[1].per_day[0].commitments == 2);
    });
}

ENGINE_TEST_CASE("a post read back in the transaction that stored it - every field, and what changes it next") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        {
            auto tx = engine.begin_write();
            tx->set_module_title(ModuleTitleChange{"m", "Titled"});   // rev 1
            tx->commit();
        }
        NewPost commitment = new_post("c1", "m", 2000, Kind::commitment, "ann");
        commitment.check_in_at_ms = 9000;
        NewPost reply = new_post("r1", "m", 3000, Kind::insight, "bob");
        reply.parent_id = "c1";
        std::optional<Post> stored, stored_reply;
        {
            auto tx = engine.begin_write();
            CHECK(tx->insert_post(commitment) == 2);
            stored = tx->find_post(PostQuery{"c1", "ann"});
            CHECK(tx->insert_post(reply) == 3);
            stored_reply = tx->find_post(PostQuery{"r1", "someone"});
            CHECK(tx->find_post(PostQuery{"c1", "bob"}) == stored);   // a later insert did not change it
            // Later writes in the same transaction show in what it reads.
            tx->set_module_title(ModuleTitleChange{"m", "Retitled"});   // rev 4
            CHECK(tx->find_post(PostQuery{"r1", "x"})->module_title == std::optional<std::string>("Retitled"));
            tx->add_endorsement(EndorsementChange{"r1", "cat", false, 3500});   // rev 5
            const auto endorsed = tx->find_post(PostQuery{"r1", "cat"});
            REQUIRE(endorsed);
            CHECK(endorsed->endorsed_by_me);
            CHECK(endorsed->endorsements == 1);
            CHECK(endorsed->rev == 5);
            tx->commit();
        }
        REQUIRE(stored);
        REQUIRE(stored_reply);
        CHECK(stored->rev == 2);
        CHECK(stored->kind == Kind::commitment);
        CHECK(stored->check_in_at_ms == std::optional<std::int64_t>(9000));
        CHECK(stored->module_title == std::optional<std::string>("Titled"));
        CHECK_FALSE(stored->endorsed_by_me);
        CHECK(stored_reply->parent_id == std::optional<std::string>("c1"));
        CHECK(stored_reply->rev == 3);
        // The same post a read finds after the commit, but for the title changed since.
        Post expected = *stored;
        expected.module_title = "Retitled";
        CHECK(*find(engine, "c1", "ann") == expected);
        const auto c = counts_of(engine, "m");
        CHECK(c.posts == 1);
        CHECK(c.replies == 1);
        CHECK(c.contributors == 2);
        CHECK(engine.committed_rev() == 5);
    });
}

ENGINE_TEST_CASE("writes that fail among concurrent writes undo only themselves - revs stay gapless") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        insert(engine, new_post("taken", "m", 1, Kind::insight, "ann"));
        std::atomic<int> refused{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&engine, t] {
                for (int i = 0; i < 30; ++i)
                    insert(engine, new_post("t" + std::to_string(t) + "-" + std::to_string(i), "m", 10, Kind::insight,
                                            "u" + std::to_string(t)));
            });
        threads.emplace_back([&engine, &refused] {
            for (int i = 0; i < 20; ++i) {
                try {
                    insert(engine, new_post("taken", "m", 2, Kind::insight, "zed"));   // the id is used
                } catch (const StorageError&) {
                    ++refused;
                }
            }
        });
        for (auto& th : threads) th.join();
        CHECK(refused == 20);
        auto page = engine.begin_read()->list_module_posts(ModulePostsQuery{"m", 0, true, 1000, ""});
        REQUIRE(page.posts.size() == 121);
        for (std::size_t i = 0; i < page.posts.size(); ++i) CHECK(page.posts[i].rev == static_cast<std::int64_t>(i + 1));
        CHECK(find(engine, "taken")->author.id == "ann");
        const auto c = counts_of(engine, "m");
        CHECK(c.posts == 121);
        CHECK(c.contributors == 5);   // ann and u0..u3: zed's refused posts count nowhere
        CHECK(engine.committed_rev() == 121);
        CHECK(insert(engine, new_post("after")) == 122);
    });
}

ENGINE_TEST_CASE("the commit observer hears every committed post's module, kind and rev, once") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        std::mutex mutex;
        std::map<std::int64_t, std::pair<std::string, Kind>> heard;
        bool disagree = false;
        engine.set_commit_observer([&](const std::vector<CommittedChange>& changes) {
            // PostgreSQL also hears its own commits again through LISTEN: the same each time.
            std::lock_guard lock(mutex);
            for (const CommittedChange& c : changes) {
                const auto [it, fresh] = heard.emplace(c.rev, std::make_pair(c.module, c.kind));
                if (!fresh && it->second != std::make_pair(c.module, c.kind)) disagree = true;
            }
        });
        {
            auto tx = engine.begin_write();
            tx->insert_post(new_post("a", "m1", 1, Kind::insight));      // rev 1
            tx->insert_post(new_post("b", "m2", 2, Kind::commitment));   // rev 2
            tx->commit();
        }
        {
            auto tx = engine.begin_write();
            tx->insert_post(new_post("lost", "m1", 3, Kind::tip));
        }
        {
            auto tx = engine.begin_write();
            tx->insert_post(new_post("c", "m3", 3, Kind::question));                   // rev 3
            tx->update_post(PostUpdate{"b", std::string("edited"), 4, {}, {}, false, false});   // rev 4
            tx->commit();
        }
        {
            std::lock_guard lock(mutex);
            CHECK_FALSE(disagree);
            const std::map<std::int64_t, std::pair<std::string, Kind>> expected = {
                {1, {"m1", Kind::insight}}, {2, {"m2", Kind::commitment}}, {3, {"m3", Kind::question}},
                {4, {"m2", Kind::commitment}}};
            CHECK(heard == expected);
        }
        engine.set_commit_observer(nullptr);   // before `heard` goes
    });
}

// The storage engine contract (server-stub/storage/storage_engine.hpp), run against every engine
// in kEngines. A second engine (PostgreSQL) adds one line there and gets all of these.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <functional>   // std::function
#include <memory>       // std::unique_ptr
#include <set>          // std::set
#include <thread>       // std::thread

#include "server_process.hpp"
#include "storage/sqlite_engine.hpp"

using namespace grove;

namespace {

struct EngineKind {
    const char* name;
    bool persistent;            // reopening the same location sees the data
    bool concurrent_readers;    // a read transaction may stay open while a write commits
    std::function<std::unique_ptr<StorageEngine>(const std::string& dir)> open;
};

const EngineKind kEngines[] = {
    {"sqlite (file, WAL)", true, true,
     [](const std::string& dir) { return open_sqlite_engine(SqliteOptions{dir + "/grove.db", false}); }},
    {"sqlite (file, synchronous=FULL)", true, true,
     [](const std::string& dir) { return open_sqlite_engine(SqliteOptions{dir + "/grove-full.db", true}); }},
    {"sqlite (:memory:)", false, false,
     [](const std::string&) { return open_sqlite_engine(SqliteOptions{":memory:", false}); }},
};

template <class F>
void for_each_engine(F&& body) {
    for (const EngineKind& kind : kEngines) {
        CAPTURE(kind.name);
        const std::string dir = test::make_temp_dir();
        {
            auto engine = kind.open(dir);
            body(kind, *engine, dir);
        }
        test::remove_temp_dir(dir);
    }
}

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

TEST_CASE("storage engine: a post is stored with every field and stamped with the next rev") {
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

TEST_CASE("storage engine: a transaction that is not committed leaves nothing behind") {
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

TEST_CASE("storage engine: writes need a write transaction") {
    for_each_engine([](const EngineKind&, StorageEngine& engine, const std::string&) {
        auto tx = engine.begin_read();
        CHECK_THROWS_AS(tx->insert_post(new_post("x")), StorageError);
        CHECK_THROWS_AS(tx->update_post(PostUpdate{"x", {}, {}, true, {}, false}), StorageError);
    });
}

TEST_CASE("storage engine: module posts by rev, with tombstones on request, in pages") {
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

TEST_CASE("storage engine: updates change only the given fields - unknown posts change nothing") {
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

TEST_CASE("storage engine: endorsements are counted once per user - trusted ones set leader_endorsed") {
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

TEST_CASE("storage engine: flags once per user, open until resolved, most flagged first") {
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
        CHECK(tx->count_open_flags("q") == 2);
        tx->commit();
        auto rows = engine.begin_read()->list_flagged(FlagQueueQuery{200, ""});
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].post.id == "q");
        CHECK(rows[0].count == 2);
        CHECK(rows[0].reasons == std::vector<std::string>{"off-topic"});
        CHECK(rows[1].post.id == "p");
        CHECK(rows[1].reasons == std::vector<std::string>{"rude"});
        tx = engine.begin_write();
        tx->resolve_flags("q", 20);
        CHECK(tx->count_open_flags("q") == 0);
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

TEST_CASE("storage engine: spotlight and module statistics") {
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

TEST_CASE("storage engine: concurrent write transactions are serialized - revs are unique and gapless") {
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

TEST_CASE("storage engine: a read transaction sees one snapshot while writes commit") {
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

TEST_CASE("storage engine: data survives reopening - the schema version is stored and checked") {
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

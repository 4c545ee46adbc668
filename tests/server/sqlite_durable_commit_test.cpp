// SQLite with --sqlite-sync full on a file: the writer commits at synchronous=NORMAL and the WAL
// is flushed after COMMIT, outside the writer's lock (server-stub/storage/sqlite_engine.cpp,
// "Durable commits without holding the writer"). These tests hold or fail that flush through
// the engine's test hook and check what callers see: no write answered, announced or counted in
// committed_rev() before its flush; the writer free for the next group meanwhile; a failed flush
// failing its writers and every later write. The kill -9 tests (tests/hardening) cover crashes.
#include <doctest/doctest.h>

#include <atomic>              // std::atomic
#include <chrono>              // std::chrono
#include <condition_variable>  // std::condition_variable
#include <mutex>               // std::mutex
#include <set>                 // std::set
#include <string>              // std::string
#include <thread>              // std::thread
#include <vector>              // std::vector

#include "server_process.hpp"
#include "storage/sqlite_engine.hpp"

using namespace grove;

namespace {

NewPost post(const std::string& id) {
    return NewPost{id, "m", std::nullopt, Kind::insight, "body of " + id, Author{"ann", "Ann", Role::learner}, 1000};
}

void insert(StorageEngine& engine, const std::string& id) {
    auto tx = engine.begin_write();
    tx->insert_post(post(id));
    tx->commit();
}

// The flush hook's side: counts flushes and, while held, keeps them waiting.
struct FlushGate {
    std::mutex m;
    std::condition_variable cv;
    bool hold = false;
    bool fail = false;
    int entered = 0;

    void before_flush() {
        std::unique_lock lock(m);
        ++entered;
        cv.notify_all();
        cv.wait(lock, [this] { return !hold; });
        if (fail) throw StorageError("the disk refused the flush (test)");
    }
    bool wait_entered(int n) {
        std::unique_lock lock(m);
        return cv.wait_for(lock, std::chrono::seconds(10), [&] { return entered >= n; });
    }
    void set_hold(bool h) {
        {
            std::lock_guard lock(m);
            hold = h;
        }
        cv.notify_all();
    }
};

struct Heard {
    std::mutex m;
    std::vector<std::int64_t> revs;
    std::vector<std::int64_t> snapshot() {
        std::lock_guard lock(m);
        return revs;
    }
};

std::unique_ptr<StorageEngine> open_full(const std::string& dir, FlushGate& gate, Heard& heard) {
    auto engine = open_sqlite_engine(SqliteOptions{dir + "/grove.db", true}, [&gate] { gate.before_flush(); });
    engine->set_commit_observer([&heard](const std::vector<CommittedChange>& changes) {
        std::lock_guard lock(heard.m);
        for (const CommittedChange& c : changes) heard.revs.push_back(c.rev);
    });
    return engine;
}

bool visible(StorageEngine& engine, const std::string& id) {
    return engine.begin_read()->find_post(PostQuery{id, ""}).has_value();
}

}  // namespace

TEST_CASE("sqlite durable commit: a write is answered only after its WAL flush, and the writer is free meanwhile") {
    const std::string dir = test::make_temp_dir();
    {
        FlushGate gate;
        Heard heard;
        auto engine = open_full(dir, gate, heard);
        const int opened = gate.entered;   // the migrations' flush
        CHECK(opened >= 1);

        gate.set_hold(true);
        std::atomic<bool> a_done{false}, b_done{false};
        std::thread a([&] {
            insert(*engine, "a");
            a_done = true;
        });
        REQUIRE(gate.wait_entered(opened + 1));   // a's group is committed and its flush is held
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        CHECK_FALSE(a_done.load());
        CHECK(engine->committed_rev() == 0);   // nobody may act on rev 1 yet
        CHECK(heard.snapshot().empty());       // live updates have not heard of it

        // The writer is not held by the flush: the next write runs its statements and commits.
        std::thread b([&] {
            insert(*engine, "b");
            b_done = true;
        });
        for (int i = 0; i < 200 && !visible(*engine, "b"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        CHECK(visible(*engine, "b"));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        CHECK_FALSE(b_done.load());   // committed, but its flush has not even started

        gate.set_hold(false);
        a.join();
        b.join();
        CHECK(a_done.load());
        CHECK(b_done.load());
        CHECK(gate.entered >= opened + 2);   // b committed after a's flush began: a flush of its own
        CHECK(engine->committed_rev() == 2);
        CHECK(heard.snapshot() == std::vector<std::int64_t>{1, 2});
    }
    {   // and both are there after reopening
        FlushGate gate;
        Heard heard;
        auto engine = open_full(dir, gate, heard);
        CHECK(visible(*engine, "a"));
        CHECK(visible(*engine, "b"));
        CHECK(engine->committed_rev() == 2);
    }
    test::remove_temp_dir(dir);
}

TEST_CASE("sqlite durable commit: a failed WAL flush fails the writes waiting for it and every later write") {
    const std::string dir = test::make_temp_dir();
    {
        FlushGate gate;
        Heard heard;
        auto engine = open_full(dir, gate, heard);
        insert(*engine, "before");
        CHECK(engine->committed_rev() == 1);

        gate.fail = true;
        CHECK_THROWS_AS(insert(*engine, "lost"), StorageError);
        CHECK(heard.snapshot() == std::vector<std::int64_t>{1});   // never announced
        CHECK(engine->committed_rev() == 1);
        try {
            auto tx = engine->begin_write();
            FAIL("a write began after a failed flush");
        } catch (const StorageError& e) {
            CHECK(std::string(e.what()).find("the disk refused the flush") != std::string::npos);
        }
        CHECK(visible(*engine, "before"));   // reads go on
    }
    test::remove_temp_dir(dir);
}

TEST_CASE("sqlite durable commit: concurrent writers share flushes and are announced in commit order") {
    const std::string dir = test::make_temp_dir();
    {
        FlushGate gate;
        Heard heard;
        auto engine = open_full(dir, gate, heard);
        const int opened = gate.entered;
        constexpr int kThreads = 8, kEach = 40;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < kEach; ++i) insert(*engine, "t" + std::to_string(t) + "-" + std::to_string(i));
            });
        for (auto& th : threads) th.join();
        const auto revs = heard.snapshot();
        REQUIRE(revs.size() == kThreads * kEach);
        for (std::size_t i = 0; i < revs.size(); ++i) CHECK(revs[i] == static_cast<std::int64_t>(i + 1));
        CHECK(engine->committed_rev() == kThreads * kEach);
        const int flushes = gate.entered - opened;
        MESSAGE(flushes << " flushes for " << kThreads * kEach << " writes");
        CHECK(flushes >= 1);
        CHECK(flushes < kThreads * kEach);
    }
    test::remove_temp_dir(dir);
}

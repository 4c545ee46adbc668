// What the sync engine tells its observer: a create's start and its save (or storage's refusal),
// each write sent and acknowledged, and each pull of the changes feed to its end. The engine keeps
// no measurements itself; the web layer's benchmark counters are such an observer.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sync_world.hpp"

using namespace grove;
using namespace grove::sim;

namespace {

const Person kAnn{"u-ann", "Ann", Role::learner};

struct Recorder final : SyncObserver {
    std::vector<std::string> events;
    std::vector<std::int64_t> times;
    void create_started(std::int64_t now_ms) override { note("create_started", now_ms); }
    void create_saved(bool stored, std::int64_t now_ms) override {
        note(stored ? "create_saved" : "create_refused", now_ms);
    }
    void write_sent(const OutboxEntry& e) override { note(std::string("sent ").append(to_string(e.op)), 0); }
    void write_acknowledged(const OutboxEntry& e) override { note(std::string("acknowledged ").append(to_string(e.op)), 0); }
    void pull_done(std::int64_t now_ms) override { note("pull_done", now_ms); }
    void note(std::string what, std::int64_t now_ms) {
        events.push_back(std::move(what));
        times.push_back(now_ms);
    }
    int count(const std::string& what) const {
        return static_cast<int>(std::count(events.begin(), events.end(), what));
    }
};

// A signed-in tab whose engine has read its cache, watched from the start.
struct Observed {
    Recorder seen;   // before the tab: it outlives the engine that tells it
    World w;
    World::Browser& browser = w.browser();
    std::unique_ptr<Tab> tab = w.tab(browser, kAnn, w.options());
    Observed() {
        tab->engine->set_observer(&seen);
        w.loop.advance(100);
        REQUIRE(tab->engine->loaded());
    }
};

}  // namespace

TEST_CASE_FIXTURE(Observed, "sync observer: told of a create's start and save, its send, its answer and the pull") {
    CHECK(seen.count("pull_done") == 1);   // the first cycle's pull
    seen.events.clear();
    seen.times.clear();

    const std::int64_t at = tab->timers.now_ms();
    REQUIRE(tab->engine->create(Kind::insight, "Observed from start to answer", std::nullopt).ok());
    REQUIRE(w.loop.run_until([&] { return tab->engine->settled(); }, 60'000));
    w.loop.advance(50);
    REQUIRE(seen.events.size() >= 5);
    CHECK(seen.events[0] == "create_started");
    CHECK(seen.times[0] == at);
    CHECK(seen.events[1] == "create_saved");
    CHECK(seen.times[1] >= at);
    CHECK(seen.events[2] == "sent create");
    CHECK(seen.events[3] == "acknowledged create");
    CHECK(seen.events[4] == "pull_done");
    CHECK(seen.count("sent create") == 1);
}

TEST_CASE_FIXTURE(Observed, "sync observer: a create refused by storage or by its checks is never counted as saved") {

    CHECK_FALSE(tab->engine->create(Kind::insight, "   ", std::nullopt).ok());   // empty: refused at once
    CHECK(seen.count("create_started") == 1);
    CHECK(seen.count("create_saved") == 0);

    browser.storage.fail_writes = true;
    REQUIRE(tab->engine->create(Kind::insight, "Storage refuses this one", std::nullopt).ok());
    w.loop.run_ready();
    CHECK(seen.count("create_started") == 2);
    CHECK(seen.count("create_refused") == 1);
    CHECK(seen.count("create_saved") == 0);

    tab->engine->set_observer(nullptr);   // nobody: the engine goes on alone
    REQUIRE(tab->engine->create(Kind::insight, "Unobserved", std::nullopt).ok());
    w.loop.run_ready();
    CHECK(seen.count("create_started") == 2);
}

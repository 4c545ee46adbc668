// The sync engine's scheduler on its own, on a simulated clock: one cycle at a time, a rerun
// after the running one, backoff that only an urgent request cuts short, polls only while
// visible (slower while the event stream is held), nothing offline, held writes on time.
#include <doctest/doctest.h>

#include "client_sim.hpp"
#include "grove/client/cycle_scheduler.hpp"

using namespace grove;
using State = CycleScheduler::State;

namespace {

struct Rig {
    sim::Loop loop;
    sim::Timers timers{loop};
    int runs = 0;
    bool ready = true;
    CycleScheduler s{timers, {20'000, 60'000}, [this] { ++runs; }, [this] { return ready; }};
    // The engine's end of a cycle: idle, the next poll, and the rerun that was asked for.
    void finish() {
        const bool again = s.finish();
        s.schedule_poll();
        if (again) s.request(false);
    }
};

}  // namespace

TEST_CASE("cycle scheduler: one cycle at a time - a request meanwhile reruns once after it") {
    Rig r;
    r.s.request(false);
    CHECK(r.runs == 1);
    CHECK(r.s.state() == State::running);
    r.s.request(false);
    r.s.request(true);
    CHECK(r.runs == 1);
    CHECK(r.s.state() == State::rerun);
    r.finish();
    CHECK(r.runs == 2);   // the two requests made one more cycle
    CHECK(r.s.state() == State::running);
    r.finish();
    CHECK(r.s.state() == State::idle);
    CHECK(r.runs == 2);
}

TEST_CASE("cycle scheduler: nothing before the engine is ready - nothing offline, at once online") {
    Rig r;
    r.ready = false;
    r.s.request(true);
    CHECK(r.runs == 0);
    r.ready = true;
    CHECK(r.s.set_online(false));
    CHECK_FALSE(r.s.set_online(false));
    r.s.request(true);
    CHECK(r.runs == 0);
    CHECK(r.s.state() == State::idle);
    CHECK(r.s.set_online(true));
    r.s.request(true);   // the engine asks when the page is online again
    CHECK(r.runs == 1);
}

TEST_CASE("cycle scheduler: a failure backs off - only the retry timer or an urgent request ends it") {
    Rig r;
    r.s.request(false);
    r.s.request(false);   // a rerun asked for before the failure waits for the backoff too
    r.s.back_off(5'000);
    CHECK(r.s.state() == State::backing_off);
    r.s.request(false);
    r.loop.advance(4'999);
    CHECK(r.runs == 1);
    r.loop.advance(1);
    CHECK(r.runs == 2);
    r.s.back_off(60'000);
    r.s.request(true);    // focus, a new write: now
    CHECK(r.runs == 3);
    r.finish();
    r.loop.advance(19'999);
    CHECK(r.runs == 3);   // the cancelled retry never fires; the poll comes at 20 s
    r.loop.advance(1);
    CHECK(r.runs == 4);
}

TEST_CASE("cycle scheduler: polls while visible, slower while the stream is held, none while hidden") {
    Rig r;
    r.s.request(false);
    r.finish();
    r.s.set_live(true);   // the waiting poll takes the live interval
    r.loop.advance(59'999);
    CHECK(r.runs == 1);
    r.loop.advance(1);
    CHECK(r.runs == 2);
    r.s.set_live(false);
    r.finish();
    CHECK(r.s.set_visible(false));
    r.loop.advance(120'000);
    CHECK(r.runs == 2);   // hidden: the poll was dropped
    CHECK(r.s.set_visible(true));
    CHECK_FALSE(r.s.set_visible(true));
}

TEST_CASE("cycle scheduler: a held write's cycle comes when it is due - a new due time replaces it") {
    Rig r;
    const std::int64_t now = r.loop.now();
    r.s.hold_until(now + 5'000);
    r.s.hold_until(now + 3'000);
    r.loop.advance(2'999);
    CHECK(r.runs == 0);
    r.loop.advance(1);
    CHECK(r.runs == 1);
    r.finish();
    r.s.hold_until(r.loop.now() + 1'000);
    r.s.hold_until(0);   // taken back (Undo): no cycle for it
    r.loop.advance(10'000);
    CHECK(r.runs == 1);
}

TEST_CASE("cycle scheduler: its timers go with it") {
    sim::Loop loop;
    sim::Timers timers{loop};
    {
        CycleScheduler s{timers, {}, [] {}, [] { return true; }};
        s.request(false);
        s.back_off(1'000);
        s.hold_until(loop.now() + 2'000);
        CHECK(timers.live.size() == 2);
    }
    CHECK(timers.live.empty());
    loop.advance(10'000);   // nothing fires into a scheduler that is gone
}

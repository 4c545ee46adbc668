// CycleScheduler: when the sync engine runs a cycle. One cycle at a time; at once when asked
// urgently (a new write, focus, the page visible or online again); after a failure only when its
// backoff wait is over (or an urgent request cuts it short); every poll interval while the page is
// visible (a longer one while the event stream is held); and when a held write (a flag waiting
// for its Undo) is due. Nothing runs while the browser is offline: going online asks at once.
//
// The states are explicit:
//   idle         no cycle runs; a poll or a held write's timer may be waiting
//   running      a cycle runs
//   rerun        a cycle runs, and another was asked for meanwhile: it starts when this one ends
//   backing_off  the last cycle failed; its retry timer starts the next (an urgent request too)
// The engine says when a cycle ends: finish() (normally), back_off() (failed), or finish() and
// request() after abandoning one.
#pragma once

#include <cstdint>      // std::int64_t, std::uint64_t
#include <functional>   // std::function

#include "grove/client/ports.hpp"          // TimerPort
#include "grove/client/retry_policy.hpp"   // Answer

namespace grove {

// What a phase of a cycle (the pusher, the puller) needs from the engine when it fails.
class CycleHost {
public:
    virtual ~CycleHost() = default;
    // How long to wait before the next cycle after a failure of this kind (the retry policy).
    virtual std::int64_t retry_delay_ms(Answer why) = 0;
    // The cycle failed; the next starts in `retry_in_ms`.
    virtual void cycle_failed(std::int64_t retry_in_ms) = 0;
};

class CycleScheduler {
public:
    enum class State { idle, running, rerun, backing_off };
    struct Intervals {
        std::int64_t poll_ms = 20000;       // while visible
        std::int64_t live_poll_ms = 60000;  // while visible and the event stream is held
    };

    // `run` starts a cycle (the state is already `running`); `ready` says whether cycles may run
    // at all yet (the engine has started and read its cache).
    CycleScheduler(TimerPort& timers, Intervals intervals, std::function<void()> run, std::function<bool()> ready);
    ~CycleScheduler();
    CycleScheduler(const CycleScheduler&) = delete;
    CycleScheduler& operator=(const CycleScheduler&) = delete;

    // A cycle as soon as possible: now when idle (and online), after the running one otherwise.
    // A backoff wait is cut short only by an urgent request.
    void request(bool urgent);
    // The running cycle ended: idle again. True when another was asked for meanwhile (the engine
    // then calls request() once it has told the page).
    bool finish();
    // The running cycle failed: the next starts after `retry_in_ms` (at least 1 ms).
    void back_off(std::int64_t retry_in_ms);
    // The next poll, one interval from now (only while visible).
    void schedule_poll();
    // A cycle at `due_ms` (Unix ms) for a held write; 0 cancels it. Replaces the previous one.
    void hold_until(std::int64_t due_ms);

    // The page's conditions. Each returns whether it changed; the engine then asks for a cycle
    // when the page came back (online, visible). Hidden: the waiting poll is dropped.
    bool set_online(bool online);
    bool set_visible(bool visible);
    void set_live(bool held);        // the event stream: polls slow down while it is held

    State state() const { return state_; }
    bool running() const { return state_ == State::running || state_ == State::rerun; }
    bool online() const { return online_; }
    bool visible() const { return visible_; }
    bool live() const { return live_; }

private:
    void start();
    void cancel(std::uint64_t& timer);

    TimerPort& timers_;
    Intervals intervals_;
    std::function<void()> run_;
    std::function<bool()> ready_;
    State state_ = State::idle;
    bool online_ = true, visible_ = true, live_ = false;
    std::uint64_t retry_timer_ = 0, poll_timer_ = 0, hold_timer_ = 0;
};

}  // namespace grove

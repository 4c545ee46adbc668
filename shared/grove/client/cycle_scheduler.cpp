#include "grove/client/cycle_scheduler.hpp"

#include <algorithm>   // std::max
#include <utility>     // std::move

namespace grove {

CycleScheduler::CycleScheduler(TimerPort& timers, Intervals intervals, std::function<void()> run,
                               std::function<bool()> ready)
    : timers_(timers), intervals_(intervals), run_(std::move(run)), ready_(std::move(ready)) {}

CycleScheduler::~CycleScheduler() {
    cancel(retry_timer_);
    cancel(poll_timer_);
    cancel(hold_timer_);
}

void CycleScheduler::cancel(std::uint64_t& timer) {
    if (timer) timers_.cancel(timer);
    timer = 0;
}

void CycleScheduler::request(bool urgent) {
    if (!ready_()) return;   // the engine starts the first cycle once its cache is read
    if (running()) {
        state_ = State::rerun;
        return;
    }
    if (state_ == State::backing_off) {
        if (!urgent) return;   // the retry timer will start it
        cancel(retry_timer_);
        state_ = State::idle;
    }
    if (!online_) return;      // going online asks again
    start();
}

void CycleScheduler::start() {
    cancel(poll_timer_);
    state_ = State::running;
    run_();
}

bool CycleScheduler::finish() {
    const bool again = state_ == State::rerun;
    state_ = State::idle;
    return again;
}

void CycleScheduler::back_off(std::int64_t retry_in_ms) {
    state_ = State::backing_off;   // a rerun asked for meanwhile waits for the backoff too
    cancel(retry_timer_);
    cancel(poll_timer_);
    retry_timer_ = timers_.set_timeout(std::max<std::int64_t>(1, retry_in_ms), [this] {
        retry_timer_ = 0;
        state_ = State::idle;
        request(false);
    });
}

void CycleScheduler::schedule_poll() {
    cancel(poll_timer_);
    if (!visible_) return;
    poll_timer_ = timers_.set_timeout(live_ ? intervals_.live_poll_ms : intervals_.poll_ms, [this] {
        poll_timer_ = 0;
        request(false);
    });
}

void CycleScheduler::hold_until(std::int64_t due_ms) {
    cancel(hold_timer_);
    if (due_ms <= 0) return;
    hold_timer_ = timers_.set_timeout(std::max<std::int64_t>(1, due_ms - timers_.now_ms()), [this] {
        hold_timer_ = 0;
        request(true);
    });
}

bool CycleScheduler::set_online(bool online) {
    if (online == online_) return false;
    online_ = online;
    return true;
}

bool CycleScheduler::set_visible(bool visible) {
    if (visible == visible_) return false;
    visible_ = visible;
    if (!visible) cancel(poll_timer_);
    return true;
}

void CycleScheduler::set_live(bool held) {
    if (held == live_) return;
    live_ = held;
    if (poll_timer_) schedule_poll();   // the waiting poll takes the new interval
}

}  // namespace grove

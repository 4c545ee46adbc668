// A mutex that admits waiters in arrival order, for the engines' single writer connection.
#pragma once

#include <condition_variable>  // std::condition_variable
#include <deque>               // std::deque
#include <mutex>               // std::mutex

namespace grove {

// std::mutex lets a thread that just unlocked take the lock again ahead of threads that have
// waited for long, which under load (32 connections writing at once) stretches the slowest
// requests' latency; each waiter here gets its own condition variable, so handing over wakes
// exactly one thread.
class FifoMutex {
public:
    void lock() {
        std::unique_lock guard(m_);
        if (!held_ && waiters_.empty()) {
            held_ = true;
            return;
        }
        Waiter me;
        waiters_.push_back(&me);
        me.cv.wait(guard, [&me] { return me.turn; });
    }
    void unlock() {
        std::lock_guard guard(m_);
        if (waiters_.empty()) {
            held_ = false;
            return;
        }
        Waiter* next = waiters_.front();
        waiters_.pop_front();
        next->turn = true;   // the lock passes straight to the next in line (held_ stays true)
        next->cv.notify_one();
    }

    // Someone is waiting for the lock (a hint: it may change as soon as this returns).
    bool contended() {
        std::lock_guard guard(m_);
        return !waiters_.empty();
    }

private:
    struct Waiter {
        std::condition_variable cv;
        bool turn = false;
    };
    std::mutex m_;
    bool held_ = false;
    std::deque<Waiter*> waiters_;
};

}  // namespace grove

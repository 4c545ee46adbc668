// Pusher: sends the outbox, oldest sendable write first, one at a time, during a sync cycle. It
// owns the order and the waits; what a write means (which writes may go, what an answer changes,
// how a refusal is kept) is its host's, the sync engine (PushHost).
//
// The states are explicit:
//   idle          nothing is being sent
//   sending       a write is out, or the outbox is being read for the next one
//   rate_limited  the server answered 429: no write goes before its Retry-After is over (reads
//                 may go on); a timer asks the host for a cycle then
// An answer goes one of four ways: taken (the host applies it, the next write goes), refused
// (4xx: the host keeps or drops it, the next write goes), rate limited (the pushing stops, the host
// pulls), or a failure (no answer, 5xx, 401 after a fresh token, an answer that is not the API's:
// the cycle fails and the host's retry policy says when the next one runs).
#pragma once

#include <cstdint>      // std::int64_t, std::uint64_t
#include <functional>   // std::function
#include <optional>     // std::optional

#include "grove/client/cycle_scheduler.hpp"   // CycleHost
#include "grove/client/outbox.hpp"            // OutboxEntry
#include "grove/client/ports.hpp"             // HttpResponse, TimerPort
#include "grove/client/retry_policy.hpp"      // Answer

namespace grove {

class PushHost : public CycleHost {
public:
    // Reads the outbox as storage holds it (another tab may have sent or added writes).
    virtual void reload_outbox(std::function<void()> then) = 0;
    // The first write that may go now, if any.
    virtual std::optional<OutboxEntry> next_write() = 0;
    // Sends `entry` (attempts already counted) with the person's token; `done` gets the answer.
    virtual void send_write(const OutboxEntry& entry, std::function<void(HttpResponse)> done) = 0;
    // A 2xx: applies and stores it. False: the answer was not the API's (the write goes again).
    virtual bool take_answer(const OutboxEntry& entry, const HttpResponse& response) = 0;
    // A 4xx other than 401 and 429: the write is kept as refused, or dropped, and the person told.
    virtual void refused(const OutboxEntry& entry, const HttpResponse& response) = 0;
    // Nothing more to send in this cycle (or rate limited): the host pulls.
    virtual void pushed() = 0;
    // A rate-limit wait is over: the host asks for a cycle.
    virtual void retry_due() = 0;
};

class Pusher {
public:
    enum class State { idle, sending, rate_limited };

    Pusher(TimerPort& timers, PushHost& host) : timers_(timers), host_(host) {}
    ~Pusher();
    Pusher(const Pusher&) = delete;
    Pusher& operator=(const Pusher&) = delete;

    // The push phase of a cycle: sends until nothing sendable is left, then host.pushed(). While
    // rate limited, host.pushed() at once.
    void start();
    // The cycle was dropped (the person changed while a write was out): its answer never comes.
    void abandon();

    State state() const { return state_; }
    // A rate-limit timer is waiting (the engine is not settled until it has fired).
    bool retry_waiting() const { return retry_timer_ != 0; }

    // What a write's answer status means: deleting what is already gone reached its goal.
    static Answer classify(const OutboxEntry& entry, int status);

private:
    void next();
    void answered(const OutboxEntry& entry, HttpResponse response);
    void fail(Answer why);

    TimerPort& timers_;
    PushHost& host_;
    State state_ = State::idle;
    std::int64_t blocked_until_ms_ = 0;   // rate_limited: no writes before this
    std::uint64_t retry_timer_ = 0;
};

}  // namespace grove

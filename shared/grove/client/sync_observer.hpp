// SyncObserver: what the sync engine tells whoever watches it (a benchmark, a test), without
// holding measurements of its own. Every call comes from inside the engine, on its thread, after
// the step it names; `now_ms` is the engine's clock. Each method does nothing unless overridden,
// and an observer must not call back into the engine.
#pragma once

#include <cstdint>   // std::int64_t

#include "grove/client/outbox.hpp"   // OutboxEntry

namespace grove {

class SyncObserver {
public:
    virtual ~SyncObserver() = default;
    // create() was called (before its checks: a refused create starts one too).
    virtual void create_started(std::int64_t /*now_ms*/) {}
    // A new post's queued write was saved to storage (`stored`) or storage refused it.
    virtual void create_saved(bool /*stored*/, std::int64_t /*now_ms*/) {}
    // A queued write went to the server, and the server took it.
    virtual void write_sent(const OutboxEntry& /*entry*/) {}
    virtual void write_acknowledged(const OutboxEntry& /*entry*/) {}
    // The changes feed was followed to its end and stored.
    virtual void pull_done(std::int64_t /*now_ms*/) {}
};

}  // namespace grove

// CacheCheckpointer: what a snapshot commit writes of the packed copy of the posts (cache_format.hpp).
// A commit of a few changed posts stores those records and notes their ids in the sync record's
// dirty list; when the list would pass kMaxDirty, after a full pull, or when the copy is known to
// be stale (startup read the records one by one, or found unreadable ones), the whole copy is
// written again under a new tag and the list starts empty. So startup reads one packed record
// and at most kMaxDirty posts.
//
// The states are explicit:
//   in_step  the stored copy plus the dirty posts are the snapshot
//   stale    the stored copy cannot be used as it is: the next commit writes it again
#pragma once

#include <functional>   // std::function
#include <string>       // std::string
#include <vector>       // std::vector

#include "grove/client/cache_format.hpp"   // SyncMeta
#include "grove/client/ports.hpp"          // StorageBatch

namespace grove {

class CacheCheckpointer {
public:
    enum class State { in_step, stale };

    void mark_stale() { state_ = State::stale; }
    State state() const { return state_; }
    bool stale() const { return state_ == State::stale; }

    // Adds to `batch` (the commit's posts, not yet stored) what keeps the packed copy and
    // `meta.dirty` in step with it. `full`: the batch holds every post of the snapshot.
    // `snapshot_records` gives every post record when the copy is written after a partial
    // commit; `new_tag` names a new copy.
    void checkpoint(StorageBatch& batch, SyncMeta& meta, bool full,
                    const std::function<std::vector<std::string>()>& snapshot_records,
                    const std::function<std::string()>& new_tag);

private:
    State state_ = State::in_step;
};

}  // namespace grove

#include "grove/client/cache_checkpointer.hpp"

#include <algorithm>   // std::find

namespace grove {

void CacheCheckpointer::checkpoint(StorageBatch& b, SyncMeta& meta, bool full,
                                   const std::function<std::vector<std::string>()>& snapshot_records,
                                   const std::function<std::string()>& new_tag) {
    if (!full && state_ == State::in_step) {
        for (const StoredRecord& r : b.put_posts)
            if (std::find(meta.dirty.begin(), meta.dirty.end(), r.key) == meta.dirty.end()) meta.dirty.push_back(r.key);
    }
    if (!full && state_ == State::in_step && meta.dirty.size() <= kMaxDirty) return;
    std::vector<std::string> records;
    if (full) {
        records.reserve(b.put_posts.size());
        for (const StoredRecord& r : b.put_posts) records.push_back(r.value);
    } else {
        records = snapshot_records();
    }
    meta.packed = new_tag();
    meta.dirty.clear();
    b.put_meta.push_back({kMetaPacked, encode_packed(meta.packed, records)});
    state_ = State::in_step;
}

}  // namespace grove

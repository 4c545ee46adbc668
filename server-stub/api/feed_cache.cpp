#include "api/feed_cache.hpp"

namespace grove {

std::shared_ptr<const std::string> FeedCache::find(const std::string& key, std::int64_t current_rev) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end() || it->second.rev != current_rev) return nullptr;
    return it->second.body;
}

void FeedCache::store(const std::string& key, std::int64_t rev, std::shared_ptr<const std::string> body) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_[key] = Entry{rev, std::move(body)};
}

}  // namespace grove

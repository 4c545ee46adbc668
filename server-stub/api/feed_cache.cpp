#include "api/feed_cache.hpp"

namespace grove {

std::shared_ptr<const SharedBody> FeedCache::find(const std::string& key, std::int64_t current_rev) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end() || it->second.rev != current_rev) return nullptr;
    return it->second.body;
}

void FeedCache::store(const std::string& key, std::int64_t rev, std::shared_ptr<const SharedBody> body) {
    const std::size_t size = key.size() + body->bytes().size();
    if (size > kMaxBytes / 8) return;   // not worth evicting everything else for
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) {
        bytes_ -= key.size() + it->second.body->bytes().size();
        entries_.erase(it);
    }
    if (entries_.size() >= kMaxEntries || bytes_ + size > kMaxBytes) {
        entries_.clear();
        bytes_ = 0;
    }
    entries_.emplace(key, Entry{rev, std::move(body)});
    bytes_ += size;
}

}  // namespace grove

// A cache of serialized feed answers keyed by (module, cursor, limit, reader), valid while the
// storage's committed rev is the one the answer was built at: any change to any post bumps the
// rev, so a hit is byte-for-byte what a fresh read would give. Answers are per reader
// (endorsed_by_me, hidden bodies), so the cache is bounded in entries and in bytes (a page of
// 200 posts is about 80 KB) and simply cleared when full.
#pragma once

#include <cstdint>         // std::int64_t
#include <memory>          // std::shared_ptr
#include <mutex>           // std::mutex
#include <string>          // std::string
#include <unordered_map>   // std::unordered_map

#include "compression.hpp"   // SharedBody

namespace grove {

class FeedCache {
public:
    // nullptr when absent or built at another rev.
    std::shared_ptr<const SharedBody> find(const std::string& key, std::int64_t current_rev);
    void store(const std::string& key, std::int64_t rev, std::shared_ptr<const SharedBody> body);

private:
    struct Entry {
        std::int64_t rev = 0;
        std::shared_ptr<const SharedBody> body;
    };
    static constexpr std::size_t kMaxEntries = 4096;
    static constexpr std::size_t kMaxBytes = 32 * 1024 * 1024;
    std::mutex mutex_;
    std::size_t bytes_ = 0;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace grove

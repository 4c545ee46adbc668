// The per-user write limit (api.md "Limits": 30 a minute by default): a token bucket per user
// holding `per_minute` writes, refilled continuously, so a burst of 30 is fine and a steady
// flood is slowed to the limit. Over it: 429 with Retry-After (whole seconds until one write fits).
#pragma once

#include <cstdint>         // std::int64_t
#include <mutex>           // std::mutex
#include <optional>        // std::optional
#include <string>          // std::string
#include <unordered_map>   // std::unordered_map

namespace grove {

class WriteRateLimiter {
public:
    explicit WriteRateLimiter(int per_minute) : per_minute_(per_minute) {}

    // Takes one write from the user's bucket. nullopt: allowed; else the seconds to wait.
    std::optional<int> admit(const std::string& user_id, std::int64_t now_ms);

private:
    struct Bucket {
        double tokens = 0;
        std::int64_t updated_ms = 0;
    };
    static constexpr std::size_t kPruneAbove = 10000;

    int per_minute_;
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace grove

#include "api/middleware/rate_limit.hpp"

#include <algorithm>   // std::min
#include <cmath>       // std::ceil

namespace grove {

std::optional<int> WriteRateLimiter::admit(const std::string& user_id, std::int64_t now_ms) {
    const double capacity = per_minute_;
    const double per_ms = per_minute_ / 60000.0;
    std::lock_guard lock(mutex_);
    if (buckets_.size() > kPruneAbove) {
        // Forget users whose buckets have refilled: they are back to the default state.
        for (auto it = buckets_.begin(); it != buckets_.end();) {
            const double refilled = it->second.tokens + (now_ms - it->second.updated_ms) * per_ms;
            it = refilled >= capacity ? buckets_.erase(it) : std::next(it);
        }
    }
    auto [it, fresh] = buckets_.try_emplace(user_id, Bucket{capacity, now_ms});
    Bucket& b = it->second;
    if (!fresh && now_ms > b.updated_ms) {
        b.tokens = std::min(capacity, b.tokens + (now_ms - b.updated_ms) * per_ms);
        b.updated_ms = now_ms;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return std::nullopt;
    }
    const double wait_ms = (1.0 - b.tokens) / per_ms;
    return std::max(1, static_cast<int>(std::ceil(wait_ms / 1000.0)));
}

}  // namespace grove

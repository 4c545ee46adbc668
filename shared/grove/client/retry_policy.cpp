#include "grove/client/retry_policy.hpp"

namespace grove {

Answer classify_status(int status) {
    if (status >= 200 && status < 300) return Answer::ok;
    if (status == 401) return Answer::unauthorized;
    if (status == 429) return Answer::rate_limited;
    if (status >= 400 && status < 500 && status != 408) return Answer::permanent;
    return Answer::transient;   // 0 (no answer), 408, 5xx, and anything unexpected (1xx, 3xx)
}

std::int64_t Backoff::next_delay_ms(std::uint64_t random) {
    std::int64_t ceiling = base_ms_;
    for (int i = 0; i < failures_ && ceiling < cap_ms_; ++i) ceiling *= 2;
    if (ceiling > cap_ms_) ceiling = cap_ms_;
    ++failures_;
    const std::int64_t half = ceiling / 2;
    return half + static_cast<std::int64_t>(random % static_cast<std::uint64_t>(ceiling - half + 1));
}

}  // namespace grove

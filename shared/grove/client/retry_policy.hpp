// When to try again: what an HTTP answer means for a queued write or a pull, and how long to wait
// after a failure (exponential backoff with jitter, so a recovering server is not hit by every
// widget at the same instant).
#pragma once

#include <cstdint>   // std::int64_t, std::uint64_t

namespace grove {

enum class Answer {
    ok,            // 2xx
    unauthorized,  // 401: ask the page for a fresh token (once), then try again
    rate_limited,  // 429: wait Retry-After
    transient,     // no answer, 408, 5xx: back off and try again, for ever
    permanent,     // any other 4xx: the server refuses this request; the person decides
};

Answer classify_status(int status);

class Backoff {
public:
    Backoff(std::int64_t base_ms = 1000, std::int64_t cap_ms = 60000) : base_ms_(base_ms), cap_ms_(cap_ms) {}
    // The wait after one more failure: between half and all of min(cap, base * 2^failures), the
    // exact point chosen by `random`.
    std::int64_t next_delay_ms(std::uint64_t random);
    void reset() { failures_ = 0; }
    int failures() const { return failures_; }

private:
    std::int64_t base_ms_, cap_ms_;
    int failures_ = 0;
};

}  // namespace grove

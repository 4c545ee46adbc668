#include "service/post_ids.hpp"

#include <random>   // std::random_device, std::mt19937_64

namespace grove {

std::string new_post_id(std::int64_t now_ms) {
    static constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    thread_local std::mt19937_64 random{(std::uint64_t(std::random_device{}()) << 32) ^ std::random_device{}()};
    std::string id(26, '0');
    auto t = static_cast<std::uint64_t>(now_ms < 0 ? 0 : now_ms) & ((std::uint64_t(1) << 48) - 1);
    for (int i = 9; i >= 0; --i) {
        id[static_cast<std::size_t>(i)] = kCrockford[t & 31];
        t >>= 5;
    }
    std::uint64_t r = random();
    std::uint64_t r2 = random();
    for (int i = 10; i < 26; ++i) {
        std::uint64_t& src = i < 22 ? r : r2;
        id[static_cast<std::size_t>(i)] = kCrockford[src & 31];
        src >>= 5;
    }
    return id;
}

}  // namespace grove

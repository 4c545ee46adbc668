// FNV-1a over bytes, 32 bits: a stable, cheap number for picks and typo checks (an avatar's
// colour, a cursor's module check). Not for security, not for hash tables under attack.
#pragma once

#include <cstdint>       // std::uint32_t
#include <string_view>   // std::string_view

namespace grove {

constexpr std::uint32_t fnv1a_32(std::string_view bytes) {
    std::uint32_t h = 2166136261u;
    for (char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    return h;
}

}  // namespace grove

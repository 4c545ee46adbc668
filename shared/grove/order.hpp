#pragma once
// A stable order of n items by a comparison, as a permutation of their indices.
//
// Every caller shares one instantiation of std::stable_sort (on indices, comparing through a
// function pointer), where a std::stable_sort per element type and lambda would put another
// 3 KB of merge code into the widget's wasm for each.
#include <cstddef>  // std::size_t
#include <vector>   // std::vector

namespace grove {

using OrderBefore = bool (*)(const void* context, std::size_t a, std::size_t b);

// idx holds indices (any subset, any order); afterwards they are stably sorted by before().
void stable_order(std::vector<std::size_t>& idx, OrderBefore before, const void* context);

// The same with any callable `bool(std::size_t a, std::size_t b)`.
template <class Before>
void stable_order(std::vector<std::size_t>& idx, const Before& before) {
    stable_order(
        idx, [](const void* c, std::size_t a, std::size_t b) { return (*static_cast<const Before*>(c))(a, b); },
        &before);
}

// The indices 0..n-1 stably sorted by before(a, b).
template <class Before>
std::vector<std::size_t> stable_order(std::size_t n, const Before& before) {
    std::vector<std::size_t> idx(n);
    for (std::size_t i = 0; i < n; ++i) idx[i] = i;
    stable_order(idx, before);
    return idx;
}

}  // namespace grove

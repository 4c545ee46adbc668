// stable_order: one stable sort of indices shared by every caller (shared/grove/order.hpp).
#include <doctest/doctest.h>

#include <algorithm>  // std::stable_sort
#include <random>     // std::mt19937
#include <utility>    // std::pair
#include <vector>     // std::vector

#include "grove/order.hpp"

using grove::stable_order;

TEST_CASE("stable_order: equal keys keep their order, as std::stable_sort keeps them") {
    std::mt19937 rng(7);
    for (int round = 0; round < 200; ++round) {
        const std::size_t n = rng() % 300;
        std::vector<std::pair<int, int>> items(n);   // (key, original position)
        for (std::size_t i = 0; i < n; ++i) items[i] = {static_cast<int>(rng() % 8), static_cast<int>(i)};
        const std::vector<std::size_t> idx =
            stable_order(n, [&](std::size_t a, std::size_t b) { return items[a].first < items[b].first; });
        std::vector<std::pair<int, int>> expected = items;
        std::stable_sort(expected.begin(), expected.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        REQUIRE(idx.size() == n);
        for (std::size_t i = 0; i < n; ++i) CHECK(items[idx[i]] == expected[i]);
    }
}

TEST_CASE("stable_order: a subset of indices in any order is sorted among itself") {
    const std::vector<int> key = {5, 1, 5, 0, 1, 9, 5};
    std::vector<std::size_t> idx = {6, 2, 4, 0, 1};   // not 3 or 5; 6, 2 and 0 tie
    stable_order(idx, [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
    CHECK(idx == std::vector<std::size_t>{4, 1, 6, 2, 0});
    std::vector<std::size_t> none;
    stable_order(none, [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
    CHECK(none.empty());
}

#include "grove/order.hpp"

#include <algorithm>  // std::stable_sort

namespace grove {

void stable_order(std::vector<std::size_t>& idx, OrderBefore before, const void* context) {
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return before(context, a, b); });
}

}  // namespace grove

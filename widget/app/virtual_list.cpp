#include "virtual_list.hpp"

#include <algorithm>   // std::upper_bound, std::min

namespace grove {

void VirtualList::assign(std::vector<float> heights) {
    heights_ = std::move(heights);
    exact_.assign(heights_.size(), 0);
    prefix_.assign(heights_.size() + 1, 0.0);
    dirty_from_ = 0;
}

void VirtualList::splice(std::size_t first, std::size_t count, const std::vector<float>& heights) {
    heights_.erase(heights_.begin() + static_cast<std::ptrdiff_t>(first),
                   heights_.begin() + static_cast<std::ptrdiff_t>(first + count));
    heights_.insert(heights_.begin() + static_cast<std::ptrdiff_t>(first), heights.begin(), heights.end());
    exact_.erase(exact_.begin() + static_cast<std::ptrdiff_t>(first),
                 exact_.begin() + static_cast<std::ptrdiff_t>(first + count));
    exact_.insert(exact_.begin() + static_cast<std::ptrdiff_t>(first), heights.size(), 0);
    dirty_from_ = std::min(dirty_from_, first);
}

void VirtualList::set_height(std::size_t i, float h, bool exact) {
    exact_[i] = exact ? 1 : 0;
    if (heights_[i] == h) return;
    heights_[i] = h;
    dirty_from_ = std::min(dirty_from_, i);
}

void VirtualList::mark_all_inexact() { std::fill(exact_.begin(), exact_.end(), 0); }

void VirtualList::rebuild() const {
    if (prefix_.size() != heights_.size() + 1) {
        prefix_.assign(heights_.size() + 1, 0.0);
        dirty_from_ = 0;
    }
    for (std::size_t i = dirty_from_; i < heights_.size(); ++i) prefix_[i + 1] = prefix_[i] + heights_[i];
    dirty_from_ = heights_.size();
}

double VirtualList::offset(std::size_t i) const {
    if (prefix_.size() != heights_.size() + 1 || (dirty_from_ < heights_.size() && i > dirty_from_)) rebuild();
    return prefix_[i];
}

std::size_t VirtualList::row_at(double y) const {
    if (heights_.empty()) return 0;
    if (dirty_from_ < heights_.size()) rebuild();
    // The last row whose top is <= y.
    const auto it = std::upper_bound(prefix_.begin(), prefix_.end() - 1, y);
    return it == prefix_.begin() ? 0 : static_cast<std::size_t>(it - prefix_.begin()) - 1;
}

double VirtualList::settle(double top, double height, double margin,
                           const std::function<float(std::size_t)>& measure) {
    if (heights_.empty()) return top;
    const std::size_t anchor = row_at(top);
    const double into_anchor = top - offset(anchor);
    for (int pass = 0; pass < 4; ++pass) {
        bool changed = false;
        const double lo = top - margin, hi = top + height + margin;
        for (std::size_t i = row_at(lo); i < heights_.size() && offset(i) < hi; ++i) {
            if (exact(i)) continue;
            const float h = measure(i);
            changed = changed || h != heights_[i];
            set_height(i, h, true);
        }
        top = offset(anchor) + std::min(into_anchor, static_cast<double>(heights_[anchor]));
        if (!changed) break;
    }
    return top;
}

}  // namespace grove

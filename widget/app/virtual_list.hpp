// A virtual list: heights of many variable-height rows, their offsets, and which rows meet a
// viewport, so the thread submits only the cards on screen (10,000 posts cost what 100 do).
// Heights start as estimates; rows near the viewport get their exact height before they are
// drawn (settle), and the viewport keeps its first visible row in place while estimates above
// it turn exact, so nothing jumps while scrolling. Pure arithmetic: no ImGui.
#pragma once

#include <cstddef>      // std::size_t
#include <functional>   // std::function
#include <vector>       // std::vector

namespace grove {

class VirtualList {
public:
    std::size_t size() const { return heights_.size(); }
    // Replaces every row; all heights are estimates.
    void assign(std::vector<float> heights);
    // Replaces rows [first, first + count) with `heights` (estimates); the other rows keep theirs.
    void splice(std::size_t first, std::size_t count, const std::vector<float>& heights);
    float height(std::size_t i) const { return heights_[i]; }
    bool exact(std::size_t i) const { return exact_[i] != 0; }
    void set_height(std::size_t i, float h, bool exact);
    // Keeps heights as estimates (e.g. the width changed): rows are measured again when seen.
    void mark_all_inexact();

    double offset(std::size_t i) const;   // top of row i; offset(size()) == total()
    double total() const { return offset(heights_.size()); }
    // The row that holds y (clamped to the first/last row); 0 for an empty list.
    std::size_t row_at(double y) const;

    // Makes every row that meets [top - margin, top + height + margin] exact with `measure`,
    // and returns the new viewport top that keeps the first visible row where it was.
    double settle(double top, double height, double margin, const std::function<float(std::size_t)>& measure);

private:
    void rebuild() const;

    std::vector<float> heights_;
    std::vector<unsigned char> exact_;
    mutable std::vector<double> prefix_;   // prefix_[i] = top of row i, size()+1 entries
    mutable std::size_t dirty_from_ = 0;   // prefix_ is valid below this row
};

}  // namespace grove

// The thread: a header (how many reflections, Top / Newest, and for curators Discussion / Flags)
// and the virtualized list of rows: pinned first, then the chosen order, replies under their
// post, the reply form under the replies. Only rows near the visible area are laid out and
// drawn, so 10,000 posts cost about what 100 do; rows are rebuilt only when the discussion's
// revision, the order or the open forms change, keeping the reader's place.
#pragma once

#include <cstddef>         // std::size_t
#include <cstdint>         // std::uint64_t
#include <string>          // std::string
#include <unordered_map>   // std::unordered_map
#include <vector>          // std::vector

#include "grove/client/discussion.hpp"
#include "post_card.hpp"
#include "ui_kit.hpp"
#include "ui_state.hpp"
#include "view_model.hpp"
#include "virtual_list.hpp"

namespace grove {

class ThreadPanel {
public:
    void draw_header(Ui& ui, Discussion& d, ThreadState& st, float width);
    void draw_rows(Ui& ui, Discussion& d, ThreadState& st, float width);

    std::size_t row_count() const { return rows_.size(); }
    std::size_t rows_drawn() const { return rows_drawn_; }   // last frame, for tests and benchmarks
    std::size_t rebuilds() const { return rebuilds_; }
    const ThreadModel& model() const { return model_; }

private:
    struct Row {
        enum class Kind { post, reply, placeholder, reply_form } kind;
        std::size_t entry;     // index into model_.entries
        std::size_t post;      // index into Discussion::posts() (post, reply)
        std::string key;       // stable across rebuilds: keeps measured heights and the reader's place
    };
    struct BuildKey {
        std::uint64_t revision = ~std::uint64_t{0};
        ThreadOrder order = ThreadOrder::top;
        std::string me;
        std::uint64_t layout = ~std::uint64_t{0};
        bool operator==(const BuildKey& o) const {
            return revision == o.revision && order == o.order && me == o.me && layout == o.layout;
        }
    };

    void rebuild(Ui& ui, const Discussion& d, const ThreadState& st, float width);
    bool replies_open(const ThreadState& st, const ThreadEntry& e) const;
    float row(Ui& ui, Discussion& d, ThreadState& st, std::size_t i, float width, bool draw);
    float estimate(const Ui& ui, const Discussion& d, const Row& r, float width) const;

    ThreadModel model_;
    std::vector<Row> rows_;
    VirtualList list_;
    std::unordered_map<std::string, std::size_t> index_;   // row key -> row
    BuildKey built_;
    float width_ = 0, scale_ = 0;
    std::size_t rows_drawn_ = 0, rebuilds_ = 0;
    bool online_ = true;
};

}  // namespace grove

// The thread: a header (how many reflections, Top / Newest, and for curators Discussion / Flags)
// and the virtualized list of rows: pinned first, then the chosen order, replies under their
// post, the reply form under the replies. Only rows near the visible area are laid out and
// drawn, so 10,000 posts cost about what 100 do; rows are rebuilt only when the discussion's
// revision, the order or the open forms change, keeping the reader's place. A post the person
// just wrote is inserted instead (add_to_thread): no sort of 10,000 posts in the frame after it.
//
// The HTML view (semantic_view.hpp) holds a window of rows as a list: from the top, kWindowRows at
// first, more with its "Show more" button (at most kWindowMaxRows at once, the window sliding on),
// and always the row with the keyboard focus. Rows in the window that the canvas does not draw are
// described (RowPass::describe); rows the canvas draws outside the window record nothing.
//
// A widget that grows with its content (data-grove-height: none) has no inner scroll box to
// virtualize against: it shows the first kPageEntries posts (with their replies) and a "Show more
// reflections" button under them that adds the next kPageEntries, on the canvas and in the HTML
// view alike (which then holds exactly the rows shown, with no window of its own).
#pragma once

#include <algorithm>       // std::min
#include <cstddef>         // std::size_t
#include <cstdint>         // std::uint64_t, std::int64_t
#include <optional>        // std::optional
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

    static constexpr std::size_t kWindowRows = 25, kWindowMaxRows = 100;
    static constexpr std::size_t kPageEntries = 20;

    // Growing with the content: the thread pages its posts (see above). Off: the virtualized list.
    void set_paged(bool on) { paged_ = on; }
    bool paged() const { return paged_; }
    std::size_t entries_shown() const { return paged_ ? std::min(page_entries_, model_.entries.size()) : model_.entries.size(); }
    std::size_t rows_shown() const { return rows_end_; }   // rows [0, rows_shown()) are in the thread

    std::size_t row_count() const { return rows_.size(); }
    // The HTML view's window of rows, [first, last) (empty when the view is off).
    std::size_t window_first() const { return win_first_; }
    std::size_t window_end() const { return win_end_; }
    std::size_t rows_drawn() const { return rows_drawn_; }   // last frame, for tests and benchmarks
    std::size_t rebuilds() const { return rebuilds_; }
    std::size_t insertions() const { return insertions_; }   // new posts added without a rebuild
    std::vector<std::string> row_keys() const;               // for tests: the rows in order
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

    // Where the list is this frame: its left and top in the window's content, the visible part of
    // it (from view_top, view_h tall) and how far beyond it rows are laid out.
    struct ListPlace {
        float left = 0, top = 0;
        double view_top = 0;
        float view_h = 0;
        double margin = 0;
    };

    // The steps of draw_rows, in order.
    void update_rows(Ui& ui, const Discussion& d, const ThreadState& st, float width, ListPlace& at);
    void remeasure_open_forms(const ThreadState& st);
    void draw_empty(Ui& ui, const Discussion& d, float width);
    void settle(Ui& ui, Discussion& d, ThreadState& st, float width, ListPlace& at);
    void reveal_new_post(Ui& ui, ThreadState& st, const ListPlace& at);
    void draw_visible(Ui& ui, Discussion& d, ThreadState& st, float width, const ListPlace& at);
    void draw_row(Ui& ui, Discussion& d, ThreadState& st, std::size_t i, float width, const ListPlace& at,
                  bool in_window);
    void describe_window_start(Ui& ui);
    void describe_show_more(Ui& ui);
    void draw_next_page(Ui& ui, float width, float left);

    void rebuild(Ui& ui, const Discussion& d, const ThreadState& st, float width);
    bool insert_new_post(Ui& ui, const Discussion& d, const ThreadState& st, float width, const BuildKey& key);
    void entry_rows(const Discussion& d, const ThreadState& st, std::size_t e, std::vector<Row>& out) const;
    std::optional<std::size_t> find_row(const std::string& key) const;
    bool replies_open(const ThreadState& st, const ThreadEntry& e) const;
    float row(Ui& ui, Discussion& d, ThreadState& st, std::size_t i, float width, RowPass pass);
    void place_window(Ui& ui);
    void describe_row_start(Ui& ui, std::size_t i, std::size_t& open_entry, bool& replies_open_list);
    float estimate(const Ui& ui, const Discussion& d, const Row& r, float width) const;

    ThreadModel model_;
    std::vector<Row> rows_;
    VirtualList list_;
    BuildKey built_;
    std::size_t built_posts_ = 0, built_first_ = 0;   // posts() and posted_here sizes at the last build
    std::int64_t built_now_ = 0;                      // the clock of the last full build (Top's scores)
    std::string built_reply_to_;                      // the open reply form at the last build
    std::string built_draft_;                         // the composer draft at the last build
    float width_ = 0, scale_ = 0, em_ = 0;   // what the rows were measured for
    float list_top_ = -1;   // the list's top in the window's content at the last frame
    std::size_t rows_drawn_ = 0, rebuilds_ = 0, insertions_ = 0;
    bool online_ = true;
    std::string win_key_;                 // the first row of the HTML view's window (kept across rebuilds)
    std::size_t win_size_ = kWindowRows;  // rows the window holds
    std::size_t win_first_ = 0, win_end_ = 0;
    std::size_t focus_row_ = ~std::size_t{0};   // "Show more": its first new row takes the focus
    bool paged_ = false;
    std::size_t page_entries_ = kPageEntries;   // paged: the entries shown
    std::size_t rows_end_ = 0;                  // the rows shown (all of them unless paged)
};

}  // namespace grove

#include "thread_panel.hpp"

#include <algorithm>          // std::find_if, std::partition_point
#include <cmath>              // std::ceil
#include <cstring>            // std::memchr
#include <unordered_map>      // std::unordered_map

#include <imgui.h>
#include <imgui_internal.h>   // ImGuiWindow (Scroll, InnerRect)

namespace grove {

bool ThreadPanel::replies_open(const ThreadState& st, const ThreadEntry& e) const {
    const auto it = st.replies_open.find(e.id);
    if (it != st.replies_open.end()) return it->second;
    return e.replies.size() <= kRepliesOpenByDefault || !e.post;
}

void ThreadPanel::rebuild(Ui& ui, const Discussion& d, const ThreadState& st, float width) {
    ++rebuilds_;
    // Heights already known (by row key) are kept as estimates for the new rows.
    std::unordered_map<std::string, float> known;
    known.reserve(rows_.size());
    for (std::size_t i = 0; i < rows_.size(); ++i) known.emplace(rows_[i].key, list_.height(i));

    const std::vector<ShownPost>& posts = d.posts();
    model_ = build_thread(posts, st.order, d.me(), ui.now_ms, &st.posted_here);
    built_posts_ = posts.size();
    built_first_ = st.posted_here.size();
    built_now_ = ui.now_ms;
    built_reply_to_ = st.reply.post;
    built_draft_ = d.draft();
    rows_.clear();
    rows_.reserve(model_.visible_posts + 8);
    for (std::size_t e = 0; e < model_.entries.size(); ++e) entry_rows(d, st, e, rows_);
    std::vector<float> heights(rows_.size());
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        const auto it = known.find(rows_[i].key);
        heights[i] = it != known.end() ? it->second : estimate(ui, d, rows_[i], width);
    }
    list_.assign(std::move(heights));
}

// The rows of one entry: the post (or its placeholder), its replies when open, the reply form.
void ThreadPanel::entry_rows(const Discussion& d, const ThreadState& st, std::size_t e, std::vector<Row>& out) const {
    const std::vector<ShownPost>& posts = d.posts();
    const ThreadEntry& entry = model_.entries[e];
    if (entry.post) out.push_back({Row::Kind::post, e, *entry.post, entry.id});
    else out.push_back({Row::Kind::placeholder, e, 0, "placeholder:" + entry.id});
    if (replies_open(st, entry))
        for (std::size_t r : entry.replies) out.push_back({Row::Kind::reply, e, r, posts[r].post().id});
    if (entry.post && st.reply.post == entry.id) out.push_back({Row::Kind::reply_form, e, 0, "reply:" + entry.id});
}

// The post the person just wrote, when it is the only change since the last build: the discussion
// moved one revision (create() changes it once, and every change moves it), or two when the draft
// changed too (the composer empties it after posting; set_draft moves the revision once), it holds
// one post more, and that post is the one new id in posted_here (added after create() returned it). The
// rows moved only as posting does: the composer's post bumps the layout once; a reply bumps it
// twice (its form closes, its parent's replies open) and changes only its parent's rows. Then
// add_to_thread places the post (as build_thread would, at the last build's clock) and only its
// entry's rows are made again. Anything else: a full rebuild.
bool ThreadPanel::insert_new_post(Ui& ui, const Discussion& d, const ThreadState& st, float width, const BuildKey& key) {
    const std::vector<ShownPost>& posts = d.posts();
    const std::uint64_t draft_changes = d.draft() != built_draft_ ? 1 : 0;
    if (key.revision != built_.revision + 1 + draft_changes || key.order != built_.order || key.me != built_.me ||
        posts.size() != built_posts_ + 1 || st.posted_here.size() != built_first_ + 1 ||
        st.posted_here.count(posts.back().post().id) == 0)
        return false;
    const Post& added = posts.back().post();
    const bool top_level = !added.parent_id;
    const bool rows_as_posting = top_level ? key.layout == built_.layout + 1 && st.reply.post == built_reply_to_
                                           : key.layout == built_.layout + 2 && st.reply.post.empty() &&
                                                 built_reply_to_ == *added.parent_id;
    if (!rows_as_posting) return false;
    const auto e = add_to_thread(model_, posts, posts.size() - 1, st.order, d.me(), built_now_, &st.posted_here);
    if (!e) return false;
    // Rows of entries before *e stay; a new entry shifts the later ones' entry index by one.
    const auto first = std::partition_point(rows_.begin(), rows_.end(), [&](const Row& r) { return r.entry < *e; });
    auto last = first;
    if (top_level) {
        for (auto it = first; it != rows_.end(); ++it) ++it->entry;
    } else {
        while (last != rows_.end() && last->entry == *e) ++last;
    }
    std::vector<Row> fresh;
    entry_rows(d, st, *e, fresh);
    std::vector<float> heights(fresh.size());
    for (std::size_t i = 0; i < fresh.size(); ++i) {
        const auto old = std::find_if(first, last, [&](const Row& r) { return r.key == fresh[i].key; });
        heights[i] = old != last ? list_.height(static_cast<std::size_t>(old - rows_.begin()))
                                 : estimate(ui, d, fresh[i], width);
    }
    const std::size_t at = static_cast<std::size_t>(first - rows_.begin());
    const std::size_t count = static_cast<std::size_t>(last - first);
    rows_.erase(first, last);
    rows_.insert(rows_.begin() + static_cast<std::ptrdiff_t>(at), fresh.begin(), fresh.end());
    list_.splice(at, count, heights);
    list_.mark_all_inexact();   // as after a rebuild: rows near the view are measured again
    built_posts_ = posts.size();
    built_first_ = st.posted_here.size();
    built_reply_to_ = st.reply.post;
    built_draft_ = d.draft();
    ++insertions_;
    return true;
}

std::optional<std::size_t> ThreadPanel::find_row(const std::string& key) const {
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].key == key) return i;
    return std::nullopt;
}

std::vector<std::string> ThreadPanel::row_keys() const {
    std::vector<std::string> keys;
    keys.reserve(rows_.size());
    for (const Row& r : rows_) keys.push_back(r.key);
    return keys;
}

float ThreadPanel::estimate(const Ui& ui, const Discussion& d, const Row& r, float width) const {
    if (r.kind == Row::Kind::placeholder) return ui.px(52);
    if (r.kind == Row::Kind::reply_form) return ui.px(150);
    const Post& p = d.posts()[r.post].post();
    const bool reply = r.kind == Row::Kind::reply;
    const float inner = width - (reply ? ui.reply_indent() : 0.0f) - ui.card_pad(reply) * 2;
    const float avg = ui.em(kBody) * 0.5f;   // about half an em per byte (Latin: per character)
    const float chars = static_cast<float>(p.body.size());
    // memchr skips the text a word at a time: this runs for every post when a module opens.
    std::size_t breaks = 0;
    const char* const end = p.body.data() + p.body.size();
    for (const char* q = p.body.data(); (q = static_cast<const char*>(std::memchr(q, '\n', static_cast<std::size_t>(end - q)))); ++q)
        ++breaks;
    const float lines = std::ceil(chars * avg / (inner > 1 ? inner : 1)) + static_cast<float>(breaks);
    // The card around the text: padding, the header and footer (a compact button tall each) and
    // the gaps post_row leaves.
    const float bar = ui::button_size(ui, "x", ui::compact(ui::Tone::ghost)).y;
    const float chrome = ui.card_pad(reply) * 2 + ui.px(reply ? 8 + 8 + 8 : 8 + 8 + 12) + bar + header_line_height(ui, reply);
    return chrome + lines * ui.line_h(kBody);
}

// Where the HTML view's window is this frame: from its first row (by key, so new posts above do
// not shift it), win_size_ rows, moved to hold the row with the keyboard focus (or the one the
// keyboard is about to reach).
void ThreadPanel::place_window(Ui& ui) {
    win_first_ = win_end_ = 0;
    if (!ui.sem->on() || rows_.empty()) return;
    if (paged_) {   // the rows shown, all of them: the thread's own "Show more" adds to both
        win_end_ = rows_end_;
        return;
    }
    std::size_t first = 0;
    if (!win_key_.empty()) {
        if (const auto at = find_row(win_key_)) first = *at;
    }
    int want = ui.focus->pending_row();
    if (want < 0) want = ui.focus->focused_row();
    if (want >= static_cast<int>(rows_.size())) want = -1;
    if (want >= 0 && (static_cast<std::size_t>(want) < first || static_cast<std::size_t>(want) >= first + win_size_))
        first = static_cast<std::size_t>(want) > win_size_ / 2 ? static_cast<std::size_t>(want) - win_size_ / 2 : 0;
    if (first >= rows_.size()) first = rows_.size() - 1;
    win_first_ = first;
    win_end_ = std::min(rows_.size(), first + win_size_);
    win_key_ = rows_[first].key;
}

// The list structure around row i of the window: an item per entry (the post, its replies as a
// nested list, the reply form), numbered for screen readers (aria-setsize, aria-posinset).
void ThreadPanel::describe_row_start(Ui& ui, std::size_t i, std::size_t& open_entry, bool& replies_list) {
    SemanticView& v = *ui.sem;
    const Row& r = rows_[i];
    const ThreadEntry& entry = model_.entries[r.entry];
    if (open_entry != r.entry) {
        if (replies_list) v.close();
        if (open_entry != ~std::size_t{0}) v.close();
        replies_list = false;
        open_entry = r.entry;
        const int li = v.open(entry.id, "li");
        v.attr("aria-setsize", std::to_string(model_.entries.size()));
        v.attr("aria-posinset", std::to_string(r.entry + 1));
        v.attr("tabindex", "-1");
        v.attr("data-row", std::to_string(i));
        if (focus_row_ == i) {
            ui.sem_focus = v.ref(li);
            focus_row_ = ~std::size_t{0};
        }
    }
    if (r.kind == Row::Kind::reply) {
        if (!replies_list) {
            v.open("replies", "ul");
            v.attr("aria-label", "Replies");
            replies_list = true;
        }
        const auto at = std::find(entry.replies.begin(), entry.replies.end(), r.post);
        const int li = v.open(r.key, "li");
        v.attr("aria-setsize", std::to_string(entry.replies.size()));
        v.attr("aria-posinset", std::to_string(at - entry.replies.begin() + 1));
        v.attr("tabindex", "-1");
        v.attr("data-row", std::to_string(i));
        if (focus_row_ == i) {
            ui.sem_focus = v.ref(li);
            focus_row_ = ~std::size_t{0};
        }
    } else if (r.kind == Row::Kind::reply_form && replies_list) {
        v.close();
        replies_list = false;
    }
}

float ThreadPanel::row(Ui& ui, Discussion& d, ThreadState& st, std::size_t i, float width, RowPass pass) {
    const Row& r = rows_[i];
    const std::vector<ShownPost>& posts = d.posts();
    CardContext c;
    c.d = &d;
    c.st = &st;
    c.entry = &model_.entries[r.entry];
    c.online = online_;
    switch (r.kind) {
        case Row::Kind::post:
            c.post = &posts[r.post];
            c.replies_open = replies_open(st, *c.entry);
            return post_row(ui, c, width, pass);
        case Row::Kind::reply:
            c.post = &posts[r.post];
            c.reply = true;
            return post_row(ui, c, width, pass);
        case Row::Kind::placeholder: return placeholder_row(ui, c, width, pass);
        case Row::Kind::reply_form:
            c.post = &posts[*c.entry->post];
            return reply_form_row(ui, c, width, pass);
    }
    return 0.0f;
}

void ThreadPanel::draw_header(Ui& ui, Discussion& d, ThreadState& st, float width) {
    const Palette& pal = *ui.pal;
    ImGui::PushID("thread");
    const ImVec2 o = ImGui::GetCursorScreenPos();
    float y = o.y;
    SemanticView& v = *ui.sem;

    // Curators: the discussion or the flag queue.
    if (d.me().known && can_moderate(d.me().role)) {
        v.open("views", "div");
        v.attr("role", "group");
        v.attr("aria-label", "Show");
        const std::size_t flags = d.flags().size();
        const std::string flags_label = "Flags" + (flags ? " · " + std::to_string(flags) : std::string()) + "###flags";
        ui::ButtonOpts a = ui::compact(st.flags_view ? ui::Tone::chip : ui::Tone::chip_on);
        ui::ButtonOpts b = ui::compact(st.flags_view ? ui::Tone::chip_on : ui::Tone::chip, ui::Icon::flag);
        a.toggle = b.toggle = true;
        ImGui::SetCursorScreenPos(ImVec2(o.x, y));
        if (ui::button(ui, "Discussion", a)) st.flags_view = false;
        ImGui::SetCursorScreenPos(ImVec2(o.x + ui::button_size(ui, "Discussion", a).x + ui.px(6), y));
        if (ui::button(ui, flags_label.c_str(), b) && !st.flags_view) {
            st.flags_view = true;
            Discussion* dp = &d;
            ui.defer([dp] { dp->refresh_flags(); });
        }
        y += ui::button_size(ui, "Discussion", a).y + ui.px(12);
        v.close();
    }
    if (st.flags_view) {
        ImGui::SetCursorScreenPos(ImVec2(o.x, y));
        ImGui::PopID();
        return;
    }

    // "12 reflections" and the order.
    ui::ButtonOpts top = ui::compact(st.order == ThreadOrder::top ? ui::Tone::chip_on : ui::Tone::chip);
    ui::ButtonOpts newest = ui::compact(st.order == ThreadOrder::newest ? ui::Tone::chip_on : ui::Tone::chip);
    top.toggle = newest.toggle = true;
    top.tooltip = "Most endorsed first; leaders' and curators' endorsements count more, and newer posts rise";
    newest.tooltip = "Newest first";
    const ImVec2 tsz = ui::button_size(ui, "Top", top), nsz = ui::button_size(ui, "Newest", newest);
    const std::size_t n = model_.visible_posts;
    const std::string count = n == 0 ? std::string("Reflections") : std::to_string(n) + (n == 1 ? " reflection" : " reflections");
    ui::strong_text_at(kBody, ImVec2(o.x, y + (tsz.y - ui.line_h(kBody)) * 0.5f), count.c_str(), pal.text);
    v.attr(v.current(), "aria-labelledby", v.ref(v.leaf("count", "h2", count)));
    v.open("order", "div");
    v.attr("role", "group");
    v.attr("aria-label", "Order");
    ImGui::SetCursorScreenPos(ImVec2(o.x + width - tsz.x - nsz.x - ui.px(6), y));
    if (ui::button(ui, "Top", top)) st.order = ThreadOrder::top;
    ImGui::SetCursorScreenPos(ImVec2(o.x + width - nsz.x, y));
    if (ui::button(ui, "Newest", newest)) st.order = ThreadOrder::newest;
    v.close();
    ImGui::SetCursorScreenPos(ImVec2(o.x, y + tsz.y + ui.px(12)));
    ImGui::Dummy(ImVec2(width, 0));
    ImGui::PopID();
}

void ThreadPanel::draw_rows(Ui& ui, Discussion& d, ThreadState& st, float width) {
    ImGuiWindow* win = ImGui::GetCurrentWindow();
    ListPlace at;
    at.left = ImGui::GetCursorPosX();
    at.top = ImGui::GetCursorPosY();   // the list's top, in content coordinates
    online_ = d.status().online;
    // The widget was resized and what sits above the list (composer, chips, shelf) changed height,
    // e.g. its chips wrapped: while the person reads the thread, it stays where it was.
    const bool resized = width != width_ || ui.scale != scale_ || ui.em() != em_;
    if (resized && list_top_ >= 0 && at.top != list_top_ && win->Scroll.y > list_top_) win->Scroll.y += at.top - list_top_;
    list_top_ = at.top;
    at.view_top = win->Scroll.y - at.top;
    at.view_h = win->InnerRect.GetHeight();

    update_rows(ui, d, st, width, at);
    if (resized) {   // the text size or the paddings change the rows' heights
        list_.mark_all_inexact();
        width_ = width;
        scale_ = ui.scale;
        em_ = ui.em();
    }
    remeasure_open_forms(st);

    // Paged: the rows of the first page_entries_ entries (rows are in entry order).
    rows_end_ = rows_.size();
    if (paged_)
        rows_end_ = static_cast<std::size_t>(
            std::partition_point(rows_.begin(), rows_.end(), [&](const Row& r) { return r.entry < page_entries_; }) -
            rows_.begin());
    ui.focus->set_row_count(static_cast<int>(rows_end_));
    if (rows_.empty()) {
        draw_empty(ui, d, width);
        rows_drawn_ = 0;
        return;
    }
    // (Paged, the canvas is as tall as the content: the rows on it are all there is to measure.)
    at.margin = paged_ ? 0.0 : at.view_h;
    settle(ui, d, st, width, at);
    reveal_new_post(ui, st, at);
    draw_visible(ui, d, st, width, at);
    ImGui::SetCursorPos(ImVec2(at.left, at.top + static_cast<float>(list_.offset(rows_end_))));
    ImGui::Dummy(ImVec2(width, 0));
    if (paged_ && rows_end_ < rows_.size()) draw_next_page(ui, width, at.left);
}

// Rebuilds (or inserts the post just written) when the data, the order or the open forms change,
// keeping the first visible row where it was (new posts arriving above do not push what the
// person reads away).
void ThreadPanel::update_rows(Ui& ui, const Discussion& d, const ThreadState& st, float width, ListPlace& at) {
    BuildKey key{d.revision(), st.order, d.me().id + ":" + std::string(to_string(d.me().role)), st.layout_version};
    if (key == built_) return;
    ImGuiWindow* win = ImGui::GetCurrentWindow();
    std::string anchor;
    double into = 0;
    if (at.view_top > 0 && !rows_.empty()) {
        const std::size_t a = list_.row_at(at.view_top);
        anchor = rows_[a].key;
        into = at.view_top - list_.offset(a);
    }
    if (!insert_new_post(ui, d, st, width, key)) rebuild(ui, d, st, width);
    built_ = key;
    if (anchor.empty()) return;
    if (const auto row_at = find_row(anchor)) {
        const double moved = list_.offset(*row_at) + into;
        win->Scroll.y = static_cast<float>(at.top + moved);
        at.view_top = moved;
    }
}

// Rows whose height follows typing or an open form are measured again every frame.
void ThreadPanel::remeasure_open_forms(const ThreadState& st) {
    for (const std::string* id : {&st.reply.post, &st.edit.post, &st.confirm_delete.post, &st.confirm_hide.post, &st.flag.post}) {
        if (id->empty()) continue;
        if (const auto at = find_row(*id)) list_.set_height(*at, list_.height(*at), false);
        if (const auto form = find_row("reply:" + *id)) list_.set_height(*form, list_.height(*form), false);
    }
}

// No rows: loading, offline before the first sync, or no posts yet.
void ThreadPanel::draw_empty(Ui& ui, const Discussion& d, float width) {
    const SyncStatus s = d.status();
    const char* text = !s.loaded || (!s.last_sync_ms && s.online) ? "Loading the discussion…"
                       : !s.last_sync_ms           ? "The discussion will appear when you are back online."
                                                   : "No reflections yet. Be the first to share what you took from this module.";
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ui::wrapped_height(kBody, text, width - ui.px(32)) + ui.px(36);
    ImGui::GetWindowDrawList()->AddRect(p, ImVec2(p.x + width, p.y + h), ui::col(ui.pal->border), ui.px(10), 0,
                                        ui.px(1));
    ImGui::SetCursorScreenPos(ImVec2(p.x + ui.px(16), p.y + ui.px(18)));
    ui::wrapped_text(ui, kBody, text, width - ui.px(32), ui.pal->text_muted);
    ui.sem->leaf("empty", "p", text);
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h));
    ImGui::Dummy(ImVec2(width, 0));
}

// Exact heights near the visible area, keeping the first visible row in place; a row the keyboard
// focus asked for that is not near is scrolled to (it shows next frame).
void ThreadPanel::settle(Ui& ui, Discussion& d, ThreadState& st, float width, ListPlace& at) {
    ImGuiWindow* win = ImGui::GetCurrentWindow();
    const double settled =
        list_.settle(at.view_top, at.view_h, at.margin, [&](std::size_t i) { return row(ui, d, st, i, width, RowPass::measure); });
    if (at.view_top > 0 && settled != at.view_top) {
        win->Scroll.y += static_cast<float>(settled - at.view_top);
        at.view_top = settled;
    }
    const int want = ui.focus->pending_row();
    if (want >= 0 && want < static_cast<int>(rows_.size())) {
        const double y = list_.offset(static_cast<std::size_t>(want));
        if (y < at.view_top - at.margin || y > at.view_top + at.view_h + at.margin - ui.px(40)) {
            ImGui::SetScrollY(static_cast<float>(at.top + y - ui.px(16)));
            ui.want_frame = true;
        }
    }
}

// The post the person just wrote: into view inside the widget's own scroll box (the page does
// not move), once its row exists; left where it is when already in view. The HTML view's window
// takes it in too (starting at it when it was outside): a new post above the window's first row
// would otherwise sit behind "Show earlier".
void ThreadPanel::reveal_new_post(Ui& ui, ThreadState& st, const ListPlace& at) {
    if (st.reveal.empty()) return;
    const auto row_at = find_row(st.reveal);
    if (!row_at) return;
    if (ui.sem->on() && !paged_) {
        std::size_t first = 0;
        if (!win_key_.empty())
            if (const auto w = find_row(win_key_)) first = *w;
        if (*row_at < first || *row_at >= first + win_size_) win_key_ = rows_[*row_at].key;
    }
    const double y = list_.offset(*row_at), h = list_.height(*row_at);
    if (y < at.view_top || y + h > at.view_top + at.view_h) {
        // Above the view, or taller than it: its top shows; below: its bottom does.
        const double to = y < at.view_top || h > at.view_h ? y - ui.px(16) : y + h - at.view_h + ui.px(16);
        ImGui::SetScrollY(static_cast<float>(at.top + std::max(0.0, to)));
    }
    st.reveal.clear();
    ui.want_frame = true;
}

// The rows the canvas draws (those near the visible area; in the HTML view alone: the window),
// and the HTML view's window of rows around them.
void ThreadPanel::draw_visible(Ui& ui, Discussion& d, ThreadState& st, float width, const ListPlace& at) {
    place_window(ui);
    std::size_t first = std::min(list_.row_at(at.view_top - at.margin), rows_end_), end = first;
    while (end < rows_end_ && list_.offset(end) < at.view_top + at.view_h + at.margin) ++end;
    if (!ui.canvas) {
        first = win_first_;
        end = win_end_;
    }
    SemanticView& v = *ui.sem;
    const bool viewing = v.on() && win_end_ > win_first_;
    std::size_t drawn = 0, last = first;
    std::size_t open_entry = ~std::size_t{0};
    bool replies_list = false;
    if (viewing) describe_window_start(ui);
    const std::size_t from = viewing ? std::min(first, win_first_) : first;
    const std::size_t to = viewing ? std::max(end, win_end_) : end;
    for (std::size_t i = from; i < to; ++i) {
        const bool on_canvas = i >= first && i < end;
        const bool in_window = viewing && i >= win_first_ && i < win_end_;
        if (!on_canvas && !in_window) continue;
        if (in_window) describe_row_start(ui, i, open_entry, replies_list);
        v.set_row(static_cast<int>(i));
        if (!on_canvas) {
            row(ui, d, st, i, width, RowPass::describe);
        } else {
            draw_row(ui, d, st, i, width, at, in_window);
            last = i;
            ++drawn;
        }
        if (in_window && rows_[i].kind == Row::Kind::reply) v.close();   // the reply's item
    }
    v.set_row(-1);
    if (viewing) {
        if (replies_list) v.close();   // the replies of the last entry
        if (open_entry != ~std::size_t{0}) v.close();
        v.close();   // the list
        if (!paged_ && win_end_ < rows_.size()) describe_show_more(ui);
    }
    ui.focus->set_row(-1);
    ui.focus->set_row_range(static_cast<int>(first), drawn ? static_cast<int>(last) : static_cast<int>(first) - 1);
    rows_drawn_ = drawn;
}

// Row i on the canvas, at its offset; recorded in the HTML view only when it is in the window.
void ThreadPanel::draw_row(Ui& ui, Discussion& d, ThreadState& st, std::size_t i, float width, const ListPlace& at,
                           bool in_window) {
    SemanticView off;
    SemanticView* recording = ui.sem;
    if (!in_window) ui.sem = &off;   // drawn, but outside the view's window
    ImGui::SetCursorPos(ImVec2(at.left, at.top + static_cast<float>(list_.offset(i))));
    ui.focus->set_row(static_cast<int>(i));
    const float h = row(ui, d, st, i, width, RowPass::draw);
    ui.sem = recording;
    if (h != list_.height(i)) {
        list_.set_height(i, h, true);
        ui.want_frame = true;
    }
}

// The HTML view before its window of rows: "Show earlier", which reflections it shows, the list.
void ThreadPanel::describe_window_start(Ui& ui) {
    SemanticView& v = *ui.sem;
    const std::uint32_t earlier = ImGui::GetID("##show-earlier");
    if (win_first_ > 0) {
        if (ui.take_sem_activation(earlier)) {
            win_key_ = rows_[win_first_ > kWindowRows ? win_first_ - kWindowRows : 0].key;
            ui.want_frame = true;
        }
        ui::ButtonOpts b;
        b.name = "Show earlier reflections";
        ui::describe_button(ui, "Show earlier", b, earlier);
    }
    const std::size_t entries = model_.entries.size();
    const std::size_t e0 = rows_[win_first_].entry + 1, e1 = rows_[win_end_ - 1].entry + 1;
    v.leaf("range", "p", "Showing reflections " + std::to_string(e0) + " to " + std::to_string(e1) + " of " +
                             std::to_string(entries) + ".");
    v.attr("class", "grove-range");
    v.open("list", "ul");
    v.attr("aria-label", "Reflections");
}

// The HTML view's "Show more" under its window: the next rows; past the most the view holds,
// the window slides on.
void ThreadPanel::describe_show_more(Ui& ui) {
    const std::uint32_t more = ImGui::GetID("##show-more");
    if (ui.take_sem_activation(more)) {
        const std::size_t size = std::min(win_size_ + kWindowRows, kWindowMaxRows);
        const std::size_t new_end = std::min(rows_.size(), win_end_ + kWindowRows);
        const std::size_t new_first = new_end > size ? std::max(win_first_, new_end - size) : win_first_;
        win_size_ = size;
        win_key_ = rows_[new_first].key;
        focus_row_ = win_end_;   // the first new row takes the focus (next frame)
        ui.want_frame = true;
    }
    const std::size_t left_rows = rows_.size() - win_end_;
    const std::string name = "Show more reflections (" + std::to_string(left_rows) + " more)";
    ui::ButtonOpts b;
    b.name = name.c_str();
    ui::describe_button(ui, "Show more", b, more);
}

// Paged: the next posts, under the last one. The canvas grows, the page does not move, and a
// keyboard or screen reader lands on the first new post.
void ThreadPanel::draw_next_page(Ui& ui, float width, float left) {
    const std::size_t later = model_.entries.size() - std::min(page_entries_, model_.entries.size());
    const std::string label = "Show more reflections (" + std::to_string(later) + " more)###more-entries";
    ui::ButtonOpts b;
    const float bw = ui::button_size(ui, label.c_str(), b).x;
    ImGui::Dummy(ImVec2(0, ui.px(4)));
    ImGui::SetCursorPosX(left + std::max(0.0f, (width - bw) * 0.5f));
    if (ui::button(ui, label.c_str(), b)) {
        if (ui.focus->ring_visible() || !ui.canvas) {   // the keyboard's and the page's focus
            focus_row_ = rows_end_;
            ui.focus->focus_item(static_cast<int>(rows_end_));
        }
        page_entries_ = std::min(page_entries_, model_.entries.size()) + kPageEntries;
        ui.want_frame = true;
    }
}

}  // namespace grove

// [SECTION] Setup: scale, theme, fonts
// [SECTION] Input: keys, fields, wheel, focus, the HTML view's controls
// [SECTION] Frame: banners, composer, spotlight line, thread or flags
#include "widget_app.hpp"

#include <algorithm>          // std::any_of, std::clamp
#include <chrono>             // std::chrono::system_clock
#include <cmath>              // std::round

#include <imgui.h>
#include <imgui_internal.h>   // SetNextWindowScroll, ImMax

#include "view_model.hpp"      // is_own

namespace grove {

// [SECTION] Setup ----------------------------------------------------------------------------

WidgetApp::WidgetApp(WidgetConfig config, std::unique_ptr<TextPort> text, Discussion* discussion)
    : config_(std::move(config)), text_(std::move(text)), discussion_(discussion) {
    clock_ = [] {
        return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
    };
    ui_.focus = &focus_;
    ui_.pal = &palette_;
    ui_.text = text_.get();
    text_->configure(text_config_);
    thread_.set_paged(config_.grow);
}

void WidgetApp::set_scale(float scale) {
    if (scale <= 0.0f || scale == scale_) return;
    // Keep the reader's place: scroll positions are in device pixels.
    if (scroll_y_ > 0) scroll_to(scroll_y_ * scale / scale_);
    scale_ = scale;
    style_dirty_ = true;
}

void WidgetApp::set_text_size(float base_css_px, float line_spacing) {
    if (base_css_px <= 0.0f || line_spacing <= 0.0f) return;
    if (base_css_px == text_config_.base_css_px && line_spacing == text_config_.line_spacing) return;
    text_config_.base_css_px = base_css_px;
    text_config_.line_spacing = line_spacing;
    style_dirty_ = true;
}

void WidgetApp::set_prefers_dark(bool dark) {
    if (dark == config_.prefers_dark) return;
    config_.prefers_dark = dark;
    style_dirty_ = config_.theme == ThemeMode::auto_ || style_dirty_;
}

bool WidgetApp::prepare_frame() {
    if (style_dirty_) {
        style_dirty_ = false;
        text_config_.scale = scale_;
        text_->configure(text_config_);
        const bool dark = config_.theme == ThemeMode::dark || (config_.theme == ThemeMode::auto_ && config_.prefers_dark);
        palette_ = make_palette(dark, config_.accent_rgb);
        apply_theme(palette_, scale_);
    }
    return text_->prepare();
}

// [SECTION] Input ----------------------------------------------------------------------------

void WidgetApp::set_view(bool on, std::string id_prefix) {
    sem_.set_on(on);
    sem_.set_id_prefix(std::move(id_prefix));
    sem_.reset_base();
}

void WidgetApp::set_coarse_pointer(bool coarse) {
    if (coarse == ui_.coarse) return;
    ui_.coarse = coarse;
    state_.changed();   // row heights change with the targets
}

void WidgetApp::begin_edit(std::uint32_t id) {
    if (id == 0) return;
    ui_.editing = id;
    if (focus_.focused() != id) focus_.focus(id, false);
}

void WidgetApp::stop_editing() { ui_.editing = 0; }

void WidgetApp::scroll_to(float y) {
    scroll_set_ = true;
    scroll_target_ = y;
    scroll_request_ = 0;
}

// From where the scrolls asked for since the last frame take it: several wheel events between
// two frames stop being taken once they reach the end (the page scrolls on from there).
bool WidgetApp::can_scroll(float dy) const {
    const float y = std::clamp(scroll_y_ + scroll_request_, 0.0f, scroll_max_);
    if (dy > 0) return y < scroll_max_ - 0.5f;
    if (dy < 0) return y > 0.5f;
    return false;
}

bool WidgetApp::wheel(float dy_css) {
    if (!can_scroll(dy_css)) return false;
    scroll_request_ += dy_css * scale_;
    return true;
}

// Keys the widget takes; everything typed into a field (characters, Backspace, arrows, Enter for
// a new line, the clipboard shortcuts) is the field's own, and so "ignored" here.
KeyResult WidgetApp::key(int k, Mods m) {
    switch (k) {
        case ImGuiKey_Tab: return key_tab(m);
        case ImGuiKey_Escape: return key_escape();
        case ImGuiKey_Enter:
        case ImGuiKey_KeyPadEnter: return key_enter(m);
        case ImGuiKey_Space: return key_space();
        case ImGuiKey_UpArrow:
        case ImGuiKey_DownArrow:
        case ImGuiKey_PageUp:
        case ImGuiKey_PageDown:
        case ImGuiKey_Home:
        case ImGuiKey_End: return key_scroll(k);
        default: return KeyResult::ignored;
    }
}

// Tab and Shift+Tab: the next control, or out of the widget past its first or last.
KeyResult WidgetApp::key_tab(Mods m) {
    if (m.ctrl || m.alt || m.super) return KeyResult::ignored;
    const bool editing = ui_.editing != 0;
    const FocusRing::Move mv = focus_.tab(m.shift);
    switch (mv.kind) {
        case FocusRing::Move::moved:
        case FocusRing::Move::reveal_row:
            if (editing && focus_.focused() != ui_.editing) stop_editing();
            return KeyResult::handled;
        case FocusRing::Move::leave_forward:
        case FocusRing::Move::leave_backward:
            stop_editing();
            focus_.clear();
            return mv.kind == FocusRing::Move::leave_forward ? KeyResult::leave_forward : KeyResult::leave_backward;
        case FocusRing::Move::none: return KeyResult::ignored;
    }
    return KeyResult::ignored;
}

// Esc: closes the open menu, else leaves the field being typed in, else cancels the open form.
KeyResult WidgetApp::key_escape() {
    if (!state_.menu_for.empty()) {
        state_.close_menu = true;
        return KeyResult::handled;
    }
    if (ui_.editing) {   // leave the field, keep its text and the focus on it
        const std::uint32_t id = ui_.editing;
        stop_editing();
        focus_.focus(id, true, false);
        return KeyResult::handled;
    }
    if (state_.any_form()) {
        state_.cancel_form = true;
        return KeyResult::handled;
    }
    return KeyResult::ignored;
}

// Ctrl/Cmd+Enter posts the focused field; Enter starts typing in a field, or presses a button.
KeyResult WidgetApp::key_enter(Mods m) {
    const bool editing = ui_.editing != 0;
    const Control* fc = focus_.focused_control();
    const bool on_field = fc && fc->kind == ControlKind::text;
    if (m.ctrl || m.super) {   // post what is in the focused field, and only that
        const std::uint32_t id = editing ? ui_.editing : (on_field ? fc->id : 0);
        if (!id) return KeyResult::ignored;
        ui_.submit_id = id;
        return KeyResult::handled;
    }
    if (editing) return KeyResult::ignored;   // a new line in the field
    if (on_field) {                           // Enter on a field starts typing in it
        begin_edit(fc->id);
        return KeyResult::handled;
    }
    return focus_.activate() ? KeyResult::handled : KeyResult::ignored;
}

// Space presses a button; on a field it is typed, and the field is typed in from then on.
KeyResult WidgetApp::key_space() {
    if (ui_.editing) return KeyResult::ignored;
    const Control* fc = focus_.focused_control();
    if (fc && fc->kind == ControlKind::text) {   // the space goes into the field, which is being typed in from now
        begin_edit(fc->id);
        return KeyResult::ignored;
    }
    return focus_.activate() ? KeyResult::handled : KeyResult::ignored;
}

// Not typing: the arrows, Page Up/Down, Home and End scroll the widget, until it cannot scroll
// further that way.
KeyResult WidgetApp::key_scroll(int k) {
    if (ui_.editing) return KeyResult::ignored;
    const float line = 40.0f * scale_, page = view_h_ * 0.9f;
    float dy = 0;
    if (k == ImGuiKey_UpArrow) dy = -line;
    if (k == ImGuiKey_DownArrow) dy = line;
    if (k == ImGuiKey_PageUp) dy = -page;
    if (k == ImGuiKey_PageDown) dy = page;
    if (k == ImGuiKey_Home) dy = -scroll_y_ - 1;
    if (k == ImGuiKey_End) dy = scroll_max_ - scroll_y_ + 1;
    if (!can_scroll(dy)) return KeyResult::ignored;
    scroll_request_ += dy;
    return KeyResult::handled;
}

void WidgetApp::field_input(std::uint32_t id, FieldInput input) {
    if (id == 0) return;
    input.value = clean_field_text(input.value);
    input.sel_start = std::min(input.sel_start, input.value.size());
    input.sel_end = std::min(input.sel_end, input.value.size());
    // Typing in a field (the page's focus is in it) means editing it, with the focus on it.
    if (ui_.editing != id) begin_edit(id);
    for (auto& in : inputs_) {
        if (in.first == id) {
            in.second = std::move(input);
            return;
        }
    }
    inputs_.emplace_back(id, std::move(input));
}

std::string WidgetApp::field_value(std::uint32_t id) const {
    for (const auto& in : inputs_)
        if (in.first == id) return in.second.value;
    for (const auto& f : fields_)
        if (f.first == id) return *f.second;
    return {};
}

void WidgetApp::focus_changed(bool focused) {
    if (focused) return;
    stop_editing();
    focus_composer_ = false;
    focus_.clear();
}

std::uint32_t WidgetApp::focus_entry(bool from_end) {
    if (from_end) {
        const std::vector<Control>& cs = focus_.controls();
        for (auto it = cs.rbegin(); it != cs.rend(); ++it) {
            if (it->layer == 0 && !it->disabled) {
                focus_.focus(it->id, true);
                return it->id;
            }
        }
    }
    if (const std::uint32_t composer = composer_.field_id()) {   // at once: typing follows right away
        focus_.focus(composer, true);
        begin_edit(composer);
        return composer;
    }
    focus_composer_ = true;   // before the first frame: on it
    entry_ring_ = true;
    return 0;
}

void WidgetApp::focus_control(std::uint32_t id, int row) {
    if (id == 0) {
        if (ui_.editing) stop_editing();
        if (row >= 0) focus_.focus_item(row);
        else focus_.clear();
        return;
    }
    if (id == focus_.focused()) return;   // the page followed the widget's own move
    // Leaving the open menu for something else closes it.
    if (!state_.menu_for.empty()) {
        const Control* c = nullptr;
        for (const Control& x : focus_.controls())
            if (x.id == id) c = &x;
        if (!c || c->layer == 0) state_.close_menu = true;
    }
    for (const Control& c : focus_.controls()) {
        if (c.id != id) continue;
        focus_.focus(id, true, c.kind == ControlKind::text);
        if (c.kind == ControlKind::text) ui_.editing = id;
        else if (ui_.editing) stop_editing();
        return;
    }
    // A control of a row the canvas does not draw (the HTML view's window is wider), or one only
    // the HTML view has ("Show more").
    const int node = sem_.find_control(id);
    if (ui_.editing) stop_editing();
    if (node >= 0 && sem_.nodes()[static_cast<std::size_t>(node)].row >= 0)
        focus_.reveal(id, sem_.nodes()[static_cast<std::size_t>(node)].row, false);
    else
        focus_.clear();
}

void WidgetApp::activate_control(std::uint32_t id) {
    if (id == 0) return;
    if (focus_.activate_control(id)) {
        if (ui_.editing && ui_.editing != id) stop_editing();
        return;
    }
    for (const Control& c : focus_.controls())
        if (c.id == id) return;   // a control, but disabled (or a field)
    const int node = sem_.find_control(id);
    if (node < 0) return;
    const int row = sem_.nodes()[static_cast<std::size_t>(node)].row;
    if (ui_.editing) stop_editing();
    if (row >= 0) focus_.reveal(id, row, true);   // acts once its row is drawn
    else sem_activate_ = id;                      // only the HTML view has it ("Show more")
}

// [SECTION] Frame ----------------------------------------------------------------------------

void WidgetApp::frame() {
    begin_ui_frame();
    apply_focus_requests();
    begin_window();
    const ImGuiStyle& style = ImGui::GetStyle();
    // The scrollbar's room is always kept, so text does not rewrap when it appears. On a wide page
    // the column stops at a readable line length.
    const float width = column_width(
        ImMax(ui_.px(120), ImGui::GetWindowWidth() - style.WindowPadding.x * 2 - style.ScrollbarSize), ui_.em(kBody),
        ui_.card_pad(false));
    draw_panels(width);
    end_window();
    end_ui_frame();
    const bool acted = run_actions();
    fill_output(acted);
}

// Points the frame's Ui at this widget's text, fields and HTML view, and clears last frame's asks.
void WidgetApp::begin_ui_frame() {
    ui_.text = text_.get();
    ui::set_text_port(text_.get());
    text_->begin_frame();
    ui_.scale = scale_;
    ui_.now_ms = clock_();
    ui_.edit_clicked = false;
    ui_.want_frame = false;
    ui_.open_url.clear();
    ui_.deferred.clear();
    ui_.sem = &sem_;
    ui_.inputs = &inputs_;
    fields_.clear();
    ui_.fields = &fields_;
    out_.fields.clear();
    ui_.field_boxes = &out_.fields;
    ui_.sem_activate = sem_activate_;
    sem_activate_ = 0;
    ui_.sem_focus.clear();
    sem_.begin_frame();
}

// Focus asked for between frames, and the field being edited (only the focused one is).
void WidgetApp::apply_focus_requests() {
    // Focus asked for the composer (the mount element was focused).
    if (focus_composer_ && composer_.field_id()) {
        focus_composer_ = false;
        begin_edit(composer_.field_id());
        if (entry_ring_) focus_.focus(composer_.field_id(), true);
        entry_ring_ = false;
    }
    // Only the focused field is edited: keys and text never reach a field the person left.
    if (ui_.editing && focus_.focused() != ui_.editing) stop_editing();
}

// The one window the widget draws in: scrolled as asked, the screen logs and the focus ring on.
void WidgetApp::begin_window() {
    ImGuiIO& io = ImGui::GetIO();
    if (scroll_set_ || scroll_request_ != 0.0f) {
        const float y = scroll_set_ ? scroll_target_ : scroll_y_ + scroll_request_;
        ImGui::SetNextWindowScroll(ImVec2(-1.0f, std::clamp(y, 0.0f, scroll_set_ ? 1e9f : scroll_max_)));
        scroll_set_ = false;
        scroll_request_ = 0;
    }
    // A narrow widget (a phone, a sidebar) gives its paddings to the text.
    ui_.narrow = io.DisplaySize.x < ui_.px(kNarrowCss);
    if (ui_.narrow) ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ui_.px(8), ui_.px(10)));
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("grove", nullptr,
                 ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoNav |
                     ImGuiWindowFlags_NoScrollWithMouse);
    ui::set_screen_log(capture_text_ ? &screen_text_ : nullptr);
    ui::set_screen_lines(capture_text_ ? &screen_lines_ : nullptr);
    ui::set_select_lines(&out_.select_lines);
    FocusRing::Look look;
    look.colour = ui::col(palette_.focus_ring);
    look.thickness = ui_.px(2);
    look.gap = ui_.px(2);
    look.rounding = ui_.px(6);
    focus_.begin_frame(look);
}

// Banners, check-in, composer, spotlight line, then (with a discussion) the shelf and the thread.
void WidgetApp::draw_panels(float width) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float gap = ui_.px(16);
    banners_.draw(ui_, discussion_, state_, width);
    if (discussion_) {
        const ImVec2 before = ImGui::GetCursorScreenPos();
        check_in_.draw(ui_, *discussion_, state_, width);
        if (ImGui::GetCursorScreenPos().y > before.y) ImGui::Dummy(ImVec2(0, gap - style.ItemSpacing.y * 2));
    }
    composer_.draw(ui_, discussion_, state_, config_, width);
    // The spotlight's line comes after the composer, so that its arrival never moves it.
    if (discussion_ && config_.spotlight) spotlight_.draw(ui_, *discussion_, width);
    if (discussion_) draw_discussion(*discussion_, width, gap);
}

// A rule, the shelf, then the thread's header and its rows, or curators' flag queue.
void WidgetApp::draw_discussion(Discussion& d, float width, float gap) {
    const ImGuiStyle& style = ImGui::GetStyle();
    ImGui::Dummy(ImVec2(0, gap - style.ItemSpacing.y));
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddLine(ImVec2(p.x, p.y), ImVec2(p.x + width, p.y), ui::col(palette_.border),
                                        ui_.px(1));
    ImGui::Dummy(ImVec2(0, gap - style.ItemSpacing.y * 2));
    const ImVec2 before_shelf = ImGui::GetCursorScreenPos();
    shelf_.draw(ui_, d, state_, width);
    if (ImGui::GetCursorScreenPos().y > before_shelf.y) ImGui::Dummy(ImVec2(0, gap - style.ItemSpacing.y * 2));
    sem_.open("thread", "div");
    sem_.attr("role", "group");   // named by its heading (the thread's or the flag queue's)
    thread_.draw_header(ui_, d, state_, width);
    if (state_.flags_view && d.me().known && can_moderate(d.me().role)) {
        curator_queue_.draw(ui_, d, state_, width);
    } else {
        state_.flags_view = false;
        thread_.draw_rows(ui_, d, state_, width);
    }
    sem_.close();
}

// Measures the content and the scroll, and closes the window and the screen logs.
void WidgetApp::end_window() {
    const ImGuiStyle& style = ImGui::GetStyle();
    out_.content_height = ImGui::GetCursorPosY() + style.WindowPadding.y - style.ItemSpacing.y;
    scroll_y_ = ImGui::GetScrollY();
    scroll_max_ = ImGui::GetScrollMaxY();
    view_h_ = ImGui::GetWindowHeight();
    ImGui::End();
    if (ui_.narrow) ImGui::PopStyleVar();
    ui::set_screen_log(nullptr);
    ui::set_screen_lines(nullptr);
    ui::set_select_lines(nullptr);
    for (ui::SelectLine& l : out_.select_lines) l.y = std::round(l.y + scroll_y_);
    focus_.end_frame();
}

// A click outside the field being edited ends the editing; any click hides the focus ring. The
// frame's one-shot asks (Esc, a submit, field changes for fields that are gone) end here.
void WidgetApp::end_ui_frame() {
    if (ImGui::GetIO().MouseClicked[0]) {
        focus_.hide_ring();
        if (ui_.editing && !ui_.edit_clicked) stop_editing();
    }
    state_.close_menu = false;
    state_.cancel_form = false;
    ui_.submit_id = 0;
    inputs_.clear();   // changes for fields that are gone (a form closed meanwhile)
}

// What the person did this frame changes the discussion now, after every row was drawn. Returns
// whether anything was done.
bool WidgetApp::run_actions() {
    const bool acted = !ui_.deferred.empty();
    std::vector<std::function<void()>> actions;
    actions.swap(ui_.deferred);
    for (auto& a : actions) a();
    if (ui_.editing && focus_.focused() != ui_.editing) stop_editing();
    return acted;
}

// What the platform needs from this frame: the live region's words, focus, scroll, the HTML view.
void WidgetApp::fill_output(bool acted) {
    // Screen readers: what just happened. The focus speaks for itself (the page's focus follows
    // the widget's), so it is never said here as well.
    out_.announce.clear();
    if (state_.announcements != announced_) {
        announced_ = state_.announcements;
        out_.announce = state_.announcement;
    }
    const std::string changed = what_changed();
    if (!changed.empty()) out_.announce += (out_.announce.empty() ? "" : " ") + changed;

    out_.editing = ui_.editing;
    out_.focused = focus_.focused();
    out_.ring = focus_.ring_visible();
    out_.mouse_cursor = ImGui::GetMouseCursor();
    out_.scroll_y = scroll_y_;
    out_.scroll_max = scroll_max_;
    out_.wants_frame = ui_.want_frame || acted || focus_.pending() || focus_composer_ || ui_.sem_activate != 0;
    out_.view_ops = sem_.on() ? sem_.commit() : std::string();
    out_.view_focus = ui_.sem_focus;
    out_.open_url = ui_.open_url;
}

// New posts from others and the state of the connection, once each, for the live region. Nothing
// before the first sync (the cache and the first download are not news).
std::string WidgetApp::what_changed() {
    if (!discussion_) return {};
    const SyncStatus s = discussion_->status();
    std::string said;
    const auto say = [&](const std::string& t) { said += (said.empty() ? "" : " ") + t; };
    const auto changes = [](std::size_t n) {
        return std::to_string(n) + (n == 1 ? " change" : " changes");
    };
    const std::uint64_t rev = discussion_->revision();
    if (!heard_) {
        if (!s.loaded || !s.last_sync_ms) return {};
        heard_ = true;
        was_online_ = s.online;
        was_pending_ = s.pending;
        heard_revision_ = rev;
        for (const ShownPost& p : discussion_->posts())
            newest_heard_ms_ = std::max(newest_heard_ms_, p.post().created_at_ms);
        return {};
    }
    if (was_online_ && !s.online) {
        say(s.pending ? "You're offline. " + changes(s.pending) + " waiting to be sent."
                      : std::string("You're offline. What you write is kept and sent later."));
    } else if (!was_online_ && s.online) {
        say(s.pending ? "Back online. Sending " + changes(s.pending) + "." : std::string("Back online."));
    } else if (!s.online && s.pending > was_pending_) {
        say(changes(s.pending) + " waiting to be sent.");
    }
    if (s.online && s.pending == 0 && pending_offline_) say("All changes are sent.");
    if (!s.online && s.pending > 0) pending_offline_ = true;
    if (s.pending == 0) pending_offline_ = false;
    was_online_ = s.online;
    was_pending_ = s.pending;

    if (rev != heard_revision_) {
        heard_revision_ = rev;
        std::size_t fresh = 0;
        const Post* one = nullptr;
        std::int64_t newest = newest_heard_ms_;
        for (const ShownPost& sp : discussion_->posts()) {
            const Post& p = sp.post();
            if (p.created_at_ms <= newest_heard_ms_) continue;
            newest = std::max(newest, p.created_at_ms);
            if (is_own(p, discussion_->me()) || p.deleted || state_.posted_here.count(p.id)) continue;
            if (p.hidden && !can_moderate(discussion_->me().role)) continue;
            ++fresh;
            one = &p;
        }
        newest_heard_ms_ = newest;
        if (fresh == 1) {
            const std::string who = one->author.name.empty() ? std::string("someone") : one->author.name;
            say(std::string(one->parent_id ? "New reply from " : "New post from ") + who + ".");
        } else if (fresh > 1) {
            say(std::to_string(fresh) + " new posts.");
        }
    }
    return said;
}

}  // namespace grove

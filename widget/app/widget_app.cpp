// [SECTION] Setup: scale, theme, fonts
// [SECTION] Input: keys, text, wheel, focus, clipboard
// [SECTION] Frame: banners, spotlight, composer, thread or flags
#include "widget_app.hpp"

#include <algorithm>          // std::any_of, std::clamp
#include <chrono>             // std::chrono::system_clock

#include <imgui.h>
#include <imgui_internal.h>   // SetNextWindowScroll, ImMax

#include "banners.hpp"
#include "curator_queue.hpp"

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

void WidgetApp::begin_edit(std::uint32_t id) {
    if (id == 0) return;
    ui_.editing = id;
    stop_after_frame_ = false;
    if (focus_.focused() != id) focus_.focus(id, false);
}

// Keys and text reach a field in the next frame. Those typed just before Esc, Tab or the widget
// losing focus (fast typing, a paste) would be lost if editing ended at once: the field gets them
// in the next frame, and editing ends after it.
void WidgetApp::stop_editing() {
    const std::uint32_t field = ui_.editing;
    if (field && std::any_of(queued_.begin(), queued_.end(), [&](const auto& q) { return q.first == field; })) {
        stop_after_frame_ = true;
        return;
    }
    ui_.editing = 0;
    stop_after_frame_ = false;
    queued_.clear();
}

void WidgetApp::scroll_to(float y) {
    scroll_set_ = true;
    scroll_target_ = y;
    scroll_request_ = 0;
}

bool WidgetApp::can_scroll(float dy) const {
    if (dy > 0) return scroll_y_ < scroll_max_ - 0.5f;
    if (dy < 0) return scroll_y_ > 0.5f;
    return false;
}

bool WidgetApp::wheel(float dy_css) {
    if (!can_scroll(dy_css)) return false;
    scroll_request_ += dy_css * scale_;
    return true;
}

KeyResult WidgetApp::key(int k, Mods m) {
    const bool shortcut = ui_.mac ? m.super : m.ctrl;
    const bool editing = editing_on();
    const Control* fc = focus_.focused_control();
    const auto queue = [&] {
        InputEvent e;
        e.type = InputEvent::Type::key;
        e.key = k;
        e.ctrl = m.ctrl;
        e.shift = m.shift;
        e.alt = m.alt;
        e.super = m.super;
        queued_.emplace_back(ui_.editing, std::move(e));
        return KeyResult::handled;
    };
    switch (k) {
        case ImGuiKey_Tab: {
            if (m.ctrl || m.alt || m.super) return KeyResult::ignored;
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
                    return mv.kind == FocusRing::Move::leave_forward ? KeyResult::leave_forward
                                                                     : KeyResult::leave_backward;
                case FocusRing::Move::none: return KeyResult::ignored;
            }
            return KeyResult::ignored;
        }
        case ImGuiKey_Escape:
            if (!state_.menu_for.empty()) {
                state_.close_menu = true;
                return KeyResult::handled;
            }
            if (editing) {   // leave the field, keep its text and the focus on it
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
        case ImGuiKey_Enter:
        case ImGuiKey_KeyPadEnter:
            if (m.ctrl || m.super) {   // post what is in the field
                const std::uint32_t id = editing ? ui_.editing : (fc && fc->kind == ControlKind::text ? fc->id : 0);
                if (!id) return KeyResult::ignored;
                ui_.submit_id = id;
                return KeyResult::handled;
            }
            if (editing) return queue();
            return focus_.activate() ? KeyResult::handled : KeyResult::ignored;
        case ImGuiKey_Space:
            if (editing) {
                text(" ");
                return KeyResult::handled;
            }
            if (fc && fc->kind == ControlKind::text) {
                begin_edit(fc->id);
                text(" ");
                return KeyResult::handled;
            }
            return focus_.activate() ? KeyResult::handled : KeyResult::ignored;
        case ImGuiKey_LeftArrow:
        case ImGuiKey_RightArrow:
            return editing ? queue() : KeyResult::ignored;
        case ImGuiKey_UpArrow:
        case ImGuiKey_DownArrow:
        case ImGuiKey_PageUp:
        case ImGuiKey_PageDown:
        case ImGuiKey_Home:
        case ImGuiKey_End: {
            if (editing) return queue();
            // Not typing: the keys scroll the widget, until it cannot scroll further that way.
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
        case ImGuiKey_Backspace:
        case ImGuiKey_Delete:
            return editing ? queue() : KeyResult::ignored;
        case ImGuiKey_A:
        case ImGuiKey_C:
        case ImGuiKey_V:
        case ImGuiKey_X:
        case ImGuiKey_Y:
        case ImGuiKey_Z:
            return editing && shortcut ? queue() : KeyResult::ignored;
        default: return KeyResult::ignored;
    }
}

void WidgetApp::text(const std::string& utf8) {
    if (utf8.empty()) return;
    if (!editing_on()) {   // typing with no field open types into the focused field, else the composer
        const Control* fc = focus_.focused_control();
        const std::uint32_t target = fc && fc->kind == ControlKind::text ? fc->id : composer_.field_id();
        if (target) begin_edit(target);
        else focus_composer_ = true;
    }
    InputEvent e;
    e.type = InputEvent::Type::text;
    e.text = utf8;
    queued_.emplace_back(ui_.editing, std::move(e));
}

void WidgetApp::focus_changed(bool focused) {
    if (focused) return;
    stop_editing();
    focus_composer_ = false;
    focus_.clear();
}

void WidgetApp::focus_entry(bool from_end) {
    if (from_end) {
        const std::vector<Control>& cs = focus_.controls();
        for (auto it = cs.rbegin(); it != cs.rend(); ++it) {
            if (it->layer == 0 && !it->disabled) {
                focus_.focus(it->id, true);
                return;
            }
        }
    }
    focus_composer_ = true;
    entry_ring_ = true;
}

std::string WidgetApp::copy_selection(bool cut) {
    if (!ui_.editing || !ui_.editing_text || !ui_.editing_state) return {};
    const TextEditState& st = *ui_.editing_state;
    if (!st.has_selection()) return {};
    const std::string& t = *ui_.editing_text;
    const std::size_t a = std::min(st.sel_begin(), t.size()), b = std::min(st.sel_end(), t.size());
    std::string out = t.substr(a, b - a);
    if (cut) {
        InputEvent e;
        e.type = InputEvent::Type::delete_selection;
        queued_.emplace_back(ui_.editing, std::move(e));
    }
    return out;
}

// [SECTION] Frame ----------------------------------------------------------------------------

void WidgetApp::frame() {
    ImGuiIO& io = ImGui::GetIO();
    ui_.text = text_.get();
    ui::set_text_port(text_.get());
    text_->begin_frame();
    ui_.scale = scale_;
    ui_.now_ms = clock_();
    ui_.caret = ImVec4(0, 0, 0, 0);
    ui_.edit_clicked = false;
    ui_.want_frame = false;
    ui_.editing_text = nullptr;
    ui_.editing_state = nullptr;
    ui_.deferred.clear();

    // Focus asked for the composer (the mount element was focused, or someone typed).
    if (focus_composer_ && composer_.field_id()) {
        focus_composer_ = false;
        begin_edit(composer_.field_id());
        if (entry_ring_) focus_.focus(composer_.field_id(), true);
        entry_ring_ = false;
        for (auto& q : queued_)
            if (q.first == 0) q.first = composer_.field_id();
    }
    frame_events_.clear();
    for (auto& q : queued_)
        if (q.first == ui_.editing && ui_.editing) frame_events_.push_back(std::move(q.second));
    queued_.clear();
    ui_.events = &frame_events_;

    if (scroll_set_ || scroll_request_ != 0.0f) {
        const float y = scroll_set_ ? scroll_target_ : scroll_y_ + scroll_request_;
        ImGui::SetNextWindowScroll(ImVec2(-1.0f, std::clamp(y, 0.0f, scroll_set_ ? 1e9f : scroll_max_)));
        scroll_set_ = false;
        scroll_request_ = 0;
    }
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("grove", nullptr,
                 ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoNav |
                     ImGuiWindowFlags_NoScrollWithMouse);
    ui::set_screen_log(capture_text_ ? &screen_text_ : nullptr);
    ui::set_screen_lines(capture_text_ ? &screen_lines_ : nullptr);
    FocusRing::Look look;
    look.colour = ui::col(palette_.focus_ring);
    look.thickness = ui_.px(2);
    look.gap = ui_.px(2);
    look.rounding = ui_.px(6);
    focus_.begin_frame(look);

    // The scrollbar's room is always kept, so text does not rewrap when it appears.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float width = ImMax(ui_.px(120), ImGui::GetWindowWidth() - style.WindowPadding.x * 2 - style.ScrollbarSize);
    const float gap = ui_.px(16);

    draw_banners(ui_, discussion_, state_, width);
    if (discussion_) {
        const ImVec2 before = ImGui::GetCursorScreenPos();
        spotlight_.draw(ui_, *discussion_, width);
        if (ImGui::GetCursorScreenPos().y > before.y) ImGui::Dummy(ImVec2(0, gap - style.ItemSpacing.y * 2));
    }
    composer_.draw(ui_, discussion_, state_, config_, width);
    if (discussion_) {
        ImGui::Dummy(ImVec2(0, gap - style.ItemSpacing.y));
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddLine(ImVec2(p.x, p.y), ImVec2(p.x + width, p.y), ui::col(palette_.border),
                                            ui_.px(1));
        ImGui::Dummy(ImVec2(0, gap - style.ItemSpacing.y * 2));
        thread_.draw_header(ui_, *discussion_, state_, width);
        if (state_.flags_view && discussion_->me().known && can_moderate(discussion_->me().role)) {
            draw_curator_queue(ui_, *discussion_, state_, width);
        } else {
            state_.flags_view = false;
            thread_.draw_rows(ui_, *discussion_, state_, width);
        }
    }
    out_.content_height = ImGui::GetCursorPosY() + style.WindowPadding.y - style.ItemSpacing.y;
    scroll_y_ = ImGui::GetScrollY();
    scroll_max_ = ImGui::GetScrollMaxY();
    view_h_ = ImGui::GetWindowHeight();
    ImGui::End();
    ui::set_screen_log(nullptr);
    ui::set_screen_lines(nullptr);
    focus_.end_frame();

    if (stop_after_frame_) {   // the field took what was typed before editing ended (stop_editing)
        stop_after_frame_ = false;
        ui_.editing = 0;
    }
    // A click outside the field being edited ends the editing; any click hides the focus ring.
    if (io.MouseClicked[0]) {
        focus_.hide_ring();
        if (ui_.editing && !ui_.edit_clicked) stop_editing();
    }
    state_.close_menu = false;
    state_.cancel_form = false;
    ui_.submit_id = 0;

    // What the person did this frame changes the discussion now, after every row was drawn.
    const bool acted = !ui_.deferred.empty();
    std::vector<std::function<void()>> actions;
    actions.swap(ui_.deferred);
    for (auto& a : actions) a();

    // Screen readers: the focused control when the keyboard moved it, or the last thing said.
    out_.announce.clear();
    if (state_.announcements != announced_) {
        announced_ = state_.announcements;
        out_.announce = state_.announcement;
    } else if (focus_.ring_visible() && focus_.focused() != announced_focus_) {
        if (const Control* c = focus_.focused_control()) {
            static const char* const kKinds[] = {"button", "toggle button", "text field", "link"};
            out_.announce = c->label + ", " + kKinds[static_cast<int>(c->kind)];
            if (c->kind == ControlKind::toggle) out_.announce += c->checked ? ", on" : ", off";
            if (c->disabled) out_.announce += ", unavailable";
        }
    }
    if (focus_.ring_visible()) announced_focus_ = focus_.focused();
    out_.want_text = ui_.editing != 0;
    if (ui_.caret.w > 0) {
        out_.caret_x = ui_.caret.x;
        out_.caret_y = ui_.caret.y;
        out_.caret_h = ui_.caret.z;
    }
    out_.mouse_cursor = ImGui::GetMouseCursor();
    out_.scroll_y = scroll_y_;
    out_.scroll_max = scroll_max_;
    out_.wants_frame = ui_.want_frame || acted || focus_.pending() || !queued_.empty() || focus_composer_;
}

}  // namespace grove

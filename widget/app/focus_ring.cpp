#include "focus_ring.hpp"

#include <imgui.h>            // ImGui::IsItemActivated, ImDrawList
#include <imgui_internal.h>   // GImGui->LastItemData, ClearActiveID, ScrollToRect

namespace grove {

namespace {

std::string visible_label(const char* label) {
    std::string s = label ? label : "";
    const auto hash = s.find("##");
    if (hash != std::string::npos) s.resize(hash);
    return s;
}

bool activatable(ControlKind k) { return k == ControlKind::button || k == ControlKind::toggle || k == ControlKind::link; }

}  // namespace

int FocusRing::index_of(std::uint32_t id) const {
    if (id == 0) return -1;
    for (std::size_t i = 0; i < last_.size(); ++i)
        if (last_[i].id == id) return static_cast<int>(i);
    return -1;
}

int FocusRing::active_layer() const {
    int layer = 0;
    for (const Control& c : last_) layer = c.layer > layer ? c.layer : layer;
    return layer;
}

const Control* FocusRing::focused_control() const {
    const int i = index_of(focused_);
    return i < 0 ? nullptr : &last_[static_cast<std::size_t>(i)];
}

int FocusRing::focused_row() const {
    if (const Control* c = focused_control()) return c->row;
    if (focused_ == 0) return item_row_;
    return focused_row_;
}

void FocusRing::reveal(std::uint32_t id, int row, bool activate) {
    focused_ = id;
    ring_ = true;
    item_row_ = -1;
    focused_row_ = row;
    pending_id_ = id;
    focus_row(row, false);
    if (activate) activate_ = id;
}

void FocusRing::focus_item(int row) {
    focused_ = 0;
    ring_ = false;
    item_row_ = row;
}

bool FocusRing::activate_control(std::uint32_t id) {
    const int i = index_of(id);
    if (i < 0) return false;
    const Control& c = last_[static_cast<std::size_t>(i)];
    if (focused_ != id) focus(id, true, false);
    if (c.disabled || !activatable(c.kind)) return false;
    activate_ = id;
    return true;
}

void FocusRing::focus(std::uint32_t id, bool by_keyboard, bool edit_text) {
    focused_ = id;
    item_row_ = -1;
    pending_id_ = 0;
    ring_ = by_keyboard;
    scroll_to_focus_ = by_keyboard;
    const int i = index_of(id);
    if (i >= 0) focused_index_ = i;
    if (by_keyboard && edit_text && i >= 0 && last_[static_cast<std::size_t>(i)].kind == ControlKind::text)
        activate_text_ = id;
}

void FocusRing::focus_row(int row, bool last) {
    if (pending_id_ == 0) item_row_ = -1;
    pending_row_ = row;
    pending_frames_ = 0;
    pending_row_last_ = last;
}

// The controls of `layer` that Tab can reach: indices into last_, in reading order.
std::vector<int> FocusRing::tab_order(int layer) const {
    std::vector<int> order;
    for (std::size_t i = 0; i < last_.size(); ++i)
        if (last_[i].layer == layer && !last_[i].disabled) order.push_back(static_cast<int>(i));
    return order;
}

// Where the focus is in `order`: the focused control's place, or (`between`: it vanished or is
// disabled now) the slot after where it was last seen; -1 when nothing is focused.
int FocusRing::tab_position(const std::vector<int>& order, int cur, bool& between) const {
    int pos = -1;
    between = false;
    if (cur >= 0) {
        for (std::size_t k = 0; k < order.size(); ++k)
            if (order[k] == cur) pos = static_cast<int>(k);
        between = pos < 0;
        if (between) {   // focused but disabled now: the slot after it
            pos = 0;
            while (pos < static_cast<int>(order.size()) && order[static_cast<std::size_t>(pos)] < cur) ++pos;
        }
    } else if (focused_ != 0 && focused_index_ >= 0) {
        between = true;
        pos = 0;
        while (pos < static_cast<int>(order.size()) && order[static_cast<std::size_t>(pos)] < focused_index_) ++pos;
    }
    return pos;
}

FocusRing::Move FocusRing::tab(bool backward) {
    Move move;
    const int layer = active_layer();
    const std::vector<int> order = tab_order(layer);
    bool between = false;   // the focused control vanished: pos is the slot it left
    const int cur = index_of(focused_);
    const int pos = tab_position(order, cur, between);

    const auto go = [&](int k) {
        focus(last_[static_cast<std::size_t>(order[static_cast<std::size_t>(k)])].id, true);
        move.kind = Move::moved;
        return move;
    };
    const auto reveal = [&](int row, bool last) {
        focus_row(row, last);
        move.kind = Move::reveal_row;
        move.row = row;
        return move;
    };
    const int n = static_cast<int>(order.size());
    if (focused_ == 0 && item_row_ >= 0 && layer == 0) {   // from a list item: its first control, or back before it
        const int row = item_row_;
        item_row_ = -1;
        if (!backward) return reveal(row, false);
        if (row > 0) return reveal(row - 1, true);
    }
    if (layer > 0) {   // a menu: Tab cycles inside it
        if (n == 0) return move;
        if (pos < 0) return go(backward ? n - 1 : 0);
        return go(((backward ? pos - 1 : (between ? pos : pos + 1)) % n + n) % n);
    }
    const int here_row = cur >= 0 ? last_[static_cast<std::size_t>(cur)].row : -1;
    bool any_row = false;
    for (int k : order) any_row = any_row || last_[static_cast<std::size_t>(k)].row >= 0;
    if (!backward) {
        const int next = pos < 0 ? 0 : between ? pos : pos + 1;
        if (next < n) {
            const int next_row = last_[static_cast<std::size_t>(order[static_cast<std::size_t>(next)])].row;
            const int expected = here_row < 0 ? 0 : here_row + 1;
            if (next_row >= 0 && next_row != here_row && next_row != expected && expected < row_count_)
                return reveal(expected, false);
            return go(next);
        }
        if (here_row >= 0 && here_row + 1 < row_count_) return reveal(here_row + 1, false);
        if (here_row < 0 && !any_row && row_count_ > 0) return reveal(0, false);
        move.kind = Move::leave_forward;
        return move;
    }
    const int prev = pos < 0 ? n - 1 : pos - 1;
    if (prev >= 0) {
        const int prev_row = last_[static_cast<std::size_t>(order[static_cast<std::size_t>(prev)])].row;
        if (here_row > 0 && prev_row != here_row && prev_row != here_row - 1) return reveal(here_row - 1, true);
        return go(prev);
    }
    if (here_row > 0) return reveal(here_row - 1, true);
    move.kind = Move::leave_backward;
    return move;
}

bool FocusRing::activate() {
    const Control* c = focused_control();
    if (!c || c->disabled) return false;
    ring_ = true;
    if (c->kind == ControlKind::text) {
        activate_text_ = c->id;
        return true;
    }
    if (!activatable(c->kind)) return false;
    activate_ = c->id;
    return true;
}

void FocusRing::begin_frame(const Look& look) {
    look_ = look;
    current_.clear();
    row_ = -1;
    layer_ = 0;
    sub_first_ = 0;
    sub_last_ = -1;
    // Tab moved focus away from a text field that is still being edited: stop editing it.
    ImGuiContext& g = *GImGui;
    if (g.ActiveId != 0 && g.ActiveId != focused_ && ring_) {
        const int i = index_of(g.ActiveId);
        if (i >= 0 && last_[static_cast<std::size_t>(i)].kind == ControlKind::text) ImGui::ClearActiveID();
    }
}

bool FocusRing::control(const char* label, ControlKind kind, bool checked, bool disabled) {
    ImGuiContext& g = *GImGui;
    const ImGuiID id = g.LastItemData.ID;
    if (id == 0) return false;
    const ImRect r = g.LastItemData.Rect;
    Control c;
    c.id = id;
    c.label = visible_label(label);
    c.kind = kind;
    c.checked = checked;
    c.disabled = disabled;
    c.visible = ImGui::IsItemVisible();
    c.x = r.Min.x;
    c.y = r.Min.y;
    c.w = r.GetWidth();
    c.h = r.GetHeight();
    c.row = row_;
    c.layer = layer_;

    // A click (or ImGui activating a text field) moves focus here; the ring is for keyboards.
    if (ImGui::IsItemActivated() && id != focused_) {
        focused_ = id;
        ring_ = false;
    }
    const bool fire = activate_ == id && !disabled;
    if (fire) activate_ = 0;
    if (id == focused_) {
        focused_index_ = static_cast<int>(current_.size());
        // A field being edited shows its own focus border (checked means "editing" for text).
        if (ring_ && !(kind == ControlKind::text && checked)) {
            const float o = look_.gap + look_.thickness * 0.5f;
            ImGui::GetWindowDrawList()->AddRect(ImVec2(r.Min.x - o, r.Min.y - o), ImVec2(r.Max.x + o, r.Max.y + o),
                                                look_.colour, look_.rounding + o, 0, look_.thickness);
        }
        if (scroll_to_focus_) {
            const float m = look_.gap * 4;
            ImGui::ScrollToRect(g.CurrentWindow, ImRect(r.Min.x, r.Min.y - m, r.Max.x, r.Max.y + m),
                                ImGuiScrollFlags_KeepVisibleEdgeY);
            scroll_to_focus_ = false;
        }
    }
    current_.push_back(std::move(c));
    return fire;
}

bool FocusRing::take_text_activation(std::uint32_t id) {
    if (id == 0 || activate_text_ != id) return false;
    activate_text_ = 0;
    return true;
}

void FocusRing::end_frame() {
    if (pending_row_ >= 0 && ++pending_frames_ > 8) {   // the row never showed up
        pending_row_ = -1;
        pending_id_ = 0;
    }
    if (pending_row_ >= 0 && pending_id_ != 0 && pending_row_ >= sub_first_ && pending_row_ <= sub_last_) {
        // reveal(): that very control, now drawn (and activated, when asked, on the next frame).
        const std::uint32_t id = pending_id_, act = activate_;
        pending_row_ = -1;
        pending_id_ = 0;
        last_.swap(current_);
        if (index_of(id) >= 0) {
            focus(id, true, false);
            activate_ = act == id ? id : 0;
        } else {
            activate_ = 0;
        }
        return;
    }
    if (pending_row_ >= 0 && pending_row_ >= sub_first_ && pending_row_ <= sub_last_) {
        const Control* found = nullptr;
        for (const Control& c : current_) {
            if (c.disabled || c.layer != 0 || c.row < 0) continue;
            if (!pending_row_last_ && c.row >= pending_row_) {
                found = &c;
                break;
            }
            if (pending_row_last_ && c.row <= pending_row_) found = &c;
        }
        if (!found && pending_row_last_ && sub_first_ <= 0) {   // back before the thread
            for (const Control& c : current_)
                if (!c.disabled && c.layer == 0 && c.row < 0) found = &c;
        }
        if (found) {
            const std::uint32_t id = found->id;
            last_.swap(current_);
            pending_row_ = -1;
            focus(id, true);
            activate_ = 0;
            return;
        }
        // No control in the rows shown: look past them (the thread reveals the next ones).
        if (!pending_row_last_) pending_row_ = sub_last_ + 1 < row_count_ ? sub_last_ + 1 : -1;
        else pending_row_ = sub_first_ > 0 ? sub_first_ - 1 : -1;
    }
    last_.swap(current_);
    if (pending_id_ == 0 || activate_ != pending_id_) activate_ = 0;   // a key aimed at a control that is gone does nothing
}

}  // namespace grove

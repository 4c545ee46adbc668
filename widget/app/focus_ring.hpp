// Keyboard focus for the widget's controls, the way a web page does it: Tab / Shift+Tab walk
// every control in reading order (ImGui 1.86 only tabs between text fields), Enter or Space
// activates the focused button, a ring marks the focused control while the keyboard is in use,
// and Tab past the last control leaves the widget (the platform moves the page's focus on).
//
// Every control registers itself right after ImGui submits it (control()); the list of the last
// complete frame decides where Tab goes. The thread is virtualized, so controls of rows that are
// not submitted are reached by asking the thread to reveal that row first (Move::reveal_row).
// The same list describes what is on screen (label, kind, state, rectangle) to tests and to the
// page (see WidgetApp::controls()).
#pragma once

#include <cstdint>   // std::uint32_t
#include <string>    // std::string
#include <vector>    // std::vector

namespace grove {

enum class ControlKind { button, toggle, text, link };

struct Control {
    std::uint32_t id = 0;        // ImGuiID
    std::string label;           // what a person reads on it (ImGui's "##" suffix removed)
    ControlKind kind = ControlKind::button;
    bool checked = false;        // toggles: on; text fields: being edited
    bool disabled = false;
    bool visible = false;        // inside the widget's visible area
    float x = 0, y = 0, w = 0, h = 0;   // device pixels, relative to the canvas
    int row = -1;                // thread row, -1 outside the thread
    int layer = 0;               // 0 the widget, 1 a menu
};

class FocusRing {
public:
    // ---- between frames: keys --------------------------------------------------------------
    struct Move {
        enum Kind { none, moved, reveal_row, leave_forward, leave_backward } kind = none;
        int row = -1;            // reveal_row: the thread row to scroll into view
    };
    // Tab or Shift+Tab, resolved at once so the platform knows whether the page gets the key.
    Move tab(bool backward);
    // Enter/Space: activates the focused button or toggle on the next frame. False when the
    // focused control is not one (the key is not the widget's then).
    bool activate();

    // ---- during a frame ----------------------------------------------------------------------
    struct Look {
        unsigned colour = 0xff000000;   // ImU32
        float thickness = 2, gap = 2, rounding = 6;
    };
    void begin_frame(const Look& look);
    void set_row(int row) { row_ = row; }         // controls that follow belong to this row
    void set_layer(int layer) { layer_ = layer; }
    void set_row_count(int n) { row_count_ = n; }
    // The thread rows submitted this frame (first > last when none).
    void set_row_range(int first, int last) { sub_first_ = first; sub_last_ = last; }
    int pending_row() const { return pending_row_; }   // the thread scrolls this row into view
    // Registers ImGui's last item; returns true when the keyboard activated it this frame.
    bool control(const char* label, ControlKind kind, bool checked = false, bool disabled = false);
    // Before submitting a text field: true (once) when focus moved to it by keyboard, so the
    // caller starts editing it (text_field.cpp).
    bool take_text_activation(std::uint32_t id);
    void end_frame();

    // ---- state -------------------------------------------------------------------------------
    // Focus a control; reaching a text field by keyboard also starts editing it, unless
    // `edit_text` is false (Esc leaves the field but keeps the focus on it).
    void focus(std::uint32_t id, bool by_keyboard, bool edit_text = true);
    // Focus the first (or last) control of a thread row once it is submitted.
    void focus_row(int row, bool last);
    // Focus a control of a thread row that is not drawn now (the HTML view has it): the thread
    // scrolls the row into view, and the control is focused (and activated, when asked) once drawn.
    void reveal(std::uint32_t id, int row, bool activate);
    // Focus is on a thread row itself, not on a control (the HTML view's list item): Tab goes on
    // from there.
    void focus_item(int row);
    void clear() { focused_ = 0; ring_ = false; item_row_ = -1; }
    void hide_ring() { ring_ = false; }   // the mouse is in use
    std::uint32_t focused() const { return focused_; }
    bool ring_visible() const { return ring_; }
    const Control* focused_control() const;         // from the last complete frame
    int focused_row() const;                        // the focused control's (or item's) row, -1 outside the thread
    const std::vector<Control>& controls() const { return last_; }   // the last complete frame
    bool pending() const { return pending_row_ >= 0 || activate_ != 0; }   // wants another frame
    // Enter/Space or a click from the platform on control `id` (drawn last frame): it acts on the
    // next frame. False when it is not a control of the last frame, or disabled.
    bool activate_control(std::uint32_t id);

private:
    std::vector<int> tab_order(int layer) const;
    int tab_position(const std::vector<int>& order, int cur, bool& between) const;
    int index_of(std::uint32_t id) const;
    int active_layer() const;

    std::vector<Control> last_, current_;
    std::uint32_t focused_ = 0;
    int focused_index_ = -1;       // where the focused control was last seen (it may vanish)
    bool ring_ = false;
    bool scroll_to_focus_ = false;
    std::uint32_t activate_ = 0;   // activated by key, delivered by control() next frame
    std::uint32_t activate_text_ = 0;
    int pending_row_ = -1;
    bool pending_row_last_ = false;
    std::uint32_t pending_id_ = 0;   // reveal(): the control to focus in pending_row_
    int focused_row_ = -1;           // the row of a focused control that is not drawn
    int item_row_ = -1;              // focus_item()
    int pending_frames_ = 0;
    int sub_first_ = 0, sub_last_ = -1;
    int row_ = -1, layer_ = 0, row_count_ = 0;
    Look look_;
};

}  // namespace grove

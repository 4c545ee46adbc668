// One mounted widget's UI: everything drawn inside one ImGui context, one frame at a time.
// It knows nothing of WebGL or the DOM; the platform layer (platform/web, or a headless test)
// owns the context, feeds input through the methods below and renders the draw lists.
//
// Input: keys and text arrive between frames and are resolved at once when the page needs to
// know whether the widget takes them (Tab, Esc, Enter...), or queued in order for the text field
// being edited. The mouse goes straight to ImGui's io (MousePos, MouseDown).
#pragma once

#include <cstdint>      // std::int64_t, std::uint32_t
#include <functional>   // std::function
#include <memory>       // std::shared_ptr, std::unique_ptr
#include <string>       // std::string
#include <utility>      // std::pair
#include <vector>       // std::vector

#include "composer_panel.hpp"
#include "focus_ring.hpp"
#include "grove/client/discussion.hpp"
#include "spotlight_panel.hpp"
#include "text_port.hpp"
#include "theme.hpp"
#include "thread_panel.hpp"
#include "ui_kit.hpp"
#include "ui_state.hpp"
#include "widget_config.hpp"

namespace grove {

using FontData = std::shared_ptr<const std::vector<unsigned char>>;   // a TTF for make_imgui_text_port

struct Mods {
    bool ctrl = false, shift = false, alt = false, super = false;
};

// What a key did: the platform prevents the page's default action for handled keys, and moves
// the page's focus out of the widget (before or after it) for leave_*.
enum class KeyResult { ignored, handled, leave_forward, leave_backward };

struct FrameOutput {
    float content_height = 0;           // device px the content wants (the loader sizes the canvas)
    bool want_text = false;             // a text field is being edited: keep the text agent focused
    float caret_x = 0, caret_y = 0, caret_h = 0;   // device px, for IME candidate windows
    int mouse_cursor = 0;               // ImGuiMouseCursor_
    float scroll_y = 0, scroll_max = 0; // device px: the page scrolls instead at either end
    bool wants_frame = false;           // layout or focus settles on the next frame
    // For the page's live region (screen readers): where keyboard focus went, what happened.
    // Set for one frame when there is something new to say.
    std::string announce;
};

class WidgetApp {
public:
    // `discussion` may be null (no data source): the UI then shows the composer only. Every text
    // is measured and drawn through `text`.
    WidgetApp(WidgetConfig config, std::unique_ptr<TextPort> text, Discussion* discussion);

    const WidgetConfig& config() const { return config_; }

    // Scale is the device pixel ratio; a change rebuilds fonts and style before the next frame.
    void set_scale(float scale);
    float scale() const { return scale_; }
    // The body font size in CSS px and the line spacing (small and title text follow the body).
    void set_text_size(float base_css_px, float line_spacing);
    TextPort& text_port() { return *text_; }
    const TextPort& text_port() const { return *text_; }
    void set_prefers_dark(bool dark);
    void set_mac(bool mac) { ui_.mac = mac; }
    void set_utc_offset(int minutes_east) { ui_.utc_offset_minutes = minutes_east; }
    void set_clock(std::function<std::int64_t()> now_ms) { clock_ = std::move(now_ms); }
    // Rebuilds the text port's ImGui resources and the style into the current ImGui context if
    // needed. Returns true when the font atlas changed, so the renderer must upload it again.
    bool prepare_frame();
    // Draws one frame into the current ImGui context (between NewFrame and Render).
    void frame();
    const FrameOutput& output() const { return out_; }
    float content_height() const { return out_.content_height; }

    // ---- input, between frames ----
    KeyResult key(int imgui_key, Mods mods);   // a key press (auto-repeat included)
    void text(const std::string& utf8);        // typed, composed by an IME, or pasted
    // The wheel or a touchpad, in CSS px (positive: down). False when the widget cannot scroll
    // that way (the page should scroll instead).
    bool wheel(float dy_css);
    bool can_scroll(float dy) const;
    // The page's focus entered (true) or left (false) the widget.
    void focus_changed(bool focused);
    // Focus came in by keyboard or focus(): into the composer, or onto the last control when
    // Shift+Tab came from below.
    void focus_entry(bool from_end);
    void request_composer_focus() { focus_entry(false); }
    // The selected text of the field being edited, for the page's copy/cut events; cut removes it.
    std::string copy_selection(bool cut);

    // ---- what is on screen ----
    const std::vector<Control>& controls() const { return focus_.controls(); }
    std::uint32_t focused() const { return focus_.focused(); }
    bool focus_ring_visible() const { return focus_.ring_visible(); }
    std::uint32_t editing() const { return ui_.editing; }
    // Every piece of text drawn in the last frame, in reading order (only while capturing).
    void set_capture_text(bool on) { capture_text_ = on; }
    bool capturing_text() const { return capture_text_; }
    const std::string& screen_text() const { return screen_text_; }
    const std::vector<ui::ScreenLine>& screen_lines() const { return screen_lines_; }
    const ThreadPanel& thread() const { return thread_; }
    ThreadState& thread_state() { return state_; }
    const ComposerPanel& composer() const { return composer_; }
    const Palette& palette() const { return palette_; }

private:
    void begin_edit(std::uint32_t id);
    void stop_editing();
    void scroll_to(float y);

    WidgetConfig config_;
    std::unique_ptr<TextPort> text_;
    TextConfig text_config_;
    Discussion* discussion_;
    Palette palette_;
    float scale_ = 1.0f;
    bool style_dirty_ = true;
    std::function<std::int64_t()> clock_;

    Ui ui_;
    FocusRing focus_;
    ThreadState state_;
    SpotlightPanel spotlight_;
    ComposerPanel composer_;
    ThreadPanel thread_;

    std::vector<std::pair<std::uint32_t, InputEvent>> queued_;   // target field (0: the composer)
    // Editing ends, but text typed since the last frame still goes into the field first.
    bool stop_after_frame_ = false;
    bool editing_on() const { return ui_.editing != 0 && !stop_after_frame_; }
    std::vector<InputEvent> frame_events_;
    bool focus_composer_ = false;
    bool entry_ring_ = false;
    float scroll_request_ = 0;        // device px
    bool scroll_set_ = false;
    float scroll_target_ = 0;
    float scroll_y_ = 0, scroll_max_ = 0, view_h_ = 0;
    FrameOutput out_;
    std::uint32_t announced_focus_ = 0;
    std::uint64_t announced_ = 0;
    bool capture_text_ = false;
    std::string screen_text_;
    std::vector<ui::ScreenLine> screen_lines_;
};

}  // namespace grove

// One mounted widget's UI: everything drawn inside one ImGui context, one frame at a time.
// It knows nothing of WebGL or the DOM; the platform layer (platform/web, or a headless test)
// owns the context, feeds input through the methods below and renders the draw lists.
//
// Input: keys arrive between frames and are resolved at once when the page needs to know whether
// the widget takes them (Tab, Esc, Enter...). Text is typed into the platform's own text fields
// (text_field.hpp), which report their value (field_input). The mouse goes straight to ImGui's io
// (MousePos, MouseDown). The HTML view's controls act through focus_control / activate_control.
#pragma once

#include <cstdint>      // std::int64_t, std::uint32_t
#include <functional>   // std::function
#include <memory>       // std::shared_ptr, std::unique_ptr
#include <string>       // std::string
#include <utility>      // std::pair
#include <vector>       // std::vector

#include "banners.hpp"
#include "check_in_panel.hpp"
#include "composer_panel.hpp"
#include "curator_queue.hpp"
#include "resource_shelf.hpp"
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
    std::uint32_t editing = 0;          // the text field being edited (its textarea shows over it)
    std::uint32_t focused = 0;          // the control with the keyboard focus, 0 when none
    bool ring = false;                  // the keyboard moved that focus (not a click)
    int mouse_cursor = 0;               // ImGuiMouseCursor_
    float scroll_y = 0, scroll_max = 0; // device px: the page scrolls instead at either end
    bool wants_frame = false;           // layout or focus settles on the next frame
    // For the page's live region (screen readers): what happened (an action's result, new posts,
    // the connection). Set for one frame when there is something new to say; never the focused
    // control, which the focus itself tells.
    std::string announce;
    std::vector<FieldBox> fields;       // text fields drawn on the canvas
    // The HTML view: the operations that bring the page's view to this frame (SemanticView::commit,
    // empty when nothing changed), and an element the page should focus (a DOM id) or "".
    std::string view_ops;
    std::string view_focus;
    // A link in a post was clicked or activated by keyboard this frame: the platform opens this
    // http(s) address in a new tab (noopener, noreferrer). Empty otherwise.
    std::string open_url;
    // The selectable lines drawn this frame (post bodies), their y in the content's coordinates
    // (device px from the content's top, so scrolling alone does not change them).
    std::vector<ui::SelectLine> select_lines;
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

    // The HTML view: recorded every frame while on; DOM ids start with `id_prefix`.
    void set_view(bool on, std::string id_prefix = "grove-");
    const SemanticView& view() const { return sem_; }
    // Without a canvas (no WebGL 2) only the HTML view shows: thread rows of its window are laid
    // out instead of those near the canvas's visible area, and text is measured, never drawn.
    void set_canvas(bool canvas) {
        ui_.canvas = canvas;
        text_->set_drawing(canvas);
    }
    // Whether this widget draws the page's one spotlight line (the loader picks one widget).
    void set_spotlight(bool on) { config_.spotlight = on; }
    void set_coarse_pointer(bool coarse);           // touch: 44 CSS px targets
    void set_reduce_motion(bool reduce) { ui_.reduce_motion = reduce; }   // prefers-reduced-motion
    void set_overlay_fields(bool on) { ui_.overlay_fields = on; }

    // ---- input, between frames ----
    KeyResult key(int imgui_key, Mods mods);   // a key press (auto-repeat included)
    // The platform's field for control `id` changed (typed, composed, pasted, cut, undone...).
    void field_input(std::uint32_t id, FieldInput input);
    // The text of field `id` as of the last frame (empty when there is no such field).
    std::string field_value(std::uint32_t id) const;
    // The wheel or a touchpad, in CSS px (positive: down). False when the widget cannot scroll
    // that way (the page should scroll instead).
    bool wheel(float dy_css);
    bool can_scroll(float dy) const;
    // The page's focus entered (true) or left (false) the widget.
    void focus_changed(bool focused);
    // Focus came in by keyboard or focus(): into the composer, or onto the last control when
    // Shift+Tab came from below. Returns that control (the page focuses its element at once, so
    // what is typed next goes there), 0 before the first frame.
    std::uint32_t focus_entry(bool from_end);
    // The page's focus moved to the HTML view's element for control `id` (a screen reader, a
    // click in the HTML view, or Tab there): the widget's focus follows, and a thread row not on
    // the canvas scrolls into view. `row` is the list item's row when the focus is on an item.
    void focus_control(std::uint32_t id, int row = -1);
    // The HTML view's element for control `id` was clicked (or activated by a screen reader, or
    // Enter/Space): it acts once, on the next frame where it is drawn.
    void activate_control(std::uint32_t id);

    // ---- what is on screen ----
    const std::vector<Control>& controls() const { return focus_.controls(); }
    std::uint32_t focused() const { return focus_.focused(); }
    bool focus_ring_visible() const { return focus_.ring_visible(); }
    std::uint32_t editing() const { return ui_.editing; }
    int focused_row() const { return focus_.focused_row(); }
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
    KeyResult key_tab(Mods mods);
    KeyResult key_escape();
    KeyResult key_enter(Mods mods);
    KeyResult key_space();
    KeyResult key_scroll(int imgui_key);

    // The steps of frame(), in order.
    void begin_ui_frame();
    void apply_focus_requests();
    void begin_window();
    void draw_panels(float width);
    void draw_discussion(Discussion& d, float width, float gap);
    void end_window();
    void end_ui_frame();
    bool run_actions();
    void fill_output(bool acted);

    void begin_edit(std::uint32_t id);
    void stop_editing();
    void scroll_to(float y);
    std::string what_changed();   // new posts from others, the connection: for the live region

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
    Banners banners_;
    CheckInPanel check_in_;
    SpotlightPanel spotlight_;
    ResourceShelf shelf_;
    ComposerPanel composer_;
    ThreadPanel thread_;
    CuratorQueue curator_queue_;

    SemanticView sem_;
    std::vector<std::pair<std::uint32_t, FieldInput>> inputs_;       // field changes for the next frame
    std::vector<std::pair<std::uint32_t, std::string*>> fields_;     // the fields of the last frame
    std::uint32_t sem_activate_ = 0;
    bool focus_composer_ = false;
    bool entry_ring_ = false;
    float scroll_request_ = 0;        // device px
    bool scroll_set_ = false;
    float scroll_target_ = 0;
    float scroll_y_ = 0, scroll_max_ = 0, view_h_ = 0;
    FrameOutput out_;
    std::uint64_t announced_ = 0;
    // What the live region said about the discussion last (see what_changed).
    bool heard_ = false;                 // a first sync set the baseline
    bool was_online_ = true;
    std::size_t was_pending_ = 0;
    std::uint64_t heard_revision_ = 0;
    std::int64_t newest_heard_ms_ = 0;
    bool pending_offline_ = false;       // changes waited while offline: say when they are all sent
    bool capture_text_ = false;
    std::string screen_text_;
    std::vector<ui::ScreenLine> screen_lines_;
};

}  // namespace grove

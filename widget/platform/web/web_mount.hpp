// One widget mounted in the page: its WebGL2 context, its ImGui context and its app.
// Frames are drawn on demand (input, data, resize, a minute passing for "3 min ago"), never in
// a permanent loop, and not at all while the widget is off screen or the tab is hidden.
// Every frame also records the accessible HTML view, which the page applies (platform.js).
// Without a canvas (no WebGL 2, or forced colours) the frames run the same without GL: the HTML
// view is the widget, and the store, sync and outbox work as always.
#pragma once

#include <emscripten/html5.h>   // EMSCRIPTEN_WEBGL_CONTEXT_HANDLE

#include <memory>   // std::unique_ptr
#include <string>   // std::string

#include "widget_app.hpp"

struct ImGuiContext;

namespace grove {

class WebTextPort;

class WebMount {
public:
    // Creates the WebGL2 context on the canvas matching `selector` (unless !canvas); check ok().
    WebMount(int id, const std::string& selector, WidgetConfig config, bool canvas);
    ~WebMount();
    WebMount(const WebMount&) = delete;
    WebMount& operator=(const WebMount&) = delete;

    bool ok() const { return (gl_ > 0 || !canvas_) && imgui_ != nullptr; }
    int id() const { return id_; }

    void set_environment(bool mac, int utc_offset_minutes);
    void resize(float css_width, float css_height, float device_pixel_ratio);
    void set_prefers_dark(bool dark);
    void set_visible(bool visible);
    void mouse_move(float css_x, float css_y);
    void mouse_leave();
    void mouse_button(int button, bool down, Mods mods);
    void set_coarse_pointer(bool coarse);
    // The mount element's computed font-size (CSS px): the body text follows it (clamped).
    void set_text_size(float css_px);
    void set_reduce_motion(bool reduce);
    void set_spotlight(bool on);   // draws the page's one spotlight line
    bool wheel(float dy_css);
    KeyResult key(int imgui_key, Mods mods);
    void field_input(std::uint32_t control, FieldInput input);
    void dom_focus(std::uint32_t control, int row);
    void activate(std::uint32_t control);
    void focus(bool focused);
    std::uint32_t focus_entry(bool from_end);
    std::string controls_json() const;
    std::string screen_text(bool capture);
    std::string text_stats_json() const;
    std::string screen_lines_json() const;   // where each line was drawn in the last frame (CSS px)   // the text port's counters (tofu, GPU memory)

    // Asks for `frames` more frames (input needs a few: ImGui settles over 2-3 frames).
    void request_frames(int frames = 3);

private:
    std::unique_ptr<TextPort> make_text_port();
    static int on_animation_frame(double time_ms, void* user_data);
    static void on_minute(void* user_data);
    struct FrameHold;
    bool hold(FrameHold& h, bool waiting);
    bool hold_for_save();
    bool hold_for_cache();
    static void on_hold_over(void* user_data);
    void prepare();
    void draw(double time_ms);
    void activate();
    void schedule_tick();

    void send_style();

    int id_;
    bool canvas_;
    EMSCRIPTEN_WEBGL_CONTEXT_HANDLE gl_ = 0;
    ImGuiContext* imgui_ = nullptr;
    std::unique_ptr<Discussion> discussion_;   // declared before app_, which points into it
    std::unique_ptr<WidgetApp> app_;
    WebTextPort* web_text_ = nullptr;          // the app's text port when it is the browser's
    float dpr_ = 1.0f;
    float sent_font_px_ = 0;   // the body size the page's field styles were last sent for
    int width_px_ = 1, height_px_ = 1;
    int frames_wanted_ = 0;
    long raf_ = 0;            // pending requestAnimationFrame id, 0 when none
    long tick_ = 0;           // pending one-minute timeout, 0 when none
    bool device_ready_ = false;   // the renderer's shaders, buffers and font texture exist
    static inline bool drawing_ = false;   // some mount is drawing a frame (its GL context is current)
    struct FrameHold {          // see WebMount::hold
        WebMount* mount;
        double cap_ms;
        long timer = 0;         // the cap's timeout, 0 when none
        bool over = false;      // the cap passed: draw whatever is still awaited
    };
    FrameHold cache_hold_{this, 1000};   // the first frame waits for the cache
    FrameHold save_hold_{this, 100};     // frames wait while a new post is saved
    double last_time_ms_ = 0;
    bool first_frame_done_ = false;
    // The text layer as last sent (FrameReport::text_layer): a frame with the same lines at the
    // same pixel ratio sends nothing and serializes nothing.
    std::vector<ui::SelectLine> sent_lines_;
    float sent_lines_dpr_ = 0;
    bool ready_sent_ = false; // grove:ready waits for the cache; frames are drawn until then
    bool visible_ = true;
    bool dirty_ = false;      // something changed while hidden: draw when shown
    static constexpr int kButtons = 5;
    bool unseen_press_[kButtons] = {};   // pressed since the last frame
    bool release_later_[kButtons] = {};  // released before a frame saw the press
    // The pointer left (on touch screens right after every tap): moved away only once a frame has
    // seen the press and the release where they happened, or the tap would press nothing.
    bool leave_later_ = false;
    bool button_unseen_ = false;         // a button changed since the last frame
};

}  // namespace grove

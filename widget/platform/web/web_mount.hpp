// One widget mounted in the page: its WebGL2 context, its ImGui context and its app.
// Frames are drawn on demand (input, data, resize), never in a permanent loop.
#pragma once

#include <emscripten/html5.h>   // EMSCRIPTEN_WEBGL_CONTEXT_HANDLE

#include <memory>   // std::unique_ptr
#include <string>   // std::string

#include "widget_app.hpp"

struct ImGuiContext;

namespace grove {

class WebMount {
public:
    // Creates the WebGL2 context on the canvas matching `selector`; check ok() afterwards.
    WebMount(int id, const std::string& selector, WidgetConfig config, FontData font);
    ~WebMount();
    WebMount(const WebMount&) = delete;
    WebMount& operator=(const WebMount&) = delete;

    bool ok() const { return gl_ > 0 && imgui_ != nullptr; }
    int id() const { return id_; }

    void resize(float css_width, float css_height, float device_pixel_ratio);
    void set_prefers_dark(bool dark);
    void mouse_move(float css_x, float css_y);
    void mouse_button(int button, bool down);
    void mouse_wheel(float dx, float dy);     // in lines; positive dy scrolls down
    bool key(int imgui_key, bool down, bool ctrl, bool shift, bool alt, bool super);
    void text(const char* utf8);
    void focus(bool focused);
    void focus_composer();

    // Asks for `frames` more frames (input needs a few: ImGui settles over 2-3 frames).
    void request_frames(int frames = 3);

private:
    static int on_animation_frame(double time_ms, void* user_data);
    void draw(double time_ms);
    void activate();

    int id_;
    EMSCRIPTEN_WEBGL_CONTEXT_HANDLE gl_ = 0;
    ImGuiContext* imgui_ = nullptr;
    std::unique_ptr<Discussion> discussion_;   // declared before app_, which points into it
    std::unique_ptr<WidgetApp> app_;
    float dpr_ = 1.0f;
    int width_px_ = 1, height_px_ = 1;
    int frames_wanted_ = 0;
    long raf_ = 0;            // pending requestAnimationFrame id, 0 when none
    double last_time_ms_ = 0;
    bool first_frame_done_ = false;
    bool ready_sent_ = false;             // grove:ready waits for the cache (sync engine, issue 4)
    std::string pending_text_;           // typed before a text field was active
    float caret_x_ = 0, caret_y_ = 0;     // device px, from ImGui's IME hook
    static WebMount* drawing_;            // the mount whose frame is being built
};

}  // namespace grove

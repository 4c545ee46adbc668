#include "web_mount.hpp"

#include <GLES3/gl3.h>            // glViewport, glClear
#include <emscripten/eventloop.h> // emscripten_set_timeout
#include <emscripten/html5.h>     // WebGL contexts, requestAnimationFrame

#include <imgui.h>                // ImGui::*
#include <imgui_impl_opengl3.h>   // the renderer: one instance per ImGui context

#include "js_bridge.hpp"
#include "web_discussion.hpp"
#include "web_text.hpp"
#include "grove/wire.hpp"

namespace grove {

namespace {
constexpr double kTickMs = 60'000;   // relative times ("3 min ago") change once a minute
}

WebMount::WebMount(int id, const std::string& selector, WidgetConfig config, FontData font) : id_(id) {
    EmscriptenWebGLContextAttributes attrs;
    emscripten_webgl_init_context_attributes(&attrs);
    attrs.majorVersion = 2;
    attrs.minorVersion = 0;
    attrs.alpha = false;
    attrs.antialias = false;            // ImGui anti-aliases its own shapes
    attrs.depth = false;
    attrs.stencil = false;
    attrs.premultipliedAlpha = false;
    attrs.preserveDrawingBuffer = false;
    attrs.powerPreference = EM_WEBGL_POWER_PREFERENCE_LOW_POWER;
    gl_ = emscripten_webgl_create_context(selector.c_str(), &attrs);
    if (gl_ <= 0) return;
    emscripten_webgl_make_context_current(gl_);

    imgui_ = ImGui::CreateContext();
    ImGui::SetCurrentContext(imgui_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;           // no file I/O in a browser
    io.LogFilename = nullptr;
    io.BackendPlatformName = "grove_web";
    io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors;
    io.ConfigMacOSXBehaviors = js_is_apple_platform();
    io.SetClipboardTextFn = [](void*, const char* text) { js_clipboard_write(text); };
    io.GetClipboardTextFn = [](void*) { return js_clipboard_read(); };
    ImGui_ImplOpenGL3_Init("#version 300 es");

    discussion_ = make_web_discussion(id_, config, [this] { request_frames(); });
    // The reader's fonts through Canvas 2D; the bundled font only where canvas text cannot be
    // read back (the loader fetched it then).
    std::unique_ptr<TextPort> text;
    if (web_canvas_text_available()) {
        auto web = std::make_unique<WebTextPort>();
        web_text_ = web.get();
        text = std::move(web);
    } else {
        text = make_imgui_text_port(std::move(font));
    }
    app_ = std::make_unique<WidgetApp>(std::move(config), std::move(text), discussion_.get());
    app_->set_mac(io.ConfigMacOSXBehaviors);
}

WebMount::~WebMount() {
    if (raf_) emscripten_cancel_animation_frame(raf_);
    if (tick_) emscripten_clear_timeout(tick_);
    for (FrameHold* h : {&cache_hold_, &save_hold_})
        if (h->timer) emscripten_clear_timeout(h->timer);
    if (imgui_) {
        emscripten_webgl_make_context_current(gl_);
        ImGui::SetCurrentContext(imgui_);
        app_.reset();   // its text pages are textures of this context
        ImGui_ImplOpenGL3_Shutdown();
        ImGui::DestroyContext(imgui_);
    }
    if (gl_ > 0) emscripten_webgl_destroy_context(gl_);
}

void WebMount::activate() {
    emscripten_webgl_make_context_current(gl_);
    ImGui::SetCurrentContext(imgui_);
}

void WebMount::set_environment(bool mac, int utc_offset_minutes) {
    ImGui::SetCurrentContext(imgui_);
    ImGui::GetIO().ConfigMacOSXBehaviors = mac;
    app_->set_mac(mac);
    app_->set_utc_offset(utc_offset_minutes);
    request_frames();
}

void WebMount::resize(float css_w, float css_h, float dpr) {
    if (dpr <= 0.0f) dpr = 1.0f;
    const int w = css_w * dpr < 1.0f ? 1 : static_cast<int>(css_w * dpr + 0.5f);
    const int h = css_h * dpr < 1.0f ? 1 : static_cast<int>(css_h * dpr + 0.5f);
    if (w == width_px_ && h == height_px_ && dpr == dpr_ && first_frame_done_) return;
    width_px_ = w;
    height_px_ = h;
    dpr_ = dpr;
    app_->set_scale(dpr);
    if (web_text_) web_text_->set_viewport(w, h);
    emscripten_set_canvas_element_size(js_canvas_selector(id_).c_str(), w, h);
    request_frames();
}

void WebMount::set_prefers_dark(bool dark) {
    app_->set_prefers_dark(dark);
    request_frames();
}

void WebMount::set_visible(bool visible) {
    if (visible == visible_) return;
    visible_ = visible;
    if (!visible && raf_ && ready_sent_) {   // nothing to draw for nobody
        emscripten_cancel_animation_frame(raf_);
        raf_ = 0;
        dirty_ = true;
    }
    if (visible && (dirty_ || frames_wanted_ > 0)) {
        dirty_ = false;
        request_frames();
    }
}

void WebMount::mouse_move(float x, float y) {
    ImGui::SetCurrentContext(imgui_);
    ImGui::GetIO().MousePos = ImVec2(x * dpr_, y * dpr_);
    request_frames();
}

void WebMount::mouse_button(int button, bool down, Mods mods) {
    if (button < 0 || button >= kButtons) return;
    ImGui::SetCurrentContext(imgui_);
    ImGuiIO& io = ImGui::GetIO();
    // ImGui 1.86 samples the button once per frame: a quick click (press and release before the
    // next frame, as taps and fast clicks do) would vanish. Hold the press until a frame saw it.
    if (down) {
        unseen_press_[button] = true;
        release_later_[button] = false;
        io.MouseDown[button] = true;
    } else if (unseen_press_[button]) {
        release_later_[button] = true;
    } else {
        io.MouseDown[button] = false;
    }
    io.KeyCtrl = mods.ctrl;
    io.KeyShift = mods.shift;
    io.KeyAlt = mods.alt;
    io.KeySuper = mods.super;
    request_frames();
}

bool WebMount::wheel(float dy_css) {
    const bool taken = app_->wheel(dy_css);
    if (taken) request_frames();
    return taken;
}

KeyResult WebMount::key(int imgui_key, Mods mods) {
    ImGui::SetCurrentContext(imgui_);
    const KeyResult r = app_->key(imgui_key, mods);
    if (r != KeyResult::ignored) request_frames();
    return r;
}

void WebMount::text(const std::string& utf8) {
    ImGui::SetCurrentContext(imgui_);
    app_->text(utf8);
    request_frames();
}

void WebMount::focus(bool focused) {
    ImGui::SetCurrentContext(imgui_);
    ImGuiIO& io = ImGui::GetIO();
    io.AddFocusEvent(focused);
    if (!focused) io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
    app_->focus_changed(focused);
    request_frames();
}

void WebMount::focus_entry(bool from_end) {
    app_->focus_entry(from_end);
    request_frames();
}

std::string WebMount::copy_selection(bool cut) {
    std::string s = app_->copy_selection(cut);
    if (cut && !s.empty()) request_frames();
    return s;
}

std::string WebMount::controls_json() const {
    Json list = Json::array();
    const char* kinds[] = {"button", "toggle", "text", "link"};
    for (const Control& c : app_->controls()) {
        list.push_back(Json{{"label", c.label},
                            {"kind", kinds[static_cast<int>(c.kind)]},
                            {"checked", c.checked},
                            {"disabled", c.disabled},
                            {"visible", c.visible},
                            {"focused", c.id == app_->focused()},
                            {"editing", c.id == app_->editing()},
                            {"row", c.row},
                            {"x", c.x / dpr_},
                            {"y", c.y / dpr_},
                            {"w", c.w / dpr_},
                            {"h", c.h / dpr_}});
    }
    return dump(Json{{"controls", list}, {"ring", app_->focus_ring_visible()}});
}

std::string WebMount::text_stats_json() const {
    const TextStats s = app_->text_port().stats();
    Json chars = Json::array();
    for (std::uint32_t c : s.tofu_chars) chars.push_back(c);
    return dump(Json{{"mode", s.mode},
                     {"tofu", s.tofu},
                     {"tofuChars", chars},
                     {"linesDrawn", s.lines_drawn},
                     {"gpuBytes", s.gpu_bytes},
                     {"gpuBudget", s.gpu_budget},
                     {"pages", s.pages},
                     {"evictions", s.evictions},
                     {"dropped", s.dropped}});
}

std::string WebMount::screen_lines_json() const {
    Json list = Json::array();
    const TextPort& port = app_->text_port();
    static const char* const kSizes[] = {"body", "small", "title"};
    for (const ui::ScreenLine& l : app_->screen_lines()) {
        list.push_back(Json{{"text", l.text},
                            {"x", l.x / dpr_},
                            {"y", l.y / dpr_},
                            {"w", l.w / dpr_},
                            {"h", l.h / dpr_},
                            {"baseline", port.metrics(l.style).baseline / dpr_},
                            {"size", kSizes[static_cast<int>(l.style.size)]},
                            {"strong", l.style.strong},
                            {"rtl", l.rtl},
                            {"font", port.css_font(l.style)}});
    }
    return dump(list);
}

std::string WebMount::screen_text(bool capture) {
    if (capture && !app_->capturing_text()) request_frames(1);   // the text shows from the next frame
    app_->set_capture_text(capture);
    return app_->screen_text();
}

void WebMount::request_frames(int frames) {
    if (frames > frames_wanted_) frames_wanted_ = frames;
    if (!visible_ && ready_sent_) {   // drawn when it is seen again (but grove:ready comes anyway)
        dirty_ = true;
        return;
    }
    if (raf_) return;
    if (hold_for_cache()) {
        // The shaders and the font atlas (~100 ms in a fresh page) are made now, while the
        // browser reads the cache, rather than in the first frame after it. Not in a task of their
        // own: Chrome ran a setTimeout(0) only after the read, the take-in and the first frame.
        if (!device_ready_ && !drawing_) {   // (never in the middle of another mount's frame)
            activate();
            prepare();
        }
        return;
    }
    if (!hold_for_save()) raf_ = emscripten_request_animation_frame(&WebMount::on_animation_frame, this);
}

// What a frame needs before it can draw: the fonts (atlas and texture) and the theme when the
// scale or theme changed, and the first time also the renderer's shaders and buffers. Those are
// made here rather than left to the first NewFrame, which would build the font atlas a second
// time (after ClearTexData) and leak the first texture.
void WebMount::prepare() {
    const bool fonts = app_->prepare_frame();
    if (!device_ready_) {
        ImGui_ImplOpenGL3_CreateDeviceObjects();   // shaders, buffers, the font texture
        device_ready_ = true;
    } else if (fonts) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    } else {
        return;
    }
    ImGui::GetIO().Fonts->ClearTexData();   // the GPU has it; free the heap copy
}

// Frames held while something better happens first, for at most the hold's cap; the discussion asks
// for a frame when it is over. Two holds:
// - the first frame waits for the cache (1 s): frames drawn while it is read would only show a
//   loading state under the loader's "Loading the discussion…", and each one (the first also builds
//   the font atlas) holds the main thread, delaying the delivery of the cache read;
// - a new post's IndexedDB write (100 ms) completes only when the main thread is free: a frame drawn
//   first (layout, WebGL, the browser's compositing) would delay the save by its whole cost.
bool WebMount::hold(FrameHold& h, bool waiting) {
    if (!waiting) {
        h.over = false;
        if (h.timer) emscripten_clear_timeout(h.timer);
        h.timer = 0;
        return false;
    }
    if (h.over) return false;
    if (!h.timer) h.timer = emscripten_set_timeout(&WebMount::on_hold_over, h.cap_ms, &h);
    return true;
}

bool WebMount::hold_for_cache() {
    return hold(cache_hold_, !ready_sent_ && discussion_ && !discussion_->status().loaded);
}

bool WebMount::hold_for_save() { return hold(save_hold_, discussion_ && discussion_->saving_new_post()); }

void WebMount::on_hold_over(void* user_data) {
    auto* h = static_cast<FrameHold*>(user_data);
    h->timer = 0;
    h->over = true;
    h->mount->request_frames(0);
}

int WebMount::on_animation_frame(double time_ms, void* user_data) {
    auto* self = static_cast<WebMount*>(user_data);
    self->raf_ = 0;
    self->draw(time_ms);
    if (self->app_->output().wants_frame && self->frames_wanted_ < 2) self->frames_wanted_ = 2;
    if (--self->frames_wanted_ > 0) self->request_frames(0);
    else self->schedule_tick();
    return 0;   // never loop: the next frame is requested only when something changes
}

void WebMount::schedule_tick() {
    if (tick_) emscripten_clear_timeout(tick_);
    tick_ = emscripten_set_timeout(&WebMount::on_minute, kTickMs, this);
}

void WebMount::on_minute(void* user_data) {
    auto* self = static_cast<WebMount*>(user_data);
    self->tick_ = 0;
    self->request_frames(1);
}

void WebMount::draw(double time_ms) {
    drawing_ = true;
    activate();
    prepare();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(width_px_), static_cast<float>(height_px_));
    io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
    // Real elapsed time (double-click detection needs it); 1.86 asserts DeltaTime > 0 and some
    // browsers repeat timestamps.
    double dt = last_time_ms_ > 0 ? (time_ms - last_time_ms_) / 1000.0 : 1.0 / 60.0;
    if (dt <= 0.0) dt = 1e-4;
    if (dt > 3600.0) dt = 3600.0;
    io.DeltaTime = static_cast<float>(dt);
    last_time_ms_ = time_ms;

    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    app_->frame();
    ImGui::Render();
    for (int b = 0; b < kButtons; ++b) {   // presses seen: releases held back go now
        unseen_press_[b] = false;
        if (release_later_[b]) {
            release_later_[b] = false;
            io.MouseDown[b] = false;
            request_frames();
        }
    }

    // The frame that wrote a new post still shows the composer as it was; the next one (held until
    // the post is saved, see hold_for_save) shows the post. Not drawing this one spares the save the
    // WebGL and compositing work; the canvas keeps the previous picture meanwhile.
    if (!discussion_ || !discussion_->saving_new_post() || save_hold_.over) {
        glViewport(0, 0, width_px_, height_px_);
        const unsigned bg = app_->palette().background;
        glClearColor(((bg >> 16) & 0xFF) / 255.0f, ((bg >> 8) & 0xFF) / 255.0f, (bg & 0xFF) / 255.0f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    }

    const FrameOutput& o = app_->output();
    FrameReport report;
    report.content_height_css = o.content_height / dpr_;
    report.want_text_input = o.want_text;
    report.caret_x_css = o.caret_x / dpr_;
    report.caret_y_css = o.caret_y / dpr_;
    report.caret_h_css = o.caret_h / dpr_;
    report.mouse_cursor = o.mouse_cursor;
    report.scroll_y_css = o.scroll_y / dpr_;
    report.scroll_max_css = o.scroll_max / dpr_;
    report.announce = o.announce;
    js_frame_done(id_, report);

    first_frame_done_ = true;
    drawing_ = false;
    // grove:ready once a frame shows what the cache holds (embed.md: "cached posts shown if any").
    if (!ready_sent_ && (!discussion_ || discussion_->status().loaded)) {
        ready_sent_ = true;
        js_emit(id_, "grove:ready", dump(Json{{"module", app_->config().module}}));
    }
}

}  // namespace grove

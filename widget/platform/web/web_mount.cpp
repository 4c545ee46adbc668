#include "web_mount.hpp"

#include <GLES3/gl3.h>            // glViewport, glClear
#include <cmath>                  // std::round
#include <cstdio>                 // std::snprintf
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
constexpr float kAway = -1e6f;       // the pointer is nowhere over the widget

std::string css_colour(unsigned rgb) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%06x", rgb & 0xFFFFFFu);
    return buf;
}
}  // namespace

WebMount::WebMount(int id, const std::string& selector, WidgetConfig config, bool canvas)
    : id_(id), canvas_(canvas) {
    if (!canvas_) {   // the HTML view alone: an ImGui context to lay the widget out, no GL
        imgui_ = ImGui::CreateContext();
        ImGui::SetCurrentContext(imgui_);
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.LogFilename = nullptr;
        io.BackendPlatformName = "grove_web_html";
        io.ConfigMacOSXBehaviors = js_is_apple_platform();
        io.SetClipboardTextFn = [](void*, const char* text) { js_clipboard_write(text); };
        io.GetClipboardTextFn = [](void*) { return js_clipboard_read(); };
        io.DisplaySize = ImVec2(640, 640);
        discussion_ = make_web_discussion(id_, config, [this] { request_frames(); });
        app_ = std::make_unique<WidgetApp>(std::move(config), make_text_port(), discussion_.get());
        app_->set_mac(io.ConfigMacOSXBehaviors);
        app_->set_view(true, "grove" + std::to_string(id_) + "-");
        app_->set_canvas(false);
        return;
    }
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
    js_mark("webgl-start");
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
    js_mark("webgl");

    discussion_ = make_web_discussion(id_, config, [this] { request_frames(); });
    app_ = std::make_unique<WidgetApp>(std::move(config), make_text_port(), discussion_.get());
    app_->set_mac(io.ConfigMacOSXBehaviors);
    app_->set_view(true, "grove" + std::to_string(id_) + "-");
    app_->set_overlay_fields(true);   // the page shows the edited field's own textarea over it
    js_mark("mounted");
}

WebMount::~WebMount() {
    if (raf_) emscripten_cancel_animation_frame(raf_);
    if (tick_) emscripten_clear_timeout(tick_);
    for (FrameHold* h : {&cache_hold_, &save_hold_})
        if (h->timer) emscripten_clear_timeout(h->timer);
    if (imgui_) {
        if (gl_ > 0) emscripten_webgl_make_context_current(gl_);
        ImGui::SetCurrentContext(imgui_);
        app_.reset();   // its text pages are textures of this context
        if (gl_ > 0) ImGui_ImplOpenGL3_Shutdown();
        ImGui::DestroyContext(imgui_);
    }
    if (gl_ > 0) emscripten_webgl_destroy_context(gl_);
}

// The reader's fonts through Canvas 2D. Where canvas text cannot be read back the loader mounts
// the HTML view instead (no canvas), whose text the browser draws itself.
std::unique_ptr<TextPort> WebMount::make_text_port() {
    auto web = std::make_unique<WebTextPort>();
    web_text_ = web.get();
    return web;
}

void WebMount::activate() {
    if (gl_ > 0) emscripten_webgl_make_context_current(gl_);
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
    if (canvas_) emscripten_set_canvas_element_size(js_canvas_selector(id_).c_str(), w, h);
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
    leave_later_ = false;
    ImGui::GetIO().MousePos = ImVec2(x * dpr_, y * dpr_);
    request_frames();
}

void WebMount::mouse_leave() {
    ImGui::SetCurrentContext(imgui_);
    if (button_unseen_) {   // a press or release here still has to be seen where it happened
        leave_later_ = true;
        return;
    }
    ImGui::GetIO().MousePos = ImVec2(kAway, kAway);
    request_frames();
}

void WebMount::set_text_size(float css_px) {
    app_->set_text_size(text_size_for_page(css_px), kLineSpacing);
    request_frames();
}

void WebMount::set_coarse_pointer(bool coarse) {
    app_->set_coarse_pointer(coarse);
    request_frames();
}

void WebMount::set_reduce_motion(bool reduce) {
    app_->set_reduce_motion(reduce);
    request_frames();
}

void WebMount::set_spotlight(bool on) {
    if (app_->config().spotlight == on) return;
    app_->set_spotlight(on);
    if (discussion_) discussion_->want_spotlight(on);
    request_frames();
}

void WebMount::mouse_button(int button, bool down, Mods mods) {
    if (button < 0 || button >= kButtons) return;
    ImGui::SetCurrentContext(imgui_);
    ImGuiIO& io = ImGui::GetIO();
    // ImGui 1.86 samples the button once per frame: a quick click (press and release before the
    // next frame, as taps and fast clicks do) would vanish. Hold the press until a frame saw it.
    button_unseen_ = true;
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

void WebMount::field_input(std::uint32_t control, FieldInput input) {
    ImGui::SetCurrentContext(imgui_);
    app_->field_input(control, std::move(input));
    request_frames();
}

void WebMount::dom_focus(std::uint32_t control, int row) {
    ImGui::SetCurrentContext(imgui_);
    app_->focus_control(control, row);
    request_frames();
}

void WebMount::activate(std::uint32_t control) {
    ImGui::SetCurrentContext(imgui_);
    app_->activate_control(control);
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

std::uint32_t WebMount::focus_entry(bool from_end) {
    ImGui::SetCurrentContext(imgui_);
    const std::uint32_t id = app_->focus_entry(from_end);
    request_frames();
    return id;
}

// The HTML view's colours and the edited field's look, as CSS custom properties on the view
// (platform.js): the same palette the canvas uses, with its contrast checks.
void WebMount::send_style() {
    sent_font_px_ = app_->text_port().metrics(kBody).font_px;
    const Palette& p = app_->palette();
    const float s = app_->scale() > 0 ? app_->scale() : 1.0f;
    Json vars = Json::object();
    vars["--grove-bg"] = css_colour(p.background);
    vars["--grove-surface"] = css_colour(p.surface);
    vars["--grove-surface-alt"] = css_colour(p.surface_alt);
    vars["--grove-text"] = css_colour(p.text);
    vars["--grove-muted"] = css_colour(p.text_muted);
    vars["--grove-border"] = css_colour(p.border);
    vars["--grove-control-border"] = css_colour(p.control_border);
    vars["--grove-accent"] = css_colour(p.accent);
    vars["--grove-on-accent"] = css_colour(p.accent_text);
    vars["--grove-link"] = css_colour(p.link);
    vars["--grove-focus"] = css_colour(p.focus_ring);
    vars["--grove-selection"] = css_colour(p.selection);
    {   // selected text in the text layer: the selection colour at 35% over the glyphs (as in fields)
        char buf[48];
        std::snprintf(buf, sizeof buf, "rgba(%u,%u,%u,0.35)", (p.selection >> 16) & 0xFFu, (p.selection >> 8) & 0xFFu,
                      p.selection & 0xFFu);
        vars["--grove-selection-bg"] = buf;
    }
    vars["--grove-chip-bg"] = css_colour(p.chip_bg);
    vars["--grove-chip-text"] = css_colour(p.chip_text);
    vars["--grove-warning-bg"] = css_colour(p.warning_bg);
    vars["--grove-warning-text"] = css_colour(p.warning_text);
    vars["--grove-danger-bg"] = css_colour(p.danger_bg);
    vars["--grove-danger-text"] = css_colour(p.danger_text);
    vars["--grove-disabled-bg"] = css_colour(p.disabled_bg);
    vars["--grove-disabled-text"] = css_colour(p.disabled_text);
    // The edited field's textarea: the canvas's body text, its font, size and line spacing.
    const TextPort& text = app_->text_port();
    vars["--grove-field-font"] = css_px(text.metrics(kBody).font_px / s);
    vars["--grove-field-line"] = css_px(text.metrics(kBody).line_px / s);
    vars["--grove-font"] = text.config().family;
    vars["--grove-scheme"] = p.dark ? "dark" : "light";
    js_view_style(id_, dump(vars));
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
    // The text size or the pixel ratio changed: the edited field's textarea follows.
    if (device_ready_ && app_->text_port().metrics(kBody).font_px != sent_font_px_) send_style();
    if (!canvas_) {   // no texture to upload: the atlas is only measured with
        if (fonts || !device_ready_) {
            unsigned char* pixels;
            int w, h;
            ImGui::GetIO().Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
            ImGui::GetIO().Fonts->ClearTexData();
            send_style();
        }
        device_ready_ = true;
        return;
    }
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
    send_style();                           // (the fonts have their sizes once built)
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

    if (canvas_) ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    app_->frame();
    ImGui::Render();
    button_unseen_ = false;
    for (int b = 0; b < kButtons; ++b) {   // presses seen: releases held back go now
        unseen_press_[b] = false;
        if (release_later_[b]) {
            release_later_[b] = false;
            io.MouseDown[b] = false;
            button_unseen_ = true;   // the next frame sees the release
            request_frames();
        }
    }
    if (leave_later_ && !button_unseen_) {   // the release was seen where it happened: now the pointer goes
        leave_later_ = false;
        io.MousePos = ImVec2(kAway, kAway);
        request_frames();
    }

    // The frame that wrote a new post still shows the composer as it was; the next one (held until
    // the post is saved, see hold_for_save) shows the post. Not drawing this one spares the save the
    // WebGL and compositing work; the canvas keeps the previous picture meanwhile.
    if (canvas_ && (!discussion_ || !discussion_->saving_new_post() || save_hold_.over)) {
        glViewport(0, 0, width_px_, height_px_);
        const unsigned bg = app_->palette().background;
        glClearColor(((bg >> 16) & 0xFF) / 255.0f, ((bg >> 8) & 0xFF) / 255.0f, (bg & 0xFF) / 255.0f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    }

    const FrameOutput& o = app_->output();
    FrameReport report;
    report.content_height_css = o.content_height / dpr_;
    report.editing = o.editing;
    report.focused = o.focused;
    report.ring = o.ring;
    report.mouse_cursor = o.mouse_cursor;
    report.scroll_y_css = o.scroll_y / dpr_;
    report.scroll_max_css = o.scroll_max / dpr_;
    report.announce = o.announce;
    if (!o.fields.empty()) {   // [[id, x, y, w, h, visible], ...] in CSS px
        Json fields = Json::array();
        for (const FieldBox& f : o.fields)
            fields.push_back(Json::array({f.id, f.x / dpr_, f.y / dpr_, f.w / dpr_, f.h / dpr_, f.visible}));
        report.fields = dump(fields);
    }
    report.view_ops = o.view_ops;
    report.view_focus = o.view_focus;
    // The text layer: sent only when a line came, went, moved or changed (or the pixel ratio did).
    if (canvas_ && (o.select_lines != sent_lines_ || dpr_ != sent_lines_dpr_)) {
        sent_lines_ = o.select_lines;
        sent_lines_dpr_ = dpr_;
        const TextPort& port = app_->text_port();
        auto css = [this](float v) { return std::round(v / dpr_ * 100.0f) / 100.0f; };
        Json lines = Json::array();
        for (const ui::SelectLine& l : o.select_lines)
            lines.push_back(Json::array({l.key, l.text, css(l.x), css(l.y), css(l.w), css(l.h),
                                         css(port.metrics(l.style).font_px), l.style.strong ? 600 : 400, l.rtl,
                                         l.end == ' ' ? 0 : 1}));
        report.text_layer = dump(lines);
    }
    js_frame_done(id_, report);
    if (!o.open_url.empty()) js_open_url(o.open_url);

    first_frame_done_ = true;
    drawing_ = false;
    // grove:ready once a frame shows what the cache holds (embed.md: "cached posts shown if any").
    if (!ready_sent_ && (!discussion_ || discussion_->status().loaded)) {
        ready_sent_ = true;
        js_emit(id_, "grove:ready", dump(Json{{"module", app_->config().module}}));
    }
}

}  // namespace grove

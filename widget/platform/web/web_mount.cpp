#include "web_mount.hpp"

#include <GLES3/gl3.h>            // glViewport, glClear
#include <emscripten/html5.h>     // WebGL contexts, requestAnimationFrame

#include <imgui.h>                // ImGui::*
#include <imgui_impl_opengl3.h>   // the renderer: one instance per ImGui context

#include "js_bridge.hpp"
#include "web_discussion.hpp"
#include "grove/wire.hpp"

namespace grove {

WebMount* WebMount::drawing_ = nullptr;

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
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.ConfigInputTextCursorBlink = false;   // a blinking caret would keep the widget drawing
    io.BackendPlatformName = "grove_web";
    io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors;
    for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;
    io.ConfigMacOSXBehaviors = js_is_apple_platform();
    // ImGui reports the caret while a text field is active: the text agent (a hidden textarea)
    // follows it so IME candidate windows open in the right place.
    io.ImeSetInputScreenPosFn = [](int x, int y) {
        if (drawing_) {
            drawing_->caret_x_ = static_cast<float>(x);
            drawing_->caret_y_ = static_cast<float>(y);
        }
    };
    io.SetClipboardTextFn = [](void*, const char* text) { js_clipboard_write(text); };
    io.GetClipboardTextFn = [](void*) { return js_clipboard_read(); };
    ImGui_ImplOpenGL3_Init("#version 300 es");

    discussion_ = make_web_discussion(id_, config, [this] { request_frames(); });
    app_ = std::make_unique<WidgetApp>(std::move(config), std::move(font), discussion_.get());
}

WebMount::~WebMount() {
    if (raf_) emscripten_cancel_animation_frame(raf_);
    if (imgui_) {
        emscripten_webgl_make_context_current(gl_);
        ImGui::SetCurrentContext(imgui_);
        ImGui_ImplOpenGL3_Shutdown();
        ImGui::DestroyContext(imgui_);
    }
    if (gl_ > 0) emscripten_webgl_destroy_context(gl_);
}

void WebMount::activate() {
    emscripten_webgl_make_context_current(gl_);
    ImGui::SetCurrentContext(imgui_);
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
    emscripten_set_canvas_element_size(js_canvas_selector(id_).c_str(), w, h);
    request_frames();
}

void WebMount::set_prefers_dark(bool dark) {
    app_->set_prefers_dark(dark);
    request_frames();
}

void WebMount::mouse_move(float x, float y) {
    ImGui::SetCurrentContext(imgui_);
    ImGui::GetIO().MousePos = ImVec2(x * dpr_, y * dpr_);
    request_frames();
}

void WebMount::mouse_button(int button, bool down) {
    if (button < 0 || button >= 5) return;
    ImGui::SetCurrentContext(imgui_);
    ImGui::GetIO().MouseDown[button] = down;
    request_frames();
}

void WebMount::mouse_wheel(float dx, float dy) {
    ImGui::SetCurrentContext(imgui_);
    ImGui::GetIO().MouseWheelH -= dx;
    ImGui::GetIO().MouseWheel -= dy;
    request_frames();
}

bool WebMount::key(int imgui_key, bool down, bool ctrl, bool shift, bool alt, bool super) {
    ImGui::SetCurrentContext(imgui_);
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = ctrl;
    io.KeyShift = shift;
    io.KeyAlt = alt;
    io.KeySuper = super;
    if (imgui_key >= 0 && imgui_key < static_cast<int>(IM_ARRAYSIZE(io.KeysDown))) io.KeysDown[imgui_key] = down;
    request_frames();
    return io.WantCaptureKeyboard;
}

void WebMount::text(const char* utf8) {
    ImGui::SetCurrentContext(imgui_);
    ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput && pending_text_.empty()) {
        io.AddInputCharactersUTF8(utf8);
    } else {   // no field active yet: keep it until the composer takes focus
        pending_text_ += utf8;
        if (!io.WantTextInput) app_->request_composer_focus();
    }
    request_frames();
}

void WebMount::focus_composer() {
    app_->request_composer_focus();
    request_frames();
}

void WebMount::focus(bool focused) {
    ImGui::SetCurrentContext(imgui_);
    ImGuiIO& io = ImGui::GetIO();
    io.AddFocusEvent(focused);
    if (!focused) {   // keys held while focus left would otherwise stay down
        for (bool& k : io.KeysDown) k = false;
        io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
    }
    request_frames();
}

void WebMount::request_frames(int frames) {
    if (frames > frames_wanted_) frames_wanted_ = frames;
    if (!raf_) raf_ = emscripten_request_animation_frame(&WebMount::on_animation_frame, this);
}

int WebMount::on_animation_frame(double time_ms, void* user_data) {
    auto* self = static_cast<WebMount*>(user_data);
    self->raf_ = 0;
    self->draw(time_ms);
    if (--self->frames_wanted_ > 0) self->request_frames(0);
    return 0;   // never loop: the next frame is requested only when something changes
}

void WebMount::draw(double time_ms) {
    activate();
    if (app_->prepare_frame()) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(width_px_), static_cast<float>(height_px_));
    io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
    double dt = last_time_ms_ > 0 ? (time_ms - last_time_ms_) / 1000.0 : 1.0 / 60.0;
    if (dt <= 0.0) dt = 1e-4;   // 1.86 asserts DeltaTime > 0; some browsers repeat timestamps
    if (dt > 0.25) dt = 0.25;
    io.DeltaTime = static_cast<float>(dt);
    last_time_ms_ = time_ms;

    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    drawing_ = this;
    app_->frame();
    ImGui::Render();
    drawing_ = nullptr;

    glViewport(0, 0, width_px_, height_px_);
    glClearColor(0, 0, 0, 0);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

    FrameReport report;
    report.content_height_css = app_->content_height() / dpr_;
    report.want_text_input = io.WantTextInput;
    report.want_keyboard = io.WantCaptureKeyboard;
    report.caret_x_css = caret_x_ / dpr_;
    report.caret_y_css = caret_y_ / dpr_;
    report.mouse_cursor = ImGui::GetMouseCursor();
    js_frame_done(id_, report);

    if (io.WantTextInput && !pending_text_.empty()) {   // the field is active now: deliver
        io.AddInputCharactersUTF8(pending_text_.c_str());
        pending_text_.clear();
        request_frames();
    }

    first_frame_done_ = true;
    // grove:ready once a frame shows what the cache holds (embed.md: "cached posts shown if any").
    if (!ready_sent_ && (!discussion_ || discussion_->status().loaded)) {
        ready_sent_ = true;
        js_emit(id_, "grove:ready", dump(Json{{"module", app_->config().module}}));
    }
}

}  // namespace grove

// A widget without a browser: its own ImGui context, no renderer, ImGui's text port with the
// bundled font (the browser's fallback), input fed as the web platform
// feeds it (WidgetApp::key/text, ImGui's mouse), and what is on screen read back from the frame:
// the controls (label, state, rectangle), the text drawn, and a PNG of the draw lists
// (ui_raster.hpp) to look at.
#pragma once

#include <string>   // std::string
#include <vector>   // std::vector

#include <imgui.h>

#include "widget_app.hpp"

namespace grove::testing {

FontData load_widget_font();   // the subset TTF the build makes (GROVE_FONT_FILE)

// The widget as the UI tests and benchmarks embed it: the demo module, a prompt and a theme.
WidgetConfig test_config(std::string prompt = "Prompt", ThemeMode theme = ThemeMode::light);

class HeadlessWidget {
public:
    HeadlessWidget(WidgetConfig config, Discussion* discussion, float css_width = 640, float css_height = 900,
                   float scale = 1.0f);
    ~HeadlessWidget();
    HeadlessWidget(const HeadlessWidget&) = delete;
    HeadlessWidget& operator=(const HeadlessWidget&) = delete;

    WidgetApp& app() { return app_; }
    const WidgetApp& app() const { return app_; }
    const ThreadPanel& thread() const { return app_.thread(); }
    std::int64_t now_ms = 1'795'000'000'000;   // the app's clock

    void frame(int n = 1);
    // Frames until the widget stops asking for more (at most `max`); returns how many were drawn.
    int settle(int max = 12);
    void resize(float css_width, float css_height);
    void set_scale(float scale);

    // Controls of the last frame. `label` is what a person reads on it.
    const Control* control(const std::string& label, int nth = 0) const;
    int count(const std::string& label) const;
    void click(const Control& c);
    bool click(const std::string& label, int nth = 0);   // false when there is no such control
    void hover(const Control& c);
    KeyResult key(int imgui_key, Mods mods = {});
    KeyResult ctrl(int imgui_key) { return key(imgui_key, Mods{true, false, false, false}); }
    void type(const std::string& utf8);   // text input, then settle
    const Control* focused() const;

    // What the widget announced for screen readers, frame by frame.
    std::vector<std::string> announced;

    // Text drawn in the last frame.
    const std::string& screen() const { return app_.screen_text(); }
    bool shows(const std::string& text) const { return screen().find(text) != std::string::npos; }

    // The last frame as a PNG (software-rasterized draw lists).
    bool save_png(const std::string& path) const;
    ImGuiContext* context() const { return ctx_; }

private:
    void use() const { ImGui::SetCurrentContext(ctx_); }
    ImGuiContext* ctx_;
    WidgetApp app_;
};

}  // namespace grove::testing

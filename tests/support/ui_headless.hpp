// A widget without a browser: its own ImGui context, no renderer, ImGui's text port with the
// bundled font (the browser's fallback), input fed as the web platform feeds it (WidgetApp::key,
// ImGui's mouse), and what is on screen read back from the frame: the controls (label, state,
// rectangle), the text drawn, the HTML view, and a PNG of the draw lists
// (ui_raster.hpp) to look at.
//
// Text fields: in the browser a real textarea holds a field's text and reports every change
// (WidgetApp::field_input). Here a small field model stands in for it: typing inserts at its
// caret (the end of the text, or where Left/Right/Home/End put it), Backspace and Delete remove
// one code point, Enter a new line, each change reported the same way. Like the page, it types
// only into the field that has the focus.
#pragma once

#include <string>   // std::string
#include <vector>   // std::vector

#include <imgui.h>

#include "ui_raster.hpp"
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
    // A key as the page sends it: to the widget, and then (unless the widget took it) to the
    // focused field, which edits itself (see above).
    KeyResult key(int imgui_key, Mods mods = {});
    KeyResult ctrl(int imgui_key) { return key(imgui_key, Mods{true, false, false, false}); }
    // Typed (or pasted, or composed by an IME) into the focused field, then settle. False when
    // no field has the focus (the text goes nowhere, as on a page).
    bool type(const std::string& utf8);
    const Control* focused() const;
    // The field the page's focus is in: the one being edited, or a focused text field.
    std::uint32_t focused_field() const;

    // What the widget announced for screen readers, frame by frame.
    std::vector<std::string> announced;
    // The addresses the widget asked the page to open (links), frame by frame.
    std::vector<std::string> opened;
    // The HTML view's elements the widget asked the page to focus, frame by frame.
    std::vector<std::string> view_focused;

    // Text drawn in the last frame.
    const std::string& screen() const { return app_.screen_text(); }
    bool shows(const std::string& text) const { return screen().find(text) != std::string::npos; }

    // The last frame as a PNG (software-rasterized draw lists), or as pixels.
    bool save_png(const std::string& path) const;
    Image image() const;
    ImGuiContext* context() const { return ctx_; }

private:
    void use() const { ImGui::SetCurrentContext(ctx_); }
    bool edit_field(int imgui_key, Mods mods);
    void report(std::uint32_t field, std::string value, std::size_t caret);
    ImGuiContext* ctx_;
    WidgetApp app_;
    std::uint32_t caret_field_ = 0;   // the field model: where the caret is in which field
    std::size_t caret_ = 0;
    std::string caret_text_;          // the text the caret was placed in (elsewhere: the end)
};

}  // namespace grove::testing

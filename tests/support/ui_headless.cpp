#include "ui_headless.hpp"

#include <fstream>    // std::ifstream
#include <iterator>   // std::istreambuf_iterator
#include <utility>    // std::move

#include "ui_raster.hpp"

namespace grove::testing {

WidgetConfig test_config(std::string prompt, ThemeMode theme) {
    WidgetConfig c;
    c.module = "fire-safety-101";
    c.prompt = std::move(prompt);
    c.theme = theme;
    return c;
}

FontData load_widget_font() {
    static FontData font = [] {
        std::ifstream in(GROVE_FONT_FILE, std::ios::binary);
        return std::make_shared<const std::vector<unsigned char>>(std::istreambuf_iterator<char>(in),
                                                                  std::istreambuf_iterator<char>());
    }();
    return font;
}

HeadlessWidget::HeadlessWidget(WidgetConfig config, Discussion* d, float w, float h, float scale)
    : ctx_(ImGui::CreateContext()), app_(std::move(config), make_imgui_text_port(load_widget_font()), d) {
    use();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.DeltaTime = 1.0f / 60;
    io.DisplaySize = ImVec2(w * scale, h * scale);
    app_.set_scale(scale);
    app_.set_capture_text(true);
    app_.set_clock([this] { return now_ms; });
}

HeadlessWidget::~HeadlessWidget() { ImGui::DestroyContext(ctx_); }

void HeadlessWidget::frame(int n) {
    use();
    for (int i = 0; i < n; ++i) {
        if (app_.prepare_frame()) {
            unsigned char* px;
            int w, h;
            ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
        }
        ImGui::NewFrame();
        app_.frame();
        ImGui::Render();
        if (!app_.output().announce.empty()) announced.push_back(app_.output().announce);
        if (!app_.output().open_url.empty()) opened.push_back(app_.output().open_url);
        if (!app_.output().view_focus.empty()) view_focused.push_back(app_.output().view_focus);
    }
}

int HeadlessWidget::settle(int max) {
    int n = 0;
    do {
        frame();
        ++n;
    } while (n < max && app_.output().wants_frame);
    frame();   // one more, as the web platform draws a few after any change
    return n + 1;
}

void HeadlessWidget::resize(float w, float h) {
    use();
    ImGui::GetIO().DisplaySize = ImVec2(w * app_.scale(), h * app_.scale());
}

void HeadlessWidget::set_scale(float scale) {
    use();
    const ImVec2 css(ImGui::GetIO().DisplaySize.x / app_.scale(), ImGui::GetIO().DisplaySize.y / app_.scale());
    app_.set_scale(scale);
    ImGui::GetIO().DisplaySize = ImVec2(css.x * scale, css.y * scale);
}

const Control* HeadlessWidget::control(const std::string& label, int nth) const {
    for (const Control& c : app_.controls())
        if (c.label == label && nth-- == 0) return &c;
    return nullptr;
}

int HeadlessWidget::count(const std::string& label) const {
    int n = 0;
    for (const Control& c : app_.controls()) n += c.label == label ? 1 : 0;
    return n;
}

const Control* HeadlessWidget::focused() const {
    for (const Control& c : app_.controls())
        if (c.id == app_.focused()) return &c;
    return nullptr;
}

void HeadlessWidget::hover(const Control& c) {
    use();
    ImGui::GetIO().MousePos = ImVec2(c.x + c.w * 0.5f, c.y + c.h * 0.5f);
    frame();
}

void HeadlessWidget::click(const Control& target) {
    use();
    const Control c = target;   // the list changes under us
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(c.x + c.w * 0.5f, c.y + c.h * 0.5f);
    frame();
    io.MouseDown[0] = true;
    frame();
    io.MouseDown[0] = false;
    settle();
}

bool HeadlessWidget::click(const std::string& label, int nth) {
    const Control* c = control(label, nth);
    if (!c) return false;
    click(*c);
    return true;
}

std::uint32_t HeadlessWidget::focused_field() const {
    if (app_.editing()) return app_.editing();
    const Control* c = focused();
    return c && c->kind == ControlKind::text ? c->id : 0;
}

void HeadlessWidget::report(std::uint32_t field, std::string value, std::size_t caret) {
    caret_field_ = field;
    caret_ = caret;
    caret_text_ = value;
    FieldInput in;
    in.sel_start = in.sel_end = caret;
    in.value = std::move(value);
    app_.field_input(field, std::move(in));
}

namespace {
bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}  // namespace

// What a textarea does with the keys the widget leaves to it.
bool HeadlessWidget::edit_field(int k, Mods mods) {
    const std::uint32_t field = focused_field();
    if (!field || mods.ctrl || mods.alt || mods.super) return false;
    std::string text = app_.field_value(field);
    std::size_t at = caret_field_ == field && caret_text_ == text ? std::min(caret_, text.size()) : text.size();
    switch (k) {
        case ImGuiKey_Backspace: {
            if (at == 0) return true;
            std::size_t from = at - 1;
            while (from > 0 && continuation(text[from])) --from;
            text.erase(from, at - from);
            report(field, std::move(text), from);
            return true;
        }
        case ImGuiKey_Delete: {
            if (at >= text.size()) return true;
            std::size_t to = at + 1;
            while (to < text.size() && continuation(text[to])) ++to;
            text.erase(at, to - at);
            report(field, std::move(text), at);
            return true;
        }
        case ImGuiKey_Enter:
        case ImGuiKey_Space:
            text.insert(at, k == ImGuiKey_Enter ? "\n" : " ");
            report(field, std::move(text), at + 1);
            return true;
        case ImGuiKey_LeftArrow:
            while (at > 0 && continuation(text[--at])) {}
            break;
        case ImGuiKey_RightArrow:
            if (at < text.size()) ++at;
            while (at < text.size() && continuation(text[at])) ++at;
            break;
        case ImGuiKey_Home: at = 0; break;
        case ImGuiKey_End: at = text.size(); break;
        default: return false;
    }
    caret_field_ = field;
    caret_ = at;
    caret_text_ = text;
    return true;
}

KeyResult HeadlessWidget::key(int k, Mods mods) {
    use();
    const KeyResult r = app_.key(k, mods);
    if (r == KeyResult::ignored && k != ImGuiKey_Tab && k != ImGuiKey_Escape) edit_field(k, mods);
    settle();
    return r;
}

bool HeadlessWidget::type(const std::string& utf8) {
    use();
    const std::uint32_t field = focused_field();
    if (!field) {
        settle();
        return false;
    }
    std::string text = app_.field_value(field);
    const std::size_t at = caret_field_ == field && caret_text_ == text ? std::min(caret_, text.size()) : text.size();
    text.insert(at, utf8);
    report(field, std::move(text), at + utf8.size());
    settle();
    return true;
}

Image HeadlessWidget::image() const {
    use();
    const ImDrawData* dd = ImGui::GetDrawData();
    if (!dd || !dd->Valid) return {};
    return rasterize(dd, app_.palette().background);
}

bool HeadlessWidget::save_png(const std::string& path) const {
    use();
    const ImDrawData* dd = ImGui::GetDrawData();
    if (!dd || !dd->Valid) return false;
    return write_png(rasterize(dd, app_.palette().background), path);
}

}  // namespace grove::testing

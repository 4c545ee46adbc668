// Headless ImGui frames (no renderer): the widget's UI runs natively exactly as in the browser.
#include <doctest/doctest.h>

#include <imgui.h>

#include <fstream>
#include <iterator>
#include <memory>

#include "widget_app.hpp"

using namespace grove;

namespace {

FontData load_font() {
    std::ifstream in(GROVE_FONT_FILE, std::ios::binary);
    return std::make_shared<const std::vector<unsigned char>>(std::istreambuf_iterator<char>(in),
                                                              std::istreambuf_iterator<char>());
}

struct Headless {
    ImGuiContext* ctx = ImGui::CreateContext();
    Headless() {
        ImGui::GetIO().IniFilename = nullptr;
        ImGui::GetIO().DisplaySize = ImVec2(640, 480);
        ImGui::GetIO().DeltaTime = 1.0f / 60;
    }
    ~Headless() { ImGui::DestroyContext(ctx); }
    void frame(WidgetApp& app) {
        if (app.prepare_frame()) {
            unsigned char* px;
            int w, h;
            ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
        }
        ImGui::NewFrame();
        app.frame();
        ImGui::Render();
    }
};

}  // namespace

TEST_CASE("widget frame: draws the prompt and composer headless, at dpr 1 and 2") {
    const FontData font = load_font();
    REQUIRE(font->size() > 10000);   // the subset TTF was built
    WidgetConfig config;
    config.module = "fire-safety-101";
    config.prompt = "What will you do differently?";
    Headless h;
    WidgetApp app(config, font, nullptr);
    h.frame(app);
    h.frame(app);
    const ImDrawData* dd = ImGui::GetDrawData();
    REQUIRE(dd != nullptr);
    CHECK(dd->TotalVtxCount > 100);
    const float height_1x = app.content_height();
    CHECK(height_1x > 100.0f);

    app.set_scale(2.0f);
    h.frame(app);
    h.frame(app);
    CHECK(app.content_height() == doctest::Approx(height_1x * 2).epsilon(0.15));
    CHECK(ImGui::GetIO().Fonts->Fonts.Size == 3);
    CHECK(ImGui::GetFont()->FontSize == doctest::Approx(30.0f));
}

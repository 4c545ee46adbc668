// Headless ImGui frames (no renderer): the widget's UI runs natively exactly as in the browser.
#include <doctest/doctest.h>

#include <imgui.h>

#include "ui_headless.hpp"

using namespace grove;

TEST_CASE("widget frame: draws the prompt and composer headless at dpr 1 and 2") {
    WidgetConfig config;
    config.module = "fire-safety-101";
    config.prompt = "What will you do differently?";
    testing::HeadlessWidget w(config, nullptr, 640, 480);
    w.settle();
    const ImDrawData* dd = ImGui::GetDrawData();
    REQUIRE(dd != nullptr);
    CHECK(dd->TotalVtxCount > 100);
    CHECK(w.shows("What will you do differently?"));
    const float height_1x = w.app().content_height();
    CHECK(height_1x > 100.0f);

    w.set_scale(2.0f);
    w.settle();
    CHECK(w.app().content_height() == doctest::Approx(height_1x * 2).epsilon(0.15));
    CHECK(ImGui::GetIO().Fonts->Fonts.Size == 3);   // body, small, title at the new scale
    const TextConfig text;
    CHECK(w.app().text_port().metrics(kBody).font_px == doctest::Approx(text.base_css_px * 2));
    CHECK(w.app().text_port().metrics(kBody).line_px == doctest::Approx(text.base_css_px * text.line_spacing * 2));
}

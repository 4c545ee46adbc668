// The widget's font: the subset holds the scripts people write in (Latin, Latin Extended, Greek,
// Cyrillic), and its atlas stays within one texture WebGL can hold at every pixel ratio.
#include <doctest/doctest.h>

#include <imgui.h>

#include "fonts.hpp"
#include "ui_headless.hpp"

using namespace grove;

TEST_CASE("fonts: the subset covers Latin Latin Extended Greek and Cyrillic - the atlas fits at DPR 1 2 3") {
    const auto ttf = testing::load_widget_font();
    REQUIRE(ttf->size() > 10000);
    for (float scale : {1.0f, 2.0f, 3.0f}) {
        ImGuiContext* ctx = ImGui::CreateContext();
        const Fonts f = build_fonts(*ttf, scale);
        unsigned char* px;
        int w, h;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
        MESSAGE("DPR " << scale << ": atlas " << w << "x" << h << ", " << f.body->Glyphs.Size << " body glyphs");
        CHECK(w <= 4096);
        CHECK(h <= 4096);
        CHECK(f.body->FontSize == doctest::Approx(kBodyPx * scale));
        for (ImWchar c : {ImWchar(u'é'), ImWchar(u'ł'), ImWchar(u'ő'), ImWchar(u'Ω'), ImWchar(u'ж'), ImWchar(u'ї'),
                          ImWchar(u'ệ'), ImWchar(u'€'), ImWchar(u'₂'), ImWchar(u'…')}) {
            CAPTURE(static_cast<unsigned>(c));
            const ImFontGlyph* g = f.body->FindGlyphNoFallback(c);
            CHECK(g != nullptr);
        }
        CHECK(f.body->FindGlyphNoFallback(0x65E5) == nullptr);   // CJK is not in the default subset
        ImGui::DestroyContext(ctx);
    }
}

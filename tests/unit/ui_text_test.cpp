// The text port as the headless tests (and the browser's fallback) have it: ImGui's atlas of the
// bundled font. Its atlas stays within one texture WebGL can hold at every pixel ratio; layouts
// break lines no wider than asked, one paragraph per newline, right-to-left paragraphs aligned
// right; glyphs the font lacks are counted as tofu. The browser's port is tested in real
// browsers (tests/browser/text_scripts.test.mjs).
#include <doctest/doctest.h>

#include <imgui.h>

#include "text_port.hpp"
#include "ui_headless.hpp"
#include "ui_memory_discussion.hpp"

using namespace grove;

namespace {

struct Port {
    ImGuiContext* ctx = ImGui::CreateContext();
    std::unique_ptr<TextPort> port = make_imgui_text_port(testing::load_widget_font());
    explicit Port(float scale = 1.0f) {
        TextConfig c;
        c.scale = scale;
        port->configure(c);
        port->prepare();
        unsigned char* px;
        int w, h;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
        width = w;
        height = h;
    }
    ~Port() { ImGui::DestroyContext(ctx); }
    // Draws `text` as one line into a throwaway frame (tofu is counted when a line is drawn).
    void draw(const std::string& text) {
        ImGui::GetIO().DisplaySize = ImVec2(800, 600);
        ImGui::GetIO().DeltaTime = 1.0f / 60;
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(800, 600));
        ImGui::Begin("t");
        port->draw_line(ImGui::GetWindowDrawList(), ImVec2(20, 20), kBody, text, false, IM_COL32_WHITE);
        ImGui::End();
        ImGui::Render();
    }
    int width = 0, height = 0;
};

}  // namespace

TEST_CASE("text: the bundled font covers Latin Greek and Cyrillic - its atlas fits at DPR 1 2 3") {
    const auto ttf = testing::load_widget_font();
    REQUIRE(ttf->size() > 10000);
    for (float scale : {1.0f, 2.0f, 3.0f}) {
        Port p(scale);
        MESSAGE("DPR " << scale << ": atlas " << p.width << "x" << p.height);
        CHECK(p.width <= 4096);
        CHECK(p.height <= 4096);
        CHECK(p.port->metrics(kBody).font_px == doctest::Approx(TextConfig{}.base_css_px * scale));
        p.draw("é ł ő Ω ж ї ệ € ₂ …");
        CHECK(p.port->stats().tofu == 0);
        CHECK(std::string(p.port->stats().mode) == "atlas");
    }
}

TEST_CASE("text: glyphs the font lacks are counted once per distinct line") {
    Port p;
    p.draw("日本語 and 👍");   // not in the bundled font: three ideographs and an emoji
    CHECK(p.port->stats().tofu == 4);
    REQUIRE_FALSE(p.port->stats().tofu_chars.empty());
    CHECK(p.port->stats().tofu_chars.front() == 0x65E5);
    p.draw("日本語 and 👍");   // the same line again
    CHECK(p.port->stats().tofu == 4);
    p.draw("Plain Latin, Ελληνικά, Кириллица");
    CHECK(p.port->stats().tofu == 4);
}

TEST_CASE("text: paragraph direction comes from the first strong character") {
    CHECK_FALSE(paragraph_rtl("Hello"));
    CHECK(paragraph_rtl("שלום עולם"));
    CHECK(paragraph_rtl("مرحبا بالعالم"));
    CHECK(paragraph_rtl("123, «שלום» world"));     // digits and punctuation are not strong
    CHECK(paragraph_rtl("👍🏽 مرحبا"));            // nor are emoji
    CHECK_FALSE(paragraph_rtl("Grove: مرحبا"));     // the English word comes first
    CHECK_FALSE(paragraph_rtl("学习分享会"));
    CHECK_FALSE(paragraph_rtl("123 !?"));           // nothing strong: left to right
}

TEST_CASE("text: layouts break within the width - a line per newline - right-to-left aligned right") {
    Port p;
    TextPort& t = *p.port;
    const float lh = t.metrics(kBody).line_px;
    const std::string s = "The quick brown fox jumps over the lazy dog and keeps running far away";
    const TextLayout l = t.layout(kBody, s, 150);
    REQUIRE(l.lines.size() > 2);
    CHECK(l.height == doctest::Approx(lh * static_cast<float>(l.lines.size())));
    for (std::size_t i = 0; i < l.lines.size(); ++i) {
        const TextLine& line = l.lines[i];
        CHECK(line.width <= 150.0f);
        CHECK(line.width == doctest::Approx(t.measure(kBody, s.substr(line.start, line.end - line.start))));
        CHECK(s[line.end - 1] != ' ');                                          // spaces hang
        if (i + 1 < l.lines.size()) CHECK(l.lines[i + 1].start == line.next);   // nothing lost
        CHECK(line.x == 0.0f);
    }
    CHECK(l.lines.back().next == s.size());

    const std::string mixed = "First paragraph\nשלום עולם\n\nlast";
    const TextLayout m = t.layout(kBody, mixed, 400);
    REQUIRE(m.lines.size() == 4);
    CHECK_FALSE(m.lines[0].rtl);
    CHECK(m.lines[1].rtl);
    CHECK(m.lines[1].x == doctest::Approx(400.0f - m.lines[1].width));   // aligned right
    CHECK(m.lines[2].start == m.lines[2].end);                            // the empty paragraph
    CHECK(mixed.substr(m.lines[3].start, m.lines[3].end - m.lines[3].start) == "last");

    // The same text and width give the same layout (cached), another width another one.
    CHECK(t.layout(kBody, s, 150).lines.size() == l.lines.size());
    CHECK(t.layout(kBody, s, 1000).lines.size() == 1);
}

TEST_CASE("text: the sizes follow the configuration - the line height is the line spacing times the size") {
    Port p;
    TextConfig c;
    c.base_css_px = 20;
    c.line_spacing = 1.5f;
    c.scale = 2;
    p.port->configure(c);
    CHECK(p.port->metrics(kBody).font_px == doctest::Approx(40.0f));
    CHECK(p.port->metrics(kBody).line_px == doctest::Approx(60.0f));
    CHECK(p.port->metrics(kSmall).font_px == doctest::Approx(40.0f * kSmallRatio));
    const TextMetrics& m = p.port->metrics(kBody);
    CHECK(m.baseline > m.ascent);                       // half the leading above the ascent
    CHECK(m.baseline + m.descent < m.line_px);
}

TEST_CASE("text: a bigger text size moves what follows a post's body down") {
    testing::MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    d.add(d.make("p1", "Dana", "A reflection long enough to wrap over several lines of the card, so that the row's "
                               "measured height depends on where the text port breaks its lines."));
    testing::HeadlessWidget w(testing::test_config(), &d, 360, 900);
    w.settle();
    REQUIRE(w.thread().row_count() == 1);
    // The body's layout at the card's width: as many lines as the drawn text has.
    const Control* endorse = w.control("Endorse");
    REQUIRE(endorse != nullptr);
    w.app().set_text_size(18.0f, 1.6f);   // bigger text: the row grows by the lines' height
    const float before = endorse->y;
    w.settle();
    const Control* after = w.control("Endorse");
    REQUIRE(after != nullptr);
    CHECK(after->y > before);
}

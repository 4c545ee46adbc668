// The widget's layout rules: the body text size the page sets (clamped), the readable column on
// a wide widget, and paddings that collapse on a narrow one, read back from where the lines of
// a post were drawn.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "ui_headless.hpp"
#include "ui_memory_discussion.hpp"

using namespace grove;
using namespace grove::testing;

namespace {

// The widest line drawn of a post that is one unbreakable run (its lines fill the column), in CSS px.
float column_of(HeadlessWidget& w, float scale = 1.0f) {
    w.app().set_capture_text(true);
    w.settle();
    float widest = 0;
    for (const ui::ScreenLine& l : w.app().screen_lines())
        if (l.text.rfind("llll", 0) == 0) widest = std::max(widest, l.w / scale);
    return widest;
}

}  // namespace

TEST_CASE("layout: the body size the page sets is clamped, and nothing usable means 16 px") {
    CHECK(text_size_for_page(16) == 16);
    CHECK(text_size_for_page(22) == 22);
    CHECK(text_size_for_page(4) == kMinTextCss);
    CHECK(text_size_for_page(200) == kMaxTextCss);
    CHECK(text_size_for_page(0) == 16);
    CHECK(text_size_for_page(std::numeric_limits<float>::quiet_NaN()) == 16);
}

TEST_CASE("layout: a wide widget stops its text column at a readable length, in ems of its text") {
    MemoryDiscussion d;
    d.add(d.make("p1", "Ana", std::string(900, 'l')));
    HeadlessWidget w(test_config(), &d, 1920, 900);
    w.app().set_text_size(16, kLineSpacing);
    const float at16 = column_of(w);
    INFO("column at 16 px: " << at16);
    CHECK(at16 <= kColumnEms * 16 + 1);
    CHECK(at16 >= kColumnEms * 16 - 12);   // within a character or two of the limit
    w.app().set_text_size(22, kLineSpacing);
    const float at22 = column_of(w);
    INFO("column at 22 px: " << at22);
    CHECK(at22 == doctest::Approx(at16 * 22 / 16).epsilon(0.03));
    CHECK(w.app().text_port().metrics(kBody).line_px == doctest::Approx(22 * kLineSpacing));
    // At twice the pixel ratio the column is as wide in CSS px.
    w.set_scale(2);
    CHECK(column_of(w, 2) == doctest::Approx(at22).epsilon(0.03));
}

TEST_CASE("layout: a narrow widget gives its paddings to the text - 375 px keeps a 320 px column") {
    MemoryDiscussion d;
    d.add(d.make("p1", "Ana", std::string(900, 'l')));
    HeadlessWidget w(test_config(), &d, 375, 900);
    w.app().set_text_size(16, kLineSpacing);
    const float narrow = column_of(w);
    INFO("column at 375 px: " << narrow);
    CHECK(narrow >= 320);
    // Just above the threshold the paddings are the wide ones again.
    w.resize(kNarrowCss + 10, 900);
    const float wide = column_of(w);
    INFO("column at " << kNarrowCss + 10 << " px: " << wide);
    CHECK(wide < kNarrowCss + 10 - 60);
    CHECK(wide > kNarrowCss + 10 - 90);
}

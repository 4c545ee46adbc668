// The virtualized thread: 10,000 posts draw about as many rows as 100, rows are measured
// exactly before they are shown, and the reader's place holds while posts arrive.
#include <doctest/doctest.h>

#include <cmath>     // std::ceil
#include <cstdlib>   // std::abs
#include <limits>    // std::numeric_limits

#include "ui_headless.hpp"
#include "ui_memory_discussion.hpp"

using namespace grove;
using namespace grove::testing;

namespace {

WidgetConfig config() { return test_config(); }

// The first post fully on screen and its top edge.
std::pair<std::string, float> first_visible(const HeadlessWidget& w) {
    for (const Control& c : w.app().controls())
        if (c.visible && c.label == "More actions" && c.y > 0) return {std::to_string(c.row), c.y};
    return {"", 0};
}

// The top edge of a post's row on screen (NaN when it is not drawn).
float top_of(const HeadlessWidget& w, const std::string& row) {
    for (const Control& c : w.app().controls())
        if (c.visible && c.label == "More actions" && std::to_string(c.row) == row) return c.y;
    return std::numeric_limits<float>::quiet_NaN();
}

}  // namespace

TEST_CASE("virtualization: 10000 posts draw as few rows as 100") {
    std::size_t drawn[2] = {0, 0};
    int i = 0;
    for (int n : {100, 10'000}) {
        MemoryDiscussion d;
        d.fill_sample(n);
        HeadlessWidget w(config(), &d, 640, 640);
        w.settle();
        CHECK(w.thread().row_count() >= static_cast<std::size_t>(n));
        drawn[i++] = w.thread().rows_drawn();
        CHECK(w.thread().rows_drawn() < 30);
        CHECK(w.app().content_height() > n * 60.0f);   // the scrollbar covers every post
    }
    CHECK(std::abs(static_cast<int>(drawn[0]) - static_cast<int>(drawn[1])) <= 2);   // Top shows other posts first
}

TEST_CASE("virtualization: scrolling deep into 10000 posts still draws only what is near") {
    MemoryDiscussion d;
    d.fill_sample(10'000);
    HeadlessWidget w(config(), &d, 640, 640);
    w.settle();
    for (int i = 0; i < 20; ++i) {
        w.app().wheel(60'000);
        w.frame();
    }
    w.settle();
    CHECK(w.app().output().scroll_y > 1'000'000);
    CHECK(w.thread().rows_drawn() < 30);
    CHECK(w.settle() < 6);   // it settles: measured heights match what is drawn
    const auto [row, y] = first_visible(w);
    CHECK(std::stoi(row) > 5000);
    // Scrolling back up keeps the view steady: the post at the top moves down by exactly the
    // wheel's 200 px, in the first frame after the wheel and after every later one. (Rows within
    // a view's height of the visible ones are measured already; rows whose heights change above
    // the reader are the next case's.)
    w.app().wheel(-200);
    w.frame();
    const float right_after = top_of(w, row);
    w.settle();
    CHECK(right_after == doctest::Approx(y + 200));
    CHECK(top_of(w, row) == doctest::Approx(y + 200));
}

TEST_CASE("virtualization: new posts arriving above do not move what the person is reading") {
    MemoryDiscussion d;
    d.fill_sample(500);
    HeadlessWidget w(config(), &d, 640, 640);
    w.settle();
    w.click("Newest");
    w.app().wheel(20'000);
    w.settle();
    const auto before = first_visible(w);
    REQUIRE_FALSE(before.first.empty());
    const std::string text_before = w.screen();
    for (int i = 0; i < 5; ++i) d.add(d.make("new" + std::to_string(i), "Newcomer", "Just posted", 0));
    w.settle();
    const auto after = first_visible(w);
    // Same post at the same height (its row index moved down by the five new ones).
    CHECK(std::stoi(after.first) == std::stoi(before.first) + 5);
    CHECK(after.second == doctest::Approx(before.second).epsilon(0.001));
}

TEST_CASE("virtualization: a narrower widget keeps the post being read at the top") {
    // Text rewraps, so every row near the view gets a new height, those above the reader too:
    // the post at the top stays at the top, in the first frame after the resize and after settling.
    MemoryDiscussion d;
    d.fill_sample(2'000);
    HeadlessWidget w(config(), &d, 640, 640);
    w.settle();
    w.app().wheel(30'000);
    w.settle();
    const auto [row, y] = first_visible(w);
    REQUIRE_FALSE(row.empty());
    // Still wider than kNarrowCss: crossing it also changes the cards' paddings, which moves
    // what is inside them by the difference.
    w.resize(530, 640);
    w.frame();
    const float right_after = top_of(w, row);
    w.settle();
    // Within 2 px: the menu button sits a pixel higher or lower in a narrower header.
    CHECK(std::abs(right_after - y) <= 2.0f);
    CHECK(std::abs(top_of(w, row) - y) <= 2.0f);
}

TEST_CASE("virtualization: the wheel is taken only up to either end, also between two frames") {
    MemoryDiscussion d;
    d.fill_sample(30);
    HeadlessWidget w(config(), &d, 640, 640);
    w.settle();
    const float max = w.app().output().scroll_max;
    REQUIRE(max > 400);
    CHECK_FALSE(w.app().wheel(-100));   // at the top: the page scrolls up instead
    // Wheel events faster than frames: taken until what they ask for reaches the end.
    int taken = 0;
    while (w.app().wheel(100) && taken < 1000) ++taken;
    CHECK(taken == static_cast<int>(std::ceil(max / 100)));
    w.settle();
    CHECK(w.app().output().scroll_y == doctest::Approx(max));
    // (Rows measured on the way down may have made the list longer: scroll on to its real end.)
    for (int i = 0; i < 100 && w.app().wheel(100); ++i) w.settle();
    CHECK(w.app().output().scroll_y == doctest::Approx(w.app().output().scroll_max));
    CHECK_FALSE(w.app().wheel(100));    // at the bottom: the page scrolls on
    CHECK(w.app().wheel(-100));
}

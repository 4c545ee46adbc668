// The thread's virtual list: offsets, finding rows, measuring only near the viewport, and
// keeping the reader's place while estimated heights turn exact.
#include <doctest/doctest.h>

#include "virtual_list.hpp"

using namespace grove;

TEST_CASE("virtual list: offsets and the row under a y") {
    VirtualList list;
    list.assign({10, 20, 30});
    CHECK(list.total() == 60);
    CHECK(list.offset(0) == 0);
    CHECK(list.offset(2) == 30);
    CHECK(list.row_at(-5) == 0);
    CHECK(list.row_at(9.9) == 0);
    CHECK(list.row_at(10) == 1);
    CHECK(list.row_at(59) == 2);
    CHECK(list.row_at(1000) == 2);
    list.set_height(0, 15, true);
    CHECK(list.offset(2) == 35);
    CHECK(list.exact(0));
    CHECK_FALSE(list.exact(1));
    VirtualList empty;
    CHECK(empty.row_at(10) == 0);
    CHECK(empty.total() == 0);
}

TEST_CASE("virtual list: settle measures only rows near the viewport 10000 rows or 100") {
    for (std::size_t n : {100u, 10'000u}) {
        VirtualList list;
        list.assign(std::vector<float>(n, 100.0f));
        int measured = 0;
        list.settle(5000, 600, 600, [&](std::size_t) {
            ++measured;
            return 100.0f;
        });
        CHECK(measured <= 20);   // (600 + 2 * 600) / 100 + edges
        CHECK(measured >= 18);
    }
}

TEST_CASE("virtual list: the first visible row stays put when rows above it turn out taller") {
    VirtualList list;
    list.assign(std::vector<float>(1000, 100.0f));   // estimates
    const double top = 50'000 + 30;                   // 30 px into row 500
    const double settled = list.settle(top, 600, 600, [](std::size_t i) { return i % 2 ? 180.0f : 120.0f; });
    // Rows 494..499 (in the margin above) grew; row 500 starts lower now, and so does the view.
    const std::size_t anchor = list.row_at(settled);
    CHECK(anchor == 500);
    CHECK(settled - list.offset(500) == doctest::Approx(30));
    CHECK(settled > top);
    // Nothing left to measure: settling again changes nothing.
    CHECK(list.settle(settled, 600, 600, [](std::size_t) { return 1.0f; }) == doctest::Approx(settled));
}

TEST_CASE("virtual list: a viewport above the list (the thread starts lower on the page) stays") {
    VirtualList list;
    list.assign(std::vector<float>(50, 100.0f));
    const double settled = list.settle(-300, 600, 600, [](std::size_t) { return 150.0f; });
    CHECK(settled == doctest::Approx(-300));
    CHECK(list.exact(0));
    CHECK(list.offset(4) == doctest::Approx(600));
}

TEST_CASE("virtual list: marking heights inexact keeps them as estimates") {
    VirtualList list;
    list.assign({10, 10});
    list.set_height(0, 42, true);
    list.mark_all_inexact();
    CHECK_FALSE(list.exact(0));
    CHECK(list.height(0) == 42);
}

// The thread after posting: the new post is inserted into the rows (no rebuild of 10,000), and
// the rows are exactly those a rebuild makes.
#include <doctest/doctest.h>

#include "ui_headless.hpp"
#include "ui_memory_discussion.hpp"

using namespace grove;
using namespace grove::testing;

namespace {

WidgetConfig config() { return test_config(); }

// The rows as a full rebuild makes them (switching the order away and back rebuilds).
std::vector<std::string> rebuilt_rows(HeadlessWidget& w) {
    const std::size_t rebuilds = w.thread().rebuilds();
    REQUIRE(w.click("Newest"));
    w.settle();
    REQUIRE(w.click("Top"));
    w.settle();
    CHECK(w.thread().rebuilds() == rebuilds + 2);
    return w.thread().row_keys();
}

}  // namespace

TEST_CASE("thread: a post from the composer and a reply are inserted, giving the rows a rebuild gives") {
    MemoryDiscussion d;
    d.fill_sample(2'000);
    HeadlessWidget w(config(), &d, 640, 900);
    w.settle();
    const std::size_t rows = w.thread().row_count();

    w.app().focus_entry(false);
    w.type("A new reflection");
    const std::size_t rebuilds = w.thread().rebuilds();   // typing changes the draft: a rebuild
    REQUIRE(w.ctrl(ImGuiKey_Enter) == KeyResult::handled);
    w.settle();
    CHECK(w.thread().insertions() == 1);
    CHECK(w.thread().rebuilds() == rebuilds);
    CHECK(w.thread().row_count() == rows + 1);
    CHECK(w.shows("A new reflection"));
    const std::vector<std::string> inserted = w.thread().row_keys();
    CHECK(inserted == rebuilt_rows(w));

    // A reply to the second post on screen (the new one is first).
    REQUIRE(w.click("Reply", 1));
    w.settle();
    w.type("A reply to it");
    const std::size_t rebuilds_before_reply = w.thread().rebuilds();
    REQUIRE(w.ctrl(ImGuiKey_Enter) == KeyResult::handled);
    w.settle();
    CHECK(w.thread().insertions() == 2);
    CHECK(w.thread().rebuilds() == rebuilds_before_reply);
    CHECK(w.shows("A reply to it"));
    const std::vector<std::string> with_reply = w.thread().row_keys();
    CHECK(with_reply == rebuilt_rows(w));
}

TEST_CASE("thread: a post arriving from elsewhere still rebuilds") {
    MemoryDiscussion d;
    d.fill_sample(50);
    HeadlessWidget w(config(), &d, 640, 900);
    w.settle();
    const std::size_t rebuilds = w.thread().rebuilds();
    Post p;
    p.id = "from-server";
    p.module = "fire-safety-101";
    p.author = Author{"u-other", "Other", Role::learner};
    p.body = "Arrived with a pull";
    p.created_at_ms = 1'795'646'400'000;
    d.add(p, LocalState::synced);
    w.settle();
    CHECK(w.thread().insertions() == 0);
    CHECK(w.thread().rebuilds() == rebuilds + 1);
}

// From reflection to behaviour in the widget (API 1.1): links in posts (canvas and HTML view),
// commitments in the composer and on cards, and the check-in card.
#include <doctest/doctest.h>

#include <algorithm>

#include "ui_headless.hpp"
#include "ui_memory_discussion.hpp"
#include "grove/utf8.hpp"   // count_code_points
#include "view_model.hpp"

using namespace grove;
using namespace grove::testing;

namespace {

constexpr std::int64_t kMin = 60'000, kHour = 60 * kMin, kDay = 24 * kHour;
constexpr std::int64_t kNow = 1'795'000'000'000;

const SemNode* find_link(const SemanticView& v, const std::string& href) {
    for (const SemNode& n : v.nodes())
        if (n.tag == "a" && n.attr("href") && *n.attr("href") == href) return &n;
    return nullptr;
}

Post commitment(MemoryDiscussion& d, const std::string& id, const std::string& author, std::int64_t age_ms) {
    Post p = d.make(id, author, "When I next run a drill, I will time the evacuation.", age_ms);
    p.kind = Kind::commitment;
    return p;
}

}  // namespace

TEST_CASE("links: an address in a post is a link, by click and by keyboard, other schemes stay text") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    const std::string url = "https://intranet.example/fire/checklist.pdf";
    d.add(d.make("p1", "Bea", "The checklist: " + url + ". Not this: javascript:alert(1) nor ftp://files.example/x"));
    HeadlessWidget w(test_config(), &d);
    w.app().set_view(true, "g1-");
    w.settle();

    const Control* link = w.control(url);
    REQUIRE(link);
    CHECK(link->kind == ControlKind::link);
    CHECK(w.count("javascript:alert(1)") == 0);
    CHECK(w.count("ftp://files.example/x") == 0);
    CHECK(w.shows("javascript:alert(1)"));   // still there, as text

    // The HTML view's <a> is the same control, opens a new tab, and is the only one.
    const SemNode* a = find_link(w.app().view(), url);
    REQUIRE(a);
    CHECK(a->control == link->id);
    CHECK(*a->attr("target") == "_blank");
    CHECK(a->attr("rel")->find("noopener noreferrer") != std::string::npos);
    const auto anchors = std::count_if(w.app().view().nodes().begin(), w.app().view().nodes().end(),
                                       [](const SemNode& n) { return n.tag == "a"; });
    CHECK(anchors == 1);

    w.hover(*link);
    w.settle();
    CHECK(w.shows(url + ". Not this"));   // the text is drawn whole, the link in its colour
    CHECK(w.save_png(std::string(GROVE_SCREENSHOT_DIR) + "/link-hover.png"));
    w.click(*link);
    w.settle();
    REQUIRE(w.opened.size() == 1);
    CHECK(w.opened[0] == url);

    // Tab to it, Enter opens it.
    for (int i = 0; i < 60 && !(w.focused() && w.focused()->label == url); ++i) w.key(ImGuiKey_Tab);
    REQUIRE(w.focused());
    REQUIRE(w.focused()->label == url);
    w.key(ImGuiKey_Enter);
    w.settle();
    REQUIRE(w.opened.size() == 2);
    CHECK(w.opened[1] == url);
    CHECK(d.calls.empty());   // opening a link changes nothing in the discussion
}

TEST_CASE("links: a www. address is a link that opens as https, without its full stop") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    d.add(d.make("p1", "Bea", "Try www.fire.example/drills. And javascript:www.evil.example stays text."));
    HeadlessWidget w(test_config(), &d);
    w.app().set_view(true, "g1-");
    w.settle();

    const Control* link = w.control("https://www.fire.example/drills");
    REQUIRE(link);
    CHECK(link->kind == ControlKind::link);
    const SemNode* a = find_link(w.app().view(), "https://www.fire.example/drills");
    REQUIRE(a);
    CHECK(a->control == link->id);
    const auto anchors = std::count_if(w.app().view().nodes().begin(), w.app().view().nodes().end(),
                                       [](const SemNode& n) { return n.tag == "a"; });
    CHECK(anchors == 1);
    w.click(*link);
    w.settle();
    REQUIRE(w.opened.size() == 1);
    CHECK(w.opened[0] == "https://www.fire.example/drills");
}

TEST_CASE("commitments: the composer offers an if-then plan, and cards show check-in and outcome") {
    MemoryDiscussion d;
    d.now_ms = kNow;
    d.sign_in("u-sam", "Sam", Role::learner);
    Post mine = commitment(d, "c1", "Sam", kDay);
    mine.author = Author{"u-sam", "Sam", Role::learner};
    mine.check_in_at_ms = mine.created_at_ms + 7 * kDay;
    d.add(mine);
    Post bea = commitment(d, "c2", "Bea", 9 * kDay);
    bea.outcome = Outcome::done;
    bea.outcome_at_ms = kNow - 2 * kDay;
    bea.outcome_note = "Everyone was out in 3 minutes.";
    bea.check_ins = 1;
    d.add(bea);
    HeadlessWidget w(test_config(), &d);
    w.now_ms = kNow;
    w.settle();

    REQUIRE(w.control("I will…"));
    REQUIRE(w.control("Suggest a resource"));
    w.click("I will…");
    w.settle();
    CHECK(w.shows("When I next …, I will …"));   // the placeholder
    CHECK(w.shows("In a week Grove asks you how it went."));

    CHECK(w.shows("Check-in in 6 days"));        // Sam's own commitment
    CHECK(w.shows("Done · 2 days ago"));         // Bea's, for everyone
    CHECK(w.shows("Everyone was out in 3 minutes."));
    CHECK(w.save_png(std::string(GROVE_SCREENSHOT_DIR) + "/commitments.png"));

    CHECK(check_in_line(mine, "u-other", kNow).empty());   // only its author is told
    CHECK(check_in_line(mine, "u-sam", mine.created_at_ms + 7 * kDay).empty() == false);
    CHECK(check_in_line(mine, "u-sam", mine.created_at_ms + 7 * kDay) == "Check-in due");
    CHECK(check_in_line(mine, "u-sam", mine.created_at_ms + 7 * kDay - kHour) == "Check-in today");
    CHECK(outcome_line(mine, kNow).empty());
}

TEST_CASE("check-in card: the due commitment is asked about, answered once, or put off for the day") {
    MemoryDiscussion d;
    d.now_ms = kNow;
    d.sign_in("u-sam", "Sam", Role::learner);
    Post due = commitment(d, "c1", "Sam", 7 * kDay + kHour);
    due.author = Author{"u-sam", "Sam", Role::learner};
    due.module = "other-module";
    due.module_title = "Ladder safety";
    due.check_in_at_ms = kNow - kHour;
    d.set_check_ins({due});
    HeadlessWidget w(test_config(), &d);
    w.now_ms = kNow;
    w.app().set_view(true, "g1-");
    w.settle();

    CHECK(w.shows("A week ago you planned: “When I next run a drill, I will time the evacuation.” How did it go?"));
    CHECK(w.shows("in Ladder safety"));
    CHECK(w.save_png(std::string(GROVE_SCREENSHOT_DIR) + "/check-in-card.png"));
    REQUIRE(w.control("Done"));
    REQUIRE(w.control("Partly"));
    REQUIRE(w.control("Not yet"));
    REQUIRE(w.control("Ask me later"));

    SUBCASE("an answer with a note") {
        REQUIRE(w.click("A note (optional)"));
        w.settle();
        REQUIRE(w.type("Timed it once."));
        REQUIRE(w.click("Partly"));
        w.settle();
        REQUIRE(d.calls.size() == 1);
        CHECK(d.calls[0] == "answer c1 partly Timed it once.");
        CHECK_FALSE(w.control("Partly"));   // the card is gone
        CHECK(w.shows("Thanks. We will ask you again later."));
    }
    SUBCASE("ask me later: gone today, back tomorrow") {
        REQUIRE(w.click("Ask me later"));
        w.settle();
        CHECK_FALSE(w.control("Done"));
        CHECK(d.calls.empty());
        w.now_ms = kNow + kDay;
        d.touch();
        w.settle();
        CHECK(w.control("Done"));
    }
}

TEST_CASE("view model: the check-in question quotes the plan and says when it was made") {
    MemoryDiscussion d;
    d.now_ms = kNow;
    Post p = commitment(d, "c1", "Sam", 7 * kDay);
    CHECK(check_in_question(p, kNow) ==
          "A week ago you planned: “When I next run a drill, I will time the evacuation.” How did it go?");
    p.created_at_ms = kNow - 3 * kDay;
    CHECK(check_in_question(p, kNow).rfind("3 days ago you planned", 0) == 0);
    p.created_at_ms = kNow - 21 * kDay;
    CHECK(check_in_question(p, kNow).rfind("3 weeks ago you planned", 0) == 0);
    p.body = std::string(200, 'a');
    const std::string q = check_in_question(p, kNow);
    CHECK(q.find(std::string(120, 'a') + "…”") != std::string::npos);
    CHECK(q.find(std::string(121, 'a')) == std::string::npos);

    p.outcome = Outcome::not_yet;
    p.outcome_at_ms = kNow - 3 * kHour;
    CHECK(outcome_line(p, kNow) == "Not yet · 3 h ago");
    p.kind = Kind::insight;
    CHECK(outcome_line(p, kNow).empty());
}

TEST_CASE("resource shelf: three at first, Show all, titles are links with their domain") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    std::vector<Resource> shelf;
    for (int i = 0; i < 4; ++i) {
        Resource r;
        r.id = "r" + std::to_string(i);
        r.module = d.module();
        r.title = "Resource " + std::to_string(i);
        r.url = "https://Docs.Example/r" + std::to_string(i);
        r.note = i == 0 ? "Print it for the drill." : "";
        r.position = i;
        shelf.push_back(r);
    }
    d.set_resources(shelf);
    HeadlessWidget w(test_config(), &d);
    w.app().set_view(true, "g1-");
    w.settle();

    CHECK(w.shows("Resources for this module"));
    CHECK(w.shows("docs.example"));
    CHECK(w.shows("Print it for the drill."));
    REQUIRE(w.control("Resource 0"));
    CHECK(w.control("Resource 0")->kind == ControlKind::link);
    CHECK(w.control("Resource 2"));
    CHECK_FALSE(w.control("Resource 3"));
    const SemNode* a = find_link(w.app().view(), "https://Docs.Example/r0");
    REQUIRE(a);
    CHECK(a->control == w.control("Resource 0")->id);

    CHECK(w.save_png(std::string(GROVE_SCREENSHOT_DIR) + "/resource-shelf.png"));
    REQUIRE(w.click("Show all 4 resources"));
    w.settle();
    REQUIRE(w.control("Resource 3"));
    w.click(*w.control("Resource 3"));
    w.settle();
    REQUIRE(w.opened.size() == 1);
    CHECK(w.opened[0] == "https://Docs.Example/r3");
}

TEST_CASE("resource shelf: a curator adds a suggested resource from its post, moves and removes") {
    MemoryDiscussion d;
    d.sign_in("u-cat", "Cat", Role::curator);
    Post suggestion = d.make("s1", "Kofi", "The fire service's video on extinguishers: https://video.example/pass?t=1 worth it");
    suggestion.kind = Kind::resource;
    d.add(suggestion);
    HeadlessWidget w(test_config(), &d);
    w.app().set_view(true, "g1-");
    w.settle();

    REQUIRE(w.click("Add to shelf"));
    w.settle();
    REQUIRE(d.calls.size() == 1);
    CHECK(d.calls[0] == "add_resource The fire service's video on extinguishers: worth it | https://video.example/pass?t=1 | "
                        "Suggested by Kofi");
    CHECK(w.shows("Resources for this module"));
    CHECK(w.control("On the shelf"));
    CHECK_FALSE(w.control("Add to shelf"));

    Resource second;
    second.id = "r2";
    second.module = d.module();
    second.title = "Plan";
    second.url = "https://x.example/plan";
    second.position = 1;
    auto shelf = d.resources();
    shelf.push_back(second);
    d.set_resources(shelf);
    w.settle();
    REQUIRE(w.click("Move up"));   // only the second has one
    w.settle();
    CHECK(d.calls.back() == "move_resource r2 0");
    REQUIRE(w.click("Remove", 1));
    w.settle();
    CHECK(d.calls.back() == "remove_resource r2");

    // Learners have none of these.
    d.sign_in("u-sam", "Sam", Role::learner);
    d.touch();
    w.settle();
    CHECK_FALSE(w.control("Add to shelf"));
    CHECK_FALSE(w.control("On the shelf"));
    CHECK_FALSE(w.control("Remove"));
}

TEST_CASE("resource shelf: a curator edits an entry inline - prefilled, refused in place, Save, Cancel, Esc") {
    MemoryDiscussion d;
    d.sign_in("u-cat", "Cat", Role::curator);
    Resource r;
    r.id = "r1";
    r.module = d.module();
    r.title = "Checklist";
    r.url = "https://x.example/c";
    r.note = "Print it.";
    d.set_resources({r});
    HeadlessWidget w(test_config(), &d);
    w.app().set_view(true, "g1-");
    w.settle();

    REQUIRE(w.click("Edit"));
    w.settle();
    REQUIRE(w.control("Title"));
    REQUIRE(w.control("Address"));
    REQUIRE(w.control("Note (optional)"));
    REQUIRE(w.control("Save"));
    REQUIRE(w.focused_field() == w.control("Title")->id);   // the caret is in the title
    REQUIRE(w.type(" (2nd edition)"));   // after the prefilled title

    // A broken address is refused in the form, which stays open; nothing is queued.
    REQUIRE(w.click("Address"));
    w.settle();
    REQUIRE(w.type(" nope"));
    REQUIRE(w.click("Save"));
    w.settle();
    CHECK(d.calls.empty());
    CHECK(w.shows("The address must be a web address"));
    const auto alerts = std::count_if(w.app().view().nodes().begin(), w.app().view().nodes().end(), [](const SemNode& n) {
        return n.attr("role") && *n.attr("role") == "alert" && n.text.rfind("The address must be", 0) == 0;
    });
    CHECK(alerts == 1);   // the HTML view reads the refusal out
    CHECK(w.save_png(std::string(GROVE_SCREENSHOT_DIR) + "/shelf-edit-refused.png"));
    REQUIRE(w.click("Address"));
    w.settle();
    for (int i = 0; i < 5; ++i) w.key(ImGuiKey_Backspace);
    w.settle();
    CHECK_FALSE(w.shows("The address must be a web address"));   // typing clears it
    REQUIRE(w.click("Save"));
    w.settle();
    REQUIRE(d.calls.size() == 1);
    CHECK(d.calls[0] == "edit_resource r1 Checklist (2nd edition) | https://x.example/c | Print it.");
    CHECK_FALSE(w.control("Save"));   // the form closed
    CHECK(w.control("Checklist (2nd edition)"));   // the title link, edited

    // Cancel and Esc close the form without a change.
    REQUIRE(w.click("Edit"));
    w.settle();
    REQUIRE(w.type(" draft"));
    REQUIRE(w.click("Cancel"));
    w.settle();
    CHECK_FALSE(w.control("Save"));
    REQUIRE(w.click("Edit"));
    w.settle();
    REQUIRE(w.control("Save"));
    w.key(ImGuiKey_Escape);   // leaves the field
    w.key(ImGuiKey_Escape);   // closes the form
    w.settle();
    CHECK_FALSE(w.control("Save"));
    CHECK(d.calls.size() == 1);

    // Learners get no Edit.
    d.sign_in("u-sam", "Sam", Role::learner);
    d.touch();
    w.settle();
    CHECK_FALSE(w.control("Edit"));
}

TEST_CASE("view model: a suggested resource becomes a shelf entry") {
    Post p;
    p.kind = Kind::resource;
    p.author.name = "Kofi";
    p.body = "Checklist:\nhttps://intranet.example/fire/checklist.pdf";
    auto s = shelf_suggestion(p);
    REQUIRE(s);
    CHECK(s->title == "Checklist");
    CHECK(s->url == "https://intranet.example/fire/checklist.pdf");
    CHECK(s->note == "Suggested by Kofi");
    p.body = "https://intranet.example/x";
    CHECK(shelf_suggestion(p)->title == "intranet.example");
    p.body = std::string(300, 'a') + " https://intranet.example/x";
    CHECK(count_code_points(shelf_suggestion(p)->title) == 120);
    p.kind = Kind::insight;
    CHECK_FALSE(shelf_suggestion(p));
}

// Headless frames: the real widget UI on an in-memory discussion, driven like a person would
// (clicks on controls found by their labels, typing), asserting what is on screen and what the
// UI asked the discussion to do.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>   // std::abs

#include "ui_headless.hpp"
#include "ui_memory_discussion.hpp"

using namespace grove;
using namespace grove::testing;

namespace {

constexpr std::int64_t kMin = 60'000, kHour = 60 * kMin, kDay = 24 * kHour;
constexpr const char* kPrompt = "What is one thing you will do differently this week?";

WidgetConfig config() { return test_config(kPrompt); }

bool called(const MemoryDiscussion& d, const std::string& call) {
    return std::find(d.calls.begin(), d.calls.end(), call) != d.calls.end();
}

// Where a text starts on screen (the order things are drawn), or npos.
std::size_t at(const HeadlessWidget& w, const std::string& text) { return w.screen().find(text); }

}  // namespace

TEST_CASE("frames: without a discussion the widget shows the prompt and composer and why it cannot post") {
    HeadlessWidget w(config(), nullptr);
    w.settle();
    CHECK(w.shows(kPrompt));
    REQUIRE(w.control("Post"));
    CHECK(w.control("Post")->disabled);
    CHECK(w.control("Your reflection"));
    CHECK_FALSE(w.shows("reflections"));
    w.app().focus_entry(false);
    w.type("A first thought");
    CHECK(w.shows("A first thought"));
    CHECK(w.shows("Posting is not available"));
    CHECK(w.control("Post")->disabled);
}

TEST_CASE("frames: typing keeps the draft and the counter - Ctrl+Enter posts and empties the composer") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    SyncStatus synced;
    synced.last_sync_ms = d.now_ms - 1000;
    d.set_status(synced);
    HeadlessWidget w(config(), &d);
    w.settle();
    CHECK(w.shows("0 / 500"));
    CHECK(w.shows("Be the first to share here."));
    w.app().focus_entry(false);
    w.type("Close the windows on the way out.");
    CHECK(d.draft() == "Close the windows on the way out.");
    CHECK(w.shows("33 / 500"));
    CHECK_FALSE(w.control("Post")->disabled);
    CHECK(w.ctrl(ImGuiKey_Enter) == KeyResult::handled);
    CHECK(called(d, "create insight Close the windows on the way out."));
    CHECK(d.draft().empty());
    CHECK(w.shows("0 / 500"));
    CHECK(w.shows("Sending…"));                  // the new post, pending, with its clock
    CHECK(w.shows("You have shared here."));
}

TEST_CASE("frames: the counter warns near the limit and Post explains why it is disabled when over") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    HeadlessWidget w(config(), &d);
    w.settle();
    w.app().focus_entry(false);
    w.type(std::string(460, 'a'));
    CHECK(w.shows("40 characters left"));
    CHECK_FALSE(w.control("Post")->disabled);
    w.type(std::string(50, 'b'));
    CHECK(w.shows("10 over the limit"));
    CHECK(w.control("Post")->disabled);
    CHECK(w.shows("Too long: remove 10 characters (the limit is 500)."));
    w.ctrl(ImGuiKey_Enter);   // refused, with the reason; nothing is sent
    CHECK(d.calls.empty());
    // Hovering the disabled button shows the same reason.
    w.hover(*w.control("Post"));
    w.frame();
    CHECK(w.shows("Too long: remove 10 characters"));
}

TEST_CASE("frames: a draft saved earlier shows in the composer when it arrives") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    HeadlessWidget w(config(), &d);
    w.settle();
    d.set_draft("Written before the reload");
    w.settle();
    CHECK(w.shows("Written before the reload"));
    CHECK(w.shows("25 / 500"));
}

TEST_CASE("frames: kind chips choose what is posted - only leaders get Leader learning") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    HeadlessWidget w(config(), &d);
    w.settle();
    CHECK(w.control("Insight")->checked);
    CHECK_FALSE(w.control("Leader learning"));
    REQUIRE(w.click("Question"));
    CHECK(w.control("Question")->checked);
    CHECK_FALSE(w.control("Insight")->checked);
    CHECK(w.shows("Ask the group a question…"));
    w.click("Your reflection");
    w.type("Who checks the meeting rooms?");
    w.click("Post");
    CHECK(called(d, "create question Who checks the meeting rooms?"));

    d.sign_in("u-lee", "Lee", Role::leader);
    w.settle();
    REQUIRE(w.click("Leader learning"));
    w.click("Your reflection");
    w.type("We timed the drill.");
    w.ctrl(ImGuiKey_Enter);
    CHECK(called(d, "create leader_learning We timed the drill."));
    CHECK(w.shows("In the spotlight"));   // a leader sees their spotlight post marked
}

TEST_CASE("frames: pinned posts come first - Top and Newest reorder the rest") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    Post popular = d.make("p1", "Ana", "Popular and older", 2 * kDay);
    popular.endorsements = 8;
    d.add(popular);
    d.add(d.make("p2", "Bo", "Quiet and new", 10 * kMin));
    Post pinned = d.make("p3", "Casey", "Pinned by a curator", 9 * kDay);
    pinned.pinned = true;
    d.add(pinned);
    HeadlessWidget w(config(), &d, 640, 1200);
    w.settle();
    CHECK(w.control("Top")->checked);
    CHECK(at(w, "Pinned by a curator") < at(w, "Popular and older"));
    CHECK(at(w, "Popular and older") < at(w, "Quiet and new"));
    REQUIRE(w.click("Newest"));
    CHECK(w.control("Newest")->checked);
    CHECK(at(w, "Pinned by a curator") < at(w, "Quiet and new"));
    CHECK(at(w, "Quiet and new") < at(w, "Popular and older"));
    CHECK(w.shows("3 reflections"));
}

TEST_CASE("frames: a card shows the author with a role badge - the time - the kind and the endorsements") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    Post p = d.make("p1", "Lee Park", "Short and sharp.", 3 * kHour);   // no "Leader" in the name
    p.author.role = Role::leader;
    p.kind = Kind::tip;
    p.endorsements = 4;
    p.leader_endorsed = true;
    p.edited_at_ms = d.now_ms - kHour;
    d.add(p);
    HeadlessWidget w(config(), &d);
    w.now_ms = d.now_ms;
    w.settle();
    CHECK(w.shows("Lee Park Leader"));   // the badge, on the name's line right after it
    CHECK(w.shows("3 h ago · edited"));
    CHECK(w.shows("Did you know"));
    CHECK(w.shows("Endorsed by a leader"));
    CHECK(w.control("Endorse · 4"));
}

TEST_CASE("frames: endorsing by click and no Endorse button on your own post") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    Post theirs = d.make("p1", "Ana", "Theirs", kHour);
    theirs.endorsements = 2;
    d.add(theirs);
    Post mine = d.make("p2", "Sam", "Mine", 2 * kHour);
    mine.author.id = "u-sam";
    mine.endorsements = 1;
    d.add(mine);
    HeadlessWidget w(config(), &d);
    w.settle();
    REQUIRE(w.click("Endorse · 2"));
    CHECK(called(d, "endorse p1 on"));
    REQUIRE(w.control("Endorsed · 3"));
    CHECK(w.control("Endorsed · 3")->checked);
    CHECK(w.count("Endorse · 1") == 0);   // own post: a count, not a button
    CHECK(w.shows("1 endorsement"));
    w.click("Endorsed · 3");
    CHECK(called(d, "endorse p1 off"));
}

TEST_CASE("frames: replying one level deep and collapsing replies") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    d.add(d.make("p1", "Ana", "Top-level post", kHour));
    HeadlessWidget w(config(), &d, 640, 1200);
    w.settle();
    REQUIRE(w.click("Reply"));
    CHECK(w.shows("Reply to Ana"));
    REQUIRE(w.control("Your reply"));
    CHECK(w.app().editing() == w.control("Your reply")->id);   // the caret is in the reply field
    w.type("Agreed, thanks");
    CHECK(w.ctrl(ImGuiKey_Enter) == KeyResult::handled);
    CHECK(called(d, "create insight reply-to p1 Agreed, thanks"));
    CHECK_FALSE(w.control("Your reply"));                      // the form closed
    CHECK(w.shows("Agreed, thanks"));
    CHECK(w.count("Reply") == 1);                              // replies have no Reply button
    CHECK_FALSE(w.control("Hide 1 reply"));   // "Hide" is the curators' word for another thing
    REQUIRE(w.click("Collapse replies (1)"));
    CHECK_FALSE(w.shows("Agreed, thanks"));
    REQUIRE(w.click("1 reply"));
    CHECK(w.shows("Agreed, thanks"));
}

TEST_CASE("frames: the menu edits and deletes your own post and flags someone else's") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    Post mine = d.make("p1", "Sam", "My first version", kHour);
    mine.author.id = "u-sam";
    d.add(mine);
    HeadlessWidget w(config(), &d, 640, 1200);
    w.settle();

    SUBCASE("edit") {
        REQUIRE(w.click("More actions"));
        CHECK(w.control("Delete…"));
        CHECK_FALSE(w.control("Flag for a curator…"));
        REQUIRE(w.click("Edit"));
        REQUIRE(w.control("Edit your post"));
        w.type(", improved");
        w.click("Save");
        CHECK(called(d, "edit p1 My first version, improved"));
        CHECK(w.shows("My first version, improved"));
        CHECK_FALSE(w.control("Edit your post"));
    }
    SUBCASE("delete asks first") {
        REQUIRE(w.click("More actions"));
        REQUIRE(w.click("Delete…"));
        CHECK(w.shows("Delete this post? This cannot be undone."));
        REQUIRE(w.click("Cancel"));
        CHECK(d.calls.empty());
        w.click("More actions");
        w.click("Delete…");
        REQUIRE(w.click("Delete"));
        CHECK(called(d, "remove p1"));
        CHECK_FALSE(w.shows("My first version"));
    }
    SUBCASE("flag") {
        d.add(d.make("p2", "Ana", "Buy cheap watches", 2 * kHour));
        w.settle();
        REQUIRE(w.click("More actions", 1));
        CHECK_FALSE(w.control("Edit"));
        REQUIRE(w.click("Flag for a curator…"));
        CHECK(w.control("Send to curators")->disabled);   // a reason first
        REQUIRE(w.click("Spam"));
        REQUIRE(w.click("Send to curators"));
        CHECK(called(d, "flag p2 Spam"));
        // The answer is in the post's place, with Undo while the flag waits to be sent.
        CHECK(w.shows("Flagged for a curator."));
        CHECK_FALSE(w.shows("Buy cheap watches"));
        REQUIRE(w.focused());
        CHECK(w.focused()->label == "Undo");
        REQUIRE(w.click("Undo"));
        CHECK(called(d, "unflag p2"));
        CHECK(w.shows("Buy cheap watches"));
        CHECK_FALSE(w.shows("Flagged for a curator."));
        // Flagged again and sent: the line stays, and "Show post" brings the post back.
        REQUIRE(w.click("More actions", 1));
        REQUIRE(w.click("Flag for a curator…"));
        REQUIRE(w.click("Off-topic"));
        REQUIRE(w.click("Send to curators"));
        d.send_held_flags();
        w.settle();
        CHECK(w.shows("You flagged this post for a curator."));
        CHECK_FALSE(w.control("Undo"));
        REQUIRE(w.click("Show post"));
        CHECK(w.shows("Buy cheap watches"));
    }
}

TEST_CASE("frames: pending posts show a clock - failed ones the server's message with Retry Edit Discard") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    Post p = d.make("local-1", "Sam", "Refused post", kMin);
    p.author.id = "u-sam";
    p.rev = 0;
    d.add(p, LocalState::pending);
    HeadlessWidget w(config(), &d, 640, 1200);
    w.settle();
    CHECK(w.shows("Sending…"));
    d.fail("local-1", "Posts are limited to 30 a minute; try again in a moment.");
    w.settle();
    CHECK(w.shows("Not sent: Posts are limited to 30 a minute; try again in a moment."));
    REQUIRE(w.click("Retry"));
    CHECK(called(d, "retry local-1"));
    CHECK(w.shows("Sending…"));
    d.fail("local-1", "Refused again.");
    w.settle();
    REQUIRE(w.click("Edit"));
    CHECK(w.control("Edit your post"));
    w.click("Cancel");
    REQUIRE(w.click("Discard"));
    CHECK(called(d, "discard local-1"));
    CHECK_FALSE(w.shows("Refused post"));

    SUBCASE("offline, a pending post says it waits") {
        SyncStatus s;
        s.online = false;
        d.set_status(s);
        d.add(p, LocalState::pending);
        w.settle();
        CHECK(w.shows("Waiting to send"));
    }
}

TEST_CASE("frames: curators pin and hide on each card and work through the Flags queue") {
    MemoryDiscussion d;
    d.sign_in("u-casey", "Casey", Role::curator);
    d.add(d.make("p1", "Ana", "Older post", 2 * kDay));
    d.add(d.make("p2", "Bo", "Newer post", kHour));
    HeadlessWidget w(config(), &d, 640, 1200);
    w.settle();
    CHECK(at(w, "Newer post") < at(w, "Older post"));
    REQUIRE(w.click("Pin", 1));   // the older post's
    CHECK(called(d, "pin p1 on"));
    CHECK(at(w, "Older post") < at(w, "Newer post"));   // pinned: first
    CHECK(w.control("Unpin"));
    // Hiding asks first, in place: Cancel is focused, and Cancel (or Esc) changes nothing.
    CHECK_FALSE(w.control("Hide"));
    REQUIRE(w.click("Hide from learners…", 1));
    CHECK(w.shows("Hide from learners? Curators still see it."));
    CHECK_FALSE(called(d, "hide p2 on"));
    REQUIRE(w.focused());
    CHECK(w.focused()->label == "Cancel");
    REQUIRE(w.click("Cancel"));
    w.settle();
    CHECK_FALSE(w.shows("Hide from learners?"));
    CHECK_FALSE(called(d, "hide p2 on"));
    REQUIRE(w.focused());
    CHECK(w.focused()->label == "Hide from learners…");
    CHECK(w.focused()->y == w.control("Hide from learners…", 1)->y);   // the same card's
    REQUIRE(w.click("Hide from learners…", 1));
    CHECK(w.key(ImGuiKey_Escape) == KeyResult::handled);
    w.settle();
    CHECK_FALSE(w.shows("Hide from learners?"));
    REQUIRE(w.click("Hide from learners…", 1));
    REQUIRE(w.click("Hide"));
    CHECK(called(d, "hide p2 on"));
    CHECK(w.shows("Hidden from learners"));
    CHECK(w.control("Unhide"));

    FlagEntry f;
    f.post = d.make("p9", "Zed", "Buy cheap watches", kHour);
    f.count = 3;
    f.reasons = {"Spam", "Spam", "Off-topic"};
    d.add(f.post);
    FlagEntry elsewhere;
    elsewhere.post = d.make("q1", "Yan", "Off-topic elsewhere", kHour);
    elsewhere.post.module = "other-module";
    elsewhere.count = 1;
    elsewhere.reasons = {"Off-topic"};
    d.set_flags({elsewhere, f});
    w.settle();
    REQUIRE(w.click("Flags · 2"));
    CHECK(called(d, "refresh_flags"));
    CHECK(at(w, "3 flags") < at(w, "1 flag"));   // most flagged first
    CHECK(w.shows("Posted under other-module"));
    CHECK(w.count("Hide from learners…") == 1);   // only this module's posts are moderated here
    CHECK(w.count("Keep visible") == 1);
    CHECK(w.shows("Reasons: Off-topic, Spam (2)"));
    CHECK(w.shows("Buy cheap watches"));
    CHECK_FALSE(w.shows("Older post"));
    REQUIRE(w.click("Hide from learners…"));
    CHECK(w.shows("Hide from learners? Curators still see it."));
    REQUIRE(w.focused());
    CHECK(w.focused()->label == "Cancel");
    REQUIRE(w.click("Cancel"));
    w.settle();
    REQUIRE(w.focused());
    CHECK(w.focused()->label == "Hide from learners…");
    CHECK_FALSE(called(d, "hide p9 on"));
    REQUIRE(w.click("Hide from learners…"));
    REQUIRE(w.click("Hide"));
    CHECK(called(d, "hide p9 on"));
    REQUIRE(w.click("Discussion"));
    CHECK(w.shows("Older post"));
}

TEST_CASE("frames: Keep visible on a flagged card - shown while learners see it or the flags hid it") {
    MemoryDiscussion d;
    d.sign_in("u-casey", "Casey", Role::curator);
    Post visible = d.make("p1", "Ana", "Flagged but fine", kHour);
    Post auto_hidden = d.make("p2", "Bo", "Hidden by three flags", 2 * kHour);
    auto_hidden.hidden = true;
    Post curator_hidden = d.make("p3", "Cy", "Hidden by a curator", 3 * kHour);
    curator_hidden.hidden = true;
    Post unflagged = d.make("p4", "Di", "Nobody flagged this", 4 * kHour);
    for (const Post& p : {visible, auto_hidden, curator_hidden, unflagged}) d.add(p);
    FlagEntry a, b, c;
    a.post = visible;
    a.count = 1;
    b.post = auto_hidden;
    b.count = 3;
    b.hidden_by_flags = true;
    c.post = curator_hidden;
    c.count = 1;
    d.set_flags({a, b, c});
    HeadlessWidget w(config(), &d, 640, 1600);
    w.settle();
    CHECK(w.count("Keep visible") == 2);   // not the post a curator hid, not the unflagged one
    REQUIRE(w.click("Keep visible"));
    w.settle();
    CHECK(w.count("Keep visible") == 1);   // it leaves the card at once
    REQUIRE(w.click("Keep visible"));
    w.settle();
    CHECK(w.count("Keep visible") == 0);
    CHECK(called(d, "keep_visible p1"));
    CHECK(called(d, "keep_visible p2"));
    CHECK_FALSE(called(d, "keep_visible p3"));
    CHECK(d.flags().size() == 1);
}

TEST_CASE("frames: learners and leaders see no curator controls") {
    MemoryDiscussion d;
    d.add(d.make("p1", "Ana", "A post", kHour));
    for (Role role : {Role::learner, Role::leader}) {
        d.sign_in("u-x", "X", role);
        HeadlessWidget w(config(), &d);
        w.settle();
        CHECK_FALSE(w.control("Pin"));
        CHECK_FALSE(w.control("Hide"));
        CHECK_FALSE(w.control("Hide from learners…"));
        CHECK_FALSE(w.control("Keep visible"));
        CHECK_FALSE(w.control("Discussion"));
        CHECK(w.control("Endorse"));
    }
}

TEST_CASE("frames: the 1.1 kinds from the server show with their labels - a resource post and an answered commitment") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    Post r = d.make("r1", "Ana", "This checklist helped: https://intranet.example/fire.pdf", 2 * kHour);
    r.kind = Kind::resource;
    d.add(r);
    Post c = d.make("c1", "Bo", "When I next run a drill, I will time it.", 8 * kDay);
    c.kind = Kind::commitment;
    c.outcome = Outcome::partly;
    c.outcome_note = "Timed one of two.";
    c.outcome_at_ms = d.now_ms - kDay;
    c.check_in_at_ms = d.now_ms + 6 * kDay;
    c.check_ins = 1;
    c.module_title = "Fire safety 101";
    d.add(c);
    HeadlessWidget w(config(), &d, 640, 1200);
    w.settle();
    CHECK(w.shows("Resource"));
    CHECK(w.shows("This checklist helped: https://intranet.example/fire.pdf"));
    CHECK(w.shows("Commitment"));
    CHECK(w.shows("When I next run a drill, I will time it."));
    CHECK(w.control("Endorse"));
    CHECK(w.shows("2 reflections"));
}

TEST_CASE("frames: the spotlight is one line under the composer that opens this week's leader learnings") {
    MemoryDiscussion d;
    d.sign_in("u-lee", "Lee", Role::leader);
    std::vector<Post> spot;
    for (int i = 0; i < 3; ++i) {
        Post p = d.make("s" + std::to_string(i), "Leader " + std::to_string(i), "Learning number " + std::to_string(i), (i + 1) * kDay);
        p.author.role = Role::leader;
        p.kind = Kind::leader_learning;
        p.module = "ops-weekly";
        spot.push_back(p);
    }
    spot[0].author.id = "u-lee";
    spot[0].module_title = "Operations weekly";
    spot[1].body = std::string(60, 'x') + " " + std::string(400, 'y');   // long: clamped
    d.set_spotlight(spot);
    HeadlessWidget w(config(), &d);
    w.settle();
    // Closed: one line, after the composer's prompt.
    REQUIRE(w.shows("3 leader learnings this week"));
    CHECK(at(w, kPrompt) < at(w, "3 leader learnings this week"));
    CHECK_FALSE(w.shows("Learning number 0"));
    REQUIRE(w.control("3 leader learnings this week"));
    REQUIRE(w.click("3 leader learnings this week"));
    CHECK(w.shows("Your post"));
    CHECK(w.shows("in Operations weekly"));   // the module's title where the post has one
    CHECK(w.shows("in ops-weekly"));          // else its key
    CHECK(w.shows("Learning number 0"));
    CHECK_FALSE(w.shows("Learning number 2"));   // two at first
    REQUIRE(w.control("Read more"));
    REQUIRE(w.click("Show all 3 leader learnings"));
    CHECK(w.shows("Learning number 2"));
    REQUIRE(w.click("Read more"));
    CHECK(w.control("Show less"));
    // Pressed again: closed.
    REQUIRE(w.click("3 leader learnings this week"));
    CHECK_FALSE(w.shows("Learning number 0"));
}

TEST_CASE("frames: a widget the page did not pick for the spotlight draws no line") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    Post p = d.make("s1", "Lee", "A learning", kDay);
    p.author.role = Role::leader;
    p.kind = Kind::leader_learning;
    p.module = "ops-weekly";
    d.set_spotlight({p});
    WidgetConfig c = config();
    c.spotlight = false;
    HeadlessWidget w(c, &d);
    w.settle();
    CHECK_FALSE(w.shows("leader learning"));
    CHECK(w.shows(kPrompt));
    w.app().set_spotlight(true);   // the widget that had it left the page
    w.settle();
    CHECK(w.shows("1 leader learning this week"));
}

TEST_CASE("frames: the empty - loading - cached and offline states") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    SyncStatus never;
    never.online = true;
    never.syncing = true;
    d.set_status(never);
    HeadlessWidget w(config(), &d);
    w.settle();
    CHECK(w.shows("Loading the discussion…"));
    CHECK_FALSE(w.shows("Be the first to share here."));   // not known yet

    SyncStatus synced;
    synced.last_sync_ms = d.now_ms - 10'000;
    d.set_status(synced);
    w.settle();
    CHECK(w.shows("No reflections yet. Be the first to share what you took from this module."));
    CHECK(w.shows("Be the first to share here."));

    SyncStatus offline_never;
    offline_never.online = false;
    d.set_status(offline_never);
    w.settle();
    CHECK(w.shows("You're offline."));
    CHECK(w.shows("Not synced yet"));
    CHECK(w.shows("The discussion will appear when you are back online."));

    // Opening from the cache while offline: the cached posts at once, and when they are from.
    SyncStatus cached;
    cached.online = false;
    cached.pending = 2;
    cached.last_sync_ms = d.now_ms - 3 * kMin;
    d.set_status(cached);
    d.add(d.make("p1", "Ana", "Cached post", kDay));
    w.settle();
    CHECK(w.shows("Cached post"));
    CHECK(w.shows("Last synced 3 min ago · 2 changes waiting to be sent."));
}

TEST_CASE("frames: the content height follows the content and scales with the pixel ratio") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    HeadlessWidget w(config(), &d, 640, 2000);
    w.settle();
    const float empty = w.app().content_height();
    d.add(d.make("p1", "Ana", "One post", kHour));
    w.settle();
    const float one = w.app().content_height();
    CHECK(one > empty);
    w.set_scale(2.0f);
    w.settle();
    CHECK(w.app().content_height() == doctest::Approx(one * 2).epsilon(0.05));
}

TEST_CASE("frames: sync notices - writes the server refused - and a refused delete stays until discarded") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    Post mine = d.make("p1", "Sam", "Deleted, but the server said no", kHour);
    mine.author.id = "u-sam";
    mine.deleted = true;
    mine.body.clear();
    d.add(mine);
    d.fail("p1", "This post is pinned: ask a curator to unpin it first.");
    d.add(d.make("p2", "Ana", "Gone for good", kHour)).own_post().deleted = true;   // deleted: not shown
    SyncStatus s;
    s.last_sync_ms = d.now_ms - kMin;
    s.failed = 1;
    s.notice = "Sign in again to send your changes.";
    d.set_status(s);
    HeadlessWidget w(config(), &d, 640, 1200);
    w.settle();
    CHECK(w.shows("Sign in again to send your changes."));
    CHECK(w.shows("1 change was not sent."));
    CHECK(w.shows("This post is deleted."));
    CHECK(w.shows("Deleted"));
    CHECK(w.shows("Not sent: This post is pinned: ask a curator to unpin it first."));
    CHECK_FALSE(w.shows("Gone for good"));
    CHECK_FALSE(w.control("Edit"));   // nothing to edit on a deleted post; Retry or Discard
    REQUIRE(w.click("Discard"));
    CHECK(called(d, "discard p1"));

    SyncStatus opening;
    opening.loaded = false;
    d.set_status(opening);
    MemoryDiscussion empty;
    empty.set_status(opening);
    HeadlessWidget w2(config(), &empty);
    w2.settle();
    CHECK(w2.shows("Loading the discussion…"));
}

TEST_CASE("frames: a new post scrolls into view inside the widget and is highlighted briefly") {
    for (const bool reduce : {false, true}) {
        CAPTURE(reduce);
        MemoryDiscussion d;
        d.sign_in("u-sam", "Sam", Role::learner);
        SyncStatus synced;
        synced.last_sync_ms = d.now_ms - 1000;
        d.set_status(synced);
        for (int i = 0; i < 12; ++i)
            d.add(d.make("p" + std::to_string(i), "Ana", "Earlier reflection number " + std::to_string(i), (i + 1) * kHour));
        const float height = 520;
        HeadlessWidget w(config(), &d, 640, height);
        w.app().set_reduce_motion(reduce);
        w.settle();
        w.app().focus_entry(false);
        w.type("Seen where I wrote it.");
        w.app().wheel(3000);   // reading far down the thread before posting
        w.settle();
        REQUIRE(w.app().output().scroll_y > 0);
        REQUIRE_FALSE(w.shows("Earlier reflection number 0"));   // the top of the thread is out of view
        CHECK(w.ctrl(ImGuiKey_Enter) == KeyResult::handled);
        w.settle();
        // The new post (first of the thread: posted here) is wholly inside the widget's box.
        REQUIRE(w.shows("Seen where I wrote it."));
        const std::string id = d.posts().back().post().id;
        CHECK(w.app().thread_state().reveal.empty());
        const Control* reply = w.control("Reply");
        REQUIRE(reply);
        CHECK(reply->visible);
        CHECK(reply->y >= 0);
        CHECK(reply->y + reply->h <= height);
        // Highlighted, then not (after ~1.8 s); never under prefers-reduced-motion.
        const Image lit = w.image();
        const unsigned at_lit = lit.at(static_cast<int>(reply->x) + static_cast<int>(reply->w) + 40,
                                       static_cast<int>(reply->y + reply->h / 2));
        w.now_ms += 1000;
        w.settle();
        if (!reduce) CHECK(w.app().thread_state().highlight == id);
        w.now_ms += 900;
        w.settle();
        if (!reduce) CHECK(w.app().thread_state().highlight.empty());
        const Image calm = w.image();
        const unsigned at_calm = calm.at(static_cast<int>(reply->x) + static_cast<int>(reply->w) + 40,
                                         static_cast<int>(reply->y + reply->h / 2));
        if (reduce) CHECK(at_lit == at_calm);
        else CHECK(at_lit != at_calm);
    }
}

TEST_CASE("frames: the post bodies on screen are the selectable lines, keyed, in content coordinates") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    const std::string body = "A first paragraph long enough to wrap on a narrow widget, over several lines of text.\n"
                             "A second one.";
    d.add(d.make("p1", "Ana", body, kHour));
    for (int i = 0; i < 12; ++i) d.add(d.make("q" + std::to_string(i), "Ana", "Another reflection " + std::to_string(i), (i + 2) * kHour));
    HeadlessWidget w(config(), &d, 360, 520);
    w.settle();
    const auto lines_of = [&](const std::string& id) {
        std::vector<ui::SelectLine> out;
        for (const ui::SelectLine& l : w.app().output().select_lines)
            if (l.key.rfind(id + ":", 0) == 0) out.push_back(l);
        return out;
    };
    const std::vector<ui::SelectLine> p1 = lines_of("p1");
    REQUIRE(p1.size() >= 3);
    std::string copied;
    for (std::size_t i = 0; i < p1.size(); ++i) {
        CHECK(p1[i].key == "p1:" + std::to_string(i));
        copied += p1[i].text;
        copied += p1[i].end;
    }
    // Copied as written: a space where a line wraps, a new line where a paragraph ends.
    CHECK(copied == body + "\n");
    // Only body text: no names, no buttons.
    for (const ui::SelectLine& l : w.app().output().select_lines) CHECK(l.text.find("Endorse") == std::string::npos);
    // Scrolling moves no line in content coordinates, and rows out of view leave.
    const float y0 = p1[0].y;
    w.app().wheel(60);
    w.settle();
    REQUIRE(w.app().output().scroll_y > 0);
    REQUIRE_FALSE(lines_of("p1").empty());
    CHECK(std::abs(lines_of("p1")[0].y - y0) <= 1.0f);
    w.app().wheel(5000);
    w.settle();
    CHECK(lines_of("p1").empty());
    CHECK_FALSE(w.app().output().select_lines.empty());
}

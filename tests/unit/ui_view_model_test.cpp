// The widget's view model: what the UI shows for given data, without ImGui.
#include <doctest/doctest.h>

#include <algorithm>   // std::find
#include <random>      // std::mt19937

#include "view_model.hpp"

using namespace grove;

namespace {

constexpr std::int64_t kMin = 60'000, kHour = 60 * kMin, kDay = 24 * kHour;
// Wed 25 Nov 2026, 22:40:00 UTC
constexpr std::int64_t kNow = 1'795'646'400'000;

Post post(std::string id, std::string author, std::int64_t age, std::int64_t endorsements = 0) {
    Post p;
    p.id = std::move(id);
    p.module = "m";
    p.author = Author{"u-" + author, author, Role::learner};
    p.created_at_ms = kNow - age;
    p.endorsements = endorsements;
    p.body = "text";
    p.rev = 1;
    return p;
}

ShownPost shown(Post p, LocalState s = LocalState::synced) { return ShownPost(std::move(p), s); }

Identity who(std::string id, Role role) { return Identity{std::move(id), "Name", role, true}; }

std::vector<std::string> order_of(const std::vector<ShownPost>& posts, const ThreadModel& m) {
    std::vector<std::string> ids;
    for (const ThreadEntry& e : m.entries) ids.push_back(e.post ? posts[*e.post].post().id : "[" + e.id + "]");
    return ids;
}

}  // namespace

TEST_CASE("view model: labels for kinds and roles and the kinds each role may post") {
    CHECK(kind_label(Kind::tip) == "Did you know");
    CHECK(kind_label(Kind::leader_learning) == "Leader learning");
    CHECK(kind_label(Kind::resource) == "Resource");
    CHECK(kind_label(Kind::commitment) == "Commitment");
    CHECK(role_badge(Role::learner).empty());
    CHECK(role_badge(Role::curator) == "Curator");
    CHECK(composer_kinds(Role::learner) ==
          std::vector<Kind>{Kind::insight, Kind::question, Kind::tip, Kind::commitment, Kind::resource});
    CHECK(composer_kinds(Role::curator).size() == 5);
    CHECK(composer_chip_label(Kind::commitment) == "I will…");
    CHECK(composer_chip_label(Kind::resource) == "Suggest a resource");
    CHECK(composer_chip_label(Kind::tip) == "Did you know");
    CHECK(composer_kinds(Role::leader).back() == Kind::leader_learning);
    CHECK(composer_kinds(Role::admin).back() == Kind::leader_learning);
}

TEST_CASE("view model: relative time reads like a person would say it exact time on hover") {
    CHECK(relative_time(kNow - 10'000, kNow) == "just now");
    CHECK(relative_time(kNow + 30'000, kNow) == "just now");   // a clock slightly ahead
    CHECK(relative_time(kNow - kMin, kNow) == "1 min ago");
    CHECK(relative_time(kNow - 59 * kMin, kNow) == "59 min ago");
    CHECK(relative_time(kNow - 3 * kHour, kNow) == "3 h ago");
    CHECK(relative_time(kNow - 25 * kHour, kNow) == "yesterday");
    CHECK(relative_time(kNow - 3 * kDay, kNow) == "3 days ago");
    CHECK(relative_time(kNow - 20 * kDay, kNow) == "5 Nov");
    CHECK(relative_time(kNow - 400 * kDay, kNow) == "21 Oct 2025");
    // Calendar days follow the reader's time zone: 22:40 UTC is already Thursday in Tokyo.
    CHECK(relative_time(kNow - 46 * kHour, kNow, 0) == "yesterday");
    CHECK(relative_time(kNow - 46 * kHour, kNow, 9 * 60) == "2 days ago");
    CHECK(exact_time(kNow) == "Wed 25 Nov 2026, 22:40");
    CHECK(exact_time(kNow, 60) == "Wed 25 Nov 2026, 23:40");
    CHECK(exact_time(kNow, 90) == "Thu 26 Nov 2026, 00:10");
    CHECK(exact_time(kNow, -300) == "Wed 25 Nov 2026, 17:40");
    CHECK(last_synced_text(std::nullopt, kNow) == "not synced yet");
    CHECK(last_synced_text(kNow - 3 * kMin, kNow) == "last synced 3 min ago");
}

TEST_CASE("view model: the counter counts characters warns near 500 and says how far over") {
    CHECK(composer_counter("").text == "0 / 500");
    CHECK(composer_counter("héllo").used == 5);                    // code points, not bytes
    CHECK(composer_counter("Привет").used == 6);
    const CounterView near = composer_counter(std::string(460, 'a'));
    CHECK(near.level == CounterView::Level::near);
    CHECK(near.text == "40 characters left");
    CHECK(composer_counter(std::string(499, 'a')).text == "1 character left");
    CHECK(composer_counter(std::string(449, 'a')).level == CounterView::Level::ok);
    const CounterView over = composer_counter(std::string(525, 'a'));
    CHECK(over.level == CounterView::Level::over);
    CHECK(over.text == "25 over the limit");
}

TEST_CASE("view model: the Post button says why it cannot post") {
    // The counter counts what is sent (trimmed), like the reason: "N over" and "remove N" agree.
    const std::string padded = "\n  " + std::string(596, 'a') + "  \n";
    CHECK(composer_counter(padded).text == "96 over the limit");
    CHECK(post_disabled_reason(padded, true) == "Too long: remove 96 characters (the limit is 500).");
    CHECK(composer_counter("   ").text == "0 / 500");
    CHECK(post_disabled_reason("A thought", true).empty());
    CHECK(post_disabled_reason("", true) == "Write something first.");
    CHECK(post_disabled_reason(" \n\t ", true) == "Write something first.");
    CHECK(post_disabled_reason(std::string(501, 'x'), true) == "Too long: remove 1 character (the limit is 500).");
    CHECK(post_disabled_reason(std::string(500, 'x') + "   ", true).empty());   // trailing blanks are trimmed
    CHECK(post_disabled_reason("A thought", false).find("not connected") != std::string::npos);
}

TEST_CASE("view model: which controls each role sees on a post") {
    const ShownPost others = shown(post("p1", "Ana", kHour));
    Post own_post = post("p2", "Sam", kHour);
    own_post.author.id = "u-sam";
    const ShownPost own = shown(own_post);

    SUBCASE("a learner: endorse, reply and flag others' posts; edit and delete their own") {
        const Identity me = who("u-sam", Role::learner);
        const PostControls c = controls_for(others, me);
        CHECK(c.endorse);
        CHECK(c.reply);
        CHECK(c.flag);
        CHECK_FALSE(c.edit);
        CHECK_FALSE(c.remove);
        CHECK_FALSE(c.pin);
        CHECK_FALSE(c.hide);
        const PostControls o = controls_for(own, me);
        CHECK(o.own);
        CHECK_FALSE(o.endorse);   // the server refuses endorsing your own post
        CHECK_FALSE(o.flag);
        CHECK(o.edit);
        CHECK(o.remove);
    }
    SUBCASE("a curator also pins top-level posts, hides and deletes any post") {
        const Identity me = who("u-casey", Role::curator);
        const PostControls c = controls_for(others, me);
        CHECK(c.pin);
        CHECK(c.hide);
        CHECK(c.remove);
        CHECK_FALSE(c.edit);
        Post reply = post("r1", "Ana", kMin);
        reply.parent_id = "p1";
        const PostControls r = controls_for(shown(reply), me);
        CHECK_FALSE(r.pin);       // replies are not pinned
        CHECK_FALSE(r.reply);     // one level deep
        CHECK(r.hide);
    }
    SUBCASE("a leader moderates nothing") {
        const PostControls c = controls_for(others, who("u-lee", Role::leader));
        CHECK_FALSE(c.pin);
        CHECK_FALSE(c.hide);
        CHECK(c.endorse);
    }
    SUBCASE("a post the server does not have yet can only be edited or deleted by its author") {
        Post p = own_post;
        p.rev = 0;
        const PostControls c = controls_for(shown(p, LocalState::pending), who("u-casey", Role::curator));
        CHECK_FALSE(c.endorse);
        CHECK_FALSE(c.flag);
        CHECK_FALSE(c.pin);
        CHECK_FALSE(c.remove);
        const PostControls mine = controls_for(shown(p, LocalState::pending), who("u-sam", Role::learner));
        CHECK(mine.edit);
        CHECK(mine.reply);        // a reply to a queued post is queued after it
        const PostControls refused = controls_for(shown(p, LocalState::failed), who("u-sam", Role::learner));
        CHECK_FALSE(refused.reply);   // its create was refused: it will never have replies
        CHECK(refused.edit);
        CHECK(refused.remove);
        CHECK(mine.remove);
    }
    SUBCASE("nobody signed in yet: reading only") {
        const PostControls c = controls_for(others, Identity{});
        CHECK_FALSE(c.own);
        CHECK_FALSE(c.flag);
        CHECK_FALSE(c.edit);
    }
}

TEST_CASE("view model: Top scores endorsements trusted ones more and decays with age") {
    Post a = post("a", "A", kHour, 3), b = post("b", "B", kHour, 3);
    b.leader_endorsed = true;
    CHECK(post_score(b, kNow) > post_score(a, kNow));
    // A leader's endorsement is worth kTrustedEndorsementWeight ordinary ones.
    Post c = post("c", "C", kHour, 3 + static_cast<std::int64_t>(kTrustedEndorsementWeight) - 1);
    CHECK(post_score(b, kNow) == doctest::Approx(post_score(c, kNow)));
    // Halving every kScoreHalfLifeHours.
    Post old = a;
    old.created_at_ms = a.created_at_ms - static_cast<std::int64_t>(kScoreHalfLifeHours) * kHour;
    CHECK(post_score(old, kNow) == doctest::Approx(post_score(a, kNow) / 2));
    // More endorsements, higher; a future timestamp counts as new.
    CHECK(post_score(post("d", "D", kHour, 4), kNow) > post_score(a, kNow));
    CHECK(post_score(post("e", "E", -kHour, 0), kNow) == doctest::Approx(1.0));
}

TEST_CASE("view model: the thread puts pinned posts first then Top or Newest replies under their post") {
    std::vector<ShownPost> posts;
    posts.push_back(shown(post("old-popular", "A", 3 * kDay, 9)));
    posts.push_back(shown(post("new-quiet", "B", 5 * kMin, 0)));
    Post pinned = post("pinned", "C", 10 * kDay, 0);
    pinned.pinned = true;
    posts.push_back(shown(pinned));
    posts.push_back(shown(post("mid", "D", kDay, 2)));
    Post r2 = post("r2", "E", 2 * kMin), r1 = post("r1", "F", 30 * kMin);
    r2.parent_id = r1.parent_id = "mid";
    posts.push_back(shown(r2));
    posts.push_back(shown(r1));
    const Identity me = who("u-x", Role::learner);

    const ThreadModel top = build_thread(posts, ThreadOrder::top, me, kNow);
    CHECK(order_of(posts, top) == std::vector<std::string>{"pinned", "old-popular", "mid", "new-quiet"});
    CHECK(top.pinned == 1);
    CHECK(top.visible_posts == 6);
    const ThreadModel newest = build_thread(posts, ThreadOrder::newest, me, kNow);
    CHECK(order_of(posts, newest) == std::vector<std::string>{"pinned", "new-quiet", "mid", "old-popular"});
    // Replies oldest first, under "mid".
    const ThreadEntry& mid = newest.entries[2];
    REQUIRE(mid.replies.size() == 2);
    CHECK(posts[mid.replies[0]].post().id == "r1");
    CHECK(posts[mid.replies[1]].post().id == "r2");

    SUBCASE("a post written in this session comes first after the pinned ones") {
        const std::unordered_set<std::string> mine{"new-quiet"};
        const ThreadModel m = build_thread(posts, ThreadOrder::top, me, kNow, &mine);
        CHECK(order_of(posts, m) == std::vector<std::string>{"pinned", "new-quiet", "old-popular", "mid"});
    }
}

TEST_CASE("view model: hidden and deleted posts as learners and curators see them") {
    std::vector<ShownPost> posts;
    Post hidden_with_reply = post("h1", "A", kDay);
    hidden_with_reply.hidden = true;
    hidden_with_reply.body.clear();
    posts.push_back(shown(hidden_with_reply));
    Post reply = post("r", "B", kHour);
    reply.parent_id = "h1";
    posts.push_back(shown(reply));
    Post hidden_alone = post("h2", "C", kDay);
    hidden_alone.hidden = true;
    posts.push_back(shown(hidden_alone));
    Post orphan = post("o", "D", 30 * kMin);
    orphan.parent_id = "gone";   // its parent was deleted
    posts.push_back(shown(orphan));
    posts.push_back(shown(post("ok", "E", 2 * kHour)));

    const ThreadModel learner = build_thread(posts, ThreadOrder::newest, who("u-x", Role::learner), kNow);
    CHECK(order_of(posts, learner) == std::vector<std::string>{"[gone]", "[h1]", "ok"});
    const auto& placeholder = learner.entries[1];
    CHECK(placeholder.parent_hidden);
    CHECK(placeholder.replies.size() == 1);
    CHECK_FALSE(learner.entries[0].parent_hidden);   // deleted, not hidden
    CHECK(learner.visible_posts == 3);

    const ThreadModel curator = build_thread(posts, ThreadOrder::newest, who("u-c", Role::curator), kNow);
    CHECK(order_of(posts, curator) == std::vector<std::string>{"[gone]", "ok", "h2", "h1"});
}

TEST_CASE("view model: the participation line") {
    const Identity me = who("u-sam", Role::learner);
    std::vector<ShownPost> posts;
    CHECK(participation_line(participation(posts, me)) == "Be the first to share here.");
    Post mine = post("m", "Sam", kMin);
    mine.author.id = "u-sam";
    posts.push_back(shown(mine));
    CHECK(participation_line(participation(posts, me)) == "You have shared here.");
    posts.push_back(shown(post("a", "Ana", kMin)));
    posts.push_back(shown(post("a2", "Ana", kMin)));   // one person, twice
    CHECK(participation_line(participation(posts, me)) == "You and 1 colleague have shared here.");
    posts.push_back(shown(post("b", "Bo", kMin)));
    CHECK(participation_line(participation(posts, me)) == "You and 2 colleagues have shared here.");
    CHECK(participation_line(participation(posts, who("u-other", Role::learner))) == "3 colleagues have shared here.");
    CHECK(participation_line(Participation{1, false}) == "1 colleague has shared here.");
}

namespace {

bool same_thread(const ThreadModel& a, const ThreadModel& b) {
    if (a.pinned != b.pinned || a.visible_posts != b.visible_posts || a.entries.size() != b.entries.size()) return false;
    for (std::size_t i = 0; i < a.entries.size(); ++i) {
        const ThreadEntry &x = a.entries[i], &y = b.entries[i];
        if (x.post != y.post || x.id != y.id || x.replies != y.replies || x.pinned != y.pinned ||
            x.parent_hidden != y.parent_hidden)
            return false;
    }
    return true;
}

}  // namespace

// add_to_thread must give exactly what build_thread gives with the post added: random threads
// with ties in time and score, pinned, hidden and deleted posts, placeholders, refused writes,
// posts written in this session, both orders, learners and curators.
TEST_CASE("view model: adding one post to a built thread equals a full rebuild (random threads)") {
    int added = 0, declined = 0;
    for (unsigned seed = 1; seed <= 400; ++seed) {
        std::mt19937 rng(seed);
        const auto pick = [&](unsigned n) { return static_cast<unsigned>(rng() % n); };
        std::vector<std::string> tops;
        std::vector<ShownPost> posts;
        const auto random_post = [&](const std::string& id) {
            Post p = post(id, "A" + std::to_string(pick(5)), static_cast<std::int64_t>(pick(6)) * kHour - kHour,
                          pick(4));
            p.leader_endorsed = pick(5) == 0;
            if (pick(3) == 0) p.kind = Kind::question;   // fresh unanswered ones are lifted in Top
            if (!tops.empty() && pick(3) == 0) {
                p.parent_id = pick(6) == 0 ? std::string(pick(2) ? "gone" : "n") : tops[pick(static_cast<unsigned>(tops.size()))];
            } else {
                p.pinned = pick(8) == 0;
            }
            p.hidden = pick(8) == 0;
            p.deleted = pick(10) == 0;
            const LocalState state = pick(4) == 0 ? LocalState::pending : pick(8) == 0 ? LocalState::failed : LocalState::synced;
            return shown(p, state);
        };
        const unsigned n = 1 + pick(40);
        for (unsigned i = 0; i < n; ++i) {
            posts.push_back(random_post("p" + std::to_string(i)));
            if (!posts.back().post().parent_id) tops.push_back(posts.back().post().id);
        }
        std::unordered_set<std::string> first;
        for (const ShownPost& sp : posts)
            if (pick(6) == 0) first.insert(sp.post().id);
        const ThreadOrder order = pick(2) ? ThreadOrder::top : ThreadOrder::newest;
        const Identity me = who("u-me", pick(3) == 0 ? Role::curator : Role::learner);

        ThreadModel model = build_thread(posts, order, me, kNow, &first);
        const ThreadModel before = model;
        std::vector<ShownPost> after = posts;
        ShownPost fresh = random_post("n");
        if (pick(2)) {   // mostly what create() makes: a plain pending post
            fresh.own_post().hidden = fresh.own_post().deleted = fresh.own_post().pinned = false;
            fresh.state = LocalState::pending;
        }
        after.push_back(fresh);
        std::unordered_set<std::string> first_after = first;
        if (pick(3)) first_after.insert("n");
        const auto entry = add_to_thread(model, after, after.size() - 1, order, me, kNow, &first_after);
        CAPTURE(seed);
        if (entry) {
            ++added;
            const ThreadModel full = build_thread(after, order, me, kNow, &first_after);
            CHECK(same_thread(model, full));
            REQUIRE(*entry < model.entries.size());
            const ThreadEntry& e = model.entries[*entry];
            CHECK((e.post == after.size() - 1 ||
                   std::find(e.replies.begin(), e.replies.end(), after.size() - 1) != e.replies.end()));
        } else {
            ++declined;
            CHECK(same_thread(model, before));   // untouched: the caller rebuilds
        }
    }
    CHECK(added > 150);      // the path is really taken, not declined every time (200 of 400 seeds)
    CHECK(declined > 20);    // and the cases it leaves to build_thread do occur
}

TEST_CASE("view model: a post written here goes first, as a rebuild puts it") {
    std::vector<ShownPost> posts{shown(post("old", "A", 3 * kDay, 4)), shown(post("mid", "B", kDay, 1)),
                                 shown(post("new", "C", kHour))};
    const Identity me = who("u-me", Role::learner);
    ThreadModel m = build_thread(posts, ThreadOrder::top, me, kNow);
    posts.push_back(shown(post("mine", "Me", 0), LocalState::pending));
    const std::unordered_set<std::string> first{"mine"};
    const auto e = add_to_thread(m, posts, 3, ThreadOrder::top, me, kNow, &first);
    REQUIRE(e);
    CHECK(*e == 0);   // written here: first (nothing is pinned)
    CHECK(order_of(posts, m) == order_of(posts, build_thread(posts, ThreadOrder::top, me, kNow, &first)));
    CHECK(m.visible_posts == 4);
}

// What a card says about itself: initials for the avatar, which posts carry a kind chip, when a
// question counts as answered, and Top lifting fresh unanswered questions.
#include <doctest/doctest.h>

#include <string>   // std::string
#include <vector>   // std::vector

#include "theme.hpp"
#include "view_model.hpp"

using namespace grove;

namespace {

constexpr std::int64_t kMin = 60'000, kHour = 60 * kMin, kDay = 24 * kHour;
constexpr std::int64_t kNow = 1'795'646'400'000;   // Wed 25 Nov 2026, 22:40:00 UTC

Post post(std::string id, std::string author, std::int64_t age, Kind kind = Kind::insight) {
    Post p;
    p.id = std::move(id);
    p.module = "m";
    p.kind = kind;
    p.author = Author{"u-" + author, author, Role::learner};
    p.created_at_ms = kNow - age;
    p.body = "text";
    p.rev = 1;
    return p;
}

Post reply(std::string id, const Post& to, std::string author, std::int64_t age) {
    Post r = post(std::move(id), std::move(author), age);
    r.parent_id = to.id;
    return r;
}

std::vector<std::string> top_order(const std::vector<Post>& ps, std::int64_t now = kNow) {
    std::vector<ShownPost> posts;
    for (const Post& p : ps) posts.emplace_back(p, LocalState::synced);
    const ThreadModel m = build_thread(posts, ThreadOrder::top, Identity{"u-reader", "Reader", Role::learner, true}, now);
    std::vector<std::string> ids;
    for (const ThreadEntry& e : m.entries) ids.push_back(e.post ? posts[*e.post].post().id : "[" + e.id + "]");
    return ids;
}

}  // namespace

TEST_CASE("hierarchy: initials from the first and last word of a name, in any script") {
    CHECK(initials("Ana Souza") == "AS");
    CHECK(initials("Zoë Ångström") == "ZÅ");
    CHECK(initials("zoë ångström") == "ZÅ");                  // Latin-1 upper-cased
    CHECK(initials("李 小龍") == "李小");
    CHECK(initials("Madonna") == "M");                        // a single word
    CHECK(initials("") == "");                                 // no name: a plain disc
    CHECK(initials("   ") == "");
    CHECK(initials("🌱 Grove Fan") == "GF");                  // an emoji-leading name: its words
    CHECK(initials("🌱🌿") == "");                            // nothing but emoji
    CHECK(initials("Maria da Silva Santos") == "MS");         // first and last word
    CHECK(initials("  Dmitri   Ivanov ") == "DI");            // blanks around and between
    CHECK(initials("дмитрий иванов") == "ДИ");                // Cyrillic upper-cased
    CHECK(initials("łukasz żak") == "ŁŻ");                    // Latin Extended-A
    CHECK(initials("Priya (she/her) Raman") == "PR");         // a bracketed word is skipped
    CHECK(initials("محمد علي") == "مع");                      // Arabic: logical order
    // A decomposed letter keeps its combining mark: "E" + U+0301 stays one character.
    CHECK(initials("E\xCC\x81mile Zola") == "E\xCC\x81Z");
    CHECK(initials("प्रिया रमन") == "पर");                     // not the virama after the letter
    CHECK(initials("\xff\xfe") == "");                        // not UTF-8
}

TEST_CASE("hierarchy: avatar colours are stable per author and readable in both themes") {
    CHECK(stable_hash("u-ana") == stable_hash("u-ana"));
    CHECK(stable_hash("u-ana") != stable_hash("u-sam"));
    int hues_used = 0;
    std::vector<bool> seen(kAvatarHues, false);
    for (const char* id : {"u-sam", "u-ana", "u-dmitri", "u-priya", "u-casey", "u-lee", "a", "b", "c", "d", "e", "f"})
        if (!seen[stable_hash(id) % kAvatarHues]) {
            seen[stable_hash(id) % kAvatarHues] = true;
            ++hues_used;
        }
    CHECK(hues_used >= 4);   // people do not all look alike
    for (bool dark : {false, true}) {
        for (unsigned accent : {0x0a66c2u, 0xffcc00u, 0x000000u, 0xffffffu}) {
            const Palette p = make_palette(dark, accent);
            for (unsigned h = 0; h < static_cast<unsigned>(kAvatarHues); ++h) {
                const AvatarColours c = avatar_colours(p, h);
                CAPTURE(dark);
                CAPTURE(h);
                CHECK(contrast_ratio(c.text, c.bg) >= kTextContrast);
                CHECK(c.bg != p.surface);   // a visible disc on the card
                CHECK(c.bg != p.surface_alt);
            }
            // The quiet status chips and the strong one.
            CHECK(contrast_ratio(p.status_text, p.status_bg) >= kTextContrast);
            CHECK(contrast_ratio(p.accent_text, p.accent) >= kTextContrast);
            CHECK(p.status_bg != p.accent);
        }
    }
}

TEST_CASE("hierarchy: a kind chip for top-level posts of every kind but insight and never on replies") {
    CHECK_FALSE(shows_kind_chip(post("a", "Ana", kHour, Kind::insight)));
    for (Kind k : {Kind::question, Kind::tip, Kind::leader_learning, Kind::resource, Kind::commitment})
        CHECK(shows_kind_chip(post("a", "Ana", kHour, k)));
    const Post q = post("q", "Ana", kHour, Kind::question);
    Post r = reply("r", q, "Sam", kMin);
    r.kind = Kind::question;
    CHECK_FALSE(shows_kind_chip(r));
}

TEST_CASE("hierarchy: a question is answered once someone other than its author replies") {
    const Post q = post("q", "Ana", kHour, Kind::question);
    std::vector<ShownPost> posts{ShownPost(q, LocalState::synced)};
    CHECK_FALSE(question_answered(q, posts, {}));
    CHECK(awaits_answer(q, false));
    CHECK_FALSE(awaits_answer(q, true));
    CHECK_FALSE(awaits_answer(post("i", "Ana", kHour), false));   // only questions wait

    posts.emplace_back(reply("own", q, "Ana", 30 * kMin), LocalState::synced);   // the author adds detail
    CHECK_FALSE(question_answered(q, posts, {1}));
    Post deleted = reply("del", q, "Sam", 20 * kMin);
    deleted.deleted = true;
    posts.emplace_back(deleted, LocalState::synced);
    Post hidden = reply("hid", q, "Sam", 20 * kMin);
    hidden.hidden = true;
    posts.emplace_back(hidden, LocalState::synced);
    Post refused = reply("ref", q, "Sam", 20 * kMin);
    refused.rev = 0;
    posts.emplace_back(refused, LocalState::failed);
    CHECK_FALSE(question_answered(q, posts, {1, 2, 3, 4}));
    posts.emplace_back(reply("ans", q, "Sam", 10 * kMin), LocalState::pending);   // sent or not: an answer
    CHECK(question_answered(q, posts, {1, 2, 3, 4, 5}));
}

TEST_CASE("hierarchy: Top lifts a fresh unanswered question above an older endorsed insight") {
    Post insight = post("insight", "Bea", 6 * kHour);
    insight.endorsements = 6;
    insight.leader_endorsed = true;
    Post pinned = post("pinned", "Casey", 5 * kDay);
    pinned.pinned = true;
    const Post question = post("question", "Ana", 3 * kHour, Kind::question);
    const Post plain = post("plain", "Dan", 2 * kHour);

    // Without the lift the question (one point, fresh) would sit under the endorsed insight.
    CHECK(post_score(insight, kNow) > post_score(question, kNow));
    CHECK(top_order({insight, plain, question, pinned}) == std::vector<std::string>{"pinned", "question", "insight", "plain"});

    // The author's own reply is not an answer: still lifted.
    const Post own = reply("own", question, "Ana", kHour);
    CHECK(top_order({insight, plain, question, pinned, own}) ==
          std::vector<std::string>{"pinned", "question", "insight", "plain"});

    // Someone else answers: back to its score.
    const Post answer = reply("answer", question, "Sam", 30 * kMin);
    CHECK(top_order({insight, plain, question, pinned, own, answer}) ==
          std::vector<std::string>{"pinned", "insight", "plain", "question"});

    // Not fresh any more (48 h): its score again, even unanswered.
    Post old_question = question;
    old_question.created_at_ms = kNow - 49 * kHour;
    CHECK(top_order({insight, plain, old_question, pinned}) == std::vector<std::string>{"pinned", "insight", "plain", "question"});
    CHECK(lifted_in_top(question, false, kNow));
    CHECK_FALSE(lifted_in_top(question, true, kNow));
    CHECK_FALSE(lifted_in_top(old_question, false, kNow));
    CHECK_FALSE(lifted_in_top(insight, false, kNow));

    // Several lifted questions: by score, then newest first; Newest is untouched.
    const Post older_q = post("older-q", "Eve", 20 * kHour, Kind::question);
    CHECK(top_order({older_q, insight, question}) == std::vector<std::string>{"question", "older-q", "insight"});
}

TEST_CASE("hierarchy: adding an answer to a lifted question leaves the rebuild to build_thread") {
    const Post question = post("question", "Ana", 3 * kHour, Kind::question);
    Post insight = post("insight", "Bea", 6 * kHour);
    insight.endorsements = 6;
    std::vector<ShownPost> posts{ShownPost(question, LocalState::synced), ShownPost(insight, LocalState::synced)};
    const Identity me{"u-reader", "Reader", Role::learner, true};
    ThreadModel m = build_thread(posts, ThreadOrder::top, me, kNow);
    REQUIRE(m.entries.front().id == "question");
    // The author's own reply: no move, added in place.
    posts.emplace_back(reply("own", question, "Ana", kHour), LocalState::synced);
    CHECK(add_to_thread(m, posts, posts.size() - 1, ThreadOrder::top, me, kNow).has_value());
    // An answer moves the question: declined (the caller rebuilds), model untouched.
    posts.emplace_back(reply("answer", question, "Sam", kMin), LocalState::pending);
    CHECK_FALSE(add_to_thread(m, posts, posts.size() - 1, ThreadOrder::top, me, kNow).has_value());
    CHECK(m.entries.front().replies.size() == 1);
    const ThreadModel full = build_thread(posts, ThreadOrder::top, me, kNow);
    CHECK(full.entries.front().id == "insight");
}

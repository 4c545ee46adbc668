// The widget's view model: pure functions from the discussion's data to what the UI shows.
// No ImGui here, so every rule (ordering, scoring, times, the counter, who sees which control)
// is tested natively on its own.
//
// [SECTION] Labels        kinds, roles
// [SECTION] Time          relative ("3 min ago") and exact ("Tue 25 Nov 2026, 22:40")
// [SECTION] Composer      the live counter and why Post is disabled
// [SECTION] Controls      which controls a person sees on a post
// [SECTION] Thread        Top score, pinned first, Top / Newest, replies, participation
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::int64_t
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <unordered_set>  // std::unordered_set
#include <vector>       // std::vector

#include "grove/client/discussion.hpp"
#include "grove/hash.hpp"   // fnv1a_32

namespace grove {

// [SECTION] Labels ---------------------------------------------------------------------------

std::string_view kind_label(Kind kind);          // "Insight", "Question", "Did you know", "Leader learning"
// Whether a card names its kind with a chip: top-level posts of every kind but the default
// (insight); replies never.
bool shows_kind_chip(const Post& post);
// An avatar's letters for a display name: the first character (a code point with the combining
// marks after it) of the first and of the last word, upper-cased where Latin, Greek or Cyrillic:
// "Zoë Ångström" -> "ZÅ", "李 小龍" -> "李小", "Madonna" -> "M". Words that start with something
// other than a letter or digit (an emoji, punctuation) are skipped; "" when no word is left.
std::string initials(std::string_view name);
// A stable number for an author id, which picks the avatar's colour.
inline std::uint32_t stable_hash(std::string_view text) { return fnv1a_32(text); }
// Where a post was written, for people: the module's title, or its key when it has none.
std::string module_name(const Post& post);
// The badge shown next to an author's name; empty for learners.
std::string_view role_badge(Role role);          // "Leader", "Curator", "Admin"
// Kinds offered by the composer to this role, in chip order.
std::vector<Kind> composer_kinds(Role role);
// A kind as the composer's chip says it: "I will…" for a commitment, "Suggest a resource" for a
// resource, else kind_label.
std::string_view composer_chip_label(Kind kind);
// The commitment lines of a post card (API 1.1), empty when there is nothing to say:
//   the latest answer, for everyone: "Done · 2 days ago", "Partly · yesterday", "Not yet · 3 h ago";
//   the next check-in, for the author only: "Check-in in 5 days", "Check-in today", "Check-in due".
std::string outcome_line(const Post& post, std::int64_t now_ms, int utc_offset_minutes = 0);
std::string check_in_line(const Post& post, const std::string& reader_id, std::int64_t now_ms);
// The check-in card's question: "A week ago you planned: “…”. How did it go?" (the plan cut to
// about 120 characters; "3 days ago", "2 weeks ago" as the time since it was made says).
std::string check_in_question(const Post& post, std::int64_t now_ms);

// A `resource` post as an entry for the shelf ("Add to shelf"): its first http(s) address, a
// title from the rest of its text (one line, at most 120 characters; the address's domain when
// nothing is left) and "Suggested by <name>" as the note. Nothing for other posts.
struct ShelfSuggestion {
    std::string title, url, note;
};
std::optional<ShelfSuggestion> shelf_suggestion(const Post& post);

// [SECTION] Time -----------------------------------------------------------------------------

// "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", then "12 Mar" or "12 Mar 2025".
// utc_offset_minutes is the reader's time zone (minutes east of UTC), used for calendar dates.
std::string relative_time(std::int64_t then_ms, std::int64_t now_ms, int utc_offset_minutes = 0);
// "Tue 25 Nov 2026, 22:40" in the reader's time zone: shown when hovering a relative time.
std::string exact_time(std::int64_t ms, int utc_offset_minutes = 0);
// "last synced 3 min ago", "last synced just now", or "not synced yet".
std::string last_synced_text(std::optional<std::int64_t> last_sync_ms, std::int64_t now_ms);

// [SECTION] Composer -------------------------------------------------------------------------

struct CounterView {
    enum class Level { ok, near, over };
    // Code points of the text as it would be sent (trimmed), so the counter and the Post button's
    // reason ("remove 3 characters") always name the same number.
    std::size_t used = 0;
    std::size_t max = kDefaultMaxBodyCodePoints;
    Level level = Level::ok;
    std::string text;            // "120 / 500", "12 left", "25 over the limit"
};
constexpr std::size_t kCounterWarnRemaining = 50;   // "near" from 450 of 500
CounterView composer_counter(std::string_view draft, std::size_t max = kDefaultMaxBodyCodePoints);

// Why the Post button is disabled (a sentence for the person), or empty when it can post.
std::string post_disabled_reason(std::string_view draft, bool can_send, std::size_t max = kDefaultMaxBodyCodePoints);

// [SECTION] Controls -------------------------------------------------------------------------

struct PostControls {
    bool own = false;        // written by the person reading
    bool endorse = false;    // the Endorse toggle (not on your own post, not before the server has it)
    bool reply = false;      // one level deep: top-level posts only, not one whose create was refused
    bool edit = false;       // own posts
    bool remove = false;     // own posts; curators and admins any
    bool flag = false;       // others' posts
    bool pin = false;        // curators and admins, top-level posts
    bool hide = false;       // curators and admins
    bool copy = false;       // copy the text
    bool menu() const { return edit || remove || flag || copy; }
};
PostControls controls_for(const ShownPost& post, const Identity& me);
bool is_own(const Post& post, const Identity& me);

// [SECTION] Thread ---------------------------------------------------------------------------

enum class ThreadOrder { top, newest };

// Top's score: endorsements, where a leader's or curator's endorsement (leader_endorsed) counts
// kTrustedEndorsementWeight times, plus one so fresh posts compete, halving every
// kScoreHalfLifeHours of age.
constexpr double kTrustedEndorsementWeight = 3.0;
constexpr double kScoreHalfLifeHours = 7 * 24.0;
double post_score(const Post& post, std::int64_t now_ms);

// Questions. A question is answered once someone other than its author has replied (a reply
// that is deleted, hidden by a curator or refused by the server does not count); until then its
// card says "Unanswered". For kFreshQuestionHours after it is asked, an unanswered question is
// lifted in Top: it comes right after the pinned posts, whatever the score of the rest, so a
// person who has just asked is seen by someone who can answer.
constexpr double kFreshQuestionHours = 48.0;
bool question_answered(const Post& question, const std::vector<ShownPost>& posts, const std::vector<std::size_t>& replies);
bool awaits_answer(const Post& post, bool answered);    // shows "Unanswered"
bool lifted_in_top(const Post& post, bool answered, std::int64_t now_ms);

// One top-level entry of the thread: a post (index into Discussion::posts()) and its replies,
// oldest first. A placeholder stands in for a parent the reader cannot see (deleted, or hidden
// from learners) so its replies keep their context.
struct ThreadEntry {
    std::optional<std::size_t> post;         // empty for a placeholder
    std::string id;                          // the top-level post's id (also for placeholders)
    std::vector<std::size_t> replies;
    bool pinned = false;
    bool parent_hidden = false;              // placeholder: hidden by a curator (else deleted)
};

struct ThreadModel {
    std::vector<ThreadEntry> entries;        // pinned first, then in the chosen order
    std::size_t pinned = 0;                  // how many entries at the front are pinned
    std::size_t visible_posts = 0;           // posts and replies the reader sees
};

// Builds the thread as `me` sees it: hidden posts only for curators/admins (learners see a
// placeholder when a hidden post has replies), pinned first (newest first among them), then
// Top (lifted questions, then score, ties newest first) or Newest.
// Ids in `first` (posts the person created in this session) come right after the pinned ones,
// so a new post is seen where it was written whatever the order.
ThreadModel build_thread(const std::vector<ShownPost>& posts, ThreadOrder order, const Identity& me,
                         std::int64_t now_ms, const std::unordered_set<std::string>* first = nullptr);

// One post added since `model` was built: `posts` is what build_thread saw with posts[added]
// added and nothing else changed (the other indices too). Puts the post where
// build_thread(posts, order, me, now_ms, first) would, with the now_ms of that build and `first`
// holding at most the new post's id more, so the result equals a full rebuild; for 10,000 posts a
// binary search instead of a sort. Returns the entry it went to (its own, or its parent's for a
// reply), or nothing, leaving `model` untouched, when the post changes more than its own place
// (hidden or deleted, needs a new placeholder, or would move one): build_thread then.
std::optional<std::size_t> add_to_thread(ThreadModel& model, const std::vector<ShownPost>& posts, std::size_t added,
                                         ThreadOrder order, const Identity& me, std::int64_t now_ms,
                                         const std::unordered_set<std::string>* first = nullptr);

// Distinct authors of the posts the reader can see, and whether `me` is one of them.
struct Participation {
    std::size_t authors = 0;
    bool includes_me = false;
};
Participation participation(const std::vector<ShownPost>& posts, const Identity& me);
// "Be the first to share here", "You have shared here", "12 colleagues have shared here",
// "You and 3 colleagues have shared here".
std::string participation_line(const Participation& p);

}  // namespace grove

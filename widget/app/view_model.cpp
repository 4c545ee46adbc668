#include "view_model.hpp"

#include <algorithm>       // std::partition_point, std::find_if
#include <cstdio>          // std::snprintf
#include <unordered_map>   // std::unordered_map
#include <unordered_set>   // std::unordered_set

#include "grove/order.hpp"       // stable_order
#include "grove/utf8.hpp"        // count_code_points, trim
#include "grove/validation.hpp"  // validate_body
#include "math.hpp"              // power

namespace grove {

// [SECTION] Labels ---------------------------------------------------------------------------

std::string_view kind_label(Kind kind) {
    switch (kind) {
        case Kind::insight: return "Insight";
        case Kind::question: return "Question";
        case Kind::tip: return "Did you know";
        case Kind::leader_learning: return "Leader learning";
        case Kind::resource: return "Resource";
        case Kind::commitment: return "Commitment";
    }
    return "Insight";
}

std::string module_name(const Post& p) { return p.module_title ? *p.module_title : p.module; }

bool shows_kind_chip(const Post& p) { return !p.parent_id && p.kind != Kind::insight; }

namespace {

// Combining marks, variation selectors and joiners: part of the character before them. (Not a
// virama: what follows it would be needed too, and the letter alone reads better.)
bool extends_character(std::uint32_t cp) {
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
           (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
           cp == 0x200C || cp == 0x200D || (cp >= 0xE0100 && cp <= 0xE01EF) ||
           (cp >= 0x0E31 && cp <= 0x0E3A && cp != 0x0E32 && cp != 0x0E33) || (cp >= 0x0E47 && cp <= 0x0E4E) ||
           (cp >= 0x0900 && cp <= 0x0903) || (cp >= 0x093A && cp <= 0x094F && cp != 0x094D) || (cp >= 0x0951 && cp <= 0x0957) ||
           (cp >= 0x0962 && cp <= 0x0963) || (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670;
}

// Not the start of a name: ASCII punctuation and symbols, Latin-1 punctuation, general
// punctuation, arrows, maths, technical and other symbols, dingbats, emoji, private use.
bool symbol_like(std::uint32_t cp) {
    if (cp < 0x80) return !((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'));
    return (cp >= 0x00A0 && cp <= 0x00BF) || cp == 0x00D7 || cp == 0x00F7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
           (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0x1F000 && cp <= 0x1FAFF) || extends_character(cp);
}

std::uint32_t upper(std::uint32_t cp) {
    if (cp >= 'a' && cp <= 'z') return cp - 0x20;
    if (cp >= 0x00E0 && cp <= 0x00FE && cp != 0x00F7) return cp - 0x20;                     // Latin-1
    if (cp >= 0x0100 && cp <= 0x017F && cp != 0x0131 && cp != 0x0138 && cp != 0x0149 && cp != 0x017F) {
        const bool odd_lower = (cp >= 0x0139 && cp <= 0x0148) || (cp >= 0x0179 && cp <= 0x017E);
        if (odd_lower ? cp % 2 == 0 : cp % 2 == 1) return cp - 1;                              // Latin Extended-A
        return cp;
    }
    if (cp >= 0x03B1 && cp <= 0x03C9 && cp != 0x03C2) return cp - 0x20;                     // Greek
    if (cp >= 0x0430 && cp <= 0x044F) return cp - 0x20;                                     // Cyrillic
    if (cp >= 0x0450 && cp <= 0x045F) return cp - 0x50;
    return cp;
}

}  // namespace

std::string initials(std::string_view name) {
    // The first character of each word that starts with a letter or digit.
    std::vector<std::string> firsts;
    std::size_t i = 0;
    while (i < name.size()) {
        std::uint32_t cp = 0;
        std::size_t n = decode_code_point(name, i, cp);
        if (n == 0) return {};   // not UTF-8: no letters to trust
        if (is_unicode_space(cp)) {
            i += n;
            continue;
        }
        // A word: [i, end).
        std::size_t end = i;
        while (end < name.size()) {
            std::uint32_t c = 0;
            const std::size_t m = decode_code_point(name, end, c);
            if (m == 0) return {};
            if (is_unicode_space(c)) break;
            end += m;
        }
        if (!symbol_like(cp)) {
            std::string first;
            append_utf8(first, upper(cp));
            std::size_t j = i + n;
            while (j < end) {
                std::uint32_t c = 0;
                const std::size_t m = decode_code_point(name, j, c);
                if (!extends_character(c)) break;
                first.append(name.substr(j, m));
                j += m;
            }
            firsts.push_back(std::move(first));
        }
        i = end;
    }
    if (firsts.empty()) return {};
    return firsts.size() == 1 ? firsts.front() : firsts.front() + firsts.back();
}

std::string_view role_badge(Role role) {
    switch (role) {
        case Role::leader: return "Leader";
        case Role::curator: return "Curator";
        case Role::admin: return "Admin";
        case Role::learner: return {};
    }
    return {};
}

std::vector<Kind> composer_kinds(Role role) {
    std::vector<Kind> kinds{Kind::insight, Kind::question, Kind::tip, Kind::commitment, Kind::resource};
    if (can_post_kind(role, Kind::leader_learning)) kinds.push_back(Kind::leader_learning);
    return kinds;
}

std::string_view composer_chip_label(Kind kind) {
    switch (kind) {
        case Kind::commitment: return "I will…";
        case Kind::resource: return "Suggest a resource";
        default: return kind_label(kind);
    }
}

// [SECTION] Time -----------------------------------------------------------------------------

namespace {

constexpr std::int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;

struct Civil {
    std::int64_t year;
    unsigned month, day, weekday;   // month 1..12, weekday 0 = Sunday
    unsigned hour, minute;
};

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Howard Hinnant's civil_from_days (public domain), proleptic Gregorian.
Civil civil(std::int64_t ms, int utc_offset_minutes) {
    const std::int64_t local = ms + static_cast<std::int64_t>(utc_offset_minutes) * kMinute;
    std::int64_t z = floor_div(local, kDay);
    const std::int64_t in_day = local - z * kDay;
    Civil c{};
    c.weekday = static_cast<unsigned>(((z % 7) + 11) % 7);   // 1970-01-01 was a Thursday
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    c.day = doy - (153 * mp + 2) / 5 + 1;
    c.month = mp < 10 ? mp + 3 : mp - 9;
    c.year = static_cast<std::int64_t>(yoe) + era * 400 + (c.month <= 2 ? 1 : 0);
    c.hour = static_cast<unsigned>(in_day / kHour);
    c.minute = static_cast<unsigned>((in_day % kHour) / kMinute);
    return c;
}

const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const char* const kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

std::string plural(std::int64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string relative_time(std::int64_t then_ms, std::int64_t now_ms, int utc_offset_minutes) {
    const std::int64_t age = now_ms - then_ms;
    if (age < kMinute) return "just now";   // also slightly in the future (clock skew)
    if (age < kHour) return std::to_string(age / kMinute) + " min ago";
    if (age < kDay) return std::to_string(age / kHour) + " h ago";
    const Civil then = civil(then_ms, utc_offset_minutes), now = civil(now_ms, utc_offset_minutes);
    const std::int64_t calendar_days = floor_div(now_ms + utc_offset_minutes * kMinute, kDay) -
                                       floor_div(then_ms + utc_offset_minutes * kMinute, kDay);
    if (calendar_days <= 1) return "yesterday";
    if (calendar_days < 7) return plural(calendar_days, "day", "days") + " ago";
    char buf[32];
    if (then.year == now.year) std::snprintf(buf, sizeof buf, "%u %s", then.day, kMonths[then.month - 1]);
    else std::snprintf(buf, sizeof buf, "%u %s %lld", then.day, kMonths[then.month - 1], static_cast<long long>(then.year));
    return buf;
}

std::string exact_time(std::int64_t ms, int utc_offset_minutes) {
    const Civil c = civil(ms, utc_offset_minutes);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s %u %s %lld, %02u:%02u", kWeekdays[c.weekday], c.day, kMonths[c.month - 1],
                  static_cast<long long>(c.year), c.hour, c.minute);
    return buf;
}

std::string last_synced_text(std::optional<std::int64_t> last_sync_ms, std::int64_t now_ms) {
    if (!last_sync_ms) return "not synced yet";
    return "last synced " + relative_time(*last_sync_ms, now_ms);
}

// [SECTION] Commitments ----------------------------------------------------------------------

std::string outcome_line(const Post& p, std::int64_t now_ms, int utc_offset_minutes) {
    if (p.kind != Kind::commitment || !p.outcome || p.deleted) return {};
    const char* what = *p.outcome == Outcome::done ? "Done" : *p.outcome == Outcome::partly ? "Partly" : "Not yet";
    std::string line = what;
    if (p.outcome_at_ms) line += " · " + relative_time(*p.outcome_at_ms, now_ms, utc_offset_minutes);
    return line;
}

std::string check_in_line(const Post& p, const std::string& reader_id, std::int64_t now_ms) {
    if (p.kind != Kind::commitment || p.deleted || !p.check_in_at_ms || reader_id.empty() || p.author.id != reader_id)
        return {};
    const std::int64_t left = *p.check_in_at_ms - now_ms;
    if (left <= 0) return "Check-in due";
    if (left < kDay) return "Check-in today";
    // Whole days, rounded up: a check-in 4 days and 2 hours away is "in 5 days".
    return "Check-in in " + plural((left + kDay - 1) / kDay, "day", "days");
}

std::string check_in_question(const Post& p, std::int64_t now_ms) {
    const std::int64_t days = (now_ms - p.created_at_ms) / kDay;
    std::string when = days < 1 ? "Today" : days == 1 ? "Yesterday" : days >= 6 && days <= 8 ? "A week ago"
                     : days < 14 ? plural(days, "day", "days") + " ago" : plural(days / 7, "week", "weeks") + " ago";
    constexpr std::size_t kMaxQuoted = 120;
    const std::string_view plan = prefix_code_points(p.body, kMaxQuoted);
    std::string quoted(plan);
    if (plan.size() < p.body.size()) quoted += "…";
    // The plan's own full stop ends the sentence: no second one after the quote.
    const char last = quoted.empty() ? ' ' : quoted.back();
    const bool ended = last == '.' || last == '!' || last == '?';
    return when + " you planned: “" + quoted + (ended ? "” How did it go?" : "”. How did it go?");
}

std::optional<ShelfSuggestion> shelf_suggestion(const Post& p) {
    if (p.kind != Kind::resource || p.deleted || p.body.empty()) return std::nullopt;
    const std::vector<TextSpan> urls = find_http_urls(p.body);
    if (urls.empty()) return std::nullopt;
    ShelfSuggestion s;
    s.url = p.body.substr(urls[0].offset, urls[0].length);
    std::string rest = p.body.substr(0, urls[0].offset) + " " + p.body.substr(urls[0].offset + urls[0].length);
    std::string title;   // white space (new lines included) as single spaces
    for (char c : rest) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (space && (title.empty() || title.back() == ' ')) continue;
        title += space ? ' ' : c;
    }
    title = trim(title);
    while (!title.empty() && (title.back() == ':' || title.back() == '-' || title.back() == '(' || title.back() == ' '))
        title.pop_back();
    const std::string_view cut = prefix_code_points(title, kMaxResourceTitleCodePoints);
    s.title = cut.size() < title.size() ? std::string(prefix_code_points(title, kMaxResourceTitleCodePoints - 1)) + "…"
                                        : title;
    if (s.title.empty()) s.title = url_host(s.url);
    s.note = "Suggested by " + (p.author.name.empty() ? std::string("a colleague") : p.author.name);
    if (count_code_points(s.note) > kMaxResourceNoteCodePoints)
        s.note = std::string(prefix_code_points(s.note, kMaxResourceNoteCodePoints));
    return s;
}

// [SECTION] Composer -------------------------------------------------------------------------

CounterView composer_counter(std::string_view draft, std::size_t max) {
    CounterView c;
    c.max = max;
    c.used = is_valid_utf8(draft) ? count_code_points(trim(draft)) : draft.size();
    if (c.used > max) {
        c.level = CounterView::Level::over;
        c.text = std::to_string(c.used - max) + " over the limit";
    } else if (max - c.used <= kCounterWarnRemaining) {
        c.level = CounterView::Level::near;
        c.text = plural(static_cast<std::int64_t>(max - c.used), "character", "characters") + " left";
    } else {
        c.text = std::to_string(c.used) + " / " + std::to_string(max);
    }
    return c;
}

std::string post_disabled_reason(std::string_view draft, bool can_send, std::size_t max) {
    if (!can_send) return "Posting is not available: the discussion service is not connected.";
    if (!is_valid_utf8(draft)) return "The text contains characters that cannot be sent.";
    const std::string body = trim(draft);
    if (body.empty()) return "Write something first.";
    const std::size_t n = count_code_points(body);
    if (n > max) {
        return "Too long: remove " + plural(static_cast<std::int64_t>(n - max), "character", "characters") +
               " (the limit is " + std::to_string(max) + ").";
    }
    return {};
}

// [SECTION] Controls -------------------------------------------------------------------------

bool is_own(const Post& post, const Identity& me) { return me.known && !me.id.empty() && post.author.id == me.id; }

PostControls controls_for(const ShownPost& sp, const Identity& me) {
    const Post& p = sp.post();
    PostControls c;
    c.own = is_own(p, me);
    if (p.deleted) return c;
    const bool moderator = me.known && can_moderate(me.role);
    const bool readable = !p.hidden || moderator;   // learners get hidden posts without a body
    // A post the server does not have yet cannot be endorsed, flagged or moderated.
    const bool on_server = p.rev > 0;
    c.endorse = !c.own && readable && on_server;
    // A post whose create the server refused will never have replies: fix or discard it first.
    const bool refused = sp.state == LocalState::failed && !on_server;
    c.reply = !p.parent_id && readable && !p.hidden && !refused;
    c.edit = c.own;
    c.remove = c.own || (moderator && on_server);
    c.flag = !c.own && readable && on_server && me.known;
    c.pin = moderator && on_server && !p.parent_id;
    c.hide = moderator && on_server;
    c.copy = readable && !p.body.empty();
    return c;
}

// [SECTION] Thread ---------------------------------------------------------------------------

double post_score(const Post& p, std::int64_t now_ms) {
    const double endorsements = static_cast<double>(p.endorsements < 0 ? 0 : p.endorsements);
    // leader_endorsed says at least one of the endorsements is trusted: count it as that many.
    const double weight = endorsements + (p.leader_endorsed ? kTrustedEndorsementWeight - 1.0 : 0.0) + 1.0;
    double age_hours = static_cast<double>(now_ms - p.created_at_ms) / static_cast<double>(kHour);
    if (age_hours < 0) age_hours = 0;
    return weight * power(0.5, age_hours / kScoreHalfLifeHours);
}

bool question_answered(const Post& q, const std::vector<ShownPost>& posts, const std::vector<std::size_t>& replies) {
    for (std::size_t r : replies) {
        const ShownPost& sp = posts[r];
        const Post& p = sp.post();
        if (p.deleted || p.hidden || sp.state == LocalState::failed) continue;
        if (p.author.id != q.author.id) return true;
    }
    return false;
}

bool awaits_answer(const Post& p, bool answered) {
    return p.kind == Kind::question && !p.parent_id && !p.deleted && !answered;
}

bool lifted_in_top(const Post& p, bool answered, std::int64_t now_ms) {
    if (!awaits_answer(p, answered) || p.hidden) return false;
    const double age_hours = static_cast<double>(now_ms - p.created_at_ms) / static_cast<double>(kHour);
    return age_hours < kFreshQuestionHours;
}

namespace {

// A deleted post stays while the person's refused write to it waits for Retry or Discard.
bool visible_post(const ShownPost& sp, bool moderator) {
    const Post& p = sp.post();
    return (!p.deleted || sp.state == LocalState::failed) && (!p.hidden || moderator);
}

// Replies: oldest first (ids break ties, so the order is total).
bool reply_before(const Post& a, const Post& b) {
    return a.created_at_ms != b.created_at_ms ? a.created_at_ms < b.created_at_ms : a.id < b.id;
}

// The order of top-level entries, shared by build_thread and add_to_thread so both place an
// entry alike. Total: entry ids are distinct and break every tie. Each entry's rank is worked out
// once (the sort compares each one many times): a hash lookup or a score per comparison made
// ordering 10,000 entries a large part of opening a big module.
struct Rank {
    bool pinned = false;
    bool first = false;           // written here this session: right after the pinned ones
    bool lifted = false;          // Top only: a fresh unanswered question (lifted_in_top)
    double score = 0.0;           // Top only
    std::int64_t created = 0;
    const std::string* id = nullptr;
};

struct EntryOrder {
    const std::vector<ShownPost>& posts;
    ThreadOrder order;
    std::int64_t now_ms;
    const std::unordered_set<std::string>* first;

    std::int64_t created(const ThreadEntry& e) const {
        if (e.post) return posts[*e.post].post().created_at_ms;
        return e.replies.empty() ? 0 : posts[e.replies.front()].post().created_at_ms;
    }
    bool lifted(const Post& p, const std::vector<std::size_t>& replies) const {
        return p.kind == Kind::question && lifted_in_top(p, question_answered(p, posts, replies), now_ms);
    }
    Rank rank(const ThreadEntry& e) const {
        Rank r;
        r.pinned = e.pinned;
        r.first = first && !e.pinned && !first->empty() && first->count(e.id) > 0;
        r.score = order == ThreadOrder::top && e.post ? post_score(posts[*e.post].post(), now_ms) : 0.0;
        r.lifted = order == ThreadOrder::top && e.post && lifted(posts[*e.post].post(), e.replies);
        r.created = created(e);
        r.id = &e.id;
        return r;
    }
    bool before(const Rank& a, const Rank& b) const {
        if (a.pinned != b.pinned) return a.pinned;
        if (a.first != b.first) return a.first;
        if (a.lifted != b.lifted) return a.lifted;
        if (order == ThreadOrder::top && !a.pinned && a.score != b.score) return a.score > b.score;
        return a.created != b.created ? a.created > b.created : *a.id > *b.id;
    }
};

// The entries in the thread's order: each ranked once, then a stable sort of their indices (no
// moves of entries while sorting).
void sort_entries(std::vector<ThreadEntry>& entries, const EntryOrder& order_of) {
    std::vector<Rank> rank(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) rank[i] = order_of.rank(entries[i]);
    const std::vector<std::size_t> idx =
        stable_order(entries.size(), [&](std::size_t a, std::size_t b) { return order_of.before(rank[a], rank[b]); });
    std::vector<ThreadEntry> sorted;
    sorted.reserve(idx.size());
    for (std::size_t i : idx) sorted.push_back(std::move(entries[i]));
    entries = std::move(sorted);
}

}  // namespace

ThreadModel build_thread(const std::vector<ShownPost>& posts, ThreadOrder order, const Identity& me,
                         std::int64_t now_ms, const std::unordered_set<std::string>* first) {
    const bool moderator = me.known && can_moderate(me.role);
    const auto visible = [&](const ShownPost& sp) { return visible_post(sp, moderator); };

    ThreadModel model;
    // Keyed by views of the ids in `posts` (which outlive this function): no copy of every id.
    std::unordered_map<std::string_view, std::size_t> top_index;   // post id -> entry
    top_index.reserve(posts.size());
    model.entries.reserve(posts.size());   // at most one entry per post: no moves of 10,000 entries
    // Top-level posts first (visible ones, and hidden ones kept as possible placeholders).
    std::vector<std::size_t> hidden_tops;
    for (std::size_t i = 0; i < posts.size(); ++i) {
        const Post& p = posts[i].post();
        if (p.parent_id) continue;
        if (!visible(posts[i])) {
            if (p.deleted) continue;
            hidden_tops.push_back(i);
            continue;
        }
        top_index.emplace(p.id, model.entries.size());
        ThreadEntry e;
        e.post = i;
        e.id = p.id;
        e.pinned = p.pinned;
        model.entries.push_back(std::move(e));
    }
    std::unordered_map<std::string_view, std::size_t> hidden_index;
    for (std::size_t i : hidden_tops) hidden_index.emplace(posts[i].post().id, i);

    // Replies: under their parent; under a placeholder when the parent is not visible.
    for (std::size_t i = 0; i < posts.size(); ++i) {
        const Post& p = posts[i].post();
        if (!p.parent_id || !visible(posts[i])) continue;
        auto it = top_index.find(*p.parent_id);
        if (it == top_index.end()) {
            ThreadEntry e;
            e.id = *p.parent_id;
            const auto h = hidden_index.find(*p.parent_id);
            if (h != hidden_index.end()) {   // learners: the hidden parent shows as a placeholder
                e.pinned = posts[h->second].post().pinned;
                e.parent_hidden = true;
            }
            it = top_index.emplace(std::string_view(*p.parent_id), model.entries.size()).first;
            model.entries.push_back(std::move(e));
        }
        model.entries[it->second].replies.push_back(i);
    }

    for (ThreadEntry& e : model.entries) {
        stable_order(e.replies, [&](std::size_t a, std::size_t b) { return reply_before(posts[a].post(), posts[b].post()); });
        model.visible_posts += (e.post ? 1 : 0) + e.replies.size();
    }
    sort_entries(model.entries, EntryOrder{posts, order, now_ms, first});
    for (const ThreadEntry& e : model.entries) model.pinned += e.pinned ? 1 : 0;
    return model;
}

std::optional<std::size_t> add_to_thread(ThreadModel& model, const std::vector<ShownPost>& posts, std::size_t added,
                                         ThreadOrder order, const Identity& me, std::int64_t now_ms,
                                         const std::unordered_set<std::string>* first) {
    if (added >= posts.size()) return std::nullopt;
    const ShownPost& sp = posts[added];
    const Post& p = sp.post();
    // Hidden or deleted posts may turn into placeholders or vanish: left to build_thread.
    if (p.deleted || p.hidden || !visible_post(sp, me.known && can_moderate(me.role))) return std::nullopt;
    const auto entry_of = [&](const std::string& id) {
        return std::find_if(model.entries.begin(), model.entries.end(), [&](const ThreadEntry& e) { return e.id == id; });
    };
    const EntryOrder order_of{posts, order, now_ms, first};
    // Replies waiting for it sit under a placeholder with its id, which it would change.
    if (entry_of(p.id) != model.entries.end()) return std::nullopt;

    if (p.parent_id) {
        const auto parent = entry_of(*p.parent_id);
        if (parent == model.entries.end()) return std::nullopt;   // would need a new placeholder
        std::vector<std::size_t>& replies = parent->replies;
        const auto at = std::partition_point(replies.begin(), replies.end(),
                                             [&](std::size_t r) { return reply_before(posts[r].post(), p); });
        // A placeholder is ordered by its oldest reply: a new oldest one would move it.
        if (!parent->post && at == replies.begin()) return std::nullopt;
        // An answer to a fresh question moves it down from among the lifted ones.
        if (parent->post && order == ThreadOrder::top) {
            const Post& q = posts[*parent->post].post();
            std::vector<std::size_t> with = replies;
            with.push_back(added);
            if (order_of.lifted(q, replies) != order_of.lifted(q, with)) return std::nullopt;
        }
        replies.insert(at, added);
        ++model.visible_posts;
        return static_cast<std::size_t>(parent - model.entries.begin());
    }

    ThreadEntry e;
    e.post = added;
    e.id = p.id;
    e.pinned = p.pinned;
    const Rank rank = order_of.rank(e);
    const auto at = std::partition_point(model.entries.begin(), model.entries.end(),
                                         [&](const ThreadEntry& x) { return order_of.before(order_of.rank(x), rank); });
    const std::size_t index = static_cast<std::size_t>(at - model.entries.begin());
    model.entries.insert(at, std::move(e));
    model.pinned += p.pinned ? 1 : 0;
    ++model.visible_posts;
    return index;
}

Participation participation(const std::vector<ShownPost>& posts, const Identity& me) {
    std::unordered_set<std::string> authors;
    Participation p;
    for (const ShownPost& sp : posts) {
        if (sp.post().deleted || sp.post().hidden) continue;
        authors.insert(sp.post().author.id);
        if (is_own(sp.post(), me)) p.includes_me = true;
    }
    p.authors = authors.size();
    return p;
}

std::string participation_line(const Participation& p) {
    if (p.authors == 0) return "Be the first to share here.";
    const std::size_t others = p.authors - (p.includes_me ? 1 : 0);
    const std::string colleagues = plural(static_cast<std::int64_t>(others), "colleague", "colleagues");
    if (p.includes_me) return others == 0 ? "You have shared here." : "You and " + colleagues + " have shared here.";
    return colleagues + (others == 1 ? " has" : " have") + " shared here.";
}

}  // namespace grove

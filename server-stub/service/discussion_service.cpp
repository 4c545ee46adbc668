#include "service/discussion_service.hpp"

#include <algorithm>   // std::find_if, std::min
#include <utility>     // std::move

#include "grove/utf8.hpp"         // prefix_code_points
#include "grove/validation.hpp"
#include "service/cursor.hpp"
#include "service/post_ids.hpp"

namespace grove {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr int kSpotlightLimit = 100;
constexpr int kFlagQueueLimit = 200;

ApiError no_such_post() { return ApiError::not_found("There is no such post."); }

ApiError bad_module() {
    return ApiError::bad_request("The module key must have 1 to 128 characters from A-Z, a-z, 0-9, '.', '_', ':' and '-'.",
                                 "module");
}

bool is_author(const Caller& caller, const Post& post) { return post.author.id == caller.id; }

// A hidden post waits for a curator: only curators and admins may touch it meanwhile, so an
// author cannot rewrite what the curator is about to read, and nobody builds on it.
ApiError under_review(const std::string& what, std::string field = {}) {
    return ApiError{403, "under_review",
                    "This post is hidden until a curator reviews it; it cannot be " + what + " until then.",
                    std::move(field)};
}

ApiError no_such_resource() { return ApiError::not_found("There is no such resource."); }

ApiError bad_days(int max) {
    return ApiError::bad_request("'days' must be a whole number from 1 to " + std::to_string(max) + ".", "days");
}

// Keeps the title a write carried for its module; true when it changed something.
bool keep_module_title(StorageTransaction& tx, const std::string& module, const std::optional<std::string>& title) {
    return title && tx.set_module_title(ModuleTitleChange{module, *title}) != 0;
}

std::int64_t start_of_day(std::int64_t ms) { return ms >= 0 ? ms / kDayMs * kDayMs : 0; }

// Every day from `first` to `last` (UTC midnights), zeros included, so charts need no gap filling.
std::vector<DayActivity> every_day(const std::vector<DayActivity>& active, std::int64_t first, std::int64_t last) {
    std::vector<DayActivity> filled;
    filled.reserve(static_cast<std::size_t>((last - first) / kDayMs + 1));
    auto it = active.begin();
    for (std::int64_t d = first; d <= last; d += kDayMs) {
        DayActivity day{d, 0, 0, 0, 0};
        while (it != active.end() && it->day_start_ms < d) ++it;
        if (it != active.end() && it->day_start_ms == d) day = *it;
        filled.push_back(day);
    }
    return filled;
}

}  // namespace

DiscussionService::DiscussionService(StorageEngine& storage, DiscussionRules rules, UnixMsClock clock)
    : storage_(storage), rules_(rules), clock_(std::move(clock)) {}

Post DiscussionService::shown_to(const Caller& caller, Post post) {
    // An outcome's note is the author's words too: it goes wherever the body goes.
    if (post.deleted || (post.hidden && !can_moderate(caller.role))) {
        post.body.clear();
        post.outcome_note.clear();
    }
    return post;
}

// -- [SECTION] Reads -----------------------------------------------------------------------

Expected<FeedAnswer> DiscussionService::feed(const Caller& caller, const FeedRequest& request) {
    if (!is_valid_module_key(request.module)) return bad_module();
    if (request.limit < 1 || request.limit > kMaxFeedLimit)
        return ApiError::bad_request("'limit' must be a whole number from 1 to 1000.", "limit");
    std::int64_t since_rev = 0;
    if (request.since) {
        auto rev = decode_feed_cursor(*request.since, request.module);
        if (!rev) return rev.error();
        since_rev = rev.value();
    }

    auto tx = storage_.begin_read();
    const std::int64_t last = tx->last_rev();
    if (since_rev > last)
        return ApiError::bad_request(
            "The cursor in 'since' is ahead of this server's data (was the database replaced?); sync again "
            "without 'since' to start over.",
            "since");
    ModulePostsPage page = tx->list_module_posts(
        ModulePostsQuery{request.module, since_rev, request.since.has_value(), request.limit, caller.id});

    FeedAnswer answer;
    answer.has_more = page.has_more;
    answer.snapshot_rev = last;
    // A full page ends at its last post; otherwise the reader has everything up to the snapshot.
    const std::int64_t cursor_rev = page.has_more ? page.posts.back().rev : last;
    answer.cursor = encode_feed_cursor(cursor_rev, request.module);
    answer.posts.reserve(page.posts.size());
    for (Post& p : page.posts) answer.posts.push_back(shown_to(caller, std::move(p)));
    return answer;
}

Expected<Post> DiscussionService::get_post(const Caller& caller, const std::string& id) {
    if (!is_valid_post_id(id)) return no_such_post();
    auto tx = storage_.begin_read();
    auto post = tx->find_post(PostQuery{id, caller.id});
    if (!post) return no_such_post();
    return shown_to(caller, std::move(*post));
}

Expected<std::vector<FlaggedPostRow>> DiscussionService::flag_queue(const Caller& caller) {
    if (!can_moderate(caller.role)) return ApiError::forbidden("Only curators and admins can read the flag queue.");
    auto tx = storage_.begin_read();
    auto rows = tx->list_flagged(FlagQueueQuery{kFlagQueueLimit, caller.id});
    for (auto& row : rows) row.post = shown_to(caller, std::move(row.post));
    return rows;
}

Expected<std::vector<Post>> DiscussionService::spotlight(const Caller& caller, int days) {
    if (days < 1 || days > kMaxSpotlightDays) return bad_days(kMaxSpotlightDays);
    auto tx = storage_.begin_read();
    // Hidden leader posts stay out of everyone's spotlight but the curators'.
    auto posts = tx->list_spotlight(SpotlightQuery{Kind::leader_learning, clock_() - days * kDayMs,
                                                   can_moderate(caller.role), kSpotlightLimit, caller.id});
    for (auto& p : posts) p = shown_to(caller, std::move(p));
    return posts;
}

Expected<StatsAnswer> DiscussionService::module_stats(const Caller& caller, const std::string& module, int days) {
    if (!can_read_stats(caller.role))
        return ApiError::forbidden("Only curators, leaders and admins can read a module's statistics.");
    if (!is_valid_module_key(module)) return bad_module();
    if (days < 1 || days > kMaxSpotlightDays) return bad_days(kMaxSpotlightDays);
    const std::int64_t today = start_of_day(clock_());
    const std::int64_t first = today - (days - 1) * kDayMs;
    auto tx = storage_.begin_read();
    ModuleStatsRow row = tx->module_stats(ModuleStatsQuery{module, first});
    row.per_day = every_day(row.per_day, first, today);
    return StatsAnswer{std::move(row)};
}

Expected<AllStatsAnswer> DiscussionService::all_stats(const Caller& caller, int days) {
    if (!can_read_stats(caller.role))
        return ApiError::forbidden("Only curators, leaders and admins can read statistics.");
    if (days < 1 || days > kMaxSpotlightDays) return bad_days(kMaxSpotlightDays);
    AllStatsAnswer a;
    a.last_day_ms = start_of_day(clock_());
    a.first_day_ms = a.last_day_ms - (days - 1) * kDayMs;
    auto tx = storage_.begin_read();
    a.all = tx->module_stats(ModuleStatsQuery{std::nullopt, a.first_day_ms});
    a.all.per_day = every_day(a.all.per_day, a.first_day_ms, a.last_day_ms);
    a.modules = tx->all_modules_stats(AllModulesStatsQuery{a.first_day_ms});
    for (ModuleStatsRow& row : a.modules) row.per_day = every_day(row.per_day, a.first_day_ms, a.last_day_ms);
    return a;
}

Expected<std::vector<Post>> DiscussionService::due_check_ins(const Caller& caller) {
    auto tx = storage_.begin_read();
    auto posts = tx->list_due_check_ins(DueCheckInsQuery{caller.id, clock_(), 100, caller.id});
    for (auto& p : posts) p = shown_to(caller, std::move(p));
    return posts;
}

Expected<std::vector<ModuleCountsRow>> DiscussionService::counts(const Caller&, const std::vector<std::string>& modules) {
    if (modules.empty() || modules.size() > kMaxCountModules)
        return ApiError::bad_request("'modules' must list 1 to 100 module keys, separated by commas.", "modules");
    for (const std::string& m : modules)
        if (!is_valid_module_key(m))
            return ApiError::bad_request("'modules' holds '" + std::string(prefix_code_points(m, 40)) +
                                             "', which is not a module key (1 to 128 of A-Z, a-z, 0-9, '.', '_', ':' "
                                             "and '-').",
                                         "modules");
    auto tx = storage_.begin_read();
    std::vector<ModuleCountsRow> known = tx->module_counts(ModuleCountsQuery{modules});
    // In the order asked, each once; modules nobody wrote in count 0.
    std::vector<ModuleCountsRow> rows;
    rows.reserve(modules.size());
    for (const std::string& m : modules) {
        bool seen = false;
        for (const ModuleCountsRow& r : rows) seen = seen || r.module == m;
        if (seen) continue;
        ModuleCountsRow row;
        row.module = m;
        for (const ModuleCountsRow& k : known)
            if (k.module == m) row = k;
        rows.push_back(std::move(row));
    }
    return rows;
}

Expected<DigestAnswer> DiscussionService::digest(const Caller& caller, int days) {
    if (days < 1 || days > kMaxDigestDays) return bad_days(kMaxDigestDays);
    DigestAnswer a;
    a.to_ms = clock_();
    a.from_ms = a.to_ms - days * kDayMs;
    auto tx = storage_.begin_read();
    // Hidden posts are left out for everyone here, curators included: a digest is published.
    a.leader_learnings =
        tx->list_spotlight(SpotlightQuery{Kind::leader_learning, a.from_ms, false, kSpotlightLimit, caller.id});
    a.top_posts = tx->list_top_posts(TopPostsQuery{a.from_ms, a.to_ms + 1, kTrustedEndorsementWeight, 10, caller.id});
    a.commitments = tx->commitment_totals(CommitmentTotalsQuery{a.from_ms, a.to_ms + 1});
    a.modules = tx->module_activity(ModuleActivityQuery{a.from_ms, a.to_ms + 1, 50});
    for (auto& p : a.leader_learnings) p = shown_to(caller, std::move(p));
    for (auto& p : a.top_posts) p = shown_to(caller, std::move(p));
    return a;
}

Expected<std::vector<Resource>> DiscussionService::resources(const Caller&, const std::string& module) {
    if (!is_valid_module_key(module)) return bad_module();
    auto tx = storage_.begin_read();
    return tx->list_resources(ModuleResourcesQuery{module});
}

// -- [SECTION] Writes ----------------------------------------------------------------------

Expected<CreateAnswer> DiscussionService::create_post(const Caller& caller, const std::string& module,
                                                      CreatePostRequest request) {
    if (!is_valid_module_key(module)) return bad_module();
    const std::int64_t now = clock_();
    auto tx = storage_.begin_write();
    if (request.id.empty()) {
        do request.id = new_post_id(now);
        while (tx->find_post(PostQuery{request.id, caller.id}));
    } else if (auto existing = tx->find_post(PostQuery{request.id, caller.id})) {
        // The same author retrying in the same module gets the stored post back, unchanged.
        if (is_author(caller, *existing) && existing->module == module) {
            if (keep_module_title(*tx, module, request.module_title)) {
                existing = tx->find_post(PostQuery{request.id, caller.id});
                tx->commit();
            }
            return CreateAnswer{shown_to(caller, std::move(*existing)), false};
        }
        return ApiError::conflict("The post id '" + request.id + "' is already used by another post; choose a new id.");
    }
    if (request.parent_id) {
        auto parent = tx->find_post(PostQuery{*request.parent_id, caller.id});
        if (!parent || parent->module != module)
            return ApiError::invalid_field("parent_id", "The post you are replying to does not exist in this module.");
        if (parent->parent_id)
            return ApiError::invalid_field("parent_id", "Replies are one level deep: reply to the top-level post.");
        if (parent->deleted)
            return ApiError::invalid_field("parent_id", "The post you are replying to was deleted.");
        if (parent->hidden && !can_moderate(caller.role)) return under_review("replied to", "parent_id");
    }
    std::optional<std::int64_t> check_in;
    if (request.kind == Kind::commitment) check_in = now + rules_.check_in_days * kDayMs;
    tx->insert_post(NewPost{request.id, module, request.parent_id, request.kind, request.body,
                            Author{caller.id, caller.name, caller.role}, now, check_in});
    keep_module_title(*tx, module, request.module_title);
    auto stored = tx->find_post(PostQuery{request.id, caller.id});
    if (!stored) throw StorageError("a post vanished right after it was written: " + request.id);
    tx->commit();
    return CreateAnswer{shown_to(caller, std::move(*stored)), true};
}

Expected<Post> DiscussionService::patch_post(const Caller& caller, const std::string& id,
                                             const PatchPostRequest& request) {
    if (!is_valid_post_id(id)) return no_such_post();
    auto tx = storage_.begin_write();
    auto post = tx->find_post(PostQuery{id, caller.id});
    if (!post || post->deleted) return no_such_post();
    if (request.body && !is_author(caller, *post) && caller.role != Role::admin)
        return ApiError::forbidden("Only the author can edit a post.");
    if ((request.pinned || request.hidden) && !can_moderate(caller.role))
        return ApiError::forbidden("Only curators and admins can pin or hide posts.");
    if (request.body && post->hidden && !can_moderate(caller.role)) return under_review("edited", "body");
    if (request.body)
        if (auto kind_rule = check_body_for_kind(post->kind, *request.body)) return *kind_rule;

    PostUpdate update{id, {}, {}, {}, {}, false, false};
    bool changed = false;
    if (request.body && *request.body != post->body) {
        update.body = request.body;
        update.edited_at_ms = clock_();
        changed = true;
    }
    if (request.pinned && *request.pinned != post->pinned) {
        update.pinned = request.pinned;
        changed = true;
    }
    if (request.hidden && *request.hidden != post->hidden) {
        update.hidden = request.hidden;
        changed = true;
    }
    // Setting `hidden` is a curator's decision: the open flags are settled either way, and a hide
    // the flags made becomes the curator's (dismissing later flags does not undo it). Neither is
    // visible post state, so "hidden: true" again keeps the post's rev.
    if (request.hidden) tx->resolve_flags(FlagResolution{id, clock_(), /*curator_decides=*/true});
    if (changed) tx->update_post(update);
    if (keep_module_title(*tx, post->module, request.module_title) || changed) {
        post = tx->find_post(PostQuery{id, caller.id});
        if (!post) throw StorageError("a post vanished while it was edited: " + id);
    }
    tx->commit();
    return shown_to(caller, std::move(*post));
}

Expected<Post> DiscussionService::delete_post(const Caller& caller, const std::string& id,
                                              const std::optional<std::string>& module_title) {
    if (!is_valid_post_id(id)) return no_such_post();
    auto tx = storage_.begin_write();
    auto post = tx->find_post(PostQuery{id, caller.id});
    if (!post) return no_such_post();
    if (!is_author(caller, *post) && !can_moderate(caller.role))
        return ApiError::forbidden("Only the author, a curator or an admin can delete a post.");
    bool changed = keep_module_title(*tx, post->module, module_title);
    if (!post->deleted) {
        PostUpdate update{id, {}, {}, {}, {}, true, false};
        tx->update_post(update);
        tx->resolve_flags(FlagResolution{id, clock_()});
        changed = true;
    }
    if (changed) {
        post = tx->find_post(PostQuery{id, caller.id});
        if (!post) throw StorageError("a post vanished while it was deleted: " + id);
    }
    tx->commit();
    return shown_to(caller, std::move(*post));
}

Expected<EndorsementAnswer> DiscussionService::set_endorsement(const Caller& caller, const std::string& id,
                                                               bool endorsed,
                                                               const std::optional<std::string>& module_title) {
    if (!is_valid_post_id(id)) return no_such_post();
    auto tx = storage_.begin_write();
    auto post = tx->find_post(PostQuery{id, caller.id});
    if (!post) return no_such_post();
    const EndorsementChange change{id, caller.id, endorsement_is_trusted(caller.role), clock_()};
    if (endorsed) {
        if (post->deleted) return no_such_post();
        if (is_author(caller, *post)) return ApiError::own_post();
        if (post->hidden && !can_moderate(caller.role)) return under_review("endorsed");
    }
    const bool titled = keep_module_title(*tx, post->module, module_title);
    if (endorsed ? tx->add_endorsement(change) == 0 : tx->remove_endorsement(change) == 0) {
        if (titled) tx->commit();
        return EndorsementAnswer{post->endorsements, endorsed};
    }
    post = tx->find_post(PostQuery{id, caller.id});
    if (!post) throw StorageError("a post vanished while it was endorsed: " + id);
    tx->commit();
    return EndorsementAnswer{post->endorsements, post->endorsed_by_me};
}

Expected<bool> DiscussionService::flag_post(const Caller& caller, const std::string& id, const FlagRequest& request) {
    if (!is_valid_post_id(id)) return no_such_post();
    auto tx = storage_.begin_write();
    auto post = tx->find_post(PostQuery{id, caller.id});
    if (!post || post->deleted) return no_such_post();
    const bool added = tx->add_flag(NewFlag{id, caller.id, request.reason, clock_(), request.details});
    if (added && rules_.auto_hide_flags > 0 && !post->hidden &&
        tx->post_moderation(PostModerationQuery{id}).open_flags >= rules_.auto_hide_flags) {
        PostUpdate hide{id, {}, {}, {}, true, false, /*hidden_by_flags=*/true};
        tx->update_post(hide);
    }
    const bool titled = keep_module_title(*tx, post->module, request.module_title);
    if (added || titled) tx->commit();
    return added;
}

Expected<Post> DiscussionService::dismiss_flags(const Caller& caller, const std::string& id,
                                                const std::optional<std::string>& module_title) {
    if (!can_moderate(caller.role)) return ApiError::forbidden("Only curators and admins can dismiss flags.");
    if (!is_valid_post_id(id)) return no_such_post();
    auto tx = storage_.begin_write();
    auto post = tx->find_post(PostQuery{id, caller.id});
    if (!post) return no_such_post();
    // Deleting settled the flags already; a retried dismissal of a post deleted meanwhile is
    // answered like the first (as DELETE endorsement of a deleted post is).
    if (post->deleted) return shown_to(caller, std::move(*post));
    const PostModeration before = tx->post_moderation(PostModerationQuery{id});
    bool changed = tx->resolve_flags(FlagResolution{id, clock_()}) > 0;
    // Flags hid it and a curator now says they were wrong; a curator's own hide stays.
    if (post->hidden && before.hidden_by_flags) {
        tx->update_post(PostUpdate{id, {}, {}, {}, false, false, false});
        changed = true;
    }
    changed = keep_module_title(*tx, post->module, module_title) || changed;
    if (changed) {
        post = tx->find_post(PostQuery{id, caller.id});
        if (!post) throw StorageError("a post vanished while its flags were dismissed: " + id);
        tx->commit();
    }
    return shown_to(caller, std::move(*post));
}

Expected<Post> DiscussionService::record_outcome(const Caller& caller, const std::string& id,
                                                 const OutcomeRequest& request) {
    if (!is_valid_post_id(id)) return no_such_post();
    auto tx = storage_.begin_write();
    auto post = tx->find_post(PostQuery{id, caller.id});
    if (!post || post->deleted) return no_such_post();
    if (!is_author(caller, *post)) return ApiError::forbidden("Only the author can say how their commitment went.");
    if (post->kind != Kind::commitment)
        return ApiError::invalid_field("kind", "Only commitments have check-ins; this post is a " +
                                                   std::string(to_string(post->kind)) + ".");
    if (post->hidden && !can_moderate(caller.role))
        return ApiError::forbidden("A curator hid this post, so it cannot be changed now.");
    const std::int64_t now = clock_();
    // The same answer again while no check-in is due is a retry (a lost response): nothing
    // changes. The same answer at the next check-in is a new answer and counts.
    const bool due = post->check_in_at_ms && *post->check_in_at_ms <= now;
    const bool same = post->outcome == request.outcome && post->outcome_note == request.note;
    bool changed = false;
    if (!same || due) {
        const std::int64_t check_ins = post->check_ins + 1;
        std::optional<std::int64_t> next;
        if (request.outcome != Outcome::done && check_ins < kMaxCheckIns) next = now + rules_.check_in_days * kDayMs;
        if (tx->record_outcome(OutcomeRecord{id, request.outcome, request.note, now, next, check_ins}) == 0)
            throw StorageError("a post vanished while its outcome was recorded: " + id);
        changed = true;
    }
    changed = keep_module_title(*tx, post->module, request.module_title) || changed;
    if (changed) {
        post = tx->find_post(PostQuery{id, caller.id});
        if (!post) throw StorageError("a post vanished while its outcome was recorded: " + id);
        tx->commit();
    }
    return shown_to(caller, std::move(*post));
}

// -- [SECTION] Resources -----------------------------------------------------------------------

namespace {

ApiError not_curator() { return ApiError::forbidden("Only curators and admins can change a module's resources."); }

// Gives the shelf's resources the positions 0..n-1 in the given order; true if any changed.
bool renumber(StorageTransaction& tx, const std::vector<Resource>& shelf) {
    bool changed = false;
    for (std::size_t i = 0; i < shelf.size(); ++i) {
        const auto position = static_cast<std::int64_t>(i);
        if (shelf[i].position == position) continue;
        ResourceUpdate u;
        u.id = shelf[i].id;
        u.position = position;
        tx.update_resource(u);
        changed = true;
    }
    return changed;
}

}  // namespace

Expected<ResourceAnswer> DiscussionService::create_resource(const Caller& caller, const std::string& module,
                                                            CreateResourceRequest request) {
    if (!can_curate_resources(caller.role)) return not_curator();
    if (!is_valid_module_key(module)) return bad_module();
    const std::int64_t now = clock_();
    auto tx = storage_.begin_write();
    if (request.id.empty()) {
        do request.id = new_post_id(now);
        while (tx->find_resource(ResourceQuery{request.id}));
    } else if (auto existing = tx->find_resource(ResourceQuery{request.id})) {
        // The same curator retrying in the same module gets the stored resource back, unchanged
        // (marked deleted if it was removed meanwhile: a retry never brings one back).
        if (existing->added_by.id == caller.id && existing->module == module) {
            if (keep_module_title(*tx, module, request.module_title)) tx->commit();
            return ResourceAnswer{std::move(*existing), false};
        }
        return ApiError::conflict("The resource id '" + request.id + "' is already used; choose a new id.");
    }
    const std::vector<Resource> shelf = tx->list_resources(ModuleResourcesQuery{module});
    if (shelf.size() >= kMaxResourcesPerModule)
        return ApiError::too_long("resources", "This module's shelf already holds " +
                                                   std::to_string(kMaxResourcesPerModule) +
                                                   " resources; remove one before adding another.");
    renumber(*tx, shelf);
    tx->insert_resource(NewResource{request.id, module, request.title, request.url, request.note,
                                    Author{caller.id, caller.name, caller.role}, now,
                                    static_cast<std::int64_t>(shelf.size())});
    keep_module_title(*tx, module, request.module_title);
    auto stored = tx->find_resource(ResourceQuery{request.id});
    if (!stored) throw StorageError("a resource vanished right after it was written: " + request.id);
    tx->commit();
    return ResourceAnswer{std::move(*stored), true};
}

Expected<Resource> DiscussionService::patch_resource(const Caller& caller, const std::string& id,
                                                     const PatchResourceRequest& request) {
    if (!can_curate_resources(caller.role)) return not_curator();
    if (!is_valid_post_id(id)) return no_such_resource();
    auto tx = storage_.begin_write();
    auto resource = tx->find_resource(ResourceQuery{id});
    if (!resource || resource->deleted) return no_such_resource();

    ResourceUpdate update;
    update.id = id;
    if (request.title && *request.title != resource->title) update.title = request.title;
    if (request.url && *request.url != resource->url) update.url = request.url;
    if (request.note && *request.note != resource->note) update.note = request.note;
    bool changed = update.title || update.url || update.note;
    if (changed) tx->update_resource(update);
    if (request.position) {
        // Moving one resource shifts the ones between its old and new place by one, so the
        // shelf stays numbered 0..n-1; a position past the end means last.
        std::vector<Resource> shelf = tx->list_resources(ModuleResourcesQuery{resource->module});
        const auto from = std::find_if(shelf.begin(), shelf.end(), [&](const Resource& r) { return r.id == id; });
        if (from == shelf.end()) throw StorageError("a resource is missing from its shelf: " + id);
        Resource moving = *from;
        shelf.erase(from);
        const auto to = static_cast<std::size_t>(std::min<std::int64_t>(*request.position, static_cast<std::int64_t>(shelf.size())));
        shelf.insert(shelf.begin() + static_cast<std::ptrdiff_t>(to), moving);
        changed = renumber(*tx, shelf) || changed;
    }
    changed = keep_module_title(*tx, resource->module, request.module_title) || changed;
    if (changed) {
        resource = tx->find_resource(ResourceQuery{id});
        if (!resource) throw StorageError("a resource vanished while it was edited: " + id);
        tx->commit();
    }
    return std::move(*resource);
}

Expected<Resource> DiscussionService::delete_resource(const Caller& caller, const std::string& id,
                                                      const std::optional<std::string>& module_title) {
    if (!can_curate_resources(caller.role)) return not_curator();
    if (!is_valid_post_id(id)) return no_such_resource();
    auto tx = storage_.begin_write();
    auto resource = tx->find_resource(ResourceQuery{id});
    if (!resource) return no_such_resource();
    bool changed = keep_module_title(*tx, resource->module, module_title);
    if (!resource->deleted) {
        ResourceUpdate update;
        update.id = id;
        update.mark_deleted = true;
        tx->update_resource(update);
        // The ones after it move up: the shelf stays numbered 0..n-1.
        renumber(*tx, tx->list_resources(ModuleResourcesQuery{resource->module}));
        changed = true;
    }
    if (changed) {
        resource = tx->find_resource(ResourceQuery{id});
        if (!resource) throw StorageError("a resource vanished while it was deleted: " + id);
        tx->commit();
    }
    return std::move(*resource);
}

}  // namespace grove

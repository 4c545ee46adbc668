#include "service/discussion_service.hpp"

#include <algorithm>   // std::max
#include <utility>     // std::move

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

}  // namespace

DiscussionService::DiscussionService(StorageEngine& storage, DiscussionRules rules, UnixMsClock clock)
    : storage_(storage), rules_(rules), clock_(std::move(clock)) {}

Post DiscussionService::shown_to(const Caller& caller, Post post) {
    if (post.deleted || (post.hidden && !can_moderate(caller.role))) post.body.clear();
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
    if (days < 1 || days > kMaxSpotlightDays)
        return ApiError::bad_request("'days' must be a whole number from 1 to 365.", "days");
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
    if (days < 1 || days > kMaxSpotlightDays)
        return ApiError::bad_request("'days' must be a whole number from 1 to 365.", "days");
    const std::int64_t now = clock_();
    const std::int64_t today = now >= 0 ? now / kDayMs * kDayMs : 0;
    const std::int64_t first = today - (days - 1) * kDayMs;
    auto tx = storage_.begin_read();
    ModuleStatsRow row = tx->module_stats(ModuleStatsQuery{module, first});
    // Every day of the range, zeros included, so charts need no gap filling.
    std::vector<DayActivity> filled;
    filled.reserve(static_cast<std::size_t>(days));
    auto it = row.per_day.begin();
    for (std::int64_t d = first; d <= today; d += kDayMs) {
        DayActivity day{d, 0, 0};
        while (it != row.per_day.end() && it->day_start_ms < d) ++it;
        if (it != row.per_day.end() && it->day_start_ms == d) day = *it;
        filled.push_back(day);
    }
    row.per_day = std::move(filled);
    return StatsAnswer{std::move(row)};
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
        if (is_author(caller, *existing) && existing->module == module)
            return CreateAnswer{shown_to(caller, std::move(*existing)), false};
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
    tx->insert_post(NewPost{request.id, module, request.parent_id, request.kind, request.body,
                            Author{caller.id, caller.name, caller.role}, now});
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

    PostUpdate update{id, {}, {}, {}, {}, false};
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
    // Setting `hidden` is a curator's decision: the open flags are settled either way.
    if (request.hidden) tx->resolve_flags(id, clock_());
    if (changed) {
        tx->update_post(update);
        post = tx->find_post(PostQuery{id, caller.id});
        if (!post) throw StorageError("a post vanished while it was edited: " + id);
    }
    tx->commit();
    return shown_to(caller, std::move(*post));
}

Expected<Post> DiscussionService::delete_post(const Caller& caller, const std::string& id) {
    if (!is_valid_post_id(id)) return no_such_post();
    auto tx = storage_.begin_write();
    auto post = tx->find_post(PostQuery{id, caller.id});
    if (!post) return no_such_post();
    if (!is_author(caller, *post) && !can_moderate(caller.role))
        return ApiError::forbidden("Only the author, a curator or an admin can delete a post.");
    if (!post->deleted) {
        PostUpdate update{id, {}, {}, {}, {}, true};
        tx->update_post(update);
        tx->resolve_flags(id, clock_());
        post = tx->find_post(PostQuery{id, caller.id});
        if (!post) throw StorageError("a post vanished while it was deleted: " + id);
    }
    tx->commit();
    return shown_to(caller, std::move(*post));
}

Expected<EndorsementAnswer> DiscussionService::set_endorsement(const Caller& caller, const std::string& id,
                                                               bool endorsed) {
    if (!is_valid_post_id(id)) return no_such_post();
    auto tx = storage_.begin_write();
    auto post = tx->find_post(PostQuery{id, caller.id});
    if (!post) return no_such_post();
    const EndorsementChange change{id, caller.id, endorsement_is_trusted(caller.role), clock_()};
    if (endorsed) {
        if (post->deleted) return no_such_post();
        if (is_author(caller, *post)) return ApiError::own_post();
        if (post->hidden && !can_moderate(caller.role)) return under_review("endorsed");
        if (tx->add_endorsement(change) == 0) return EndorsementAnswer{post->endorsements, true};
    } else if (tx->remove_endorsement(change) == 0) {
        return EndorsementAnswer{post->endorsements, false};
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
    const bool added = tx->add_flag(NewFlag{id, caller.id, request.reason, clock_()});
    if (added && rules_.auto_hide_flags > 0 && !post->hidden && tx->count_open_flags(id) >= rules_.auto_hide_flags) {
        PostUpdate hide{id, {}, {}, {}, true, false};
        tx->update_post(hide);
    }
    if (added) tx->commit();
    return added;
}

}  // namespace grove

#include "ui_memory_discussion.hpp"

#include <algorithm>   // std::find_if

#include "grove/validation.hpp"   // validate_body

namespace grove::testing {

MemoryDiscussion::MemoryDiscussion(std::string module) : module_(std::move(module)) {
    status_.online = true;
    status_.last_sync_ms = now_ms - 60'000;
}

void MemoryDiscussion::sign_in(std::string id, std::string name, Role role) {
    me_.id = std::move(id);
    me_.name = std::move(name);
    me_.role = role;
    me_.known = true;
    ++revision_;
}

ShownPost& MemoryDiscussion::add(Post post, LocalState state) {
    if (post.module.empty()) post.module = module_;
    posts_.push_back(ShownPost(std::move(post), state));
    ++revision_;
    return posts_.back();
}

Post MemoryDiscussion::make(std::string id, std::string author, std::string body, std::int64_t age_ms) const {
    Post p;
    p.id = std::move(id);
    p.module = module_;
    p.body = std::move(body);
    p.author = Author{"u-" + author, author, Role::learner};
    p.created_at_ms = now_ms - age_ms;
    p.rev = 1;
    return p;
}

void MemoryDiscussion::fill_sample(int n) {
    sign_in("u-sam", "Sam", Role::learner);
    const char* bodies[] = {"Short and sharp.",
                            "A medium length reflection about what the module changed in how I work with my team.",
                            "A long one. The module made me realise how little I knew about the extinguishers on our "
                            "floor: which class they are, where they hang, and who checks them. I walked the floor "
                            "afterwards and found one behind a stack of boxes. We moved the boxes, and told facilities."};
    for (int i = 0; i < n; ++i) {
        Post p = make("p" + std::to_string(i), "Person " + std::to_string(i % 37), bodies[i % 3], (i + 1) * 60'000LL);
        p.endorsements = i % 7;
        p.leader_endorsed = i % 11 == 0;
        add(p);
        if (i % 10 == 0) {
            Post r = make("r" + std::to_string(i), "Replier", "A reply to that.", i * 60'000LL);
            r.parent_id = p.id;
            add(r);
        }
    }
}

void MemoryDiscussion::set_spotlight(std::vector<Post> posts) {
    spotlight_ = std::move(posts);
    ++revision_;
}
void MemoryDiscussion::set_flags(std::vector<FlagEntry> flags) {
    flags_ = std::move(flags);
    ++revision_;
}
void MemoryDiscussion::set_status(SyncStatus s) {
    status_ = s;
    ++revision_;
}

ShownPost* MemoryDiscussion::find(const std::string& id) {
    const auto it = std::find_if(posts_.begin(), posts_.end(), [&](const ShownPost& p) { return p.post().id == id; });
    return it == posts_.end() ? nullptr : &*it;
}

void MemoryDiscussion::fail(const std::string& id, std::string message) {
    if (ShownPost* p = find(id)) {
        p->state = LocalState::failed;
        p->error = std::move(message);
        p->failed_write = next_write_++;
    }
    ++revision_;
}

void MemoryDiscussion::set_draft(std::string text) {
    draft_ = std::move(text);
    ++revision_;
}

Expected<Post> MemoryDiscussion::create(Kind kind, std::string body, std::optional<std::string> parent_id) {
    auto checked = validate_body(body);
    if (!checked) return checked.error();
    if (!can_post_kind(me_.role, kind)) return ApiError::forbidden("Only leaders can post leader learnings.");
    if (parent_id) {
        const ShownPost* parent = find(*parent_id);
        if (!parent) return ApiError::not_found("The post you are replying to no longer exists.");
        if (parent->post().parent_id)
            return ApiError::invalid_field("parent_id", "Replies are one level deep: reply to the top-level post.");
    }
    Post p;
    p.id = "local-" + std::to_string(next_id_++);
    p.module = module_;
    p.parent_id = parent_id;
    p.kind = kind;
    p.body = std::move(checked).value();
    p.author = Author{me_.id, me_.name, me_.role};
    p.created_at_ms = now_ms;
    calls.push_back("create " + std::string(to_string(kind)) + (parent_id ? " reply-to " + *parent_id : "") + " " + p.body);
    add(p, LocalState::pending);
    return p;
}

std::optional<ApiError> MemoryDiscussion::edit(const std::string& id, std::string body) {
    auto checked = validate_body(body);
    if (!checked) return checked.error();
    ShownPost* p = find(id);
    if (!p) return ApiError::not_found("This post no longer exists.");
    if (p->post().author.id != me_.id) return ApiError::forbidden("You can only edit your own posts.");
    p->own_post().body = checked.value();
    p->own_post().edited_at_ms = now_ms;
    p->state = LocalState::pending;
    calls.push_back("edit " + id + " " + checked.value());
    ++revision_;
    return std::nullopt;
}

std::optional<ApiError> MemoryDiscussion::remove(const std::string& id) {
    const auto it = std::find_if(posts_.begin(), posts_.end(), [&](const ShownPost& p) { return p.post().id == id; });
    if (it == posts_.end()) return ApiError::not_found("This post no longer exists.");
    if (it->post().author.id != me_.id && !can_moderate(me_.role)) return ApiError::forbidden("Not yours to delete.");
    posts_.erase(it);
    calls.push_back("remove " + id);
    ++revision_;
    return std::nullopt;
}

std::optional<ApiError> MemoryDiscussion::endorse(const std::string& id, bool endorsed) {
    ShownPost* p = find(id);
    if (!p) return ApiError::not_found("This post no longer exists.");
    if (p->post().author.id == me_.id) return ApiError::own_post();
    if (p->post().endorsed_by_me != endorsed) {
        p->own_post().endorsements += endorsed ? 1 : -1;
        p->own_post().endorsed_by_me = endorsed;
    }
    if (endorsed && endorsement_is_trusted(me_.role)) p->own_post().leader_endorsed = true;
    p->state = LocalState::pending;
    calls.push_back("endorse " + id + (endorsed ? " on" : " off"));
    ++revision_;
    return std::nullopt;
}

std::optional<ApiError> MemoryDiscussion::flag(const std::string& id, std::string reason, std::string details) {
    if (!find(id)) return ApiError::not_found("This post no longer exists.");
    calls.push_back("flag " + id + " " + reason + (details.empty() ? std::string() : " | " + details));
    held_flags_.insert(id);
    ++revision_;
    return std::nullopt;
}

bool MemoryDiscussion::undo_flag(const std::string& id) {
    if (!held_flags_.erase(id)) return false;
    calls.push_back("unflag " + id);
    ++revision_;
    return true;
}

std::optional<ApiError> MemoryDiscussion::pin(const std::string& id, bool pinned) {
    if (!can_moderate(me_.role)) return ApiError::forbidden("Only curators can pin posts.");
    ShownPost* p = find(id);
    if (!p) return ApiError::not_found("This post no longer exists.");
    p->own_post().pinned = pinned;
    calls.push_back("pin " + id + (pinned ? " on" : " off"));
    ++revision_;
    return std::nullopt;
}

std::optional<ApiError> MemoryDiscussion::hide(const std::string& id, bool hidden) {
    if (!can_moderate(me_.role)) return ApiError::forbidden("Only curators can hide posts.");
    ShownPost* p = find(id);
    if (!p) return ApiError::not_found("This post no longer exists.");
    p->own_post().hidden = hidden;
    calls.push_back("hide " + id + (hidden ? " on" : " off"));
    ++revision_;
    return std::nullopt;
}

std::optional<ApiError> MemoryDiscussion::keep_visible(const std::string& id) {
    if (!can_moderate(me_.role)) return ApiError::forbidden("Only curators can keep a flagged post visible.");
    for (auto it = flags_.begin(); it != flags_.end(); ++it) {
        if (it->post.id != id) continue;
        if (ShownPost* p = find(id); p && it->hidden_by_flags) p->own_post().hidden = false;
        flags_.erase(it);
        break;
    }
    calls.push_back("keep_visible " + id);
    ++revision_;
    return std::nullopt;
}

void MemoryDiscussion::retry(std::uint64_t write) {
    for (ShownPost& p : posts_)
        if (p.state == LocalState::failed && p.failed_write == write) {
            p.state = LocalState::pending;
            p.error.clear();
            calls.push_back("retry " + p.post().id);
        }
    ++revision_;
}

void MemoryDiscussion::discard(std::uint64_t write) {
    for (auto it = posts_.begin(); it != posts_.end(); ++it) {
        if (it->state != LocalState::failed || it->failed_write != write) continue;
        calls.push_back("discard " + it->post().id);
        if (it->post().rev == 0) posts_.erase(it);   // never reached the server: it goes
        else it->state = LocalState::synced;
        break;
    }
    ++revision_;
}

void MemoryDiscussion::refresh_flags() { calls.push_back("refresh_flags"); }

Expected<Resource> MemoryDiscussion::add_resource(std::string title, std::string url, std::string note) {
    if (!can_curate_resources(me_.role)) return ApiError::forbidden("Only curators can change the resources.");
    auto fields = validate_resource_fields(title, url, note);
    if (!fields) return fields.error();
    Resource r;
    r.id = "res" + std::to_string(next_id_++);
    r.module = module_;
    r.title = fields.value().title;
    r.url = fields.value().url;
    r.note = fields.value().note;
    r.added_by = Author{me_.id, me_.name, me_.role};
    r.position = static_cast<std::int64_t>(resources_.size());
    resources_.push_back(r);
    calls.push_back("add_resource " + r.title + " | " + r.url + " | " + r.note);
    ++revision_;
    return r;
}

std::optional<ApiError> MemoryDiscussion::edit_resource(const std::string& id, std::string title, std::string url,
                                                        std::string note) {
    if (!can_curate_resources(me_.role)) return ApiError::forbidden("Only curators can change the resources.");
    auto fields = validate_resource_fields(title, url, note);
    if (!fields) return fields.error();
    for (Resource& r : resources_) {
        if (r.id != id) continue;
        r.title = fields.value().title;
        r.url = fields.value().url;
        r.note = fields.value().note;
        calls.push_back("edit_resource " + id + " " + r.title + " | " + r.url + " | " + r.note);
        ++revision_;
        return std::nullopt;
    }
    return ApiError::not_found("This resource is no longer on the shelf.");
}

std::optional<ApiError> MemoryDiscussion::move_resource(const std::string& id, std::int64_t position) {
    calls.push_back("move_resource " + id + " " + std::to_string(position));
    ++revision_;
    return std::nullopt;
}

std::optional<ApiError> MemoryDiscussion::remove_resource(const std::string& id) {
    calls.push_back("remove_resource " + id);
    resources_.erase(std::remove_if(resources_.begin(), resources_.end(), [&](const Resource& r) { return r.id == id; }),
                     resources_.end());
    ++revision_;
    return std::nullopt;
}

void MemoryDiscussion::set_check_ins(std::vector<Post> due) {
    check_ins_ = std::move(due);
    ++revision_;
}

std::optional<ApiError> MemoryDiscussion::answer_check_in(const std::string& id, Outcome outcome, std::string note) {
    auto text = validate_note(note, "note", kMaxOutcomeNoteCodePoints);
    if (!text) return text.error();
    const auto due = std::find_if(check_ins_.begin(), check_ins_.end(), [&](const Post& p) { return p.id == id; });
    const Post* post = due != check_ins_.end() ? &*due : nullptr;
    if (!post)
        if (ShownPost* s = find(id)) post = &s->post();
    if (!post) return ApiError::not_found("This commitment no longer exists.");
    if (post->author.id != me_.id) return ApiError::forbidden("Only the person who made a commitment can say how it went.");
    if (post->kind != Kind::commitment) return ApiError::invalid_field("kind", "Only commitments have check-ins.");
    calls.push_back("answer " + id + " " + std::string(to_string(outcome)) + " " + text.value());
    if (due != check_ins_.end()) check_ins_.erase(due);
    ++revision_;
    return std::nullopt;
}

}  // namespace grove::testing

#include "grove/post.hpp"

namespace grove {

std::string_view to_string(Role role) {
    switch (role) {
        case Role::learner: return "learner";
        case Role::curator: return "curator";
        case Role::leader: return "leader";
        case Role::admin: return "admin";
    }
    return "learner";
}

std::string_view to_string(Kind kind) {
    switch (kind) {
        case Kind::insight: return "insight";
        case Kind::question: return "question";
        case Kind::tip: return "tip";
        case Kind::leader_learning: return "leader_learning";
        case Kind::resource: return "resource";
        case Kind::commitment: return "commitment";
    }
    return "insight";
}

std::string_view to_string(Outcome outcome) {
    switch (outcome) {
        case Outcome::done: return "done";
        case Outcome::partly: return "partly";
        case Outcome::not_yet: return "not_yet";
    }
    return "done";
}

std::optional<Role> role_from_string(std::string_view t) {
    if (t == "learner") return Role::learner;
    if (t == "curator") return Role::curator;
    if (t == "leader") return Role::leader;
    if (t == "admin") return Role::admin;
    return std::nullopt;
}

std::optional<Kind> kind_from_string(std::string_view t) {
    if (t == "insight") return Kind::insight;
    if (t == "question") return Kind::question;
    if (t == "tip") return Kind::tip;
    if (t == "leader_learning") return Kind::leader_learning;
    if (t == "resource") return Kind::resource;
    if (t == "commitment") return Kind::commitment;
    return std::nullopt;
}

std::optional<Outcome> outcome_from_string(std::string_view t) {
    if (t == "done") return Outcome::done;
    if (t == "partly") return Outcome::partly;
    if (t == "not_yet") return Outcome::not_yet;
    return std::nullopt;
}

bool can_post_kind(Role role, Kind kind) {
    return kind != Kind::leader_learning || role == Role::leader || role == Role::admin;
}
bool can_moderate(Role role) { return role == Role::curator || role == Role::admin; }
bool can_curate_resources(Role role) { return can_moderate(role); }
bool can_read_stats(Role role) { return role != Role::learner; }
bool endorsement_is_trusted(Role role) { return role == Role::leader || role == Role::curator; }

bool Post::operator==(const Post& o) const {
    return id == o.id && module == o.module && parent_id == o.parent_id && kind == o.kind &&
           body == o.body && author == o.author && created_at_ms == o.created_at_ms &&
           edited_at_ms == o.edited_at_ms && endorsements == o.endorsements &&
           endorsed_by_me == o.endorsed_by_me && leader_endorsed == o.leader_endorsed &&
           pinned == o.pinned && hidden == o.hidden && deleted == o.deleted && rev == o.rev &&
           module_title == o.module_title && check_in_at_ms == o.check_in_at_ms && outcome == o.outcome &&
           outcome_note == o.outcome_note && outcome_at_ms == o.outcome_at_ms && check_ins == o.check_ins;
}

bool Resource::operator==(const Resource& o) const {
    return id == o.id && module == o.module && title == o.title && url == o.url && note == o.note &&
           added_by == o.added_by && created_at_ms == o.created_at_ms && position == o.position &&
           deleted == o.deleted && rev == o.rev;
}

}  // namespace grove

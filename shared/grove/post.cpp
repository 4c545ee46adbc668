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
    }
    return "insight";
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
    return std::nullopt;
}

bool can_post_kind(Role role, Kind kind) {
    return kind != Kind::leader_learning || role == Role::leader || role == Role::admin;
}
bool can_moderate(Role role) { return role == Role::curator || role == Role::admin; }
bool can_read_stats(Role role) { return role != Role::learner; }
bool endorsement_is_trusted(Role role) { return role == Role::leader || role == Role::curator; }

bool Post::operator==(const Post& o) const {
    return id == o.id && module == o.module && parent_id == o.parent_id && kind == o.kind &&
           body == o.body && author == o.author && created_at_ms == o.created_at_ms &&
           edited_at_ms == o.edited_at_ms && endorsements == o.endorsements &&
           endorsed_by_me == o.endorsed_by_me && leader_endorsed == o.leader_endorsed &&
           pinned == o.pinned && hidden == o.hidden && deleted == o.deleted && rev == o.rev;
}

}  // namespace grove

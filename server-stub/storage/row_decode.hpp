// Posts and resources from a result row, shared by the engines: both select the same columns in
// the same order (GROVE_POST_COLUMNS, GROVE_RESOURCE_COLUMNS in each engine), and a Row is
// anything with text(col), int64(col), boolean(col) and is_null(col).
#pragma once

#include "grove/post.hpp"
#include "storage/storage_engine.hpp"   // StorageError

namespace grove {

template <class Row>
Post read_post(const Row& q) {
    Post p;
    p.id = q.text(0);
    p.module = q.text(1);
    if (!q.is_null(2)) p.parent_id = q.text(2);
    const auto kind = kind_from_string(q.text(3));
    const auto role = role_from_string(q.text(7));
    if (!kind || !role) throw StorageError("the database holds a post with an unknown kind or role: " + p.id);
    p.kind = *kind;
    p.body = q.text(4);
    p.author = Author{q.text(5), q.text(6), *role};
    p.created_at_ms = q.int64(8);
    if (!q.is_null(9)) p.edited_at_ms = q.int64(9);
    p.endorsements = q.int64(10);
    p.leader_endorsed = q.int64(11) > 0;
    p.pinned = q.boolean(12);
    p.hidden = q.boolean(13);
    p.deleted = q.boolean(14);
    p.rev = q.int64(15);
    p.endorsed_by_me = q.boolean(16);
    if (!q.is_null(17)) p.check_in_at_ms = q.int64(17);
    if (!q.is_null(18)) {
        p.outcome = outcome_from_string(q.text(18));
        if (!p.outcome) throw StorageError("the database holds a post with an unknown outcome: " + p.id);
        p.outcome_note = q.text(19);
    }
    if (!q.is_null(20)) p.outcome_at_ms = q.int64(20);
    p.check_ins = q.int64(21);
    if (!q.is_null(22)) p.module_title = q.text(22);
    return p;
}

template <class Row>
Resource read_resource(const Row& q) {
    Resource r;
    r.id = q.text(0);
    r.module = q.text(1);
    r.title = q.text(2);
    r.url = q.text(3);
    r.note = q.text(4);
    const auto role = role_from_string(q.text(7));
    if (!role) throw StorageError("the database holds a resource with an unknown role: " + r.id);
    r.added_by = Author{q.text(5), q.text(6), *role};
    r.created_at_ms = q.int64(8);
    r.position = q.int64(9);
    r.deleted = q.boolean(10);
    r.rev = q.int64(11);
    return r;
}

}  // namespace grove

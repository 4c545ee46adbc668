// SyncEngine, part 4: what the person does. Every write is checked with the shared rules first (an
// invalid one queues nothing and says why), then shown at once, saved to storage, and sent by the
// pusher once saved. Refused writes wait for retry(), an edit, or discard(). A write is always
// someone's: while nobody is known to be signed in, none is taken (check_signed_in).
#include "grove/client/sync_engine.hpp"

#include <algorithm>   // std::find_if, std::none_of

#include "grove/utf8.hpp"         // trim, count_code_points, is_valid_utf8
#include "grove/validation.hpp"   // validate_body, check_body_for_kind
#include "grove/wire.hpp"         // Json, dump, to_json

namespace grove {

OutboxEntry SyncEngine::new_entry(WriteOp op, const std::string& post_id) {
    OutboxEntry e;
    const std::int64_t now = ports_.timers->now_ms();
    e.key = make_write_key(now, tab_, ++counter_);
    e.user = store_.me().id;   // the writes below run only for a known person
    e.op = op;
    e.post_id = post_id;
    e.created_ms = now;
    return e;
}

// Shows the write, then saves it; only a saved write is sent (the pusher reads storage), so what
// the server has is always also in the browser.
void SyncEngine::queue(OutboxEntry entry) {
    const std::string key = entry.key;
    const std::string record = encode_outbox_record(entry);
    const bool is_create = entry.op == WriteOp::create;
    store_.enqueue(std::move(entry));
    if (!storage_ok_) {
        changed();
        emit_sync();
        request_cycle(true);
        return;
    }
    // Saved first, then shown and announced: the storage write starts before anything else runs.
    StorageBatch b;
    b.put_outbox.push_back({key, record});
    if (is_create) ++creates_saving_;
    write_storage(std::move(b), [this, key, is_create](bool ok) {
        if (is_create) {
            --creates_saving_;
            observer_->create_saved(ok, ports_.timers->now_ms());
            if (creates_saving_ == 0) ports_.page->changed();   // the frames held meanwhile (saving_new_post)
        }
        if (!ok) {
            storage_failed("the browser's storage refused a change");
        } else {
            store_.mark_persisted(key);
            broadcast_outbox();
        }
        request_cycle(true);
    });
    changed();
    emit_sync();
}

std::optional<ApiError> SyncEngine::check_shown(const std::string& id, const ShownPost*& out) const {
    out = store_.shown(id);
    if (!out) return ApiError::not_found("This post no longer exists.");
    return std::nullopt;
}

// A newer write of the same kind to the same post replaces a refused one.
void SyncEngine::drop_failed(const std::string& post_id, WriteOp op) {
    StorageBatch b;
    std::vector<std::string> keys;
    for (const QueuedWrite& w : store_.outbox())
        if (w.entry.failed && w.entry.post_id == post_id && w.entry.op == op && store_.applies(w.entry))
            keys.push_back(w.entry.key);
    for (const std::string& k : keys) {
        store_.remove(k);
        b.delete_outbox.push_back(k);
    }
    write_storage(std::move(b));
}

Expected<Post> SyncEngine::create(Kind kind, std::string body, std::optional<std::string> parent_id) {
    observer_->create_started(ports_.timers->now_ms());
    auto checked = validate_body(body, options_.max_body);
    if (!checked) return checked.error();
    if (auto err = check_signed_in()) return *err;
    if (auto kind_rule = check_body_for_kind(kind, checked.value())) return *kind_rule;
    const Identity& me = store_.me();
    if (!can_post_kind(me.role, kind)) return ApiError::forbidden("Only leaders can post leader learnings.");
    if (parent_id) {
        const ShownPost* parent = store_.shown(*parent_id);
        if (!parent) return ApiError::not_found("The post you are replying to no longer exists.");
        if (parent->post().parent_id)
            return ApiError::invalid_field("parent_id", "Replies are one level deep: reply to the top-level post.");
    }
    const std::string id = make_post_id(ports_.timers->now_ms(), ports_.random(), ports_.random());
    OutboxEntry e = new_entry(WriteOp::create, id);
    e.kind = kind;
    e.parent_id = std::move(parent_id);
    e.body = std::move(checked).value();
    queue(std::move(e));
    const ShownPost* shown = store_.shown(id);
    Post post = shown ? shown->post() : Post{};
    ports_.page->emit("grove:post", dump(Json{{"post", to_json(post)}, {"module", options_.module}}));
    return post;
}

std::optional<ApiError> SyncEngine::edit(const std::string& id, std::string body) {
    auto checked = validate_body(body, options_.max_body);
    if (!checked) return checked.error();
    if (auto err = check_signed_in()) return err;
    const ShownPost* shown;
    if (auto err = check_shown(id, shown)) return err;
    if (shown->post().author.id != store_.me().id) return ApiError::forbidden("You can only edit your own posts.");
    if (auto kind_rule = check_body_for_kind(shown->post().kind, checked.value())) return *kind_rule;
    if (shown->post().body == checked.value() && shown->state != LocalState::failed) return std::nullopt;
    // A refused create is edited in place and queued again: nothing of it is on the server.
    for (const QueuedWrite& w : store_.outbox()) {
        if (w.entry.op == WriteOp::create && w.entry.post_id == id && w.entry.failed && store_.applies(w.entry)) {
            OutboxEntry again = w.entry;
            const std::string old_key = again.key;
            OutboxEntry fresh = new_entry(WriteOp::create, id);
            again.key = fresh.key;
            again.body = std::move(checked).value();
            again.failed = false;
            again.error_status = 0;
            again.error_code.clear();
            again.error_message.clear();
            store_.remove(old_key);
            StorageBatch b;
            b.delete_outbox.push_back(old_key);
            write_storage(std::move(b));
            queue(std::move(again));
            return std::nullopt;
        }
    }
    drop_failed(id, WriteOp::edit);
    OutboxEntry e = new_entry(WriteOp::edit, id);
    e.body = std::move(checked).value();
    queue(std::move(e));
    return std::nullopt;
}

std::optional<ApiError> SyncEngine::remove(const std::string& id) {
    if (auto err = check_signed_in()) return err;
    const ShownPost* shown;
    if (auto err = check_shown(id, shown)) return err;
    if (shown->post().author.id != store_.me().id && !can_moderate(store_.me().role))
        return ApiError::forbidden("You can only delete your own posts.");
    // Never reached the server: forgetting it is the whole deletion.
    for (const QueuedWrite& w : store_.outbox()) {
        if (w.entry.op == WriteOp::create && w.entry.post_id == id && w.entry.failed && store_.applies(w.entry)) {
            discard(w.handle);
            return std::nullopt;
        }
    }
    queue(new_entry(WriteOp::remove, id));
    return std::nullopt;
}

std::optional<ApiError> SyncEngine::endorse(const std::string& id, bool endorsed) {
    if (auto err = check_signed_in()) return err;
    const ShownPost* shown;
    if (auto err = check_shown(id, shown)) return err;
    if (shown->post().author.id == store_.me().id) return ApiError::own_post();
    if (shown->post().endorsed_by_me == endorsed) return std::nullopt;
    drop_failed(id, WriteOp::endorse);
    OutboxEntry e = new_entry(WriteOp::endorse, id);
    e.value = endorsed;
    queue(std::move(e));
    return std::nullopt;
}

std::optional<ApiError> SyncEngine::flag(const std::string& id, std::string reason, std::string details) {
    if (auto err = check_signed_in()) return err;
    auto text = validate_flag(reason, details);   // the server's rule (validation.hpp)
    if (!text) return text.error();
    const ShownPost* shown;
    if (auto err = check_shown(id, shown)) return err;
    if (held_flag(id)) return std::nullopt;   // already flagged, still in its Undo window
    OutboxEntry e = new_entry(WriteOp::flag, id);
    e.reason = std::move(text.value().reason);
    e.details = std::move(text.value().details);
    if (options_.flag_undo_ms > 0) e.hold_until_ms = ports_.timers->now_ms() + options_.flag_undo_ms;
    queue(std::move(e));
    return std::nullopt;
}

// Undo stops a little before the wait is over: another tab of this browser may start sending the
// flag the moment it is due, and a take-back must never race that send.
constexpr std::int64_t kUndoMarginMs = 250;

const QueuedWrite* SyncEngine::held_flag(const std::string& post_id) const {
    const std::int64_t now = ports_.timers->now_ms();
    for (const QueuedWrite& w : store_.outbox())
        if (w.entry.op == WriteOp::flag && w.entry.post_id == post_id && !w.entry.failed && !w.in_flight &&
            store_.applies(w.entry) && w.entry.hold_until_ms - kUndoMarginMs > now)
            return &w;
    return nullptr;
}

bool SyncEngine::flag_undoable(const std::string& id) const { return held_flag(id) != nullptr; }

bool SyncEngine::undo_flag(const std::string& id) {
    const QueuedWrite* w = held_flag(id);
    if (!w) return false;
    const std::string key = w->entry.key;
    store_.remove(key);
    if (storage_ok_) {
        StorageBatch b;
        b.delete_outbox.push_back(key);
        write_storage(std::move(b), [this](bool) { broadcast_outbox(); });
    }
    scheduler_.hold_until(next_hold_due_ms());
    changed();
    emit_sync();
    return true;
}

std::optional<ApiError> SyncEngine::pin(const std::string& id, bool pinned) {
    if (auto err = check_signed_in()) return err;
    if (!can_moderate(store_.me().role)) return ApiError::forbidden("Only curators can pin posts.");
    const ShownPost* shown;
    if (auto err = check_shown(id, shown)) return err;
    if (shown->post().pinned == pinned) return std::nullopt;
    drop_failed(id, WriteOp::pin);
    OutboxEntry e = new_entry(WriteOp::pin, id);
    e.value = pinned;
    queue(std::move(e));
    return std::nullopt;
}

std::optional<ApiError> SyncEngine::hide(const std::string& id, bool hidden) {
    if (auto err = check_signed_in()) return err;
    if (!can_moderate(store_.me().role)) return ApiError::forbidden("Only curators can hide posts.");
    const ShownPost* shown;
    if (auto err = check_shown(id, shown)) return err;
    if (shown->post().hidden == hidden) return std::nullopt;
    drop_failed(id, WriteOp::hide);
    OutboxEntry e = new_entry(WriteOp::hide, id);
    e.value = hidden;
    queue(std::move(e));
    return std::nullopt;
}

std::optional<ApiError> SyncEngine::keep_visible(const std::string& id) {
    if (auto err = check_signed_in()) return err;
    if (!can_moderate(store_.me().role)) return ApiError::forbidden("Only curators can keep a flagged post visible.");
    const auto entry = std::find_if(flags_.begin(), flags_.end(), [&](const FlagEntry& f) { return f.post.id == id; });
    if (entry == flags_.end()) return std::nullopt;   // no flags (left): nothing to dismiss
    drop_failed(id, WriteOp::dismiss_flags);
    OutboxEntry e = new_entry(WriteOp::dismiss_flags, id);
    e.value = entry->hidden_by_flags;
    flags_.erase(entry);
    queue(std::move(e));
    return std::nullopt;
}

std::optional<ApiError> SyncEngine::answer_check_in(const std::string& id, Outcome outcome, std::string note) {
    if (auto err = check_signed_in()) return err;
    auto text = validate_note(note, "note", kMaxOutcomeNoteCodePoints);   // the server's rule
    if (!text) return text.error();
    // A post of this module, or a due check-in of another module's.
    const Post* post = nullptr;
    if (const ShownPost* shown = store_.shown(id)) post = &shown->post();
    for (const Post& due : check_ins_)
        if (!post && due.id == id) post = &due;
    if (!post) return ApiError::not_found("This commitment no longer exists.");
    if (post->author.id != store_.me().id)
        return ApiError::forbidden("Only the person who made a commitment can say how it went.");
    if (post->kind != Kind::commitment) return ApiError::invalid_field("kind", "Only commitments have check-ins.");
    drop_failed(id, WriteOp::outcome);
    OutboxEntry e = new_entry(WriteOp::outcome, id);
    e.outcome = outcome;
    e.note = std::move(text).value();
    // Answered: the card goes at once (the next GET /me/check-ins leaves it out while queued).
    for (auto it = check_ins_.begin(); it != check_ins_.end(); ++it) {
        if (it->id == id) {
            check_ins_.erase(it);
            break;
        }
    }
    queue(std::move(e));
    return std::nullopt;
}

bool SyncEngine::check_in_put_off(const std::string& id, std::int64_t day) const {
    const Identity& me = store_.me();
    if (!me.known) return false;
    const auto mine = later_.find(me.id);
    if (mine == later_.end()) return false;
    const auto it = mine->second.find(id);
    return it != mine->second.end() && it->second == day;
}

void SyncEngine::put_check_in_off(const std::string& id, std::int64_t day) {
    const Identity& me = store_.me();
    if (!me.known || !is_valid_post_id(id)) return;
    auto& mine = later_[me.id];
    for (auto it = mine.begin(); it != mine.end();) it = it->second < day ? mine.erase(it) : std::next(it);   // past days
    mine[id] = day;
    StorageBatch b;
    b.put_meta.push_back({later_key(me.id), encode_later(me.id, mine)});
    write_storage(std::move(b));
}

// [SECTION] The resource shelf ---------------------------------------------------------------

std::optional<ApiError> SyncEngine::check_curator() const {
    if (auto err = check_signed_in()) return err;
    if (!can_curate_resources(store_.me().role)) return ApiError::forbidden("Only curators can change the resources.");
    return std::nullopt;
}

const std::vector<Post>& SyncEngine::spotlight() const {
    std::vector<Post> mine;
    for (const QueuedWrite& w : store_.outbox()) {
        const OutboxEntry& e = w.entry;
        if (e.op != WriteOp::create || e.kind != Kind::leader_learning || e.parent_id || e.failed || !store_.applies(e))
            continue;
        const ShownPost* shown = store_.shown(e.post_id);
        if (!shown || std::any_of(spotlight_.begin(), spotlight_.end(), [&](const Post& p) { return p.id == e.post_id; }))
            continue;
        mine.push_back(shown->post());
    }
    if (mine.empty()) return spotlight_;      // the usual case: nothing copied
    std::reverse(mine.begin(), mine.end());   // newest first, like the server's list
    shown_spotlight_ = std::move(mine);
    shown_spotlight_.insert(shown_spotlight_.end(), spotlight_.begin(), spotlight_.end());
    return shown_spotlight_;
}

const std::vector<Resource>& SyncEngine::resources() const {
    if (shown_resources_rev_ == revision_) return shown_resources_;
    shown_resources_rev_ = revision_;
    std::vector<Resource> shelf = resources_;
    auto find = [&](const std::string& id) {
        return std::find_if(shelf.begin(), shelf.end(), [&](const Resource& r) { return r.id == id; });
    };
    for (const QueuedWrite& w : store_.outbox()) {
        const OutboxEntry& e = w.entry;
        if (!is_resource_op(e.op) || !store_.applies(e) || e.failed) continue;
        auto it = find(e.post_id);
        switch (e.op) {
            case WriteOp::resource_add:
                if (it == shelf.end()) {
                    Resource r;
                    r.id = e.post_id;
                    r.module = options_.module;
                    r.title = e.title.value_or("");
                    r.url = e.url.value_or("");
                    r.note = e.note;
                    r.added_by = Author{store_.me().id, store_.me().name, store_.me().role};
                    r.created_at_ms = e.created_ms;
                    shelf.push_back(std::move(r));
                }
                break;
            case WriteOp::resource_edit:
                if (it == shelf.end()) break;
                if (e.title) it->title = *e.title;
                if (e.url) it->url = *e.url;
                if (e.resource_note) it->note = *e.resource_note;
                if (e.position) {
                    Resource moved = std::move(*it);
                    shelf.erase(it);
                    const auto at = static_cast<std::size_t>(std::min<std::int64_t>(*e.position, static_cast<std::int64_t>(shelf.size())));
                    shelf.insert(shelf.begin() + static_cast<std::ptrdiff_t>(at), std::move(moved));
                }
                break;
            case WriteOp::resource_remove:
                if (it != shelf.end()) shelf.erase(it);
                break;
            default: break;
        }
    }
    for (std::size_t i = 0; i < shelf.size(); ++i) shelf[i].position = static_cast<std::int64_t>(i);
    shown_resources_ = std::move(shelf);
    return shown_resources_;
}

Expected<Resource> SyncEngine::add_resource(std::string title, std::string url, std::string note) {
    if (auto err = check_curator()) return *err;
    auto fields = validate_resource_fields(title, url, note);
    if (!fields) return fields.error();
    const std::string id = make_post_id(ports_.timers->now_ms(), ports_.random(), ports_.random());
    OutboxEntry e = new_entry(WriteOp::resource_add, id);
    e.title = std::move(fields.value().title);
    e.url = std::move(fields.value().url);
    e.note = std::move(fields.value().note);
    queue(std::move(e));
    for (const Resource& r : resources())
        if (r.id == id) return r;
    return ApiError::internal("The resource was not kept.");
}

std::optional<ApiError> SyncEngine::edit_resource(const std::string& id, std::string title, std::string url,
                                                  std::string note) {
    if (auto err = check_curator()) return err;
    auto fields = validate_resource_fields(title, url, note);
    if (!fields) return fields.error();
    ResourceFields& f = fields.value();
    const auto& shelf = resources();
    const auto it = std::find_if(shelf.begin(), shelf.end(), [&](const Resource& r) { return r.id == id; });
    if (it == shelf.end()) return ApiError::not_found("This resource is no longer on the shelf.");
    if (it->title == f.title && it->url == f.url && it->note == f.note) return std::nullopt;
    OutboxEntry e = new_entry(WriteOp::resource_edit, id);
    e.title = std::move(f.title);
    e.url = std::move(f.url);
    e.resource_note = std::move(f.note);
    queue(std::move(e));
    return std::nullopt;
}

std::optional<ApiError> SyncEngine::move_resource(const std::string& id, std::int64_t position) {
    if (auto err = check_curator()) return err;
    if (position < 0) return ApiError::invalid_field("position", "A position is 0 or more.");
    const auto& shelf = resources();
    const auto it = std::find_if(shelf.begin(), shelf.end(), [&](const Resource& r) { return r.id == id; });
    if (it == shelf.end()) return ApiError::not_found("This resource is no longer on the shelf.");
    if (it->position == position) return std::nullopt;
    OutboxEntry e = new_entry(WriteOp::resource_edit, id);
    e.position = position;
    queue(std::move(e));
    return std::nullopt;
}

std::optional<ApiError> SyncEngine::remove_resource(const std::string& id) {
    if (auto err = check_curator()) return err;
    const auto& shelf = resources();
    if (std::none_of(shelf.begin(), shelf.end(), [&](const Resource& r) { return r.id == id; })) return std::nullopt;
    queue(new_entry(WriteOp::resource_remove, id));
    return std::nullopt;
}

// The person sees one refusal per post (ShownPost::failed_write), so Retry and Discard act on
// every refused write of that post.
std::vector<std::string> SyncEngine::refused_keys(std::uint64_t write) {
    std::vector<std::string> keys;
    const QueuedWrite* w = store_.find(write);
    if (!w || !w->entry.failed) return keys;   // queued writes may be in flight: only refused ones
    const std::string post = w->entry.post_id;
    for (const QueuedWrite& other : store_.outbox())
        if (other.entry.post_id == post && other.entry.failed && store_.applies(other.entry))
            keys.push_back(other.entry.key);
    return keys;
}

// Sent again as they are, at the end of the queue: they are now the person's latest intent.
void SyncEngine::retry(std::uint64_t write) {
    StorageBatch b;
    std::vector<OutboxEntry> again;
    for (const std::string& key : refused_keys(write)) {
        OutboxEntry e = store_.find_key(key)->entry;
        store_.remove(key);
        b.delete_outbox.push_back(key);
        e.key = new_entry(e.op, e.post_id).key;
        e.failed = false;
        e.error_status = 0;
        e.error_code.clear();
        e.error_message.clear();
        again.push_back(std::move(e));
    }
    write_storage(std::move(b));
    for (OutboxEntry& e : again) queue(std::move(e));
}

void SyncEngine::discard(std::uint64_t write) {
    std::vector<std::string> keys = refused_keys(write);
    if (keys.empty()) return;
    // A refused create takes the rest of that post's writes with it: they cannot succeed either.
    const QueuedWrite* w = store_.find(write);
    if (w->entry.op == WriteOp::create || store_.find_key(keys[0])->entry.op == WriteOp::create) {
        const std::string post = w->entry.post_id;
        keys.clear();
        for (const QueuedWrite& other : store_.outbox())
            if (other.entry.post_id == post && store_.applies(other.entry)) keys.push_back(other.entry.key);
    }
    StorageBatch b;
    for (const std::string& k : keys) {
        store_.remove(k);
        b.delete_outbox.push_back(k);
    }
    write_storage(std::move(b), [this](bool) { broadcast_outbox(); });
    changed();
    emit_sync();
}

void SyncEngine::want_spotlight(bool wanted) {
    if (wanted == options_.spotlight) return;
    options_.spotlight = wanted;
    if (!wanted) return;
    spotlight_at_ms_ = 0;   // what was fetched before may be old
    request_cycle(false);
}

void SyncEngine::refresh_flags() {
    flags_wanted_ = true;
    request_cycle(true);
}

}  // namespace grove

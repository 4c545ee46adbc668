// SyncEngine, part 2: the sync lock and the pusher's host. A cycle takes the module's lock (one
// tab of this browser at a time), catches up with what other tabs stored, then the pusher
// (pusher.hpp) sends the oldest write that is this person's and not refused, the engine applies
// the answer, and so on until nothing is left; then it pulls (sync_engine_pull.cpp) and lets go of
// the lock. Another person's queued writes stay where they are, unsent and unseen, until that
// person is signed in here again.
#include "grove/client/sync_engine.hpp"

#include <algorithm>   // std::find_if, std::remove_if

#include "grove/wire.hpp"   // Json, post_from_json, error_from_response

namespace grove {

bool SyncEngine::sendable_now(const QueuedWrite& w) const {
    return !w.entry.failed && store_.applies(w.entry) && (w.persisted || !storage_ok_) &&
           w.entry.hold_until_ms <= ports_.timers->now_ms();
}

bool SyncEngine::has_sendable() const {
    for (const QueuedWrite& w : store_.outbox())
        if (sendable_now(w)) return true;
    return false;
}

void SyncEngine::locked_phase() {
    if (!scheduler_.visible() && !has_sendable()) {   // nothing to send, and no pulls while hidden
        end_cycle();
        return;
    }
    const std::string name = "grove-sync:" + options_.api + "|" + options_.module;
    std::weak_ptr<int> weak = alive_;
    ports_.locks->acquire(name, [this, weak](std::function<void()> release) {
        if (weak.expired()) {   // gone while waiting: let the next tab in
            release();
            return;
        }
        release_lock_ = std::move(release);
        catch_up(guard([this] {
            if (checkpointer_.stale() && storage_ok_) commit_snapshot(StorageBatch{}, {});   // next startup reads one record
            pusher_.start();
        }));
    });
}

void SyncEngine::release_lock() {
    if (!release_lock_) return;
    auto release = std::move(release_lock_);
    release_lock_ = nullptr;
    release();
}

// ---- PushHost ---------------------------------------------------------------------------------

std::optional<OutboxEntry> SyncEngine::next_write() {
    for (const QueuedWrite& w : store_.outbox())
        if (sendable_now(w)) return w.entry;   // applies(): made by the person whose token goes with it
    return std::nullopt;
}

void SyncEngine::send_write(const OutboxEntry& e, std::function<void(HttpResponse)> done) {
    store_.set_in_flight(e.key, true);
    observer_->write_sent(e);
    send(to_http_request(e, options_.api, options_.module, options_.module_title),
         [this, key = e.key, done = std::move(done)](HttpResponse response) {
             store_.set_in_flight(key, false);
             done(std::move(response));
         });
}

std::int64_t SyncEngine::retry_delay_ms(Answer why) {
    return why == Answer::unauthorized ? auth_retry_delay_ms() : backoff_.next_delay_ms(ports_.random());
}

void SyncEngine::cycle_failed(std::int64_t retry_in_ms) { fail_cycle(retry_in_ms); }
void SyncEngine::pushed() { pull_phase(); }
void SyncEngine::retry_due() { request_cycle(true); }

bool SyncEngine::take_answer(const OutboxEntry& e, const HttpResponse& r) {
    const Json j = parse_json(r.body);
    bool readable = true;
    switch (e.op) {
        case WriteOp::create:
        case WriteOp::edit:
        case WriteOp::pin:
        case WriteOp::hide: {
            auto post = post_from_json(j);
            // A 2xx that is not the post (a captive portal's page, a proxy) did not reach the API.
            readable = post.ok() && post->id == e.post_id && post->module == options_.module;
            // A leader's learning stays in the spotlight once sent, until the server's list is
            // asked again (spotlight() showed it while it was queued).
            if (readable && e.op == WriteOp::create && post->kind == Kind::leader_learning && !post->parent_id &&
                std::none_of(spotlight_.begin(), spotlight_.end(), [&](const Post& s) { return s.id == post->id; }))
                spotlight_.insert(spotlight_.begin(), post.value());
            if (readable) store_.merge(std::move(post).value());
            break;
        }
        case WriteOp::resource_add:
        case WriteOp::resource_edit: {
            auto res = resource_from_json(j);
            readable = res.ok() && res->id == e.post_id;
            if (!readable) break;
            // Taken at once (no flicker back to the old shelf), and the shelf is asked again
            // after this push: other entries' positions moved too.
            resources_at_ms_ = 0;
            resources_.erase(std::remove_if(resources_.begin(), resources_.end(),
                                            [&](const Resource& x) { return x.id == e.post_id; }),
                             resources_.end());
            if (!res->deleted) {
                const auto at = std::find_if(resources_.begin(), resources_.end(),
                                             [&](const Resource& x) { return x.position >= res->position; });
                resources_.insert(at, std::move(res).value());
            }
            break;
        }
        case WriteOp::resource_remove:
            resources_at_ms_ = 0;
            resources_.erase(std::remove_if(resources_.begin(), resources_.end(),
                                            [&](const Resource& x) { return x.id == e.post_id; }),
                             resources_.end());
            break;
        case WriteOp::outcome: {
            // The post may be of another module (a check-in card): taken only when it is ours.
            auto post = post_from_json(j);
            readable = post.ok() && post->id == e.post_id;
            if (readable && post->module == options_.module) store_.merge(std::move(post).value());
            break;
        }
        case WriteOp::endorse: {
            if (r.status == 404) break;
            const auto state = decode_endorsement_state(j);
            readable = state.ok();
            if (readable) store_.apply_endorsement_answer(e.post_id, state->endorsements, state->endorsed_by_me);
            break;
        }
        case WriteOp::remove:
            store_.apply_delete_answer(e.post_id);
            break;
        case WriteOp::flag: break;
        case WriteOp::dismiss_flags: {
            // {"id", "flags": 0, "hidden"}: the post stays hidden only if a curator hid it.
            const auto hidden = j.is_object() ? j.find("hidden") : j.end();
            const auto id = j.is_object() ? j.find("id") : j.end();
            readable = id != j.end() && id->is_string() && *id == e.post_id;
            if (readable && hidden != j.end() && hidden->is_boolean())
                store_.apply_dismiss_answer(e.post_id, hidden->get<bool>());
            flags_at_ms_ = 0;   // the queue changed: asked again
            break;
        }
    }
    if (!readable) {
        ports_.page->warn("Grove: the answer to a " + std::string(to_string(e.op)) +
                          " was not the API's; it will be sent again");
        return false;
    }
    // The snapshot caught up with storage when the lock was taken, so patching its copy of the
    // post (same rev) and storing it is safe: the next pull brings the server's version.
    StorageBatch b;
    std::vector<Post> answered;
    if (const Post* p = store_.server_post(e.post_id)) {
        b.put_posts.push_back({p->id, encode_post_record(*p)});
        answered.push_back(*p);
    }
    b.delete_outbox.push_back(e.key);
    store_.remove(e.key);
    backoff_.reset();
    commit_snapshot(std::move(b), answered);
    changed();
    emit_sync();
    observer_->write_acknowledged(e);
    return true;
}

// A 4xx: kept with the server's message for the person to retry, edit or discard; or dropped.
void SyncEngine::refused(const OutboxEntry& e, const HttpResponse& r) {
    const ApiError err = error_from_response(r.status, r.body);
    if ((e.op == WriteOp::outcome && !store_.server_post(e.post_id)) || is_resource_op(e.op)) {
        // Another module's commitment, or a change to the shelf: no card here shows the refusal
        // with Retry and Discard, so it is dropped and said once (the shelf is asked again, so
        // what shows is the server's).
        if (is_resource_op(e.op)) resources_at_ms_ = 0;
        store_.remove(e.key);
        StorageBatch b;
        b.delete_outbox.push_back(e.key);
        finish_refusal(std::move(b), err);
        return;
    }
    OutboxEntry failed = e;
    failed.failed = true;
    failed.error_status = r.status;
    failed.error_code = err.code;
    failed.error_message = err.message;
    store_.update(failed);
    StorageBatch b;
    b.put_outbox.push_back({failed.key, encode_outbox_record(failed)});
    finish_refusal(std::move(b), err);
}

// A refused write, kept with its error or dropped (the batch says which): stored, told to the
// other tabs and the person; then the pusher sends the next write.
void SyncEngine::finish_refusal(StorageBatch batch, const ApiError& err) {
    write_storage(std::move(batch));
    broadcast_outbox();
    emit_error(err.code, err.message);
    changed();
    emit_sync();
}

}  // namespace grove

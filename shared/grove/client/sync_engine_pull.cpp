// SyncEngine, part 3: the puller's host, then the rest of a pull. The puller (puller.hpp) follows
// the changes feed from the saved cursor; the engine stores each page with its cursor in one
// transaction, or (a full pull) replaces the snapshot at once. Then, for curators, the text of hidden posts (never cached), the spotlight
// and the flag queue; then the person's due check-ins and the module's resource shelf (API 1.1).
#include "grove/client/sync_engine.hpp"

#include "grove/order.hpp"  // stable_order
#include "grove/wire.hpp"   // Json, decode_post_list, post_from_json

namespace grove {


void SyncEngine::pull_phase() {
    if (!scheduler_.visible()) {   // nothing while hidden: the next visibilitychange pulls
        release_lock();
        end_cycle();
        return;
    }
    const Identity& me = store_.me();
    const bool owned = meta_.user.known && meta_.user.id == me.id && meta_.user.role == me.role;
    puller_.start(meta_.cursor, owned);
}

// ---- PullHost ---------------------------------------------------------------------------------

void SyncEngine::fetch_page(const std::optional<std::string>& since, std::function<void(HttpResponse)> done) {
    std::string url = options_.api + "/modules/" + url_encode(options_.module) +
                      "/posts?limit=" + std::to_string(options_.page_limit);
    if (since) url += "&since=" + url_encode(*since);
    send(HttpRequest{"GET", std::move(url), {}, {}, 0}, std::move(done));
}

void SyncEngine::warn(const std::string& message) { ports_.page->warn(message); }

void SyncEngine::store_page(std::vector<Post> posts, const std::string& cursor, bool full, bool last) {
    StorageBatch b;
    std::vector<Post> changed_posts;
    if (full) {
        b.clear_posts = true;
        b.put_posts.reserve(posts.size());
        for (const Post& p : posts) b.put_posts.push_back({p.id, encode_post_record(p)});
        store_.replace_snapshot(std::move(posts));
        meta_.user = store_.me();   // the snapshot is now this person's view (send() saw to it)
        store_.set_snapshot_owner(meta_.user.id);
    } else {
        for (Post& p : posts) {
            const std::string id = p.id;
            if (store_.merge(std::move(p))) {
                const Post& now = *store_.server_post(id);
                b.put_posts.push_back({id, encode_post_record(now)});
                changed_posts.push_back(now);
            }
        }
    }
    meta_.cursor = cursor;
    backoff_.reset();
    if (last) meta_.last_sync_ms = ports_.timers->now_ms();
    // Each page lands with its cursor, in one transaction.
    commit_snapshot(std::move(b), changed_posts, full);
    changed();
}

void SyncEngine::cursor_refused() {
    meta_.cursor.reset();
    pull_phase();
}

void SyncEngine::feed_refused(const ApiError& err) { emit_error(err.code, err.message); }

void SyncEngine::pulled() {
    release_lock();
    observer_->pull_done(ports_.timers->now_ms());
    bodies_phase();
}

// Hidden posts are cached without their text (cache_format.hpp): a curator's widget asks for each
// one it does not have in memory, one at a time. Learners are never given it.
void SyncEngine::bodies_phase() {
    const Identity& me = store_.me();
    std::string wanted;
    if (me.known && can_moderate(me.role)) {
        for (const auto& [id, p] : store_.snapshot()) {
            if (p.hidden && !p.deleted && p.body.empty() && !bodies_tried_.count(id)) {
                wanted = id;
                break;
            }
        }
    }
    if (wanted.empty()) {
        spotlight_phase();
        return;
    }
    bodies_tried_.insert(wanted);   // asked once per person and page, unless no answer came
    send(HttpRequest{"GET", options_.api + "/posts/" + url_encode(wanted), {}, {}, 0}, [this, wanted](HttpResponse r) {
        const Answer answer = classify_status(r.status);
        if (answer == Answer::ok) {
            auto p = post_from_json(parse_json(r.body));
            if (p && p->id == wanted && p->module == options_.module && store_.merge(std::move(p).value())) changed();
        } else if (answer != Answer::permanent) {
            bodies_tried_.erase(wanted);   // the next cycle asks again
            spotlight_phase();
            return;
        }
        bodies_phase();
    });
}

// The spotlight changes rarely: fetched at most every few minutes, kept in the cache for offline.
// Only the widget that shows the page's one spotlight line fetches it (want_spotlight).
void SyncEngine::spotlight_phase() {
    const std::int64_t now = ports_.timers->now_ms();
    if (!options_.spotlight || (spotlight_at_ms_ && now - spotlight_at_ms_ < options_.spotlight_every_ms)) {
        flags_phase();
        return;
    }
    const std::string url = options_.api + "/spotlight?days=" + std::to_string(options_.spotlight_days);
    send(HttpRequest{"GET", url, {}, {}, 0}, [this, now](HttpResponse r) {
        if (classify_status(r.status) == Answer::ok) {
            if (auto list = decode_post_list(parse_json(r.body))) {
                std::vector<Post> posts = std::move(list->posts);
                spotlight_at_ms_ = now;
                if (!(posts == spotlight_)) {
                    spotlight_ = std::move(posts);
                    StorageBatch b;
                    b.put_meta.push_back({kMetaSpotlight, encode_spotlight(spotlight_)});
                    write_storage(std::move(b));
                    changed();
                }
            }
        }
        flags_phase();   // the spotlight is a nicety: its failures do not hold up the rest
    });
}

bool SyncEngine::dismissing(const std::string& id) const {
    for (const QueuedWrite& w : store_.outbox())
        if (w.entry.op == WriteOp::dismiss_flags && w.entry.post_id == id && !w.entry.failed && store_.applies(w.entry))
            return true;
    return false;
}

void SyncEngine::flags_phase() {
    const std::int64_t now = ports_.timers->now_ms();
    const bool stale = flags_at_ms_ == 0 || now - flags_at_ms_ >= options_.spotlight_every_ms;
    if (!can_moderate(store_.me().role) || !store_.me().known || !(flags_wanted_ || stale)) {
        check_ins_phase();
        return;
    }
    send(HttpRequest{"GET", options_.api + "/flags", {}, {}, 0}, [this, now](HttpResponse r) {
        if (classify_status(r.status) == Answer::ok) {
            auto queue = decode_flag_queue(parse_json(r.body));
            if (queue) {
                // A post kept visible here whose dismissal is not sent yet (or was refused) stays
                // out of the queue meanwhile.
                std::vector<FlagEntry> flags;
                for (FlagEntry& f : queue.value().flags)
                    if (!dismissing(f.post.id)) flags.push_back(std::move(f));
                flags_ = std::move(flags);
                flags_at_ms_ = now;
                flags_wanted_ = false;
                changed();
            }
        }
        check_ins_phase();
    });
}

// The person's due check-ins of every module (API 1.1): asked every check_ins_every_ms, like the
// spotlight. A check-in answered here while the request was out stays answered (it is queued).
void SyncEngine::check_ins_phase() {
    const std::int64_t now = ports_.timers->now_ms();
    if (!store_.me().known || (check_ins_at_ms_ && now - check_ins_at_ms_ < options_.check_ins_every_ms)) {
        resources_phase();
        return;
    }
    const std::uint64_t epoch = identity_epoch_;
    send(HttpRequest{"GET", options_.api + "/me/check-ins", {}, {}, 0}, [this, now, epoch](HttpResponse r) {
        if (epoch == identity_epoch_ && classify_status(r.status) == Answer::ok) {
            if (auto list = decode_post_list(parse_json(r.body))) {
                std::vector<Post> due;
                for (Post& p : list->posts) {
                    // Only the person's own commitments: anything else is not theirs to answer.
                    if (p.kind != Kind::commitment || p.author.id != store_.me().id || p.deleted) continue;
                    bool answered = false;   // queued here, not yet sent
                    for (const QueuedWrite& w : store_.outbox())
                        answered |= w.entry.op == WriteOp::outcome && w.entry.post_id == p.id && store_.applies(w.entry);
                    if (!answered) due.push_back(std::move(p));
                }
                check_ins_at_ms_ = now;
                if (!(due == check_ins_)) {
                    check_ins_ = std::move(due);
                    changed();
                }
            }
        }
        resources_phase();
    });
}

// The module's shelf (API 1.1): asked every resources_every_ms and kept in the cache, so it shows
// offline. Only entries the API would send (an http(s) url, this module) are taken.
void SyncEngine::resources_phase() {
    const std::int64_t now = ports_.timers->now_ms();
    if (resources_at_ms_ && now - resources_at_ms_ < options_.resources_every_ms) {
        end_cycle();
        return;
    }
    const std::string url = options_.api + "/modules/" + url_encode(options_.module) + "/resources";
    send(HttpRequest{"GET", url, {}, {}, 0}, [this, now](HttpResponse r) {
        if (classify_status(r.status) == Answer::ok) {
            if (auto list = decode_resource_list(parse_json(r.body))) {
                std::vector<Resource>& all = list->resources;
                std::vector<std::size_t> keep;
                for (std::size_t i = 0; i < all.size(); ++i)
                    if (all[i].module == options_.module && !all[i].deleted) keep.push_back(i);
                stable_order(keep, [&](std::size_t a, std::size_t b) { return all[a].position < all[b].position; });
                std::vector<Resource> shelf;
                shelf.reserve(keep.size());
                for (std::size_t i : keep) shelf.push_back(std::move(all[i]));
                resources_at_ms_ = now;
                if (!(shelf == resources_)) {
                    resources_ = std::move(shelf);
                    StorageBatch b;
                    b.put_meta.push_back({kMetaResources, encode_resources(resources_)});
                    write_storage(std::move(b));
                    changed();
                }
            }
        }
        end_cycle();
    });
}

}  // namespace grove

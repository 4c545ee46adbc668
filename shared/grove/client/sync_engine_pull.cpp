// SyncEngine, part 3: the puller. Follows the changes feed (api.md "Sync: the changes feed") from
// the saved cursor while has_more is true; each page and its cursor are stored in one transaction,
// so the cache never claims a cursor whose posts it lacks. Without a cursor (first visit, another
// person signed in, an unusable cache or cursor) it fetches every post and then replaces the
// snapshot at once. Then, for curators, the text of hidden posts (never cached), the spotlight
// and the flag queue; then the person's due check-ins and the module's resource shelf (API 1.1).
#include "grove/client/sync_engine.hpp"

#include <algorithm>   // std::stable_sort, std::remove_if

#include "grove/wire.hpp"   // Json, decode_feed_page, decode_post_list, post_from_json

namespace grove {


void SyncEngine::pull_phase() {
    if (!scheduler_.visible()) {   // nothing while hidden: the next visibilitychange pulls
        release_lock();
        end_cycle();
        return;
    }
    const Identity& me = store_.me();
    const bool owned = meta_.user.known && meta_.user.id == me.id && meta_.user.role == me.role;
    full_in_progress_ = full_resync_ || !meta_.cursor || !owned;   // another person's view: replaced whole
    page_cursor_ = full_in_progress_ ? std::nullopt : meta_.cursor;
    full_posts_.clear();
    pull_page();
}

void SyncEngine::pull_page() {
    std::string url = options_.api + "/modules/" + url_encode(options_.module) +
                      "/posts?limit=" + std::to_string(options_.page_limit);
    if (page_cursor_) url += "&since=" + url_encode(*page_cursor_);
    send(HttpRequest{"GET", std::move(url), {}, {}, 0}, [this](HttpResponse r) { on_page(std::move(r)); });
}

void SyncEngine::on_page(HttpResponse r) {
    const Answer answer = classify_status(r.status);
    if (answer == Answer::ok) {
        auto page = decode_feed_page(Json::parse(r.body, nullptr, false));
        if (!page) {
            ports_.page->warn("Grove: the changes feed answered something that is not a page of posts");
            fail_cycle(backoff_.next_delay_ms(ports_.random()));
            return;
        }
        {   // another module's posts are not this widget's: left out like invalid ones
            std::vector<Post>& posts = page->posts;
            const auto foreign = std::remove_if(posts.begin(), posts.end(),
                                                [this](const Post& p) { return p.module != options_.module; });
            page->skipped += static_cast<std::size_t>(posts.end() - foreign);
            posts.erase(foreign, posts.end());
        }
        if (page->skipped)
            ports_.page->warn("Grove: skipped " + std::to_string(page->skipped) + " invalid post(s) in the changes feed");
        StorageBatch b;
        std::vector<Post> changed_posts;
        const bool full = full_in_progress_;
        if (full) {
            for (Post& p : page->posts) full_posts_.push_back(std::move(p));
            page_cursor_ = page->cursor;
            if (page->has_more) {
                pull_page();
                return;
            }
            b.clear_posts = true;
            b.put_posts.reserve(full_posts_.size());
            for (const Post& p : full_posts_) b.put_posts.push_back({p.id, encode_post_record(p)});
            store_.replace_snapshot(std::move(full_posts_));
            full_posts_.clear();
            meta_.user = store_.me();   // the snapshot is now this person's view (send() saw to it)
            store_.set_snapshot_owner(meta_.user.id);
            full_resync_ = false;
            full_in_progress_ = false;
        } else {
            for (Post& p : page->posts) {
                const std::string id = p.id;
                if (store_.merge(std::move(p))) {
                    const Post& now = *store_.server_post(id);
                    b.put_posts.push_back({id, encode_post_record(now)});
                    changed_posts.push_back(now);
                }
            }
            page_cursor_ = page->cursor;
        }
        meta_.cursor = page->cursor;
        bad_cursor_restarts_ = 0;
        backoff_.reset();
        if (!page->has_more) meta_.last_sync_ms = ports_.timers->now_ms();
        // Each page lands with its cursor, in one transaction.
        commit_snapshot(std::move(b), changed_posts, full);
        changed();
        if (page->has_more) {
            pull_page();
            return;
        }
        release_lock();
        observer_->pull_done(ports_.timers->now_ms());
        bodies_phase();
        return;
    }
    const ApiError err = error_from_response(r.status, r.body);
    if (answer == Answer::permanent && r.status == 400 && err.field == "since" && bad_cursor_restarts_ < 1) {
        // The server no longer knows our cursor (e.g. its database was restored): start over.
        ++bad_cursor_restarts_;
        ports_.page->warn("Grove: the server did not accept the saved cursor; fetching every post again");
        full_resync_ = true;
        meta_.cursor.reset();
        pull_phase();
        return;
    }
    if (answer == Answer::permanent) emit_error(err.code, err.message);
    if (answer == Answer::unauthorized) {
        fail_cycle(auth_retry_delay_ms());
        return;
    }
    if (answer == Answer::rate_limited) {
        fail_cycle((r.retry_after_s && *r.retry_after_s > 0 ? *r.retry_after_s : 5) * 1000LL);
        return;
    }
    fail_cycle(backoff_.next_delay_ms(ports_.random()));
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
            auto p = post_from_json(Json::parse(r.body, nullptr, false));
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
            if (auto list = decode_post_list(Json::parse(r.body, nullptr, false))) {
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
            auto queue = decode_flag_queue(Json::parse(r.body, nullptr, false));
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
            if (auto list = decode_post_list(Json::parse(r.body, nullptr, false))) {
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
            if (auto list = decode_resource_list(Json::parse(r.body, nullptr, false))) {
                std::vector<Resource> shelf;
                for (Resource& res : list->resources)
                    if (res.module == options_.module && !res.deleted) shelf.push_back(std::move(res));
                std::stable_sort(shelf.begin(), shelf.end(),
                                 [](const Resource& a, const Resource& b) { return a.position < b.position; });
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

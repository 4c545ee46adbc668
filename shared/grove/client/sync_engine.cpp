// SyncEngine, part 1: lifecycle, scheduling, storage, other tabs, token and identity.
#include "grove/client/sync_engine.hpp"

#include <algorithm>       // std::max
#include <unordered_map>   // std::unordered_map

#include "grove/client/token_identity.hpp"
#include "grove/time.hpp"    // format_rfc3339_ms
#include "grove/wire.hpp"    // Json, dump, to_json

namespace grove {

namespace {
const char* const kStaleRecord = "\x01 stale: another tab replaced the snapshot";
const char* const kNotSignedIn =
    "Grove does not know who you are yet (the page's sign-in gave no answer it can use), so nothing can be "
    "posted or sent under your name. It tries again by itself; signing in to the intranet again may help.";
}

SyncEngine::SyncEngine(SyncOptions options, ClientPorts ports)
    : options_(std::move(options)),
      ports_(std::move(ports)),
      store_(options_.module),
      scheduler_(*ports_.timers, {options_.poll_ms, options_.live_poll_ms}, [this] { run_cycle(); },
                 [this] { return started_ && loaded_; }),
      backoff_(options_.backoff_base_ms, options_.backoff_cap_ms),
      pusher_(*ports_.timers, *this),
      puller_(options_.module, *this) {
    while (!options_.api.empty() && options_.api.back() == '/') options_.api.pop_back();
    tab_ = static_cast<std::uint32_t>(ports_.random());
}

SyncEngine::~SyncEngine() {
    release_lock();   // another tab may sync now (the pusher cancels its own timer)
}

void SyncEngine::start() {
    if (started_) return;
    started_ = true;
    ports_.broadcast->on_message(guard([this](const std::string& m) { on_broadcast(m); }));
    const std::uint64_t epoch = store_.epoch();
    ports_.storage->load(options_.module,
                         guard([this, epoch](StoredModule stored) { on_loaded(std::move(stored), epoch); }));
    with_token([] {});   // who is signed in, for the first frames
}

void SyncEngine::on_loaded(StoredModule stored, std::uint64_t epoch_at_read) {
    if (!stored.ok) {
        loaded_ = true;
        storage_failed("the browser's storage could not be opened (" + stored.error + ")");
        if (store_.me().known) person_here(/*arrived=*/true);
        changed();
        emit_sync();
        request_cycle(false);
        return;
    }
    auto c = std::make_shared<CacheContents>(decode_cache(std::move(stored), options_.module));
    for (const std::string& w : c->warnings) ports_.page->warn(w);
    if (!c->posts_usable) {
        apply_cache(*c, {}, epoch_at_read);
        return;
    }
    read_posts(std::move(c->packed), c->meta, guard([this, c, epoch_at_read](DecodedPosts posts, bool repack) {
        if (repack) checkpointer_.mark_stale();
        apply_cache(*c, std::move(posts), epoch_at_read);
    }));
}

// The cache is read: show it, repair what decode_cache asked for, and start syncing.
void SyncEngine::apply_cache(CacheContents& c, DecodedPosts posts, std::uint64_t epoch_at_read) {
    meta_ = c.meta;
    known_meta_ = c.sync_record;
    if (posts.bad) {
        ports_.page->warn("Grove cache (" + options_.module + "): " + std::to_string(posts.bad) +
                          " cached post(s) could not be read (" + posts.first_problem + "); all posts will be fetched again");
        puller_.want_full();
        meta_.cursor.reset();
        checkpointer_.mark_stale();
    }
    store_.replace_snapshot(std::move(posts.posts));
    store_.set_snapshot_owner(meta_.user.known ? meta_.user.id : std::string());
    store_.replace_outbox(std::move(c.outbox), epoch_at_read);
    drafts_ = std::move(c.drafts);
    if (!draft_touched_) take_draft();
    unowned_notice_ = unowned_work_text(c.deleted_unowned_draft, c.deleted_unowned_writes);
    if (spotlight_.empty()) spotlight_ = std::move(c.spotlight);
    if (resources_.empty()) resources_ = std::move(c.resources);
    for (auto& [user, days] : c.later) later_[user].insert(days.begin(), days.end());   // ones put off meanwhile win
    StorageBatch repair;
    repair.clear_posts = c.clear_posts;
    repair.delete_outbox = std::move(c.delete_outbox);
    repair.delete_meta = std::move(c.delete_meta);
    if (c.rewrite_meta) {
        meta_.commit = new_commit_tag();
        known_meta_ = encode_sync_meta(meta_);
        repair.put_meta.push_back({kMetaSync, known_meta_});
    }
    write_storage(std::move(repair));
    loaded_ = true;
    // The token may have been read first: compare it with whose cache this is.
    if (store_.me().known) person_here(/*arrived=*/true);
    changed();
    emit_sync();
    request_cycle(false);
}

// The packed copy plus the few posts changed since, or (without a usable copy) every post record.
void SyncEngine::read_posts(std::string packed, const SyncMeta& meta, std::function<void(DecodedPosts, bool)> done) {
    const std::string module = options_.module;
    if (auto copy = decode_packed(packed, meta.packed, module)) {
        if (meta.dirty.empty()) {
            done(std::move(*copy), false);
            return;
        }
        auto base = std::make_shared<DecodedPosts>(std::move(*copy));
        ports_.storage->load_posts(module, meta.dirty, guard([this, base, done](StoredPosts stored) {
            if (!stored.ok) {   // the copy lacks the newest changes: fetch everything again
                ports_.page->warn("Grove: could not read cached posts: " + stored.error);
                base->posts.clear();
                ++base->bad;
                base->first_problem = stored.error;
                done(std::move(*base), true);
                return;
            }
            DecodedPosts newer = decode_post_records(stored.records, options_.module);
            std::unordered_map<std::string, std::size_t> at;
            at.reserve(base->posts.size());
            for (std::size_t i = 0; i < base->posts.size(); ++i) at.emplace(base->posts[i].id, i);
            for (Post& p : newer.posts) {
                const auto it = at.find(p.id);
                if (it != at.end()) {
                    base->posts[it->second] = std::move(p);
                } else {
                    base->posts.push_back(std::move(p));
                }
            }
            if (newer.bad && !base->bad) base->first_problem = newer.first_problem;
            base->bad += newer.bad;
            done(std::move(*base), false);
        }));
        return;
    }
    ports_.storage->load_posts(module, {}, guard([this, done](StoredPosts stored) {
        if (!stored.ok) {
            ports_.page->warn("Grove: could not read cached posts: " + stored.error);
            DecodedPosts none;
            none.bad = 1;
            none.first_problem = stored.error;
            done(std::move(none), true);
            return;
        }
        done(decode_post_records(stored.records, options_.module), true);
    }));
}

void SyncEngine::storage_failed(const std::string& why) {
    if (!storage_ok_) return;
    storage_ok_ = false;
    storage_notice_ = "Changes are kept only until this page closes: " + why + ".";
    ports_.page->warn("Grove: " + storage_notice_);
    emit_error("storage_unavailable", storage_notice_);
}

// ---- page events and status -----------------------------------------------------------------------

void SyncEngine::changed() {
    ++revision_;
    ports_.page->changed();
}

SyncStatus SyncEngine::status() const {
    SyncStatus s;
    s.online = scheduler_.online() && reached_;
    s.pending = store_.pending_count();
    s.failed = store_.failed_count();
    s.last_sync_ms = meta_.last_sync_ms;
    s.syncing = in_flight_;
    s.loaded = loaded_;
    s.notice = !notice_.empty()                           ? notice_
               : identity_missing_ && !store_.me().known ? std::string(kNotSignedIn)
                                                         : storage_notice_;
    s.held_work = held_work_;
    return s;
}

void SyncEngine::emit_sync() {
    const SyncStatus s = status();
    Json detail{{"module", options_.module},
                {"pending", s.pending},
                {"online", s.online},
                {"last_sync", s.last_sync_ms ? Json(format_rfc3339_ms(*s.last_sync_ms)) : Json(nullptr)},
                {"failed", s.failed}};
    ports_.page->emit("grove:sync", dump(detail));
}

void SyncEngine::emit_error(const std::string& code, const std::string& message) {
    ports_.page->emit("grove:error", dump(Json{{"code", code}, {"message", message}, {"module", options_.module}}));
}

void SyncEngine::set_browser_online(bool online) {
    if (!scheduler_.set_online(online)) return;
    if (online) {
        backoff_.reset();
        request_cycle(true);
    } else {
        reached_ = false;
        emit_sync();
        changed();
    }
}

void SyncEngine::set_visible(bool visible) {
    if (scheduler_.set_visible(visible) && visible) request_cycle(true);
}

void SyncEngine::focused() { request_cycle(true); }
void SyncEngine::sync_now() { request_cycle(true); }

void SyncEngine::pull_now(bool spotlight) {
    if (spotlight) spotlight_at_ms_ = 0;   // the next cycle fetches it again
    request_cycle(false);
}

void SyncEngine::set_live(bool held) { scheduler_.set_live(held); }

bool SyncEngine::settled() const {
    return loaded_ && scheduler_.state() == CycleScheduler::State::idle && !in_flight_ && !pusher_.retry_waiting() &&
           store_.pending_count() == 0;
}

// ---- scheduling -----------------------------------------------------------------------------------

void SyncEngine::request_cycle(bool urgent) { scheduler_.request(urgent); }

void SyncEngine::run_cycle() {
    with_token(guard([this] {
        me_phase(guard([this] {
            // Nothing is sent or fetched for nobody: what came back would be no one's view.
            if (!store_.me().known) {
                if (!identity_missing_) {
                    identity_missing_ = true;
                    emit_error("unauthorized", kNotSignedIn);
                }
                fail_cycle(auth_retry_delay_ms());
                return;
            }
            locked_phase();
        }));
    }));
}

void SyncEngine::end_cycle() {
    const bool again = scheduler_.finish();
    emit_sync();
    changed();
    scheduler_.schedule_poll();
    scheduler_.hold_until(next_hold_due_ms());
    if (again) request_cycle(false);
}

void SyncEngine::fail_cycle(std::int64_t retry_in_ms) {
    release_lock();
    scheduler_.back_off(retry_in_ms);
    emit_sync();
    changed();
}

// Even a fresh token was refused (or the page has no getToken): retrying sooner than the regular
// poll cannot help and would keep an idle widget busy. Focus and `online` still try at once.
std::int64_t SyncEngine::auth_retry_delay_ms() {
    return std::max(backoff_.next_delay_ms(ports_.random()), options_.poll_ms);
}

// A held write (a flag in its Undo window) is sent by the first cycle after its wait: the
// scheduler starts that cycle when the first one is due, so a flag is sent about when its Undo
// goes away, not at the next poll. 0: nothing is held.
std::int64_t SyncEngine::next_hold_due_ms() const {
    std::int64_t due = 0;
    for (const QueuedWrite& w : store_.outbox())
        if (!w.entry.failed && store_.applies(w.entry) && w.entry.hold_until_ms > 0 && (due == 0 || w.entry.hold_until_ms < due))
            due = w.entry.hold_until_ms;
    return due;
}

// ---- storage and other tabs -------------------------------------------------------------------------

void SyncEngine::write_storage(StorageBatch batch, std::function<void(bool)> then) {
    if (batch.empty() || !storage_ok_) {
        if (then) then(storage_ok_ || batch.empty());
        return;
    }
    batch.module = options_.module;
    ports_.storage->write(std::move(batch), guard([this, then](std::string error) {
        if (!error.empty()) ports_.page->warn("Grove: could not save to the browser's storage: " + error);
        if (then) then(error.empty());
    }));
}

std::string SyncEngine::new_commit_tag() {
    static const char kHex[] = "0123456789abcdef";
    std::uint64_t r = ports_.random();
    std::string tag(16, '0');
    for (char& c : tag) {
        c = kHex[r & 15];
        r >>= 4;
    }
    return tag;
}

void SyncEngine::persist_meta() {
    if (detached_) return;   // the stored snapshot is another person's: theirs to describe
    meta_.commit = new_commit_tag();
    known_meta_ = encode_sync_meta(meta_);
    StorageBatch b;
    b.put_meta.push_back({kMetaSync, known_meta_});
    write_storage(std::move(b));
}

void SyncEngine::commit_snapshot(StorageBatch b, const std::vector<Post>& posts, bool full) {
    if (detached_) {   // this tab's view stays in memory; only the queue is shared
        b.clear_posts = false;
        b.put_posts.clear();
        b.delete_posts.clear();
        b.put_meta.clear();
        const bool outbox = !b.put_outbox.empty() || !b.delete_outbox.empty();
        write_storage(std::move(b));
        if (outbox) broadcast_outbox();
        return;
    }
    const std::string from = known_meta_;
    // Keep the packed copy and the dirty list in step with the posts store (cache_format.hpp).
    checkpointer_.checkpoint(
        b, meta_, full,
        [this] {
            std::vector<std::string> records;
            records.reserve(store_.snapshot_size());
            for (const auto& [id, p] : store_.snapshot()) records.push_back(encode_post_record(p));
            return records;
        },
        [this] { return new_commit_tag(); });
    meta_.commit = new_commit_tag();   // a new record for every change: tabs that miss one notice
    const std::string to = encode_sync_meta(meta_);
    b.put_meta.push_back({kMetaSync, to});
    known_meta_ = to;
    write_storage(std::move(b));
    // The posts are as this person sees them (a curator's include hidden text): only a tab of the
    // same person takes them; any other reads storage, which holds nothing of the kind.
    Json message{{"type", "changed"}, {"module", options_.module}, {"user", store_.me().known ? store_.me().id : ""}};
    if (full) {
        message["reload"] = true;   // too big to send: the others read storage
    } else {
        Json list = Json::array();
        for (const Post& p : posts) list.push_back(to_json(p));
        message["posts"] = std::move(list);
        message["from"] = from;
        message["to"] = to;
    }
    ports_.broadcast->post(dump(message));
}

// The draft is the signed-in person's: saved under their id, so another person's never shows in
// this composer. Text typed before anyone is known stays in memory only (whose would it be?).
void SyncEngine::set_draft(std::string text) {
    if (text == draft_) return;
    draft_ = std::move(text);
    draft_touched_ = true;
    ++revision_;   // the UI set it: no redraw needed, but derived views may depend on it
    const Identity& me = store_.me();
    draft_owner_ = me.known ? me.id : std::string();
    if (draft_owner_.empty()) return;
    drafts_[draft_owner_] = draft_;
    persist_draft();
}

// The current person's saved draft into the composer (empty when nobody is known).
void SyncEngine::take_draft() {
    const Identity& me = store_.me();
    draft_owner_ = me.known ? me.id : std::string();
    const auto it = me.known ? drafts_.find(me.id) : drafts_.end();
    draft_ = it != drafts_.end() ? it->second : std::string();
}

StorageBatch SyncEngine::draft_batch(const std::string& owner) const {
    StorageBatch b;
    const auto it = drafts_.find(owner);
    if (it == drafts_.end() || it->second.empty()) {
        b.delete_meta.push_back(draft_key(owner));   // posted or emptied: no record left behind
    } else {
        b.put_meta.push_back({draft_key(owner), encode_draft(owner, it->second)});
    }
    return b;
}

// One draft write at a time, always the latest text: typing fast never queues a write per key.
void SyncEngine::persist_draft() {
    if (draft_save_ != DraftSave::idle) {
        draft_save_ = DraftSave::stale;
        return;
    }
    if (draft_owner_.empty()) return;
    draft_save_ = DraftSave::writing;
    write_storage(draft_batch(draft_owner_), [this](bool) {
        const bool again = draft_save_ == DraftSave::stale;
        draft_save_ = DraftSave::idle;
        if (again) persist_draft();
    });
}

void SyncEngine::broadcast_outbox() {
    ports_.broadcast->post(dump(Json{{"type", "changed"}, {"module", options_.module}}));
}

// Another tab changed the outbox or the snapshot. Posts it got from the server are taken at once;
// if this tab was at the sync record the change started from, it is now where that tab is;
// otherwise the next cycle catches up from storage. The outbox is re-read either way.
void SyncEngine::on_broadcast(const std::string& message) {
    const Json j = parse_json(message);
    if (!j.is_object() || !loaded_) return;
    const auto type = j.find("type");
    if (type == j.end() || !type->is_string() || *type != "changed") return;
    const auto sender = j.find("user");
    const bool same_person = store_.me().known && sender != j.end() && sender->is_string() &&
                             *sender == store_.me().id && store_.snapshot_owner() == store_.me().id;
    const auto posts = j.find("posts");
    const bool has_posts = posts != j.end() && posts->is_array();
    if (has_posts && same_person) {
        for (const Json& item : *posts) {
            auto p = post_from_json(item);
            if (p && p->module == options_.module) store_.merge(std::move(p).value());
        }
    }
    const auto from = j.find("from");
    const auto to = j.find("to");
    const auto full = j.find("reload");
    // Another person's tab changed the snapshot: read it from storage (their view of it is not ours).
    const bool reload = (full != j.end() && full->is_boolean() && full->get<bool>()) || (has_posts && !same_person);
    if (reload) {
        known_meta_ = kStaleRecord;   // matches no stored record: the next cycle reads storage
    } else if (from != j.end() && to != j.end() && from->is_string() && to->is_string() && *from == known_meta_) {
        const SyncMetaRead read = read_sync_meta(to->get_ref<const std::string&>());
        if (read.result == SyncMetaRead::Result::ok) {
            meta_ = read.meta;
            known_meta_ = to->get<std::string>();
        }
    }
    reload_outbox(guard([this, reload] {
        changed();
        emit_sync();
        if (has_sendable() || reload) request_cycle(false);
    }));
}

// At the start of a cycle, under the lock: the outbox as storage holds it, and the snapshot as
// another tab may have left it.
void SyncEngine::catch_up(std::function<void()> then) {
    if (!storage_ok_) {
        then();
        return;
    }
    const std::uint64_t epoch = store_.epoch();
    ports_.storage->load_outbox(options_.module, guard([this, epoch, then](StoredOutbox stored) {
        if (!stored.ok) {
            ports_.page->warn("Grove: could not read the queued changes: " + stored.error);
            then();
            return;
        }
        std::vector<OutboxEntry> entries;
        for (const StoredRecord& rec : stored.outbox) {
            DecodedOutboxRecord d = decode_outbox_record(rec);
            if (d.result == DecodedOutboxRecord::Result::ok) entries.push_back(std::move(d.entry));
        }
        store_.replace_outbox(std::move(entries), epoch);
        // Another person's tab open at the same time, in this browser, wrote its own full view:
        // this tab keeps its view (its own) in memory and leaves storage to theirs. Taking theirs
        // would mean a full pull here, which would make theirs pull again, and so on.
        const Identity& me = store_.me();
        if (stored.sync_meta && me.known && store_.snapshot_owner() == me.id) {
            const SyncMetaRead read = read_sync_meta(*stored.sync_meta);
            if (read.result == SyncMetaRead::Result::ok && read.meta.user.known && read.meta.user.id != me.id) {
                detached_ = true;
                then();
                return;
            }
        }
        detached_ = false;
        if (stored.sync_meta.value_or("") == known_meta_) {
            then();
            return;
        }
        const std::uint64_t epoch2 = store_.epoch();
        ports_.storage->load(options_.module, guard([this, epoch2, then](StoredModule all) {
            if (!all.ok) {
                then();
                return;
            }
            auto c = std::make_shared<CacheContents>(decode_cache(std::move(all), options_.module));
            if (!c->posts_usable) {   // the stored snapshot cannot be trusted: fetch everything again
                for (const std::string& w : c->warnings) ports_.page->warn(w);
                meta_ = c->meta;
                known_meta_ = c->sync_record;
                meta_.cursor.reset();
                puller_.want_full();
                store_.replace_snapshot({});
                store_.set_snapshot_owner(std::string());
                store_.replace_outbox(std::move(c->outbox), epoch2);
                if (store_.me().known) person_here(/*arrived=*/false);
                changed();
                then();
                return;
            }
            read_posts(std::move(c->packed), c->meta, guard([this, c, epoch2, then](DecodedPosts posts, bool repack) {
                if (repack) checkpointer_.mark_stale();
                meta_ = c->meta;
                known_meta_ = c->sync_record;
                if (posts.bad) {
                    puller_.want_full();
                    meta_.cursor.reset();
                    checkpointer_.mark_stale();
                }
                store_.replace_snapshot(std::move(posts.posts));
                store_.set_snapshot_owner(meta_.user.known ? meta_.user.id : std::string());
                bodies_tried_.clear();   // the stored posts have no hidden text: ask again
                store_.replace_outbox(std::move(c->outbox), epoch2);
                if (store_.me().known) person_here(/*arrived=*/false);   // whose snapshot is it?
                changed();
                then();
            }));
        }));
    }));
}

void SyncEngine::reload_outbox(std::function<void()> then) {
    if (!storage_ok_) {
        then();
        return;
    }
    const std::uint64_t epoch = store_.epoch();
    ports_.storage->load_outbox(options_.module, guard([this, epoch, then](StoredOutbox stored) {
        if (stored.ok) {
            std::vector<OutboxEntry> entries;
            entries.reserve(stored.outbox.size());
            for (const StoredRecord& rec : stored.outbox) {
                DecodedOutboxRecord d = decode_outbox_record(rec);
                if (d.result == DecodedOutboxRecord::Result::ok) entries.push_back(std::move(d.entry));
            }
            store_.replace_outbox(std::move(entries), epoch);
        } else {
            ports_.page->warn("Grove: could not read the queued changes: " + stored.error);
        }
        then();
    }));
}

// ---- token and identity -------------------------------------------------------------------------
// Who is signed in comes from the token the page gives (its claims, or GET /me for an opaque one).
// Every write is made by, and sent for, exactly that person: a write needs a known person, is
// sent only while the same person is signed in, and an answer or a resend never crosses from one
// person to another (identity_epoch_).

void SyncEngine::with_token(std::function<void()> then) {
    const bool expiring =
        token_exp_ms_ && ports_.timers->now_ms() + options_.token_refresh_margin_ms >= *token_exp_ms_;
    // No token yet, or the page said nobody is signed in: ask again (at most once a cycle).
    if (token_ && !token_->empty() && !expiring) {
        then();
        return;
    }
    ports_.token->get(expiring, guard([this, then](std::optional<std::string> token, std::string error) {
        if (!error.empty()) ports_.page->warn("Grove: the page's getToken failed: " + error);
        take_token(std::move(token), then);
    }));
}

void SyncEngine::take_token(std::optional<std::string> token, std::function<void()> then) {
    // getToken failed: nothing new is known about who is here, so keep what this page knew.
    if (!token) {
        then();
        return;
    }
    const std::string previous = token_.value_or("");
    token_ = std::move(token);
    token_exp_ms_.reset();
    if (auto claims = read_token_identity(*token_)) {
        token_exp_ms_ = claims->exp_ms;
        who_from_ = WhoFrom::token;
        set_identity(claims->identity);
    } else if (*token_ != previous) {
        // Empty (signed out) or opaque: nobody is known until GET /me says whose token it is.
        // (The same token again keeps what was known: whether it has claims depends on it alone.)
        who_from_ = WhoFrom::me_unasked;
        set_identity(Identity{});
    }
    then();
}

void SyncEngine::set_identity(const Identity& who) {
    const Identity before = store_.me();
    const bool person_changed = before.known != who.known || (who.known && before.id != who.id);
    const bool role_changed = person_changed || (who.known && before.role != who.role);
    if (role_changed) {
        ++identity_epoch_;   // answers to requests made for the one before are not this person's
        // What the one before could see and this one may not: the flag queue, hidden text.
        flags_.clear();
        flags_at_ms_ = 0;
        spotlight_at_ms_ = 0;
        check_ins_.clear();   // they are the one before's
        check_ins_at_ms_ = 0;
        bodies_tried_.clear();
        if (person_changed || !can_moderate(who.role)) {
            store_.forget_hidden_bodies();
            for (Post& p : spotlight_) {
                if (p.hidden) p.body.clear();
                p.endorsed_by_me = false;
            }
        }
    }
    store_.set_me(who);
    if (who.known) identity_missing_ = false;
    if (!loaded_) return;   // apply_cache goes on from here
    if (person_changed) {
        // The one before keeps their draft (saved under their id); this one gets theirs back.
        // Text typed while nobody was known stays where it is: it is on this screen already.
        if (before.known && draft_owner_ == before.id) write_storage(draft_batch(before.id));
        if (before.known || !draft_touched_) {
            take_draft();
            draft_touched_ = false;
        }
        held_work_.clear();
    }
    if (who.known) person_here(/*arrived=*/person_changed);
    changed();
}

// The person is known and the cache read: is the cached view theirs, and did their own unsent
// work wait here while someone else was signed in (`arrived`: they have just come)?
void SyncEngine::person_here(bool arrived) {
    const Identity& who = store_.me();
    bool meta_dirty = false;
    if (!meta_.user.known || meta_.user.id != who.id || meta_.user.role != who.role) {
        // Another person's view (or another role's): a full pull replaces it, and meanwhile
        // nothing of theirs is shown (ClientStore masks their marks; hidden text is never stored).
        if (meta_.cursor || !puller_.full_wanted()) {
            meta_.cursor.reset();
            puller_.want_full();
            meta_dirty = true;
        }
    } else if (meta_.user.name != who.name) {
        meta_.user.name = who.name;
        meta_dirty = true;
    }
    if (arrived && !meta_.reader.empty() && meta_.reader != who.id) {
        std::size_t writes = 0;
        for (const QueuedWrite& w : store_.outbox())
            if (store_.applies(w.entry)) ++writes;
        const auto draft = drafts_.find(who.id);
        const bool has_draft = draft != drafts_.end() && !draft->second.empty();
        if (writes || has_draft) held_work_ = held_work_text(writes, has_draft);
    }
    if (!unowned_notice_.empty()) {   // told once, to the first person known after the upgrade
        held_work_ += (held_work_.empty() ? "" : " ") + unowned_notice_;
        unowned_notice_.clear();
    }
    if (meta_.reader != who.id) {
        meta_.reader = who.id;
        meta_dirty = true;
    }
    if (meta_dirty) persist_meta();
}

std::string SyncEngine::held_work_text(std::size_t writes, bool draft) {
    std::string text = "Welcome back. While someone else used Grove in this browser, your unsent work waited here; "
                       "nothing of it was shown to them or sent under their name.";
    if (writes)
        text += " " + std::to_string(writes) + (writes == 1 ? " change" : " changes") +
                " you made earlier on this device " + (writes == 1 ? "is" : "are") +
                " being sent under your name now; you can still edit or delete your posts as usual.";
    if (draft) text += " Your unsent draft is back in the composer.";
    return text;
}

// What an older cache held that nobody could be given (CacheContents::deleted_unowned_*).
std::string SyncEngine::unowned_work_text(bool draft, std::size_t writes) {
    if (!draft && !writes) return {};
    const std::string changes = std::to_string(writes) + (writes == 1 ? " unsent change" : " unsent changes");
    const std::string what = draft && writes ? "an unsent draft and " + changes : draft ? "an unsent draft" : changes;
    const bool one = draft ? !writes : writes == 1;
    const std::string it = one ? "it" : "them";
    return "An earlier version of Grove kept " + what + " in this browser without noting who made " + it + ". " +
           (one ? "It was" : "They were") + " deleted unread, so that " + (one ? "it" : "they") +
           " could never be shown to or sent as someone else. If " + (one ? "it was" : "they were") +
           " yours, please write " + it + " again.";
}

std::optional<ApiError> SyncEngine::check_signed_in() const {
    if (store_.me().known) return std::nullopt;
    return ApiError::unauthorized(
        "Grove does not know who you are yet, so this cannot be saved under your name. Your text stays here: "
        "try again in a moment, or sign in to the intranet again.");
}

void SyncEngine::me_phase(std::function<void()> then) {
    if (who_from_ != WhoFrom::me_unasked || token_.value_or("").empty()) {
        then();
        return;
    }
    who_from_ = WhoFrom::me_asked;
    HttpRequest r{"GET", options_.api + "/me", {}, {}, 0};
    send(std::move(r), [this, then](HttpResponse resp) {
        if (classify_status(resp.status) == Answer::ok) {
            if (auto who = identity_from_me_response(resp.body)) set_identity(*who);
        } else if (who_from_ == WhoFrom::me_asked) {   // asked again next cycle
            who_from_ = WhoFrom::me_unasked;
        }
        then();
    });
}

// Whoever is signed in changed while a request of this cycle was out: its answer (or a resend
// with the new token) would be for the wrong person. Drop it and start over as the new one; a
// write it may have performed is still queued for its author, and resending it later is safe.
void SyncEngine::abandon_cycle() {
    release_lock();
    for (const QueuedWrite& w : store_.outbox())
        if (w.in_flight) store_.set_in_flight(w.entry.key, false);
    pusher_.abandon();
    puller_.abandon();
    scheduler_.finish();   // dropped, not finished: a new cycle starts below as the new person
    emit_sync();
    changed();
    request_cycle(false);
}

void SyncEngine::send(HttpRequest request, std::function<void(HttpResponse)> done) {
    auto attach = [this](HttpRequest& r) {
        for (auto it = r.headers.begin(); it != r.headers.end();)
            it = it->first == "Authorization" ? r.headers.erase(it) : it + 1;
        if (token_ && !token_->empty()) r.headers.emplace_back("Authorization", "Bearer " + *token_);
    };
    const std::uint64_t epoch = identity_epoch_;
    request.timeout_ms = options_.request_timeout_ms;
    attach(request);
    in_flight_ = true;
    changed();
    ports_.http->send(request, guard([this, epoch, request, done, attach](HttpResponse resp) mutable {
        in_flight_ = false;
        if (epoch != identity_epoch_) {
            abandon_cycle();
            return;
        }
        if (resp.status != 401) {
            note_answer(resp);
            done(std::move(resp));
            return;
        }
        // 401: the token expired or was revoked. Ask the page for a new one, once, and resend.
        ports_.token->get(true, guard([this, epoch, request, done, attach](std::optional<std::string> token,
                                                                          std::string error) mutable {
            if (!error.empty()) ports_.page->warn("Grove: the page's getToken failed: " + error);
            take_token(std::move(token), [] {});
            if (epoch != identity_epoch_) {   // the new token is someone else's: never resend as them
                abandon_cycle();
                return;
            }
            attach(request);
            in_flight_ = true;
            ports_.http->send(request, guard([this, epoch, done](HttpResponse again) {
                in_flight_ = false;
                if (epoch != identity_epoch_) {
                    abandon_cycle();
                    return;
                }
                note_answer(again);
                done(std::move(again));
            }));
        }));
    }));
}

void SyncEngine::note_answer(const HttpResponse& r) {
    reached_ = r.status != 0;
    if (r.status == 0 && !r.transport_error.empty())
        ports_.page->warn("Grove: the API did not answer (" + r.transport_error + ")");
    if (r.status == 401) {
        if (!auth_failed_) {
            auth_failed_ = true;
            notice_ = "Sign in again to send your changes: the server did not accept your sign-in.";
            emit_error("unauthorized", notice_);
        }
    } else if (r.status != 0 && auth_failed_) {
        auth_failed_ = false;
        notice_.clear();
    }
}

}  // namespace grove

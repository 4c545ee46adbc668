#include "grove/client/client_store.hpp"

#include <algorithm>   // std::lower_bound, std::find_if
#include <utility>     // std::move

namespace grove {

ClientStore::ClientStore(std::string module) : module_(std::move(module)) {}

void ClientStore::set_me(const Identity& me) {
    if (me.id == me_.id && me.role == me_.role && me.name == me_.name && me.known == me_.known) return;
    me_ = me;
    touch_all();
}

bool ClientStore::applies(const OutboxEntry& e) const { return me_.known && !e.user.empty() && e.user == me_.id; }

void ClientStore::set_snapshot_owner(const std::string& user) {
    if (user == owner_) return;
    owner_ = user;
    touch_all();
}

void ClientStore::forget_hidden_bodies() {
    for (auto& [id, p] : snapshot_) {
        if (!p.hidden || p.body.empty()) continue;
        p.body.clear();
        touch(id);
    }
}

ShownPost ClientStore::shown_as_stored(const Post& server) const {
    ShownPost s = ShownPost::referring_to(server);
    if (server.endorsed_by_me && !marks_are_mine()) s.own_post().endorsed_by_me = false;
    return s;
}

// ---- snapshot -----------------------------------------------------------------------------------

void ClientStore::replace_snapshot(std::vector<Post> posts) {
    snapshot_.clear();
    snapshot_.reserve(posts.size());
    for (Post& p : posts) {
        std::string id = p.id;
        snapshot_.insert_or_assign(std::move(id), std::move(p));
    }
    touch_all();
}

bool ClientStore::merge(Post post) {
    if (!marks_are_mine()) post.endorsed_by_me = false;   // the snapshot is someone else's view
    auto it = snapshot_.find(post.id);
    if (it != snapshot_.end()) {
        if (it->second.rev > post.rev || it->second == post) return false;
        it->second = std::move(post);
        touch(it->first);
        return true;
    }
    std::string id = post.id;
    touch(id);
    snapshot_.emplace(std::move(id), std::move(post));
    return true;
}

const Post* ClientStore::server_post(const std::string& id) const {
    const auto it = snapshot_.find(id);
    return it == snapshot_.end() ? nullptr : &it->second;
}

void ClientStore::apply_endorsement_answer(const std::string& id, std::int64_t endorsements, bool endorsed_by_me) {
    const auto it = snapshot_.find(id);
    if (it == snapshot_.end()) return;
    it->second.endorsements = endorsements;
    if (marks_are_mine()) it->second.endorsed_by_me = endorsed_by_me;
    if (endorsed_by_me && endorsement_is_trusted(me_.role)) it->second.leader_endorsed = true;
    touch(id);
}

void ClientStore::apply_dismiss_answer(const std::string& id, bool hidden) {
    const auto it = snapshot_.find(id);
    if (it == snapshot_.end() || it->second.hidden == hidden) return;
    it->second.hidden = hidden;
    touch(id);
}

void ClientStore::apply_delete_answer(const std::string& id) {
    const auto it = snapshot_.find(id);
    if (it == snapshot_.end()) return;
    it->second.deleted = true;
    it->second.body.clear();
    touch(id);
}

// ---- outbox -------------------------------------------------------------------------------------

std::uint64_t ClientStore::enqueue(OutboxEntry entry, bool persisted) {
    touch(entry.post_id);
    const auto pos = std::lower_bound(outbox_.begin(), outbox_.end(), entry.key,
                                      [](const QueuedWrite& w, const std::string& key) { return w.entry.key < key; });
    QueuedWrite w;
    w.entry = std::move(entry);
    w.handle = next_handle_++;
    w.persisted = persisted;   // loaded from storage: epoch 0, older than any read
    const std::uint64_t handle = w.handle;
    outbox_.insert(pos, std::move(w));
    return handle;
}

QueuedWrite* ClientStore::find(std::uint64_t handle) {
    for (QueuedWrite& w : outbox_)
        if (w.handle == handle) return &w;
    return nullptr;
}

QueuedWrite* ClientStore::find_key(const std::string& key) {
    const auto pos = std::lower_bound(outbox_.begin(), outbox_.end(), key,
                                      [](const QueuedWrite& w, const std::string& k) { return w.entry.key < k; });
    return pos != outbox_.end() && pos->entry.key == key ? &*pos : nullptr;
}

bool ClientStore::remove(const std::string& key) {
    QueuedWrite* w = find_key(key);
    if (!w) return false;
    touch(w->entry.post_id);
    outbox_.erase(outbox_.begin() + (w - outbox_.data()));
    return true;
}

void ClientStore::update(const OutboxEntry& entry) {
    QueuedWrite* w = find_key(entry.key);
    if (!w) return;
    touch(entry.post_id);
    w->entry = entry;
}

void ClientStore::set_in_flight(const std::string& key, bool in_flight) {
    if (QueuedWrite* w = find_key(key)) w->in_flight = in_flight;
}

void ClientStore::mark_persisted(const std::string& key) {
    ++epoch_;
    if (QueuedWrite* w = find_key(key)) {
        w->persisted = true;
        w->persisted_epoch = epoch_;
    }
}

void ClientStore::replace_outbox(std::vector<OutboxEntry> stored, std::uint64_t epoch_at_read) {
    std::vector<QueuedWrite> next;
    next.reserve(stored.size() + outbox_.size());
    std::unordered_set<std::string> seen;
    for (OutboxEntry& e : stored) {
        seen.insert(e.key);
        QueuedWrite w;
        if (QueuedWrite* old = find_key(e.key)) {
            w = *old;   // keeps handle and in-flight state
            if (!(old->entry == e)) touch(e.post_id);
        } else {
            w.handle = next_handle_++;
            touch(e.post_id);
        }
        w.entry = std::move(e);
        w.persisted = true;
        next.push_back(std::move(w));
    }
    for (QueuedWrite& w : outbox_) {
        if (seen.count(w.entry.key)) continue;
        const bool keep = !w.persisted || w.persisted_epoch > epoch_at_read;
        if (keep) {
            next.push_back(std::move(w));
        } else {
            touch(w.entry.post_id);   // sent or discarded by another tab
        }
    }
    std::sort(next.begin(), next.end(), [](const QueuedWrite& a, const QueuedWrite& b) { return a.entry.key < b.entry.key; });
    outbox_ = std::move(next);
}

std::size_t ClientStore::pending_count() const {
    std::size_t n = 0;
    for (const QueuedWrite& w : outbox_)
        if (!w.entry.failed && applies(w.entry)) ++n;
    return n;
}

std::size_t ClientStore::failed_count() const {
    std::size_t n = 0;
    for (const QueuedWrite& w : outbox_)
        if (w.entry.failed && applies(w.entry)) ++n;
    return n;
}

// ---- view ---------------------------------------------------------------------------------------

void ClientStore::touch(const std::string& id) {
    if (!all_dirty_) dirty_.insert(id);
}

void ClientStore::touch_all() {
    all_dirty_ = true;
    dirty_.clear();
}

std::optional<ShownPost> ClientStore::compute(const std::string& id) const {
    // The server's post is referred to, and copied only when a queued write changes it below.
    ShownPost shown;
    bool exists = false;
    if (const auto it = snapshot_.find(id); it != snapshot_.end()) {
        shown = shown_as_stored(it->second);
        exists = true;
    }
    bool pending = false;
    bool removed = false;
    bool failed = false;   // the first refused write is the one shown
    std::string failed_message;
    std::uint64_t failed_handle = 0;
    for (const QueuedWrite& w : outbox_) {
        const OutboxEntry& e = w.entry;
        if (e.post_id != id || !applies(e) || is_resource_op(e.op)) continue;   // the shelf's, not a post's
        if (e.failed) {
            if (!failed) {
                failed = true;
                failed_message = e.error_message;
                failed_handle = w.handle;
            }
        } else {
            pending = true;
        }
        Post& p = shown.own_post();
        switch (e.op) {
            case WriteOp::create:
                if (!exists) {   // once the server has it, its version wins
                    p = Post{};
                    p.id = e.post_id;
                    p.module = module_;
                    p.parent_id = e.parent_id;
                    p.kind = e.kind;
                    p.body = e.body;
                    p.author = Author{e.user, me_.name, me_.role};   // applies(): e.user is me
                    p.created_at_ms = e.created_ms;
                    exists = true;
                }
                break;
            case WriteOp::edit:
                p.body = e.body;
                p.edited_at_ms = e.created_ms;
                break;
            case WriteOp::remove:
                if (!e.failed) removed = true;   // a refused delete leaves the post shown, with the error
                break;
            case WriteOp::endorse:
                if (p.endorsed_by_me != e.value) {
                    p.endorsements += e.value ? 1 : -1;
                    if (p.endorsements < 0) p.endorsements = 0;
                    p.endorsed_by_me = e.value;
                }
                if (e.value && endorsement_is_trusted(me_.role)) p.leader_endorsed = true;
                break;
            case WriteOp::pin: p.pinned = e.value; break;
            case WriteOp::hide: p.hidden = e.value; break;
            case WriteOp::flag: break;
            case WriteOp::dismiss_flags:
                if (e.value && !e.failed) p.hidden = false;   // the flags had hidden it: shown again
                break;
            case WriteOp::resource_add:
            case WriteOp::resource_edit:
            case WriteOp::resource_remove: break;
            case WriteOp::outcome:
                // Until the server answers: the answer shows, and the check-in is not due now
                // (the server sets when it is asked again).
                if (!e.failed) {
                    p.outcome = e.outcome;
                    p.outcome_note = e.note;
                    p.outcome_at_ms = e.created_ms;
                    p.check_in_at_ms.reset();
                }
                break;
        }
    }
    // A deleted post stays visible only while a write of the person's to it was refused, so the
    // refusal can be read and discarded; if the cache no longer has the post at all (a full
    // resync lists no tombstones), a placeholder stands in for it.
    if (!exists && failed) {
        Post& p = shown.own_post();
        p.id = id;
        p.module = module_;
        p.deleted = true;
        exists = true;
    }
    if (!exists || removed || (shown.post().deleted && !failed)) return std::nullopt;
    if (failed) {
        shown.state = LocalState::failed;
        shown.error = failed_message;
        shown.failed_write = failed_handle;
    } else {
        shown.state = pending ? LocalState::pending : LocalState::synced;
    }
    return shown;
}

void ClientStore::refresh() const {
    if (all_dirty_) {
        view_.clear();
        view_index_.clear();
        // Room for new posts: the first one after startup would otherwise move all 10,000.
        const std::size_t room = snapshot_.size() + outbox_.size();
        view_.reserve(room + room / 8 + 16);
        view_index_.reserve(room);
        // Most posts have no queued write: they are shown as the server has them, without
        // looking through the outbox for each (startup with 10,000 cached posts rebuilds them all).
        std::unordered_set<std::string> written;
        for (const QueuedWrite& w : outbox_)
            if (applies(w.entry)) written.insert(w.entry.post_id);
        for (const auto& [id, post] : snapshot_) {
            if (!written.count(id)) {
                if (post.deleted) continue;
                view_index_.emplace(id, view_.size());
                view_.push_back(shown_as_stored(post));
            } else if (auto s = compute(id)) {
                view_index_.emplace(id, view_.size());
                view_.push_back(std::move(*s));
            }
        }
        for (const QueuedWrite& w : outbox_) {
            if (snapshot_.count(w.entry.post_id) || view_index_.count(w.entry.post_id)) continue;
            if (auto s = compute(w.entry.post_id)) {
                view_index_.emplace(w.entry.post_id, view_.size());
                view_.push_back(std::move(*s));
            }
        }
        all_dirty_ = false;
        dirty_.clear();
        return;
    }
    for (const std::string& id : dirty_) {
        auto s = compute(id);
        const auto it = view_index_.find(id);
        if (s && it != view_index_.end()) {
            view_[it->second] = std::move(*s);
        } else if (s) {
            view_index_.emplace(id, view_.size());
            view_.push_back(std::move(*s));
        } else if (it != view_index_.end()) {   // swap-remove: the view has no order
            const std::size_t pos = it->second;
            view_index_.erase(it);
            if (pos + 1 != view_.size()) {
                view_[pos] = std::move(view_.back());
                view_index_[view_[pos].post().id] = pos;
            }
            view_.pop_back();
        }
    }
    dirty_.clear();
}

const std::vector<ShownPost>& ClientStore::view() const {
    refresh();
    return view_;
}

const ShownPost* ClientStore::shown(const std::string& id) const {
    refresh();
    const auto it = view_index_.find(id);
    return it == view_index_.end() ? nullptr : &view_[it->second];
}

}  // namespace grove

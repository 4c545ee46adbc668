// ClientStore: what one widget knows about one module, in memory. Pure and synchronous: the sync
// engine (sync_engine.hpp) feeds it from storage and the network; the UI reads its view.
//   snapshot  the server's posts by id (tombstones of deleted posts included) as last seen
//   outbox    the person's queued writes, in queue order (outbox.hpp)
//   view      what the person sees: the snapshot with the applicable queued writes applied on top
// Everything person-specific is the current person's only: queued writes apply only to whoever
// made them, and the snapshot's endorsed_by_me marks only to the person whose view it is (its
// owner); nobody else sees them, also before anyone is signed in.
// The view is kept up to date incrementally: a change to one post recomputes that post only, so a
// new post with 10,000 cached costs the same as with 10.
#pragma once

#include <cstddef>         // std::size_t
#include <cstdint>         // std::uint64_t, std::int64_t
#include <optional>        // std::optional
#include <string>          // std::string
#include <unordered_map>   // std::unordered_map
#include <unordered_set>   // std::unordered_set
#include <vector>          // std::vector

#include "grove/client/discussion.hpp"   // ShownPost, Identity
#include "grove/client/outbox.hpp"

namespace grove {

// One queued write as the store keeps it.
struct QueuedWrite {
    OutboxEntry entry;
    std::uint64_t handle = 0;          // the UI's name for it (ShownPost::failed_write); this session only
    bool persisted = false;            // in storage (so other tabs and the next page load see it)
    std::uint64_t persisted_epoch = 0; // ClientStore::epoch() when its storage write completed
    bool in_flight = false;            // being sent by this tab right now
};

class ClientStore {
public:
    explicit ClientStore(std::string module);

    const std::string& module() const { return module_; }

    // ---- who is reading (decides which queued writes apply, and how) ----
    void set_me(const Identity& me);
    const Identity& me() const { return me_; }
    // A queued write belongs to the current person (one without an author belongs to nobody).
    bool applies(const OutboxEntry& e) const;
    // Whose view the snapshot is ("" if nobody's known): their endorsed_by_me marks are shown to
    // them only.
    void set_snapshot_owner(const std::string& user);
    const std::string& snapshot_owner() const { return owner_; }
    // Forgets the text of hidden posts (someone who may not read it is signing in).
    void forget_hidden_bodies();

    // ---- the server's state ----
    void replace_snapshot(std::vector<Post> posts);
    // Takes a post from the changes feed or a write's answer unless the store has a newer one
    // (higher rev). Returns true when the snapshot changed. While the snapshot is another
    // person's view, the post is taken without endorsed_by_me (it would mix two people's marks).
    bool merge(Post post);
    const Post* server_post(const std::string& id) const;
    std::size_t snapshot_size() const { return snapshot_.size(); }
    const std::unordered_map<std::string, Post>& snapshot() const { return snapshot_; }
    // Answers that carry no post (endorsement, delete): patch the cached post until the next pull.
    void apply_endorsement_answer(const std::string& id, std::int64_t endorsements, bool endorsed_by_me);
    void apply_delete_answer(const std::string& id);
    // Flags dismissed: `hidden` is whether the post is still hidden (a curator hid it).
    void apply_dismiss_answer(const std::string& id, bool hidden);

    // ---- the outbox ----
    // Inserts in key order; returns the handle.
    std::uint64_t enqueue(OutboxEntry entry, bool persisted = false);
    QueuedWrite* find(std::uint64_t handle);
    QueuedWrite* find_key(const std::string& key);
    const std::vector<QueuedWrite>& outbox() const { return outbox_; }
    bool remove(const std::string& key);       // acknowledged or discarded
    void update(const OutboxEntry& entry);     // same key, new content (failed, retried)
    void set_in_flight(const std::string& key, bool in_flight);
    // Storage confirmed the entry; each completed storage write advances the epoch.
    void mark_persisted(const std::string& key);
    std::uint64_t epoch() const { return epoch_; }
    // The outbox as storage holds it now (another tab may have sent, failed or added writes).
    // `epoch_at_read` is epoch() when the read began: entries this tab persisted after that, or
    // has not persisted yet, are kept even though the read did not include them.
    void replace_outbox(std::vector<OutboxEntry> stored, std::uint64_t epoch_at_read);
    std::size_t pending_count() const;   // applicable, not failed
    std::size_t failed_count() const;    // applicable, waiting for the person

    // ---- the view ----
    const std::vector<ShownPost>& view() const;
    // The shown state of one post, or nullptr when it is not shown (unknown or deleted).
    const ShownPost* shown(const std::string& id) const;

private:
    void touch(const std::string& id);   // recompute this post's view on next read
    void touch_all();
    std::optional<ShownPost> compute(const std::string& id) const;
    ShownPost shown_as_stored(const Post& server) const;   // without another person's marks
    bool marks_are_mine() const { return me_.known && !owner_.empty() && me_.id == owner_; }
    void refresh() const;

    std::string module_;
    Identity me_;
    std::string owner_;
    std::unordered_map<std::string, Post> snapshot_;
    std::vector<QueuedWrite> outbox_;    // sorted by entry.key
    std::uint64_t next_handle_ = 1;
    std::uint64_t epoch_ = 0;

    mutable std::vector<ShownPost> view_;
    mutable std::unordered_map<std::string, std::size_t> view_index_;
    mutable std::unordered_set<std::string> dirty_;
    mutable bool all_dirty_ = true;
};

}  // namespace grove

// Discussion: everything the widget's UI reads and does for one module, and nothing else.
// The sync engine (client store, outbox, changes feed) implements it; the UI (widget/app) only
// ever talks to this interface, so it runs the same in the browser and in headless tests.
#pragma once

#include <cstddef>    // std::size_t
#include <cstdint>    // std::int64_t, std::uint64_t
#include <optional>   // std::optional
#include <string>     // std::string
#include <utility>    // std::move
#include <vector>     // std::vector

#include "grove/expected.hpp"
#include "grove/post.hpp"

namespace grove {

// Where a post (or the person's latest change to it) stands.
enum class LocalState {
    synced,    // the server has it
    pending,   // queued or in flight: show a clock
    failed,    // the server refused it for good: show `error` with Retry / Edit / Discard
};

// One post as the person sees it: the server's state with their queued writes applied on top.
// A post without queued writes (nearly all of them) refers to the store's copy instead of holding
// its own: opening 10,000 cached posts then copies none of them (in the browser's first,
// unoptimized wasm each copy is several allocations). A referring ShownPost is valid while the
// store it came from is unchanged; Discussion::posts() gives fresh ones after every change.
class ShownPost {
public:
    ShownPost() = default;
    explicit ShownPost(Post own, LocalState state = LocalState::synced) : state(state), own_(std::move(own)) {}
    // Refers to `server` (not copied): it must stay where it is while this ShownPost is used.
    static ShownPost referring_to(const Post& server) {
        ShownPost s;
        s.ref_ = &server;
        return s;
    }

    const Post& post() const { return ref_ ? *ref_ : own_; }
    Post& own_post() {   // for changing it: takes a copy of the referred post first
        if (ref_) {
            own_ = *ref_;
            ref_ = nullptr;
        }
        return own_;
    }

    LocalState state = LocalState::synced;
    std::string error;               // the server's message when state == failed
    std::uint64_t failed_write = 0;  // the outbox entry to retry() or discard() when failed

private:
    const Post* ref_ = nullptr;
    Post own_;
};

using FlagEntry = FlaggedPost;   // one row of the curators' flag queue (GET /flags)

struct SyncStatus {
    bool online = true;                       // the last request reached the server
    std::size_t pending = 0;                  // queued writes not yet acknowledged
    std::optional<std::int64_t> last_sync_ms; // last successful pull, Unix ms
    bool syncing = false;                     // a request is in flight
    // Kept by the sync engine:
    std::size_t failed = 0;                   // writes the server refused: they wait for Retry/Edit/Discard
    bool loaded = true;                       // false while the cache is still being read
    std::string notice;                       // why changes cannot be sent now (sign-in, storage), for a banner
    // For someone who comes back after another person used Grove in this browser: what happened to
    // their unsent work meanwhile (kept, hidden from the other person, sent now). For the first
    // person after an upgrade: what an older version kept without its author and was deleted.
    // Empty otherwise.
    std::string held_work;
};

struct Identity {                    // who is signed in, from the token
    std::string id;
    std::string name;
    Role role = Role::learner;
    bool known = false;              // false until a token has been read
};

class Discussion {
public:
    virtual ~Discussion() = default;

    virtual const std::string& module() const = 0;
    virtual const Identity& me() const = 0;
    // Every post of the module that is not deleted, top-level and replies, in no particular order.
    // (Exception: a deleted post to which one of the person's writes was refused stays, with
    // post.deleted true and state failed, until that write is discarded.)
    virtual const std::vector<ShownPost>& posts() const = 0;
    // leader_learning posts of all modules from the last days, newest first (GET /spotlight).
    virtual const std::vector<Post>& spotlight() const = 0;
    // The flag queue; empty unless me() is a curator or admin.
    virtual const std::vector<FlagEntry>& flags() const = 0;
    virtual SyncStatus status() const = 0;
    // Changes whenever anything above changes, so the UI can cache derived views.
    virtual std::uint64_t revision() const = 0;
    // A new post is being written to the browser's storage (a few ms). The browser delivers the
    // write's completion only when the main thread is free, so the web frame loop holds its next
    // frame meanwhile (a frame drawn first would delay the save by its whole cost). The
    // implementation asks for a frame (changed()) once the write is done.
    virtual bool saving_new_post() const { return false; }

    // The composer draft of the person signed in; survives reloads. Another person's is never
    // given (it changes when the person does).
    virtual const std::string& draft() const = 0;
    virtual void set_draft(std::string text) = 0;

    // Writes are checked with the shared/ rules first: an invalid one returns the error and
    // queues nothing. A valid one is saved locally before it is sent, and shows at once.
    virtual Expected<Post> create(Kind kind, std::string body, std::optional<std::string> parent_id) = 0;
    virtual std::optional<ApiError> edit(const std::string& id, std::string body) = 0;
    virtual std::optional<ApiError> remove(const std::string& id) = 0;
    virtual std::optional<ApiError> endorse(const std::string& id, bool endorsed) = 0;
    // A flag for the curators: a reason, and optional details (at most 500 code points each).
    virtual std::optional<ApiError> flag(const std::string& id, std::string reason, std::string details = {}) = 0;
    // A flag waits a few seconds before it is sent: while it does, undo_flag takes it back and
    // nothing reaches the server. Both are false once it is on its way.
    virtual bool flag_undoable(const std::string& id) const = 0;
    virtual bool undo_flag(const std::string& id) = 0;
    virtual std::optional<ApiError> pin(const std::string& id, bool pinned) = 0;     // curator/admin
    virtual std::optional<ApiError> hide(const std::string& id, bool hidden) = 0;    // curator/admin
    // "Keep visible" (curator/admin): dismisses every flag on a post in the flag queue; a post the
    // flags hid shows again. It leaves the queue at once.
    virtual std::optional<ApiError> keep_visible(const std::string& id) = 0;

    // A failed write: send it again as it is, or drop it (the post reverts to the server's state).
    // (Both act on every refused write of that post: the person sees them as one.)
    virtual void retry(std::uint64_t write) = 0;
    virtual void discard(std::uint64_t write) = 0;
    // Whether this widget shows the spotlight (the page shows it once, in one widget): the others
    // need not fetch it. Wanted again, it is fetched at the next cycle.
    virtual void want_spotlight(bool wanted) { (void)wanted; }
    // Asks for a fresh flag queue (curators), e.g. when the Flags view opens.
    virtual void refresh_flags() = 0;

    // ---- The module's resource shelf (API 1.1) ----
    // Ordered by position; from the cache until the server answers. Empty when there is none.
    virtual const std::vector<Resource>& resources() const {
        static const std::vector<Resource> none;
        return none;
    }
    // Curators and admins change the shelf; each change is queued and shown at once like every
    // write. Title 1..120 code points of one line, url http(s) (validation.hpp), note 0..280.
    virtual Expected<Resource> add_resource(std::string title, std::string url, std::string note) {
        (void)title, (void)url, (void)note;
        return ApiError::forbidden("The resource shelf cannot be changed here.");
    }
    virtual std::optional<ApiError> edit_resource(const std::string& id, std::string title, std::string url,
                                                  std::string note) {
        (void)id, (void)title, (void)url, (void)note;
        return ApiError::forbidden("The resource shelf cannot be changed here.");
    }
    // To 0-based `position` (past the end: last); the others shift.
    virtual std::optional<ApiError> move_resource(const std::string& id, std::int64_t position) {
        (void)id, (void)position;
        return ApiError::forbidden("The resource shelf cannot be changed here.");
    }
    virtual std::optional<ApiError> remove_resource(const std::string& id) {
        (void)id;
        return ApiError::forbidden("The resource shelf cannot be changed here.");
    }

    // ---- Commitments and check-ins (API 1.1) ----
    // The person's commitments of every module whose check-in is due (GET /me/check-ins), oldest
    // first, without those answered here since. Empty until the server has been asked.
    virtual const std::vector<Post>& check_ins() const {
        static const std::vector<Post> none;
        return none;
    }
    // The author's answer to a commitment's check-in (PUT /posts/{id}/outcome): `id` is a post of
    // this module or one of check_ins(). The note is trimmed, at most 280 code points. Queued and
    // shown at once like every write.
    virtual std::optional<ApiError> answer_check_in(const std::string& id, Outcome outcome, std::string note) {
        (void)id, (void)outcome, (void)note;
        return ApiError::forbidden("Check-ins cannot be answered here.");
    }
    // "Ask me later": the person signed in put the check-in of post `id` off on `day` (the
    // widget's day number). Kept in the module's cache for that person only, so it holds across
    // reloads; false here, where nothing is kept.
    virtual bool check_in_put_off(const std::string& id, std::int64_t day) const {
        (void)id, (void)day;
        return false;
    }
    virtual void put_check_in_off(const std::string& id, std::int64_t day) { (void)id, (void)day; }
};

}  // namespace grove

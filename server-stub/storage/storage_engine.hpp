// The storage engine: where posts, endorsements and flags live, behind one interface.
//
// Like Remark42's engine, every operation is one method taking a request struct. The rules
// (who may do what, idempotency, auto-hide, what a reader may see) live in the service layer
// above (service/discussion_service.*); the engine only stores and finds, so a second engine
// (PostgreSQL) can follow without touching routes or rules. Consumers use the service, never the
// naked engine; the engine tests (tests/server/storage_engine_test.cpp) run against this interface.
//
// Every request runs in one transaction: the service opens a read or a write transaction,
// calls operations on it and commits. Engines guarantee:
//   - write transactions are serialized and atomic: a rolled-back (or crashed) transaction
//     leaves nothing behind; a committed one survives a crash of the process;
//   - every change to a post's visible state stamps the post with the next `rev` of one
//     database-wide sequence, in the same transaction, so revs become visible in order;
//   - a read transaction sees one consistent snapshot.
// Failures (disk full, I/O errors, a locked database) throw StorageError, whose kind says
// whether the storage is full or read-only.
// After each commit that changed posts, engines tell their commit observer which posts (module,
// rev, kind), in commit order: what live updates announce (service/event_hub.hpp).
#pragma once

#include <cstdint>     // std::int64_t
#include <functional>  // std::function
#include <memory>      // std::unique_ptr
#include <optional>    // std::optional
#include <stdexcept>   // std::runtime_error
#include <string>      // std::string
#include <vector>      // std::vector

#include "grove/post.hpp"

namespace grove {

struct StorageError : std::runtime_error {
    // What the caller can tell the person: the storage is full (disk or file size limit),
    // read-only, or failed in some other way. The text (what()) is for the operator's log.
    enum class Kind { failed, full, read_only };

    explicit StorageError(const std::string& what, Kind kind = Kind::failed) : std::runtime_error(what), kind(kind) {}
    Kind kind;
};

// -- reads ---------------------------------------------------------------------------------
// Posts come back complete (the hidden body included); `endorsed_by_me` is computed for
// `viewer_id` (empty: false). Masking per reader is the service's job.

struct PostQuery {
    std::string id;
    std::string viewer_id;
};

struct ModulePostsQuery {
    std::string module;
    std::int64_t after_rev = 0;       // posts whose rev is greater
    bool include_deleted = false;     // tombstones (for the changes feed)
    int limit = 200;
    std::string viewer_id;
};

struct ModulePostsPage {
    std::vector<Post> posts;          // ordered by rev ascending
    bool has_more = false;
};

struct SpotlightQuery {
    Kind kind = Kind::leader_learning;
    std::int64_t created_since_ms = 0;
    bool include_hidden = false;
    int limit = 100;
    std::string viewer_id;
};                                    // -> newest first, never deleted posts

struct FlagQueueQuery {
    int limit = 200;
    std::string viewer_id;
};

struct FlaggedPostRow {
    Post post;
    int count = 0;                    // open flags (not yet decided by a curator)
    std::vector<std::string> reasons; // the non-empty reasons, oldest first
};                                    // -> most flagged first, never deleted posts

struct ModuleStatsQuery {
    std::string module;
    std::int64_t per_day_since_ms = 0; // start of the first UTC day to report
};

struct DayActivity {
    std::int64_t day_start_ms = 0;    // UTC midnight
    std::int64_t posts = 0;
    std::int64_t endorsements = 0;
};

struct ModuleStatsRow {
    std::int64_t posts = 0;           // top-level, not deleted
    std::int64_t replies = 0;         // replies, not deleted
    std::int64_t contributors = 0;    // distinct authors of posts not deleted
    std::int64_t endorsements = 0;    // on posts not deleted
    std::vector<DayActivity> per_day; // only days with activity, ascending
};

// -- writes --------------------------------------------------------------------------------

struct NewPost {
    std::string id;
    std::string module;
    std::optional<std::string> parent_id;
    Kind kind = Kind::insight;
    std::string body;
    Author author;
    std::int64_t created_at_ms = 0;
};

// Only the fields that are set change; the post gets a new rev.
struct PostUpdate {
    std::string id;
    std::optional<std::string> body;
    std::optional<std::int64_t> edited_at_ms;
    std::optional<bool> pinned;
    std::optional<bool> hidden;
    bool mark_deleted = false;        // empties the body too
};

struct EndorsementChange {
    std::string post_id;
    std::string user_id;
    bool trusted = false;             // counts for leader_endorsed
    std::int64_t at_ms = 0;
};

struct NewFlag {
    std::string post_id;
    std::string user_id;
    std::string reason;
    std::int64_t at_ms = 0;
};

// -- commits -------------------------------------------------------------------------------

// A post whose state a committed write transaction changed, at the rev it has now.
struct CommittedChange {
    std::string module;
    std::int64_t rev = 0;
    Kind kind = Kind::insight;
};
using CommitObserver = std::function<void(const std::vector<CommittedChange>&)>;

class StorageTransaction {
public:
    virtual ~StorageTransaction() = default;   // rolls back unless commit() was called

    // Makes the writes durable; the transaction is finished afterwards.
    virtual void commit() = 0;

    virtual std::optional<Post> find_post(const PostQuery& query) = 0;
    virtual ModulePostsPage list_module_posts(const ModulePostsQuery& query) = 0;
    virtual std::vector<Post> list_spotlight(const SpotlightQuery& query) = 0;
    virtual std::vector<FlaggedPostRow> list_flagged(const FlagQueueQuery& query) = 0;
    virtual ModuleStatsRow module_stats(const ModuleStatsQuery& query) = 0;
    virtual int count_open_flags(const std::string& post_id) = 0;
    // The highest rev stamped so far (0 on an empty database).
    virtual std::int64_t last_rev() = 0;

    // Writes: only in write transactions. Each returns the rev it stamped (0: nothing changed).
    virtual std::int64_t insert_post(const NewPost& post) = 0;
    virtual std::int64_t update_post(const PostUpdate& update) = 0;
    virtual std::int64_t add_endorsement(const EndorsementChange& change) = 0;     // 0 if it existed
    virtual std::int64_t remove_endorsement(const EndorsementChange& change) = 0;  // 0 if absent
    virtual bool add_flag(const NewFlag& flag) = 0;                 // false: this user already flagged it
    virtual void resolve_flags(const std::string& post_id, std::int64_t at_ms) = 0;  // a curator decided
};

class StorageEngine {
public:
    virtual ~StorageEngine() = default;

    virtual std::unique_ptr<StorageTransaction> begin_read() = 0;
    // Write transactions are serialized: this waits while another one is open.
    virtual std::unique_ptr<StorageTransaction> begin_write() = 0;
    // The last rev committed by this engine: cheap, for caches keyed by rev.
    virtual std::int64_t committed_rev() const = 0;
    // A short name for logs and docs, e.g. "sqlite".
    virtual std::string name() const = 0;
    // Called after every commit that changed posts, before commit() returns, one commit at a
    // time and in commit order; it must not start a transaction. Set it before the engine is
    // shared between threads; an empty function removes it.
    virtual void set_commit_observer(CommitObserver observer) = 0;
};

}  // namespace grove

// The storage engine: where posts, endorsements, flags, module titles and resources live, behind
// one interface.
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
//     database-wide sequence, in the same transaction, so revs become visible in order; changes
//     to resources and module titles take a rev from the same sequence (so committed_rev()
//     moves and caches keyed by it see them), which leaves gaps between posts' revs;
//   - each module's counts (visible posts, replies, contributors: module_counts) are kept in step
//     with every insert, hide, unhide and delete in the same transaction, so reading them costs
//     one lookup per module however many posts it has;
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


struct PostModerationQuery {
    std::string post_id;
};

struct PostModeration {
    int open_flags = 0;               // flags not yet decided by a curator
    bool hidden_by_flags = false;     // hidden automatically by flags (not by a curator)
};                                    // -> zeros for an unknown post

struct FlagQueueQuery {
    int limit = 200;
    std::string viewer_id;
};

using FlaggedPostRow = FlaggedPost;   // shared/grove/post.hpp                                    // -> most flagged first, never deleted posts

// Statistics count posts that are not deleted (hidden ones included: they are activity).
struct ModuleStatsQuery {
    std::optional<std::string> module; // nullopt: every module together
    std::int64_t per_day_since_ms = 0; // start of the first UTC day to report
};

struct AllModulesStatsQuery {
    std::int64_t per_day_since_ms = 0;
};                                    // -> one row per module with posts, by module key

struct DayActivity {
    std::int64_t day_start_ms = 0;    // UTC midnight
    std::int64_t posts = 0;           // posts and replies created that day
    std::int64_t endorsements = 0;    // endorsements given that day
    std::int64_t contributors = 0;    // distinct authors of the posts created that day
    std::int64_t commitments = 0;     // commitment posts created that day
};

struct ModuleStatsRow {
    std::string module;               // empty for every module together
    std::optional<std::string> module_title;
    std::int64_t posts = 0;           // top-level, not deleted
    std::int64_t replies = 0;         // replies, not deleted
    std::int64_t contributors = 0;    // distinct authors of posts not deleted
    std::int64_t endorsements = 0;    // on posts not deleted
    std::int64_t commitments = 0;     // commitment posts, not deleted
    std::int64_t commitments_done = 0;    // ... whose latest answer is done
    std::int64_t commitments_partly = 0;  // ... whose latest answer is partly
    std::vector<DayActivity> per_day; // only days with activity, ascending
};

// Counts of visible (not hidden, not deleted) posts, kept by the engine (see the top).
struct ModuleCountsQuery {
    std::vector<std::string> modules;
};

struct ModuleCountsRow {
    std::string module;
    std::optional<std::string> module_title;
    std::int64_t posts = 0;           // top-level
    std::int64_t replies = 0;
    std::int64_t contributors = 0;    // distinct authors
};                                    // -> only modules the engine knows, in no order

struct DueCheckInsQuery {
    std::string author_id;
    std::int64_t due_at_ms = 0;       // check_in_at at or before this
    int limit = 100;
    std::string viewer_id;
};                                    // -> commitment posts, not deleted or hidden, by check_in_at then created_at

// For digests: what happened between since and until (Unix ms, until excluded). Hidden and
// deleted posts never count.
struct TopPostsQuery {
    std::int64_t since_ms = 0;
    std::int64_t until_ms = 0;
    int trusted_weight = 3;           // what one leader's or curator's endorsement counts for
    int limit = 10;
    std::string viewer_id;
};                                    // -> posts by endorsement score in the window, highest first

struct CommitmentTotalsQuery {
    std::int64_t since_ms = 0;
    std::int64_t until_ms = 0;
};

struct CommitmentTotals {
    std::int64_t made = 0;            // commitment posts created in the window
    std::int64_t done = 0;            // ... answered done in the window (latest answer)
    std::int64_t partly = 0;          // ... answered partly in the window (latest answer)
};

struct ModuleActivityQuery {
    std::int64_t since_ms = 0;
    std::int64_t until_ms = 0;
    int limit = 50;
};

struct ModuleActivityRow {
    std::string module;
    std::optional<std::string> module_title;
    std::int64_t posts = 0;           // posts and replies created in the window
    std::int64_t contributors = 0;    // their distinct authors
};                                    // -> most posts first, then most contributors, then key

struct ResourceQuery {
    std::string id;
};

struct ModuleResourcesQuery {
    std::string module;
};                                    // -> resources not deleted, by position then id

// -- writes --------------------------------------------------------------------------------

struct NewPost {
    std::string id;
    std::string module;
    std::optional<std::string> parent_id;
    Kind kind = Kind::insight;
    std::string body;
    Author author;
    std::int64_t created_at_ms = 0;
    std::optional<std::int64_t> check_in_at_ms{};   // commitments: the first check-in
};

// Only the fields that are set change; the post gets a new rev.
struct PostUpdate {
    std::string id;
    std::optional<std::string> body;
    std::optional<std::int64_t> edited_at_ms;
    std::optional<bool> pinned;
    std::optional<bool> hidden;
    bool mark_deleted = false;        // empties the body (and an outcome's note) too
    bool hidden_by_flags = false;     // with `hidden`: the flags decided, not a curator
};

// A commitment's author answered a check-in; the post gets a new rev.
struct OutcomeRecord {
    std::string post_id;
    Outcome outcome = Outcome::done;
    std::string note;
    std::int64_t at_ms = 0;
    std::optional<std::int64_t> next_check_in_at_ms;   // null: no more check-ins
    std::int64_t check_ins = 0;                          // the new count
};

struct ModuleTitleChange {
    std::string module;
    std::string title;
};

struct NewResource {
    std::string id;
    std::string module;
    std::string title;
    std::string url;
    std::string note;
    Author added_by;
    std::int64_t created_at_ms = 0;
    std::int64_t position = 0;
};

// Only the fields that are set change; the resource gets a new rev.
struct ResourceUpdate {
    std::string id;
    std::optional<std::string> title;
    std::optional<std::string> url;
    std::optional<std::string> note;
    std::optional<std::int64_t> position;
    bool mark_deleted = false;
};

struct EndorsementChange {
    std::string post_id;
    std::string user_id;
    bool trusted = false;             // counts for leader_endorsed
    std::int64_t at_ms = 0;
};

// A curator decided (hid, unhid, deleted, dismissed): every open flag of the post is settled.
// Settles a post's open flags. `curator_decides`: a curator set `hidden` themselves, so a hide the
// flags made becomes theirs (a later dismissal no longer shows the post again). Neither changes
// what anyone sees of the post, so no rev is stamped.
struct FlagResolution {
    std::string post_id;
    std::int64_t at_ms = 0;
    bool curator_decides = false;
};

struct NewFlag {
    std::string post_id;
    std::string user_id;
    std::string reason;
    std::int64_t at_ms = 0;
    std::string details{};
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
    virtual std::vector<ModuleStatsRow> all_modules_stats(const AllModulesStatsQuery& query) = 0;
    virtual PostModeration post_moderation(const PostModerationQuery& query) = 0;
    // The highest rev stamped so far (0 on an empty database).
    virtual std::int64_t last_rev() = 0;
    virtual std::vector<ModuleCountsRow> module_counts(const ModuleCountsQuery& query) = 0;
    virtual std::vector<Post> list_due_check_ins(const DueCheckInsQuery& query) = 0;
    virtual std::vector<Post> list_top_posts(const TopPostsQuery& query) = 0;
    virtual CommitmentTotals commitment_totals(const CommitmentTotalsQuery& query) = 0;
    virtual std::vector<ModuleActivityRow> module_activity(const ModuleActivityQuery& query) = 0;
    virtual std::optional<Resource> find_resource(const ResourceQuery& query) = 0;   // deleted ones too
    virtual std::vector<Resource> list_resources(const ModuleResourcesQuery& query) = 0;

    // Writes: only in write transactions. Each returns the rev it stamped (0: nothing changed).
    virtual std::int64_t insert_post(const NewPost& post) = 0;
    virtual std::int64_t update_post(const PostUpdate& update) = 0;
    virtual std::int64_t record_outcome(const OutcomeRecord& outcome) = 0;        // 0: no such post
    virtual std::int64_t add_endorsement(const EndorsementChange& change) = 0;     // 0 if it existed
    virtual std::int64_t remove_endorsement(const EndorsementChange& change) = 0;  // 0 if absent
    virtual bool add_flag(const NewFlag& flag) = 0;                 // false: this user already flagged it
    virtual int resolve_flags(const FlagResolution& resolution) = 0;               // how many were open
    virtual std::int64_t set_module_title(const ModuleTitleChange& change) = 0;    // 0 if unchanged
    virtual std::int64_t insert_resource(const NewResource& resource) = 0;
    virtual std::int64_t update_resource(const ResourceUpdate& update) = 0;        // 0: no such resource
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
    // Whether this process makes every write to the database (one instance per SQLite file), so
    // committed_rev() moves with every commit and a cache keyed by it is never stale. False where
    // other instances write too: their commits reach committed_rev() only after a notification.
    virtual bool sole_writer() const { return true; }
    // The per-user write limit (`per_minute` writes a minute, a bucket refilled continuously),
    // kept in the database for every instance sharing it: nullopt when the engine does not (a
    // sole writer, whose process counts on its own); else whether this write may go ahead and,
    // when not, the whole seconds until one fits.
    struct WriteAdmission {
        bool allowed = true;
        int retry_after_s = 0;
    };
    virtual std::optional<WriteAdmission> admit_write(const std::string& user_id, std::int64_t now_ms, int per_minute) {
        (void)user_id, (void)now_ms, (void)per_minute;
        return std::nullopt;
    }
    // Called after every commit that changed posts, before commit() returns, one commit at a
    // time and in commit order; it must not start a transaction. An engine shared by several
    // instances (PostgreSQL) also calls it, from a thread of its own, with other instances'
    // commits, and may repeat a change it reported already: never two calls at once, and revs
    // still commit in rev order, so a receiver may drop a rev at or below one it has seen.
    // An empty function removes it.
    virtual void set_commit_observer(CommitObserver observer) = 0;
};

}  // namespace grove

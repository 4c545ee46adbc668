// SQLite storage engine.
//
// On-disk layout (schema version 2; the version lives in schema_migrations):
//
//   schema_migrations(version INTEGER PRIMARY KEY, applied_at_ms)
//       one row per applied migration; a database newer than this program is refused.
//   sequences(name TEXT PRIMARY KEY, value INTEGER)
//       'rev': the last rev handed out. A write transaction bumps it and stamps the changed post
//       in the same transaction, so revs are unique, increasing, and visible in commit order.
//   posts(id TEXT PRIMARY KEY, module, parent_id NULL, kind, body, author_id, author_name,
//         author_role, created_at_ms, edited_at_ms NULL, endorsements, trusted_endorsements,
//         pinned, hidden, deleted, rev UNIQUE,
//         v2: check_in_at_ms NULL, outcome NULL, outcome_note, outcome_at_ms NULL, check_ins,
//             hidden_by_flags)
//       one row per post, ever: deletes are tombstones (deleted = 1, body = '') so the changes
//       feed can tell clients. endorsements/trusted_endorsements are counters kept in step with
//       the endorsements table so a feed page is one indexed range scan. hidden_by_flags: the
//       post was hidden by flags, not by a curator (dismissing the flags shows it again).
//       Indexes: (module, rev) for the feed, (kind, created_at_ms) for the spotlight and
//       digests; v2: (created_at_ms) for activity, (author_id, check_in_at_ms) where a check-in
//       is set for due check-ins, (outcome_at_ms) where set for digests.
//   endorsements(post_id, user_id, trusted, created_at_ms) PRIMARY KEY (post_id, user_id)
//       trusted = the endorser was a leader or curator (what sets leader_endorsed).
//   flags(post_id, user_id, reason, created_at_ms, resolved_at_ms NULL, v2: details)
//         PRIMARY KEY (post_id, user_id)
//       one flag per user and post; resolved_at_ms is set when a curator decides (hide/unhide,
//       dismiss). Index: (created_at_ms) on endorsements (v2) for digests.
//   modules(key TEXT PRIMARY KEY, title NULL, posts, replies, contributors)            (v2)
//       the latest title a write carried, and counts of visible (not hidden, not deleted) posts
//       and replies and their distinct authors, kept in step by every write that changes a
//       post's visibility, so counts for 100 modules are 100 primary-key lookups.
//   module_contributors(module, author_id, posts) PRIMARY KEY (module, author_id)       (v2)
//       visible posts per author and module (rows at 0 are deleted): what keeps contributors exact.
//   resources(id TEXT PRIMARY KEY, module, title, url, note, added_by_id, added_by_name,
//             added_by_role, created_at_ms, position, deleted, rev)                      (v2)
//       the modules' shelves; deletes are tombstones (so a retried create cannot bring one
//       back). Index: (module, deleted, position).
//
// Connections: one writer (serialized by a mutex, BEGIN IMMEDIATE) and a pool of readers; WAL
// lets readers work while the writer commits. Every statement is prepared once per connection.
// ":memory:" uses a single connection for everything (a private database for tests).
//
// Group commit (a database file): write transactions that queue for the writer share one outer
// transaction (BEGIN IMMEDIATE) as savepoints, committed once for all of them, each answered only
// after that COMMIT and its fsync (storage/commit_group.hpp). ":memory:" commits one at a time.
//
// Privacy on disk: the database file is created 0600 (SQLite gives -wal and -shm the same mode).
// secure_delete overwrites deleted and replaced content with zeros, and a commit that deleted or
// edited a post's text truncates the WAL (a TRUNCATE checkpoint, waiting up to the busy timeout
// for readers) before it returns, so no old text is left in grove.db or grove.db-wal once the
// answer is sent. If readers keep the checkpoint from finishing, the log says so and the old
// text stays in the WAL until the next such commit or SQLite's own checkpoint reuses the file.
//
// Commits that changed posts are reported to the commit observer (module, rev, kind of each
// post stamped in the transaction), while the writer's lock is still held: in commit order.
//
// Index (search for "[SECTION] <name>"):
//   Migrations                 the schema, one entry per version
//   Connections and statements RAII for sqlite3 handles, the per-connection statement cache
//   SQL                        every statement the engine runs
//   Transactions               the StorageTransaction and StorageEngine implementations
#include "storage/sqlite_engine.hpp"

#include <fcntl.h>         // open: the database file is created 0600
#include <sqlite3.h>       // the SQLite C API
#include <sys/resource.h>  // getrlimit (the file size limit)
#include <sys/stat.h>      // stat
#include <sys/statvfs.h>   // statvfs (free disk space)

#include <algorithm>       // std::sort
#include <cerrno>          // ENOSPC, EFBIG, EDQUOT, EROFS
#include <cstdio>          // std::fprintf
#include <cstring>         // std::strerror
#include <unistd.h>        // close
#include <atomic>          // std::atomic
#include <map>             // std::map
#include <mutex>           // std::mutex
#include <optional>        // std::optional
#include <unordered_map>   // std::unordered_map
#include <utility>         // std::move

#include "grove/wire.hpp"  // Json, dump (module lists for json_each)
#include "storage/commit_group.hpp"
#include "storage/fifo_mutex.hpp"
#include "storage/row_decode.hpp"   // read_post, read_resource

// UPDATE ... RETURNING (3.35) and sqlite3_wal_checkpoint_v2 with TRUNCATE (CMake checks this too;
// the library the program runs with is checked when the engine opens).
static_assert(SQLITE_VERSION_NUMBER >= 3035000, "grove-server needs SQLite 3.35 or newer");

namespace grove {

namespace {

// -- [SECTION] Migrations ------------------------------------------------------------------

struct Migration {
    int version;
    const char* sql;
};

const Migration kMigrations[] = {
    {1, R"sql(
        CREATE TABLE sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO sequences (name, value) VALUES ('rev', 0);
        CREATE TABLE posts (
            id TEXT PRIMARY KEY,
            module TEXT NOT NULL,
            parent_id TEXT,
            kind TEXT NOT NULL,
            body TEXT NOT NULL,
            author_id TEXT NOT NULL,
            author_name TEXT NOT NULL,
            author_role TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            edited_at_ms INTEGER,
            endorsements INTEGER NOT NULL DEFAULT 0,
            trusted_endorsements INTEGER NOT NULL DEFAULT 0,
            pinned INTEGER NOT NULL DEFAULT 0,
            hidden INTEGER NOT NULL DEFAULT 0,
            deleted INTEGER NOT NULL DEFAULT 0,
            rev INTEGER NOT NULL UNIQUE
        );
        CREATE INDEX posts_by_module_rev ON posts (module, rev);
        CREATE INDEX posts_by_kind_created ON posts (kind, created_at_ms);
        CREATE TABLE endorsements (
            post_id TEXT NOT NULL REFERENCES posts (id),
            user_id TEXT NOT NULL,
            trusted INTEGER NOT NULL,
            created_at_ms INTEGER NOT NULL,
            PRIMARY KEY (post_id, user_id)
        ) WITHOUT ROWID;
        CREATE TABLE flags (
            post_id TEXT NOT NULL REFERENCES posts (id),
            user_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            resolved_at_ms INTEGER,
            PRIMARY KEY (post_id, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX flags_open ON flags (resolved_at_ms, post_id);
    )sql"},
    // Version 1.1 of the API: commitments, flag details, module titles and counts, resources.
    {2, R"sql(
        ALTER TABLE posts ADD COLUMN check_in_at_ms INTEGER;
        ALTER TABLE posts ADD COLUMN outcome TEXT;
        ALTER TABLE posts ADD COLUMN outcome_note TEXT NOT NULL DEFAULT '';
        ALTER TABLE posts ADD COLUMN outcome_at_ms INTEGER;
        ALTER TABLE posts ADD COLUMN check_ins INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE posts ADD COLUMN hidden_by_flags INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE flags ADD COLUMN details TEXT NOT NULL DEFAULT '';
        -- Version 1 did not record who hid a post. A curator's decision settles every open flag,
        -- so a hidden post with no settled flag and at least the default 3 open ones was hidden
        -- by the flags. (A post a curator hid and three people flagged later reads as hidden by
        -- flags; with another --auto-hide-flags, flag-hidden posts read as a curator's. Either
        -- way a curator's PATCH {"hidden": ...} decides.)
        UPDATE posts SET hidden_by_flags = 1 WHERE hidden = 1 AND deleted = 0
            AND (SELECT COUNT(*) FROM flags f WHERE f.post_id = posts.id AND f.resolved_at_ms IS NULL) >= 3
            AND NOT EXISTS (SELECT 1 FROM flags f WHERE f.post_id = posts.id AND f.resolved_at_ms IS NOT NULL);
        CREATE TABLE modules (
            key TEXT PRIMARY KEY,
            title TEXT,
            posts INTEGER NOT NULL DEFAULT 0,
            replies INTEGER NOT NULL DEFAULT 0,
            contributors INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE TABLE module_contributors (
            module TEXT NOT NULL,
            author_id TEXT NOT NULL,
            posts INTEGER NOT NULL,
            PRIMARY KEY (module, author_id)
        ) WITHOUT ROWID;
        INSERT INTO module_contributors (module, author_id, posts)
            SELECT module, author_id, COUNT(*) FROM posts WHERE deleted = 0 AND hidden = 0 GROUP BY module, author_id;
        INSERT INTO modules (key, posts, replies, contributors)
            SELECT module, SUM(parent_id IS NULL), SUM(parent_id IS NOT NULL), COUNT(DISTINCT author_id)
            FROM posts WHERE deleted = 0 AND hidden = 0 GROUP BY module;
        CREATE TABLE resources (
            id TEXT PRIMARY KEY,
            module TEXT NOT NULL,
            title TEXT NOT NULL,
            url TEXT NOT NULL,
            note TEXT NOT NULL,
            added_by_id TEXT NOT NULL,
            added_by_name TEXT NOT NULL,
            added_by_role TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            position INTEGER NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            rev INTEGER NOT NULL
        );
        CREATE INDEX resources_by_module ON resources (module, deleted, position);
        CREATE INDEX posts_by_created ON posts (created_at_ms);
        CREATE INDEX posts_due_check_ins ON posts (author_id, check_in_at_ms) WHERE check_in_at_ms IS NOT NULL;
        CREATE INDEX posts_by_outcome_at ON posts (outcome_at_ms) WHERE outcome_at_ms IS NOT NULL;
        CREATE INDEX endorsements_by_created ON endorsements (created_at_ms);
    )sql"},
};

// -- [SECTION] Connections and statements --------------------------------------------------

// After an I/O error: is the database's disk full, or its files at the process's file size
// limit (RLIMIT_FSIZE)? SQLite reports ENOSPC as SQLITE_FULL, but EFBIG and EDQUOT only as
// "disk I/O error", and by then errno may belong to a later call.
bool files_look_full(sqlite3* db) {
    const char* path = sqlite3_db_filename(db, "main");
    if (!path || !*path) return false;
    const std::string db_path = path;
    const std::string dir = db_path.substr(0, db_path.find_last_of('/') + 1);
    struct statvfs fs {};
    if (statvfs(dir.empty() ? "." : dir.c_str(), &fs) == 0 &&
        static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize < 1024 * 1024)
        return true;
    rlimit limit{};
    if (getrlimit(RLIMIT_FSIZE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return false;
    for (const std::string& file : {db_path, db_path + "-wal"}) {
        struct stat st {};
        if (stat(file.c_str(), &st) == 0 && static_cast<rlim_t>(st.st_size) + 64 * 1024 >= limit.rlim_cur) return true;
    }
    return false;
}

// SQLite's last error on `db` as a StorageError: the message (with the operating system's
// reason when there is one, e.g. "No space left on device") and the kind callers act on.
StorageError storage_error(sqlite3* db, const std::string& what) {
    if (!db) return StorageError(what + ": out of memory");
    std::string message = what + ": " + sqlite3_errmsg(db);
    const int primary = sqlite3_extended_errcode(db) & 0xff;
    // The OS error belongs to this failure only when the failure is about files.
    const bool about_files = primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN ||
                             primary == SQLITE_READONLY;
    const int os_error = about_files ? sqlite3_system_errno(db) : 0;
    if (os_error != 0) message += std::string(" (") + std::strerror(os_error) + ")";
    StorageError::Kind kind = StorageError::Kind::failed;
    if (primary == SQLITE_FULL || os_error == ENOSPC || os_error == EFBIG || os_error == EDQUOT) {
        kind = StorageError::Kind::full;
    } else if (primary == SQLITE_IOERR && files_look_full(db)) {
        kind = StorageError::Kind::full;
        message += " (the disk is full or the files reached the file size limit)";
    } else if (primary == SQLITE_READONLY || os_error == EROFS) {
        kind = StorageError::Kind::read_only;
    }
    return StorageError(message, kind);
}

[[noreturn]] void fail(sqlite3* db, const std::string& what) { throw storage_error(db, what); }

// The start of a statement, for messages: "CREATE TABLE sequences (name TEXT PRIMARY ..."
std::string first_words(const char* sql) {
    std::string s(sql);
    s.erase(0, s.find_first_not_of(" \n\t"));
    return s.size() > 40 ? s.substr(0, 40) + "..." : s;
}

class Connection;

// A prepared statement borrowed from a connection's cache; reset and unbound when it goes away.
class Query {
public:
    Query(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    ~Query() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;

    Query& bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(stmt_, i, v)); }
    Query& bind(int i, int v) { return check(sqlite3_bind_int64(stmt_, i, v)); }
    Query& bind(int i, bool v) { return check(sqlite3_bind_int64(stmt_, i, v ? 1 : 0)); }
    Query& bind(int i, const std::string& v) {
        return check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    }
    Query& bind(int i, std::string_view v) {
        return check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    }
    Query& bind_null(int i) { return check(sqlite3_bind_null(stmt_, i)); }
    template <class T>
    Query& bind(int i, const std::optional<T>& v) { return v ? bind(i, *v) : bind_null(i); }

    // Steps once: true when a row is ready.
    bool next() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(db_, "query failed");
    }
    void run() {
        while (next()) {
        }
    }
    // Steps a statement that returns no rows: false if it failed.
    bool done() { return sqlite3_step(stmt_) == SQLITE_DONE; }

    std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
    bool boolean(int col) const { return sqlite3_column_int64(stmt_, col) != 0; }
    bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
    std::string text(int col) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
    }

private:
    Query& check(int rc) {
        if (rc != SQLITE_OK) fail(db_, "binding a parameter failed");
        return *this;
    }
    sqlite3* db_;
    sqlite3_stmt* stmt_;
};

class Connection {
public:
    Connection(const std::string& path, bool create, int busy_timeout_ms) {
        const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
        if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
            StorageError e = storage_error(db_, "cannot open the database '" + path + "'");
            sqlite3_close(db_);
            db_ = nullptr;
            throw e;
        }
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, busy_timeout_ms);
    }
    ~Connection() {
        for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
        sqlite3_close(db_);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void exec(const char* sql) {
        if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
            throw storage_error(db_, "statement failed (" + first_words(sql) + ")");
    }

    // BEGIN, SAVEPOINT, RELEASE and COMMIT, which every write runs, from the statement cache:
    // parsing them anew each time (sqlite3_exec) showed in profiles of POST create, the parser's
    // allocations most of all.
    void run(const char* sql) {
        Query q = query(sql);
        if (!q.done()) throw storage_error(db_, "statement failed (" + first_words(sql) + ")");
    }

    // Prepared once per connection and kept (keyed by the SQL text's address: every SQL here is
    // a constant with static storage).
    Query query(const char* sql) {
        auto it = statements_.find(sql);
        if (it == statements_.end()) {
            sqlite3_stmt* stmt = nullptr;
            if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
                fail(db_, std::string("preparing a statement failed (") + sql + ")");
            it = statements_.emplace(sql, stmt).first;
        }
        return Query(db_, it->second);
    }

    int changes() const { return sqlite3_changes(db_); }
    sqlite3* handle() const { return db_; }

private:
    sqlite3* db_ = nullptr;
    std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

// -- [SECTION] SQL ---------------------------------------------------------------------------

#define GROVE_POST_COLUMNS                                                                           \
    "p.id, p.module, p.parent_id, p.kind, p.body, p.author_id, p.author_name, p.author_role, "      \
    "p.created_at_ms, p.edited_at_ms, p.endorsements, p.trusted_endorsements, p.pinned, p.hidden, " \
    "p.deleted, p.rev, "                                                                             \
    "EXISTS (SELECT 1 FROM endorsements e WHERE e.post_id = p.id AND e.user_id = ?1), "             \
    "p.check_in_at_ms, p.outcome, p.outcome_note, p.outcome_at_ms, p.check_ins, "                   \
    "(SELECT m.title FROM modules m WHERE m.key = p.module) "

const char* const kFindPost = "SELECT " GROVE_POST_COLUMNS "FROM posts p WHERE p.id = ?2";
const char* const kModulePosts = "SELECT " GROVE_POST_COLUMNS
                                 "FROM posts p WHERE p.module = ?2 AND p.rev > ?3 AND (?4 OR p.deleted = 0) "
                                 "ORDER BY p.rev LIMIT ?5";
const char* const kSpotlight = "SELECT " GROVE_POST_COLUMNS
                               "FROM posts p WHERE p.kind = ?2 AND p.created_at_ms >= ?3 AND p.deleted = 0 "
                               "AND (?4 OR p.hidden = 0) ORDER BY p.created_at_ms DESC, p.rev DESC LIMIT ?5";
const char* const kFlagged =
    "SELECT f.post_id, COUNT(*) AS n, MAX(f.created_at_ms) AS latest FROM flags f JOIN posts p ON p.id = f.post_id "
    "WHERE f.resolved_at_ms IS NULL AND p.deleted = 0 GROUP BY f.post_id ORDER BY n DESC, latest DESC LIMIT ?1";
const char* const kFlagReports =
    "SELECT reason, details, created_at_ms FROM flags WHERE post_id = ?1 AND resolved_at_ms IS NULL "
    "AND (reason <> '' OR details <> '') ORDER BY created_at_ms, user_id";
const char* const kPostModeration =
    "SELECT (SELECT COUNT(*) FROM flags f WHERE f.post_id = p.id AND f.resolved_at_ms IS NULL), p.hidden_by_flags "
    "FROM posts p WHERE p.id = ?1";

// Statistics: the same columns for one module, every module (grouped) and all of them together.
#define GROVE_STATS_TOTALS                                                                                   \
    "COALESCE(SUM(parent_id IS NULL), 0), COALESCE(SUM(parent_id IS NOT NULL), 0), COUNT(DISTINCT author_id), " \
    "COALESCE(SUM(endorsements), 0), COALESCE(SUM(kind = 'commitment'), 0), "                                   \
    "COALESCE(SUM(kind = 'commitment' AND outcome = 'done'), 0), "                                              \
    "COALESCE(SUM(kind = 'commitment' AND outcome = 'partly'), 0) "
#define GROVE_DAY "(created_at_ms / 86400000) * 86400000"
#define GROVE_DAY_POSTS "COUNT(*), COUNT(DISTINCT author_id), COALESCE(SUM(kind = 'commitment'), 0) "
const char* const kStatsTotals =
    "SELECT " GROVE_STATS_TOTALS ", (SELECT title FROM modules WHERE key = ?1) FROM posts WHERE module = ?1 AND deleted = 0";
const char* const kStatsTotalsAll = "SELECT " GROVE_STATS_TOTALS "FROM posts WHERE deleted = 0";
const char* const kStatsTotalsByModule =
    "SELECT module, (SELECT m.title FROM modules m WHERE m.key = p.module), " GROVE_STATS_TOTALS
    "FROM posts p WHERE deleted = 0 GROUP BY module ORDER BY module";
const char* const kStatsPostsPerDay = "SELECT " GROVE_DAY " AS day, " GROVE_DAY_POSTS
                                      "FROM posts WHERE module = ?1 AND deleted = 0 AND created_at_ms >= ?2 GROUP BY day";
const char* const kStatsPostsPerDayAll =
    "SELECT " GROVE_DAY " AS day, " GROVE_DAY_POSTS "FROM posts WHERE deleted = 0 AND created_at_ms >= ?1 GROUP BY day";
const char* const kStatsPostsPerDayByModule =
    "SELECT module, " GROVE_DAY " AS day, " GROVE_DAY_POSTS
    "FROM posts WHERE deleted = 0 AND created_at_ms >= ?1 GROUP BY module, day";
const char* const kStatsEndorsementsPerDay =
    "SELECT (e.created_at_ms / 86400000) * 86400000 AS day, COUNT(*) FROM endorsements e "
    "JOIN posts p ON p.id = e.post_id WHERE p.module = ?1 AND p.deleted = 0 AND e.created_at_ms >= ?2 GROUP BY day";
const char* const kStampedPosts = "SELECT module, kind, rev FROM posts WHERE rev BETWEEN ?1 AND ?2 ORDER BY rev";
const char* const kStatsEndorsementsPerDayAll =
    "SELECT (e.created_at_ms / 86400000) * 86400000 AS day, COUNT(*) FROM endorsements e "
    "JOIN posts p ON p.id = e.post_id WHERE p.deleted = 0 AND e.created_at_ms >= ?1 GROUP BY day";
const char* const kStatsEndorsementsPerDayByModule =
    "SELECT p.module, (e.created_at_ms / 86400000) * 86400000 AS day, COUNT(*) FROM endorsements e "
    "JOIN posts p ON p.id = e.post_id WHERE p.deleted = 0 AND e.created_at_ms >= ?1 GROUP BY p.module, day";

const char* const kModuleCounts =
    "SELECT key, title, posts, replies, contributors FROM modules WHERE key IN (SELECT value FROM json_each(?1))";
const char* const kDueCheckIns = "SELECT " GROVE_POST_COLUMNS
                                 "FROM posts p WHERE p.author_id = ?2 AND p.check_in_at_ms IS NOT NULL "
                                 "AND p.check_in_at_ms <= ?3 AND p.kind = 'commitment' AND p.deleted = 0 AND p.hidden = 0 "
                                 "ORDER BY p.check_in_at_ms, p.created_at_ms, p.id LIMIT ?4";
const char* const kTopPosts =
    "SELECT " GROVE_POST_COLUMNS
    "FROM (SELECT e.post_id AS id, SUM(CASE WHEN e.trusted THEN ?4 ELSE 1 END) AS score FROM endorsements e "
    "      WHERE e.created_at_ms >= ?2 AND e.created_at_ms < ?3 GROUP BY e.post_id) s "
    "JOIN posts p ON p.id = s.id WHERE p.deleted = 0 AND p.hidden = 0 "
    "ORDER BY s.score DESC, p.endorsements DESC, p.created_at_ms DESC, p.id LIMIT ?5";
// The answers' counts range over posts_by_outcome_at ("+kind" keeps SQLite from scanning every
// commitment through posts_by_kind_created instead).
const char* const kCommitmentTotals =
    "SELECT (SELECT COUNT(*) FROM posts WHERE kind = 'commitment' AND created_at_ms >= ?1 AND created_at_ms < ?2 "
    "        AND deleted = 0 AND hidden = 0), "
    "       (SELECT COUNT(*) FROM posts WHERE outcome_at_ms >= ?1 AND outcome_at_ms < ?2 AND outcome = 'done' "
    "        AND +kind = 'commitment' AND deleted = 0 AND hidden = 0), "
    "       (SELECT COUNT(*) FROM posts WHERE outcome_at_ms >= ?1 AND outcome_at_ms < ?2 AND outcome = 'partly' "
    "        AND +kind = 'commitment' AND deleted = 0 AND hidden = 0)";
const char* const kModuleActivity =
    "SELECT p.module, (SELECT m.title FROM modules m WHERE m.key = p.module), COUNT(*) AS n, "
    "COUNT(DISTINCT p.author_id) AS c FROM posts p "
    "WHERE p.created_at_ms >= ?1 AND p.created_at_ms < ?2 AND p.deleted = 0 AND p.hidden = 0 "
    "GROUP BY p.module ORDER BY n DESC, c DESC, p.module LIMIT ?3";

#define GROVE_RESOURCE_COLUMNS \
    "id, module, title, url, note, added_by_id, added_by_name, added_by_role, created_at_ms, position, deleted, rev "
const char* const kFindResource = "SELECT " GROVE_RESOURCE_COLUMNS "FROM resources WHERE id = ?1";
const char* const kModuleResources =
    "SELECT " GROVE_RESOURCE_COLUMNS "FROM resources WHERE module = ?1 AND deleted = 0 ORDER BY position, id";
const char* const kInsertResource =
    "INSERT INTO resources (id, module, title, url, note, added_by_id, added_by_name, added_by_role, created_at_ms, "
    "position, rev) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
const char* const kUpdateResource =
    "UPDATE resources SET title = COALESCE(?2, title), url = COALESCE(?3, url), note = COALESCE(?4, note), "
    "position = COALESCE(?5, position), deleted = CASE WHEN ?6 THEN 1 ELSE deleted END, rev = ?7 WHERE id = ?1";

const char* const kLastRev = "SELECT value FROM sequences WHERE name = 'rev'";
const char* const kNextRev = "UPDATE sequences SET value = value + 1 WHERE name = 'rev' RETURNING value";
const char* const kInsertPost =
    "INSERT INTO posts (id, module, parent_id, kind, body, author_id, author_name, author_role, created_at_ms, rev, "
    "check_in_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
const char* const kUpdatePost =
    "UPDATE posts SET body = CASE WHEN ?6 THEN '' ELSE COALESCE(?2, body) END, "
    "edited_at_ms = COALESCE(?3, edited_at_ms), pinned = COALESCE(?4, pinned), hidden = COALESCE(?5, hidden), "
    "hidden_by_flags = CASE WHEN ?5 IS NULL THEN hidden_by_flags WHEN ?5 THEN ?8 ELSE 0 END, "
    "outcome_note = CASE WHEN ?6 THEN '' ELSE outcome_note END, "
    "check_in_at_ms = CASE WHEN ?6 THEN NULL ELSE check_in_at_ms END, "
    "deleted = CASE WHEN ?6 THEN 1 ELSE deleted END, rev = ?7 WHERE id = ?1";
// What update_post needs to keep the module's counts in step.
const char* const kPostVisibility =
    "SELECT module, author_id, parent_id IS NULL, hidden, deleted FROM posts WHERE id = ?1";
const char* const kRecordOutcome =
    "UPDATE posts SET outcome = ?2, outcome_note = ?3, outcome_at_ms = ?4, check_in_at_ms = ?5, check_ins = ?6, "
    "rev = ?7 WHERE id = ?1 AND deleted = 0";
const char* const kModuleCountsAdd =
    "INSERT INTO modules (key, posts, replies) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (key) DO UPDATE SET posts = posts + ?2, replies = replies + ?3";
const char* const kContributorAdd =
    "INSERT INTO module_contributors (module, author_id, posts) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (module, author_id) DO UPDATE SET posts = posts + ?3 RETURNING posts";
const char* const kContributorForget = "DELETE FROM module_contributors WHERE module = ?1 AND author_id = ?2 AND posts <= 0";
const char* const kModuleContributorsAdd = "UPDATE modules SET contributors = contributors + ?2 WHERE key = ?1";
const char* const kSetModuleTitle =
    "INSERT INTO modules (key, title) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET title = ?2 WHERE title IS NOT ?2";
const char* const kInsertEndorsement =
    "INSERT OR IGNORE INTO endorsements (post_id, user_id, trusted, created_at_ms) VALUES (?1, ?2, ?3, ?4)";
const char* const kCountEndorsement =
    "UPDATE posts SET endorsements = endorsements + ?2, trusted_endorsements = trusted_endorsements + ?3, rev = ?4 "
    "WHERE id = ?1";
const char* const kDeleteEndorsement =
    "DELETE FROM endorsements WHERE post_id = ?1 AND user_id = ?2 RETURNING trusted";
const char* const kInsertFlag =
    "INSERT OR IGNORE INTO flags (post_id, user_id, reason, details, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)";
const char* const kResolveFlags =
    "UPDATE flags SET resolved_at_ms = ?2 WHERE post_id = ?1 AND resolved_at_ms IS NULL";
const char* const kCuratorOwnsHide = "UPDATE posts SET hidden_by_flags = 0 WHERE id = ?1 AND hidden_by_flags = 1";

// -- [SECTION] Transactions ------------------------------------------------------------------

class SqliteEngine;

class SqliteTransaction final : public StorageTransaction {
public:
    SqliteTransaction(SqliteEngine& engine, Connection& conn, bool write, std::unique_lock<FifoMutex> lock);
    ~SqliteTransaction() override;

    void commit() override;
    std::optional<Post> find_post(const PostQuery& query) override;
    ModulePostsPage list_module_posts(const ModulePostsQuery& query) override;
    std::vector<Post> list_spotlight(const SpotlightQuery& query) override;
    std::vector<FlaggedPostRow> list_flagged(const FlagQueueQuery& query) override;
    ModuleStatsRow module_stats(const ModuleStatsQuery& query) override;
    std::vector<ModuleStatsRow> all_modules_stats(const AllModulesStatsQuery& query) override;
    PostModeration post_moderation(const PostModerationQuery& query) override;
    std::int64_t last_rev() override;
    std::vector<ModuleCountsRow> module_counts(const ModuleCountsQuery& query) override;
    std::vector<Post> list_due_check_ins(const DueCheckInsQuery& query) override;
    std::vector<Post> list_top_posts(const TopPostsQuery& query) override;
    CommitmentTotals commitment_totals(const CommitmentTotalsQuery& query) override;
    std::vector<ModuleActivityRow> module_activity(const ModuleActivityQuery& query) override;
    std::optional<Resource> find_resource(const ResourceQuery& query) override;
    std::vector<Resource> list_resources(const ModuleResourcesQuery& query) override;
    std::int64_t insert_post(const NewPost& post) override;
    std::int64_t update_post(const PostUpdate& update) override;
    std::int64_t record_outcome(const OutcomeRecord& outcome) override;
    std::int64_t add_endorsement(const EndorsementChange& change) override;
    std::int64_t remove_endorsement(const EndorsementChange& change) override;
    bool add_flag(const NewFlag& flag) override;
    int resolve_flags(const FlagResolution& resolution) override;
    std::int64_t set_module_title(const ModuleTitleChange& change) override;
    std::int64_t insert_resource(const NewResource& resource) override;
    std::int64_t update_resource(const ResourceUpdate& update) override;

private:
    // A post of `module` by `author` became visible (+1) or stopped being visible (-1).
    void count_visible(const std::string& module, const std::string& author, bool top_level, int delta);
    void require_write(const char* what) const {
        if (!write_) throw StorageError(std::string(what) + " needs a write transaction");
    }
    std::int64_t next_rev();
    std::vector<CommittedChange> stamped_changes();

    SqliteEngine& engine_;
    Connection& conn_;
    bool write_;
    bool open_ = true;
    std::int64_t first_stamped_rev_ = 0;
    std::int64_t stamped_rev_ = 0;
    bool removes_text_ = false;   // a post's text was deleted or replaced
    bool grouped_ = false;        // a write under group commit: a savepoint of the open group
    std::uint64_t group_ = 0;     // which group
    std::unique_lock<FifoMutex> lock_;   // the writer's mutex (or the only connection's)
};

class SqliteEngine final : public StorageEngine {
public:
    explicit SqliteEngine(const SqliteOptions& options) : options_(options) {
        single_ = options.path == ":memory:" || options.path.empty();
        if (sqlite3_libversion_number() < 3035000)
            throw StorageError(std::string("the SQLite library is version ") + sqlite3_libversion() +
                               "; grove-server needs 3.35 or newer");
        if (!single_) create_private_file(options.path);
        writer_ = std::make_unique<Connection>(single_ ? ":memory:" : options.path, true, options.busy_timeout_ms);
        // SQLite opens a file it may not write read-only instead of failing: say so plainly.
        if (sqlite3_db_readonly(writer_->handle(), "main") == 1)
            throw StorageError("the database '" + options.path +
                                   "' is read-only (the file, its folder or its filesystem); grove-server needs to write it",
                               StorageError::Kind::read_only);
        if (!single_) {
            writer_->exec("PRAGMA journal_mode = WAL");
            Query mode = writer_->query("PRAGMA journal_mode");
            if (!mode.next() || mode.text(0) != "wal")
                throw StorageError("cannot switch the database '" + options.path + "' to WAL mode");
        }
        writer_->exec(options.sync_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
        writer_->exec("PRAGMA foreign_keys = ON");
        writer_->exec("PRAGMA secure_delete = ON");
        migrate();
        Query q = writer_->query(kLastRev);
        committed_rev_ = q.next() ? q.int64(0) : 0;
    }

    std::unique_ptr<StorageTransaction> begin_read() override {
        if (single_) return std::make_unique<SqliteTransaction>(*this, *writer_, false, std::unique_lock(writer_mutex_));
        return std::make_unique<SqliteTransaction>(*this, take_reader(), false, std::unique_lock<FifoMutex>());
    }

    std::unique_ptr<StorageTransaction> begin_write() override {
        return std::make_unique<SqliteTransaction>(*this, *writer_, true, std::unique_lock(writer_mutex_));
    }

    std::int64_t committed_rev() const override { return committed_rev_.load(std::memory_order_acquire); }
    std::string name() const override { return "sqlite"; }
    void set_commit_observer(CommitObserver observer) override { observer_ = std::move(observer); }
    bool observed() const { return static_cast<bool>(observer_); }

    // Group commit: a database file's write transactions are savepoints of a CommitGroup.
    bool grouped() const { return !single_; }
    CommitGroup& group() { return group_; }

    // After a write transaction committed, with the writer's lock still held.
    void committed(const std::vector<CommittedChange>& changes, bool removed_text) {
        if (observer_ && !changes.empty()) {
            try {
                observer_(changes);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "grove-server: telling event streams about a commit failed: %s\n", e.what());
            }
        }
        if (removed_text && !single_) empty_wal();
    }

    // Called when a transaction ends, while a writer still holds the writer mutex, so
    // committed_rev_ only ever grows. committed_rev is 0 unless a write transaction committed.
    void finished(Connection& conn, bool write, std::int64_t committed_rev) {
        if (write && committed_rev > 0) committed_rev_.store(committed_rev, std::memory_order_release);
        if (!write && !single_) {
            std::lock_guard lock(readers_mutex_);
            for (auto& r : readers_)
                if (r.get() == &conn) idle_readers_.push_back(&conn);
        }
    }

private:
    // CommitGroup's SQL, with the writer's mutex held.
    class GroupSqlite final : public GroupSql {
    public:
        explicit GroupSqlite(SqliteEngine& engine) : engine_(engine) {}
        void begin_group() override { engine_.writer_->run("BEGIN IMMEDIATE"); }
        void commit_group(const GroupWork&) override {
            try {
                engine_.writer_->run("COMMIT");
            } catch (const StorageError&) {
                abandon_group();
                throw;
            }
        }
        void abandon_group() noexcept override {
            if (sqlite3_get_autocommit(engine_.writer_->handle()) == 0)
                sqlite3_exec(engine_.writer_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
        }
        void group_committed(const GroupWork& work) override {
            if (work.last_rev > 0) engine_.committed_rev_.store(work.last_rev, std::memory_order_release);
            engine_.committed(work.changes, work.removes_text);
        }

    private:
        SqliteEngine& engine_;
    };

    // Creates a missing database file readable by its owner only.
    static void create_private_file(const std::string& path) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            ::close(fd);
            return;
        }
        struct stat st {};
        if (errno == EEXIST && ::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
            std::fprintf(stderr,
                         "grove-server: warning: the database '%s' can be read by other users (mode %03o); "
                         "chmod 600 it (and its -wal and -shm files)\n",
                         path.c_str(), static_cast<unsigned>(st.st_mode & 0777));
    }

    // Copies the WAL into the database file and truncates it: old page images (deleted text)
    // leave the WAL; secure_delete has zeroed them in the pages that replace them.
    void empty_wal() {
        int log = 0, copied = 0;
        const int rc = sqlite3_wal_checkpoint_v2(writer_->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &copied);
        if (rc != SQLITE_OK)
            std::fprintf(stderr,
                         "grove-server: emptying the WAL after a delete or edit failed (%s); the old text stays in "
                         "%s-wal until the next checkpoint\n",
                         sqlite3_errmsg(writer_->handle()), options_.path.c_str());
    }

    Connection& take_reader() {
        std::lock_guard lock(readers_mutex_);
        if (!idle_readers_.empty()) {
            Connection* c = idle_readers_.back();
            idle_readers_.pop_back();
            return *c;
        }
        readers_.push_back(std::make_unique<Connection>(options_.path, false, options_.busy_timeout_ms));
        readers_.back()->exec("PRAGMA query_only = ON");
        return *readers_.back();
    }

    void migrate() {
        writer_->exec("BEGIN IMMEDIATE");
        try {
            writer_->exec("CREATE TABLE IF NOT EXISTS schema_migrations "
                          "(version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL)");
            Query v = writer_->query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
            const std::int64_t current = v.next() ? v.int64(0) : 0;
            if (current > kSqliteSchemaVersion)
                throw StorageError("the database '" + options_.path + "' has schema version " +
                                   std::to_string(current) + ", newer than this grove-server understands (" +
                                   std::to_string(kSqliteSchemaVersion) + "); use a newer grove-server");
            for (const Migration& m : kMigrations) {
                if (m.version <= current) continue;
                writer_->exec(m.sql);
                Query done = writer_->query(
                    "INSERT INTO schema_migrations (version, applied_at_ms) "
                    "VALUES (?1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))");
                done.bind(1, m.version).run();
            }
            writer_->exec("COMMIT");
        } catch (...) {
            sqlite3_exec(writer_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    }

    SqliteOptions options_;
    bool single_ = false;
    std::unique_ptr<Connection> writer_;
    FifoMutex writer_mutex_;
    std::mutex readers_mutex_;
    std::vector<std::unique_ptr<Connection>> readers_;
    std::vector<Connection*> idle_readers_;
    std::atomic<std::int64_t> committed_rev_{0};
    CommitObserver observer_;

    GroupSqlite group_sql_{*this};
    CommitGroup group_{writer_mutex_, group_sql_};
};

SqliteTransaction::SqliteTransaction(SqliteEngine& engine, Connection& conn, bool write,
                                     std::unique_lock<FifoMutex> lock)
    : engine_(engine), conn_(conn), write_(write), grouped_(write && engine.grouped()), lock_(std::move(lock)) {
    if (grouped_) {
        try {
            group_ = engine_.group().open();
            conn_.run("SAVEPOINT grove_write");
        } catch (...) {
            engine_.group().leave(lock_, group_, false);
            throw;
        }
        return;
    }
    try {
        conn_.run(write ? "BEGIN IMMEDIATE" : "BEGIN");
    } catch (...) {
        engine_.finished(conn_, write_, 0);
        throw;
    }
}

SqliteTransaction::~SqliteTransaction() {
    if (!open_) return;
    if (grouped_) {
        sqlite3_exec(conn_.handle(), "ROLLBACK TO grove_write; RELEASE grove_write", nullptr, nullptr, nullptr);
        if (sqlite3_get_autocommit(conn_.handle()) != 0) engine_.group().lost(sqlite3_errmsg(conn_.handle()));
        try {
            engine_.group().leave(lock_, group_, false);
        } catch (...) {
        }
        return;
    }
    sqlite3_exec(conn_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    engine_.finished(conn_, write_, 0);
}

void SqliteTransaction::commit() {
    if (!open_) throw StorageError("the transaction is already finished");
    const std::vector<CommittedChange> changes =
        write_ && stamped_rev_ > 0 && engine_.observed() ? stamped_changes() : std::vector<CommittedChange>();
    if (grouped_) {
        if (sqlite3_get_autocommit(conn_.handle()) != 0) {   // SQLite ended the group after an error
            open_ = false;
            engine_.group().lost(sqlite3_errmsg(conn_.handle()));
            engine_.group().leave(lock_, group_, true);
            throw StorageError("the write was rolled back with its group");
        }
        conn_.run("RELEASE grove_write");   // on failure the destructor rolls back
        open_ = false;
        engine_.group().join(changes, first_stamped_rev_, stamped_rev_, removes_text_);
        engine_.group().leave(lock_, group_, true);   // returns once the group's COMMIT is durable
        return;
    }
    conn_.run("COMMIT");   // on failure the destructor rolls back
    open_ = false;
    engine_.finished(conn_, write_, stamped_rev_);
    if (write_ && stamped_rev_ > 0) engine_.committed(changes, removes_text_);
    if (lock_.owns_lock()) lock_.unlock();   // the next writer may start
}

std::vector<CommittedChange> SqliteTransaction::stamped_changes() {
    std::vector<CommittedChange> changes;
    Query q = conn_.query(kStampedPosts);
    q.bind(1, first_stamped_rev_).bind(2, stamped_rev_);
    while (q.next()) {
        const auto kind = kind_from_string(q.text(1));
        changes.push_back(CommittedChange{q.text(0), q.int64(2), kind ? *kind : Kind::insight});
    }
    return changes;
}

std::optional<Post> SqliteTransaction::find_post(const PostQuery& query) {
    Query q = conn_.query(kFindPost);
    q.bind(1, query.viewer_id).bind(2, query.id);
    if (!q.next()) return std::nullopt;
    return read_post(q);
}

ModulePostsPage SqliteTransaction::list_module_posts(const ModulePostsQuery& query) {
    ModulePostsPage page;
    Query q = conn_.query(kModulePosts);
    q.bind(1, query.viewer_id).bind(2, query.module).bind(3, query.after_rev).bind(4, query.include_deleted);
    q.bind(5, query.limit + 1);
    page.posts.reserve(static_cast<std::size_t>(query.limit) < 256 ? static_cast<std::size_t>(query.limit) : 256);
    while (q.next()) {
        if (static_cast<int>(page.posts.size()) == query.limit) {
            page.has_more = true;
            break;
        }
        page.posts.push_back(read_post(q));
    }
    return page;
}

std::vector<Post> SqliteTransaction::list_spotlight(const SpotlightQuery& query) {
    std::vector<Post> posts;
    Query q = conn_.query(kSpotlight);
    q.bind(1, query.viewer_id).bind(2, to_string(query.kind)).bind(3, query.created_since_ms);
    q.bind(4, query.include_hidden).bind(5, query.limit);
    while (q.next()) posts.push_back(read_post(q));
    return posts;
}

std::vector<FlaggedPostRow> SqliteTransaction::list_flagged(const FlagQueueQuery& query) {
    std::vector<std::pair<std::string, int>> ids;
    {
        Query q = conn_.query(kFlagged);
        q.bind(1, query.limit);
        while (q.next()) ids.emplace_back(q.text(0), static_cast<int>(q.int64(1)));
    }
    std::vector<FlaggedPostRow> rows;
    for (auto& [id, count] : ids) {
        auto post = find_post(PostQuery{id, query.viewer_id});
        if (!post) continue;
        FlaggedPostRow row{std::move(*post), count, {}, {}, post_moderation(PostModerationQuery{id}).hidden_by_flags};
        Query r = conn_.query(kFlagReports);
        r.bind(1, id);
        while (r.next()) {
            FlagReport report{r.text(0), r.text(1), r.int64(2)};
            if (!report.reason.empty()) row.reasons.push_back(report.reason);
            row.reports.push_back(std::move(report));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

namespace {

void read_totals(const Query& q, int first, ModuleStatsRow& s) {
    s.posts = q.int64(first);
    s.replies = q.int64(first + 1);
    s.contributors = q.int64(first + 2);
    s.endorsements = q.int64(first + 3);
    s.commitments = q.int64(first + 4);
    s.commitments_done = q.int64(first + 5);
    s.commitments_partly = q.int64(first + 6);
}

// Days by their start, filled from several queries.
using DayTable = std::map<std::int64_t, DayActivity>;

DayActivity& day_of(DayTable& days, std::int64_t start) {
    return days.try_emplace(start, DayActivity{start, 0, 0, 0, 0}).first->second;
}

std::vector<DayActivity> ascending(const DayTable& days) {
    std::vector<DayActivity> out;
    out.reserve(days.size());
    for (const auto& [start, day] : days) out.push_back(day);
    return out;
}

}  // namespace

ModuleStatsRow SqliteTransaction::module_stats(const ModuleStatsQuery& query) {
    ModuleStatsRow s;
    s.module = query.module.value_or("");
    {
        Query q = conn_.query(query.module ? kStatsTotals : kStatsTotalsAll);
        if (query.module) q.bind(1, *query.module);
        if (q.next()) {
            read_totals(q, 0, s);
            if (query.module && !q.is_null(7)) s.module_title = q.text(7);
        }
    }
    DayTable days;
    {
        Query q = conn_.query(query.module ? kStatsPostsPerDay : kStatsPostsPerDayAll);
        if (query.module) q.bind(1, *query.module).bind(2, query.per_day_since_ms);
        else q.bind(1, query.per_day_since_ms);
        while (q.next()) {
            DayActivity& d = day_of(days, q.int64(0));
            d.posts = q.int64(1);
            d.contributors = q.int64(2);
            d.commitments = q.int64(3);
        }
    }
    {
        Query q = conn_.query(query.module ? kStatsEndorsementsPerDay : kStatsEndorsementsPerDayAll);
        if (query.module) q.bind(1, *query.module).bind(2, query.per_day_since_ms);
        else q.bind(1, query.per_day_since_ms);
        while (q.next()) day_of(days, q.int64(0)).endorsements = q.int64(1);
    }
    s.per_day = ascending(days);
    return s;
}

std::vector<ModuleStatsRow> SqliteTransaction::all_modules_stats(const AllModulesStatsQuery& query) {
    std::vector<ModuleStatsRow> rows;
    std::vector<DayTable> days;
    std::unordered_map<std::string, std::size_t> index;
    {
        Query q = conn_.query(kStatsTotalsByModule);
        while (q.next()) {
            ModuleStatsRow s;
            s.module = q.text(0);
            if (!q.is_null(1)) s.module_title = q.text(1);
            read_totals(q, 2, s);
            index.emplace(s.module, rows.size());
            rows.push_back(std::move(s));
            days.emplace_back();
        }
    }
    {
        Query q = conn_.query(kStatsPostsPerDayByModule);
        q.bind(1, query.per_day_since_ms);
        while (q.next()) {
            const auto it = index.find(q.text(0));
            if (it == index.end()) continue;
            DayActivity& d = day_of(days[it->second], q.int64(1));
            d.posts = q.int64(2);
            d.contributors = q.int64(3);
            d.commitments = q.int64(4);
        }
    }
    {
        Query q = conn_.query(kStatsEndorsementsPerDayByModule);
        q.bind(1, query.per_day_since_ms);
        while (q.next()) {
            const auto it = index.find(q.text(0));
            if (it != index.end()) day_of(days[it->second], q.int64(1)).endorsements = q.int64(2);
        }
    }
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].per_day = ascending(days[i]);
    return rows;
}

PostModeration SqliteTransaction::post_moderation(const PostModerationQuery& query) {
    Query q = conn_.query(kPostModeration);
    q.bind(1, query.post_id);
    if (!q.next()) return PostModeration{};
    return PostModeration{static_cast<int>(q.int64(0)), q.boolean(1)};
}

std::vector<ModuleCountsRow> SqliteTransaction::module_counts(const ModuleCountsQuery& query) {
    std::vector<ModuleCountsRow> rows;
    if (query.modules.empty()) return rows;
    Query q = conn_.query(kModuleCounts);
    q.bind(1, dump(Json(query.modules)));
    while (q.next()) {
        ModuleCountsRow r;
        r.module = q.text(0);
        if (!q.is_null(1)) r.module_title = q.text(1);
        r.posts = q.int64(2);
        r.replies = q.int64(3);
        r.contributors = q.int64(4);
        rows.push_back(std::move(r));
    }
    return rows;
}

std::vector<Post> SqliteTransaction::list_due_check_ins(const DueCheckInsQuery& query) {
    std::vector<Post> posts;
    Query q = conn_.query(kDueCheckIns);
    q.bind(1, query.viewer_id).bind(2, query.author_id).bind(3, query.due_at_ms).bind(4, query.limit);
    while (q.next()) posts.push_back(read_post(q));
    return posts;
}

std::vector<Post> SqliteTransaction::list_top_posts(const TopPostsQuery& query) {
    std::vector<Post> posts;
    Query q = conn_.query(kTopPosts);
    q.bind(1, query.viewer_id).bind(2, query.since_ms).bind(3, query.until_ms).bind(4, query.trusted_weight);
    q.bind(5, query.limit);
    while (q.next()) posts.push_back(read_post(q));
    return posts;
}

CommitmentTotals SqliteTransaction::commitment_totals(const CommitmentTotalsQuery& query) {
    Query q = conn_.query(kCommitmentTotals);
    q.bind(1, query.since_ms).bind(2, query.until_ms);
    if (!q.next()) return CommitmentTotals{};
    return CommitmentTotals{q.int64(0), q.int64(1), q.int64(2)};
}

std::vector<ModuleActivityRow> SqliteTransaction::module_activity(const ModuleActivityQuery& query) {
    std::vector<ModuleActivityRow> rows;
    Query q = conn_.query(kModuleActivity);
    q.bind(1, query.since_ms).bind(2, query.until_ms).bind(3, query.limit);
    while (q.next()) {
        ModuleActivityRow r;
        r.module = q.text(0);
        if (!q.is_null(1)) r.module_title = q.text(1);
        r.posts = q.int64(2);
        r.contributors = q.int64(3);
        rows.push_back(std::move(r));
    }
    return rows;
}

std::optional<Resource> SqliteTransaction::find_resource(const ResourceQuery& query) {
    Query q = conn_.query(kFindResource);
    q.bind(1, query.id);
    if (!q.next()) return std::nullopt;
    return read_resource(q);
}

std::vector<Resource> SqliteTransaction::list_resources(const ModuleResourcesQuery& query) {
    std::vector<Resource> resources;
    Query q = conn_.query(kModuleResources);
    q.bind(1, query.module);
    while (q.next()) resources.push_back(read_resource(q));
    return resources;
}

std::int64_t SqliteTransaction::last_rev() {
    Query q = conn_.query(kLastRev);
    return q.next() ? q.int64(0) : 0;
}

std::int64_t SqliteTransaction::next_rev() {
    Query q = conn_.query(kNextRev);
    if (!q.next()) throw StorageError("the rev sequence is missing");
    stamped_rev_ = q.int64(0);
    if (first_stamped_rev_ == 0) first_stamped_rev_ = stamped_rev_;
    q.run();
    return stamped_rev_;
}

std::int64_t SqliteTransaction::insert_post(const NewPost& p) {
    require_write("insert_post");
    const std::int64_t rev = next_rev();
    Query q = conn_.query(kInsertPost);
    q.bind(1, p.id).bind(2, p.module).bind(3, p.parent_id).bind(4, to_string(p.kind)).bind(5, p.body);
    q.bind(6, p.author.id).bind(7, p.author.name).bind(8, to_string(p.author.role)).bind(9, p.created_at_ms);
    q.bind(10, rev).bind(11, p.check_in_at_ms).run();
    count_visible(p.module, p.author.id, !p.parent_id, +1);
    return rev;
}

void SqliteTransaction::count_visible(const std::string& module, const std::string& author, bool top_level, int delta) {
    conn_.query(kModuleCountsAdd).bind(1, module).bind(2, top_level ? delta : 0).bind(3, top_level ? 0 : delta).run();
    std::int64_t now_visible = 0;
    {
        Query q = conn_.query(kContributorAdd);
        q.bind(1, module).bind(2, author).bind(3, delta);
        if (!q.next()) throw StorageError("counting a contributor failed");
        now_visible = q.int64(0);
        q.run();
    }
    // The author's first visible post here makes them a contributor; their last one ends it.
    if (delta > 0 && now_visible == 1) conn_.query(kModuleContributorsAdd).bind(1, module).bind(2, 1).run();
    if (delta < 0 && now_visible <= 0) {
        conn_.query(kModuleContributorsAdd).bind(1, module).bind(2, -1).run();
        conn_.query(kContributorForget).bind(1, module).bind(2, author).run();
    }
}


std::int64_t SqliteTransaction::update_post(const PostUpdate& u) {
    require_write("update_post");
    std::string module, author;
    bool top_level = false, was_hidden = false, was_deleted = false;
    {
        Query before = conn_.query(kPostVisibility);
        before.bind(1, u.id);
        if (!before.next()) return 0;
        module = before.text(0);
        author = before.text(1);
        top_level = before.boolean(2);
        was_hidden = before.boolean(3);
        was_deleted = before.boolean(4);
    }
    const std::int64_t rev = next_rev();
    if (u.body || u.mark_deleted) removes_text_ = true;
    {
        Query q = conn_.query(kUpdatePost);
        q.bind(1, u.id).bind(2, u.body).bind(3, u.edited_at_ms).bind(4, u.pinned).bind(5, u.hidden);
        q.bind(6, u.mark_deleted).bind(7, rev).bind(8, u.hidden_by_flags).run();
    }
    const bool was_visible = !was_hidden && !was_deleted;
    const bool is_visible = !u.hidden.value_or(was_hidden) && !(was_deleted || u.mark_deleted);
    if (was_visible != is_visible) count_visible(module, author, top_level, is_visible ? +1 : -1);
    return rev;
}

std::int64_t SqliteTransaction::record_outcome(const OutcomeRecord& o) {
    require_write("record_outcome");
    {
        Query exists = conn_.query(kPostVisibility);
        exists.bind(1, o.post_id);
        if (!exists.next() || exists.boolean(4)) return 0;
    }
    const std::int64_t rev = next_rev();
    Query q = conn_.query(kRecordOutcome);
    q.bind(1, o.post_id).bind(2, to_string(o.outcome)).bind(3, o.note).bind(4, o.at_ms);
    q.bind(5, o.next_check_in_at_ms).bind(6, o.check_ins).bind(7, rev).run();
    return rev;
}

std::int64_t SqliteTransaction::add_endorsement(const EndorsementChange& c) {
    require_write("add_endorsement");
    {
        Query q = conn_.query(kInsertEndorsement);
        q.bind(1, c.post_id).bind(2, c.user_id).bind(3, c.trusted).bind(4, c.at_ms).run();
        if (conn_.changes() == 0) return 0;
    }
    const std::int64_t rev = next_rev();
    Query q = conn_.query(kCountEndorsement);
    q.bind(1, c.post_id).bind(2, 1).bind(3, c.trusted ? 1 : 0).bind(4, rev).run();
    return rev;
}

std::int64_t SqliteTransaction::remove_endorsement(const EndorsementChange& c) {
    require_write("remove_endorsement");
    bool trusted = false;
    {
        Query q = conn_.query(kDeleteEndorsement);
        q.bind(1, c.post_id).bind(2, c.user_id);
        if (!q.next()) return 0;
        trusted = q.boolean(0);
        q.run();
    }
    const std::int64_t rev = next_rev();
    Query q = conn_.query(kCountEndorsement);
    q.bind(1, c.post_id).bind(2, -1).bind(3, trusted ? -1 : 0).bind(4, rev).run();
    return rev;
}

bool SqliteTransaction::add_flag(const NewFlag& f) {
    require_write("add_flag");
    Query q = conn_.query(kInsertFlag);
    q.bind(1, f.post_id).bind(2, f.user_id).bind(3, f.reason).bind(4, f.details).bind(5, f.at_ms).run();
    return conn_.changes() > 0;
}

int SqliteTransaction::resolve_flags(const FlagResolution& r) {
    require_write("resolve_flags");
    Query q = conn_.query(kResolveFlags);
    q.bind(1, r.post_id).bind(2, r.at_ms).run();
    const int settled = conn_.changes();
    if (r.curator_decides) conn_.query(kCuratorOwnsHide).bind(1, r.post_id).run();
    return settled;
}

std::int64_t SqliteTransaction::set_module_title(const ModuleTitleChange& c) {
    require_write("set_module_title");
    conn_.query(kSetModuleTitle).bind(1, c.module).bind(2, c.title).run();
    if (conn_.changes() == 0) return 0;
    return next_rev();   // posts read from now on carry the new title: caches keyed by rev must see it
}

std::int64_t SqliteTransaction::insert_resource(const NewResource& r) {
    require_write("insert_resource");
    const std::int64_t rev = next_rev();
    Query q = conn_.query(kInsertResource);
    q.bind(1, r.id).bind(2, r.module).bind(3, r.title).bind(4, r.url).bind(5, r.note).bind(6, r.added_by.id);
    q.bind(7, r.added_by.name).bind(8, to_string(r.added_by.role)).bind(9, r.created_at_ms).bind(10, r.position);
    q.bind(11, rev).run();
    return rev;
}

std::int64_t SqliteTransaction::update_resource(const ResourceUpdate& u) {
    require_write("update_resource");
    {
        Query exists = conn_.query(kFindResource);
        exists.bind(1, u.id);
        if (!exists.next()) return 0;
    }
    const std::int64_t rev = next_rev();
    Query q = conn_.query(kUpdateResource);
    q.bind(1, u.id).bind(2, u.title).bind(3, u.url).bind(4, u.note).bind(5, u.position).bind(6, u.mark_deleted);
    q.bind(7, rev).run();
    return rev;
}

}  // namespace

std::unique_ptr<StorageEngine> open_sqlite_engine(const SqliteOptions& options) {
    return std::make_unique<SqliteEngine>(options);
}

}  // namespace grove

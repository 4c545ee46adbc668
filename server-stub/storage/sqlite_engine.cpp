// SQLite storage engine.
//
// On-disk layout (schema version 1; the version lives in schema_migrations):
//
//   schema_migrations(version INTEGER PRIMARY KEY, applied_at_ms)
//       one row per applied migration; a database newer than this program is refused.
//   sequences(name TEXT PRIMARY KEY, value INTEGER)
//       'rev': the last rev handed out. A write transaction bumps it and stamps the changed post
//       in the same transaction, so revs are unique, increasing, and visible in commit order.
//   posts(id TEXT PRIMARY KEY, module, parent_id NULL, kind, body, author_id, author_name,
//         author_role, created_at_ms, edited_at_ms NULL, endorsements, trusted_endorsements,
//         pinned, hidden, deleted, rev UNIQUE)
//       one row per post, ever: deletes are tombstones (deleted = 1, body = '') so the changes
//       feed can tell clients. endorsements/trusted_endorsements are counters kept in step with
//       the endorsements table so a feed page is one indexed range scan.
//       Indexes: (module, rev) for the feed, (kind, created_at_ms) for the spotlight.
//   endorsements(post_id, user_id, trusted, created_at_ms) PRIMARY KEY (post_id, user_id)
//       trusted = the endorser was a leader or curator (what sets leader_endorsed).
//   flags(post_id, user_id, reason, created_at_ms, resolved_at_ms NULL) PRIMARY KEY (post_id, user_id)
//       one flag per user and post; resolved_at_ms is set when a curator decides (hide/unhide).
//
// Connections: one writer (serialized by a mutex, BEGIN IMMEDIATE) and a pool of readers; WAL
// lets readers work while the writer commits. Every statement is prepared once per connection.
// ":memory:" uses a single connection for everything (a private database for tests).
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
//   The writers' queue         FIFO admission of write transactions
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
#include <condition_variable>  // std::condition_variable
#include <deque>           // std::deque
#include <mutex>           // std::mutex
#include <unordered_map>   // std::unordered_map
#include <utility>         // std::move

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
    "EXISTS (SELECT 1 FROM endorsements e WHERE e.post_id = p.id AND e.user_id = ?1) "

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
const char* const kFlagReasons =
    "SELECT reason FROM flags WHERE post_id = ?1 AND resolved_at_ms IS NULL AND reason <> '' "
    "ORDER BY created_at_ms, user_id";
const char* const kOpenFlagCount = "SELECT COUNT(*) FROM flags WHERE post_id = ?1 AND resolved_at_ms IS NULL";
const char* const kStatsTotals =
    "SELECT COALESCE(SUM(parent_id IS NULL), 0), COALESCE(SUM(parent_id IS NOT NULL), 0), "
    "COUNT(DISTINCT author_id), COALESCE(SUM(endorsements), 0) FROM posts WHERE module = ?1 AND deleted = 0";
const char* const kStatsPostsPerDay =
    "SELECT (created_at_ms / 86400000) * 86400000 AS day, COUNT(*) FROM posts "
    "WHERE module = ?1 AND deleted = 0 AND created_at_ms >= ?2 GROUP BY day";
const char* const kStatsEndorsementsPerDay =
    "SELECT (e.created_at_ms / 86400000) * 86400000 AS day, COUNT(*) FROM endorsements e "
    "JOIN posts p ON p.id = e.post_id WHERE p.module = ?1 AND p.deleted = 0 AND e.created_at_ms >= ?2 GROUP BY day";
const char* const kStampedPosts = "SELECT module, kind, rev FROM posts WHERE rev BETWEEN ?1 AND ?2 ORDER BY rev";
const char* const kLastRev = "SELECT value FROM sequences WHERE name = 'rev'";
const char* const kNextRev = "UPDATE sequences SET value = value + 1 WHERE name = 'rev' RETURNING value";
const char* const kInsertPost =
    "INSERT INTO posts (id, module, parent_id, kind, body, author_id, author_name, author_role, created_at_ms, rev) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
const char* const kUpdatePost =
    "UPDATE posts SET body = CASE WHEN ?6 THEN '' ELSE COALESCE(?2, body) END, "
    "edited_at_ms = COALESCE(?3, edited_at_ms), pinned = COALESCE(?4, pinned), hidden = COALESCE(?5, hidden), "
    "deleted = CASE WHEN ?6 THEN 1 ELSE deleted END, rev = ?7 WHERE id = ?1";
const char* const kPostExists = "SELECT 1 FROM posts WHERE id = ?1";
const char* const kInsertEndorsement =
    "INSERT OR IGNORE INTO endorsements (post_id, user_id, trusted, created_at_ms) VALUES (?1, ?2, ?3, ?4)";
const char* const kCountEndorsement =
    "UPDATE posts SET endorsements = endorsements + ?2, trusted_endorsements = trusted_endorsements + ?3, rev = ?4 "
    "WHERE id = ?1";
const char* const kDeleteEndorsement =
    "DELETE FROM endorsements WHERE post_id = ?1 AND user_id = ?2 RETURNING trusted";
const char* const kInsertFlag =
    "INSERT OR IGNORE INTO flags (post_id, user_id, reason, created_at_ms) VALUES (?1, ?2, ?3, ?4)";
const char* const kResolveFlags =
    "UPDATE flags SET resolved_at_ms = ?2 WHERE post_id = ?1 AND resolved_at_ms IS NULL";

Post read_post(const Query& q) {
    Post p;
    p.id = q.text(0);
    p.module = q.text(1);
    if (!q.is_null(2)) p.parent_id = q.text(2);
    const auto kind = kind_from_string(q.text(3));
    const auto role = role_from_string(q.text(7));
    if (!kind || !role) throw StorageError("the database holds a post with an unknown kind or role: " + p.id);
    p.kind = *kind;
    p.body = q.text(4);
    p.author = Author{q.text(5), q.text(6), *role};
    p.created_at_ms = q.int64(8);
    if (!q.is_null(9)) p.edited_at_ms = q.int64(9);
    p.endorsements = q.int64(10);
    p.leader_endorsed = q.int64(11) > 0;
    p.pinned = q.boolean(12);
    p.hidden = q.boolean(13);
    p.deleted = q.boolean(14);
    p.rev = q.int64(15);
    p.endorsed_by_me = q.boolean(16);
    return p;
}

// -- [SECTION] The writers' queue ----------------------------------------------------------

// A mutex that admits writers in arrival order. std::mutex lets a thread that just unlocked take
// the lock again ahead of threads that have waited for long, which under load (32 connections
// writing at once) stretches the slowest requests' latency; each waiter here gets its own
// condition variable, so handing over wakes exactly one thread.
class FifoMutex {
public:
    void lock() {
        std::unique_lock guard(m_);
        if (!held_ && waiters_.empty()) {
            held_ = true;
            return;
        }
        Waiter me;
        waiters_.push_back(&me);
        me.cv.wait(guard, [&me] { return me.turn; });
    }
    void unlock() {
        std::lock_guard guard(m_);
        if (waiters_.empty()) {
            held_ = false;
            return;
        }
        Waiter* next = waiters_.front();
        waiters_.pop_front();
        next->turn = true;   // the lock passes straight to the next in line (held_ stays true)
        next->cv.notify_one();
    }

private:
    struct Waiter {
        std::condition_variable cv;
        bool turn = false;
    };
    std::mutex m_;
    bool held_ = false;
    std::deque<Waiter*> waiters_;
};

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
    int count_open_flags(const std::string& post_id) override;
    std::int64_t last_rev() override;
    std::int64_t insert_post(const NewPost& post) override;
    std::int64_t update_post(const PostUpdate& update) override;
    std::int64_t add_endorsement(const EndorsementChange& change) override;
    std::int64_t remove_endorsement(const EndorsementChange& change) override;
    bool add_flag(const NewFlag& flag) override;
    void resolve_flags(const std::string& post_id, std::int64_t at_ms) override;

private:
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
};

SqliteTransaction::SqliteTransaction(SqliteEngine& engine, Connection& conn, bool write,
                                     std::unique_lock<FifoMutex> lock)
    : engine_(engine), conn_(conn), write_(write), lock_(std::move(lock)) {
    try {
        conn_.exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
    } catch (...) {
        engine_.finished(conn_, write_, 0);
        throw;
    }
}

SqliteTransaction::~SqliteTransaction() {
    if (!open_) return;
    sqlite3_exec(conn_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    engine_.finished(conn_, write_, 0);
}

void SqliteTransaction::commit() {
    if (!open_) throw StorageError("the transaction is already finished");
    const std::vector<CommittedChange> changes =
        write_ && stamped_rev_ > 0 && engine_.observed() ? stamped_changes() : std::vector<CommittedChange>();
    conn_.exec("COMMIT");   // on failure the destructor rolls back
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
        FlaggedPostRow row{std::move(*post), count, {}};
        Query r = conn_.query(kFlagReasons);
        r.bind(1, id);
        while (r.next()) row.reasons.push_back(r.text(0));
        rows.push_back(std::move(row));
    }
    return rows;
}

ModuleStatsRow SqliteTransaction::module_stats(const ModuleStatsQuery& query) {
    ModuleStatsRow s;
    {
        Query q = conn_.query(kStatsTotals);
        q.bind(1, query.module);
        if (q.next()) {
            s.posts = q.int64(0);
            s.replies = q.int64(1);
            s.contributors = q.int64(2);
            s.endorsements = q.int64(3);
        }
    }
    std::vector<DayActivity> days;
    auto day = [&](std::int64_t start) -> DayActivity& {
        for (auto& d : days)
            if (d.day_start_ms == start) return d;
        days.push_back(DayActivity{start, 0, 0});
        return days.back();
    };
    {
        Query q = conn_.query(kStatsPostsPerDay);
        q.bind(1, query.module).bind(2, query.per_day_since_ms);
        while (q.next()) day(q.int64(0)).posts = q.int64(1);
    }
    {
        Query q = conn_.query(kStatsEndorsementsPerDay);
        q.bind(1, query.module).bind(2, query.per_day_since_ms);
        while (q.next()) day(q.int64(0)).endorsements = q.int64(1);
    }
    std::sort(days.begin(), days.end(),
              [](const DayActivity& a, const DayActivity& b) { return a.day_start_ms < b.day_start_ms; });
    s.per_day = std::move(days);
    return s;
}

int SqliteTransaction::count_open_flags(const std::string& post_id) {
    Query q = conn_.query(kOpenFlagCount);
    q.bind(1, post_id);
    return q.next() ? static_cast<int>(q.int64(0)) : 0;
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
    q.bind(10, rev).run();
    return rev;
}

std::int64_t SqliteTransaction::update_post(const PostUpdate& u) {
    require_write("update_post");
    {
        Query exists = conn_.query(kPostExists);
        exists.bind(1, u.id);
        if (!exists.next()) return 0;
    }
    const std::int64_t rev = next_rev();
    if (u.body || u.mark_deleted) removes_text_ = true;
    Query q = conn_.query(kUpdatePost);
    q.bind(1, u.id).bind(2, u.body).bind(3, u.edited_at_ms).bind(4, u.pinned).bind(5, u.hidden);
    q.bind(6, u.mark_deleted).bind(7, rev).run();
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
    q.bind(1, f.post_id).bind(2, f.user_id).bind(3, f.reason).bind(4, f.at_ms).run();
    return conn_.changes() > 0;
}

void SqliteTransaction::resolve_flags(const std::string& post_id, std::int64_t at_ms) {
    require_write("resolve_flags");
    Query q = conn_.query(kResolveFlags);
    q.bind(1, post_id).bind(2, at_ms).run();
}

}  // namespace

std::unique_ptr<StorageEngine> open_sqlite_engine(const SqliteOptions& options) {
    return std::make_unique<SqliteEngine>(options);
}

}  // namespace grove

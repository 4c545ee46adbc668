// PostgreSQL storage engine.
//
// Why the changes feed stays exact with many writers on many instances
// ---------------------------------------------------------------------
// Followers of the changes feed hold a cursor "every rev > N seen". If revs could become
// visible out of order, a follower could read rev 8, move its cursor past 7, and never see the
// post stamped 7 that committed a moment later. A PostgreSQL SEQUENCE does exactly that (nextval
// hands out numbers at call time, commits come in any order), so it is not used for revs.
// Instead:
//   - every write transaction starts by taking one transaction-scoped advisory lock for the
//     whole database (pg_advisory_xact_lock(kWriterLockKey)); it is released by COMMIT or
//     ROLLBACK, also when an instance dies (its connection closes);
//   - revs come from the row sequences('rev'), bumped inside the write transaction.
// So write transactions run one at a time across every instance, a rev is stamped only by the
// transaction holding the lock, and it is visible once that transaction commits, before the next
// writer can stamp a higher one: revs are unique, gapless (a rollback returns them) and visible
// in order, exactly as on SQLite. The service's read-then-write rules (idempotent creates and
// 409s, auto-hide at N flags, per-user limits counted in the database) hold across instances
// with no further locking, because every write transaction sees all earlier ones.
// The price is one writer at a time service-wide, each holding the lock for its few statements
// and its commit (one WAL flush). Alternatives kept possible behind this interface if that becomes
// the bottleneck: per-module locks (the feed is per module, so order within a module suffices;
// begin_write() would need the module) and a snapshot-horizon cursor (followers only get revs
// below the oldest write still in flight; costs per-row transaction bookkeeping).
// Within one process writers queue on a FIFO mutex in front of one writer connection, so a
// waiting writer costs no connection; readers use a pool of connections, each read transaction
// REPEATABLE READ (one snapshot). Writers that queue together share one outer transaction (one
// lock taken, one COMMIT and WAL flush, one NOTIFY), each as a SAVEPOINT, and each is answered
// only after that COMMIT (storage/commit_group.hpp): the lock is held once per group, not once
// per write, which is what limits a service-wide writer.
// The writer connection pipelines (libpq's pipeline mode, see Connection): statements whose
// answer nobody waits for (BEGIN and the lock, SAVEPOINT, RELEASE, NOTIFY) are queued and go out
// with the next one whose answer is needed, and a new post is one statement (kInsertPost) that
// also returns it, so a lone create costs 3 round trips and each further member of a group 2,
// all while the lock is held. The server runs them in the order sent, so the lock is still
// taken before anything of the group runs.
//
// Schema (version 2, the same data model as the SQLite engine's version 2; see sqlite_engine.cpp
// for what each table means). A fresh database gets version 2 in one step; later versions are
// migrations applied to both engines. Migrations run under the writer lock, so instances starting
// together migrate once. Text columns compare with COLLATE "C" (bytewise, like SQLite), so
// orderings do not depend on the database's locale.
//
// Live updates across instances. Every write transaction that stamped revs ends with one
// NOTIFY on kChannel, sent as part of its COMMIT (PostgreSQL delivers it only if, and once, the
// transaction commits, and in commit order): "first last" (the revs it stamped), then one line
// "module kind rev" per post it changed, or none when they would not fit a notification. Each
// instance keeps one more connection that LISTENs (listen_loop): a notification's posts go to the
// commit observer, the same path as this instance's own commits, so the event hub hears of every
// instance's writes. Since revs are gapless and committed in rev order, the listener knows what
// it has heard of: a notification whose first rev is not the next one means some were missed
// (a lost connection), and a re-check every second compares sequences('rev') with it, so a lost
// notification only delays an event. Missed revs are looked up in posts. A LISTEN connection the
// server closed is replaced, with a re-check. The listener also moves committed_rev(); caches keyed
// by it are still not used on this engine (sole_writer() is false): a notification can arrive
// after a client has seen its write acknowledged by another instance.
//
// The per-user write limit is a row per user in write_budgets (a token bucket, refilled
// continuously), taken in one INSERT ... ON CONFLICT DO UPDATE on a pooled connection outside
// any write transaction: the row lock makes concurrent writes of one user on several instances
// take turns, and no writer lock is needed.
//
// Index (search for "[SECTION] <name>"):
//   Migrations                 the schema, one entry per version
//   Connections and results    RAII for libpq handles, the per-connection statement cache
//   SQL                        every statement the engine runs
//   Transactions               the StorageTransaction and StorageEngine implementations
#include "storage/postgres_engine.hpp"

#include <libpq-fe.h>   // the PostgreSQL C client library

#include <algorithm>       // std::max
#include <atomic>          // std::atomic
#include <cmath>           // std::ceil
#include <condition_variable>   // std::condition_variable (the listener's stop)
#include <chrono>          // std::chrono::milliseconds
#include <cstdio>          // std::fprintf
#include <cstdlib>         // std::strtoll
#include <cstring>         // std::strcmp
#include <map>             // std::map
#include <optional>        // std::optional
#include <poll.h>          // poll: the LISTEN connection's socket
#include <unistd.h>        // getpid: names the LISTEN connection
#include <string_view>     // std::string_view
#include <mutex>           // std::mutex, std::unique_lock
#include <unordered_map>   // std::unordered_map
#include <thread>          // std::thread (the listener), std::this_thread::sleep_for
#include <utility>         // std::move

#include "grove/wire.hpp"               // Json, dump (module lists)
#include "storage/commit_group.hpp"
#include "storage/fifo_mutex.hpp"
#include "storage/row_decode.hpp"       // read_post, read_resource

namespace grove {

bool is_postgres_uri(const std::string& db) {
    return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

std::string postgres_uri_problem(const std::string& uri) {
    char* error = nullptr;
    PQconninfoOption* parsed = PQconninfoParse(uri.c_str(), &error);
    if (parsed) {
        PQconninfoFree(parsed);
        return {};
    }
    std::string why = error ? error : "out of memory";
    PQfreemem(error);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return why.empty() ? "not a valid connection string" : why;
}

std::string redact_postgres_uri(const std::string& uri) {
    // scheme://user:password@host...: the password ends at the last '@' before the path.
    const auto scheme = uri.find("://");
    if (scheme == std::string::npos) return uri.find("password") == std::string::npos ? uri : "(connection string)";
    const auto authority_end = uri.find_first_of("/?", scheme + 3);
    const auto at = uri.rfind('@', authority_end == std::string::npos ? uri.size() : authority_end);
    std::string out = uri;
    if (at != std::string::npos && at > scheme) {
        const auto colon = uri.find(':', scheme + 3);
        if (colon != std::string::npos && colon < at) out = uri.substr(0, colon + 1) + "***" + uri.substr(at);
    }
    const auto query_password = out.find("password=");
    if (query_password != std::string::npos) {
        const auto end = out.find('&', query_password);
        out = out.substr(0, query_password + 9) + "***" + (end == std::string::npos ? "" : out.substr(end));
    }
    return out;
}

namespace {

// Every write transaction starts with the service-wide writer lock (see the top); every read
// transaction reads one snapshot.
constexpr long long kWriterLockKey = 0x67726f7665LL;   // "grove" in ASCII: unlikely to clash with
                                                       // an application sharing the database
#define GROVE_WRITER_LOCK_KEY "444301538917"
static_assert(kWriterLockKey == 444301538917LL, "GROVE_WRITER_LOCK_KEY spells kWriterLockKey");
const char* const kBeginWrite = "BEGIN; SELECT pg_advisory_xact_lock(" GROVE_WRITER_LOCK_KEY ")";
const char* const kTakeWriterLock = "SELECT pg_advisory_xact_lock(" GROVE_WRITER_LOCK_KEY ")";
const char* const kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";

// -- [SECTION] Migrations ------------------------------------------------------------------

struct Migration {
    int version;
    const char* sql;
};

const Migration kMigrations[] = {
    {2, R"sql(
        CREATE TABLE sequences (name TEXT COLLATE "C" PRIMARY KEY, value BIGINT NOT NULL);
        INSERT INTO sequences (name, value) VALUES ('rev', 0);
        CREATE TABLE posts (
            id TEXT COLLATE "C" PRIMARY KEY,
            module TEXT COLLATE "C" NOT NULL,
            parent_id TEXT COLLATE "C",
            kind TEXT COLLATE "C" NOT NULL,
            body TEXT NOT NULL,
            author_id TEXT COLLATE "C" NOT NULL,
            author_name TEXT NOT NULL,
            author_role TEXT COLLATE "C" NOT NULL,
            created_at_ms BIGINT NOT NULL,
            edited_at_ms BIGINT,
            endorsements BIGINT NOT NULL DEFAULT 0,
            trusted_endorsements BIGINT NOT NULL DEFAULT 0,
            pinned BOOLEAN NOT NULL DEFAULT FALSE,
            hidden BOOLEAN NOT NULL DEFAULT FALSE,
            deleted BOOLEAN NOT NULL DEFAULT FALSE,
            rev BIGINT NOT NULL UNIQUE,
            check_in_at_ms BIGINT,
            outcome TEXT COLLATE "C",
            outcome_note TEXT NOT NULL DEFAULT '',
            outcome_at_ms BIGINT,
            check_ins BIGINT NOT NULL DEFAULT 0,
            hidden_by_flags BOOLEAN NOT NULL DEFAULT FALSE
        );
        CREATE INDEX posts_by_module_rev ON posts (module, rev);
        CREATE INDEX posts_by_kind_created ON posts (kind, created_at_ms);
        CREATE INDEX posts_by_created ON posts (created_at_ms);
        CREATE INDEX posts_due_check_ins ON posts (author_id, check_in_at_ms) WHERE check_in_at_ms IS NOT NULL;
        CREATE INDEX posts_by_outcome_at ON posts (outcome_at_ms) WHERE outcome_at_ms IS NOT NULL;
        CREATE TABLE endorsements (
            post_id TEXT COLLATE "C" NOT NULL REFERENCES posts (id),
            user_id TEXT COLLATE "C" NOT NULL,
            trusted BOOLEAN NOT NULL,
            created_at_ms BIGINT NOT NULL,
            PRIMARY KEY (post_id, user_id)
        );
        CREATE INDEX endorsements_by_created ON endorsements (created_at_ms);
        CREATE TABLE flags (
            post_id TEXT COLLATE "C" NOT NULL REFERENCES posts (id),
            user_id TEXT COLLATE "C" NOT NULL,
            reason TEXT NOT NULL,
            created_at_ms BIGINT NOT NULL,
            resolved_at_ms BIGINT,
            details TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (post_id, user_id)
        );
        CREATE INDEX flags_open ON flags (resolved_at_ms, post_id);
        CREATE TABLE modules (
            key TEXT COLLATE "C" PRIMARY KEY,
            title TEXT,
            posts BIGINT NOT NULL DEFAULT 0,
            replies BIGINT NOT NULL DEFAULT 0,
            contributors BIGINT NOT NULL DEFAULT 0
        );
        CREATE TABLE module_contributors (
            module TEXT COLLATE "C" NOT NULL,
            author_id TEXT COLLATE "C" NOT NULL,
            posts BIGINT NOT NULL,
            PRIMARY KEY (module, author_id)
        );
        CREATE TABLE resources (
            id TEXT COLLATE "C" PRIMARY KEY,
            module TEXT COLLATE "C" NOT NULL,
            title TEXT NOT NULL,
            url TEXT NOT NULL,
            note TEXT NOT NULL,
            added_by_id TEXT COLLATE "C" NOT NULL,
            added_by_name TEXT NOT NULL,
            added_by_role TEXT COLLATE "C" NOT NULL,
            created_at_ms BIGINT NOT NULL,
            position BIGINT NOT NULL,
            deleted BOOLEAN NOT NULL DEFAULT FALSE,
            rev BIGINT NOT NULL
        );
        CREATE INDEX resources_by_module ON resources (module, deleted, position);
        CREATE TABLE write_budgets (
            user_id TEXT COLLATE "C" PRIMARY KEY,
            tokens DOUBLE PRECISION NOT NULL,
            updated_ms BIGINT NOT NULL,
            allowed BOOLEAN NOT NULL
        );
    )sql"},
};

// -- [SECTION] Connections and results -----------------------------------------------------

// A failed result as a StorageError: the server's message and the kind callers act on
// (SQLSTATE 53100 disk_full; 25006 read_only_sql_transaction, e.g. a standby).
StorageError result_error(const PGresult* res, PGconn* conn, const std::string& what) {
    std::string message = what + ": ";
    const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    message += primary ? primary : (conn ? PQerrorMessage(conn) : "no connection");
    while (!message.empty() && message.back() == '\n') message.pop_back();
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    StorageError::Kind kind = StorageError::Kind::failed;
    if (state && std::strcmp(state, "53100") == 0) kind = StorageError::Kind::full;
    if (state && std::strcmp(state, "25006") == 0) kind = StorageError::Kind::read_only;
    if (state) message += std::string(" (SQLSTATE ") + state + ")";
    return StorageError(message, kind);
}

// The start of a statement, for messages.
std::string first_words(const char* sql) {
    std::string s(sql);
    s.erase(0, s.find_first_not_of(" \n\t"));
    return s.size() > 40 ? s.substr(0, 40) + "..." : s;
}

// A query's result; rows are read with row(i).
class Result {
public:
    explicit Result(PGresult* res) : res_(res) {}
    ~Result() { PQclear(res_); }
    Result(Result&& other) noexcept : res_(other.res_) { other.res_ = nullptr; }
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
    Result& operator=(Result&&) = delete;

    const PGresult* handle() const { return res_; }
    std::string command_status() const { return PQcmdStatus(res_); }
    int rows() const { return PQntuples(res_); }
    // Rows an INSERT, UPDATE or DELETE touched.
    int changes() const { return std::atoi(PQcmdTuples(res_)); }

    class Row {
    public:
        Row(const PGresult* res, int row) : res_(res), row_(row) {}
        bool is_null(int col) const { return PQgetisnull(res_, row_, col) != 0; }
        std::string text(int col) const {
            return std::string(PQgetvalue(res_, row_, col), static_cast<std::size_t>(PQgetlength(res_, row_, col)));
        }
        std::int64_t int64(int col) const {
            // Counts come as bigint, sums as numeric: both are plain decimal integers in text.
            return is_null(col) ? 0 : std::strtoll(PQgetvalue(res_, row_, col), nullptr, 10);
        }
        bool boolean(int col) const {
            const char* v = PQgetvalue(res_, row_, col);
            return v[0] == 't' || (v[0] >= '1' && v[0] <= '9');
        }

    private:
        const PGresult* res_;
        int row_;
    };
    Row row(int i) const { return Row(res_, i); }

private:
    PGresult* res_;
};

// Parameters of one statement, in text format ($1 is the first added).
class Params {
public:
    Params& add(const std::string& v) {
        values_.emplace_back(v);
        return *this;
    }
    Params& add(std::string_view v) { return add(std::string(v)); }
    Params& add(std::int64_t v) { return add(std::to_string(v)); }
    Params& add(int v) { return add(std::to_string(v)); }
    Params& add(bool v) { return add(std::string(v ? "t" : "f")); }
    Params& add_null() {
        values_.emplace_back(std::nullopt);
        return *this;
    }
    template <class T>
    Params& add(const std::optional<T>& v) { return v ? add(*v) : add_null(); }

    std::vector<const char*> pointers() const {
        std::vector<const char*> out;
        out.reserve(values_.size());
        for (const auto& v : values_) out.push_back(v ? v->c_str() : nullptr);
        return out;
    }
    int size() const { return static_cast<int>(values_.size()); }

private:
    std::vector<std::optional<std::string>> values_;
};

// A libpq connection. The writer's also pipelines (libpq's pipeline mode): send() queues a
// statement without waiting for its answer, and the next query() sends it along and reads every
// answer at once (one round trip for all of them), throwing the first failure among them.
class Connection {
public:
    Connection(const std::string& uri, int lock_timeout_ms) : uri_(uri), lock_timeout_ms_(lock_timeout_ms) { open(); }
    ~Connection() { PQfinish(conn_); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // A new session in place of this one (the server closed it): nothing of the old one is kept.
    void reopen() {
        PQfinish(conn_);
        conn_ = nullptr;
        statements_.clear();
        pending_.clear();
        open();
    }

    // Runs SQL without parameters (one or more statements); the last statement's rows. Sends
    // what is queued first.
    Result exec(const std::string& sql) {
        leave_pipeline();
        Result r(PQexec(conn_, sql.c_str()));
        check(r, "statement failed (" + first_words(sql.c_str()) + ")");
        return r;
    }

    // Prepared once per connection and kept (keyed by the SQL text's address: every SQL here is
    // a constant with static storage). Sends what is queued along with it.
    Result query(const char* sql, const Params& params = Params()) {
        if (PQpipelineStatus(conn_) != PQ_PIPELINE_OFF) {
            send(sql, params);
            return sync();
        }
        const std::string& name = prepared(sql, /*pipelined=*/false);
        const auto values = params.pointers();
        Result r(PQexecPrepared(conn_, name.c_str(), params.size(), values.data(), nullptr, nullptr, 0));
        check(r, "query failed (" + first_words(sql) + ")");
        return r;
    }

    // Queues a prepared statement (as query() runs it), answered with the next query() or exec().
    void send(const char* sql, const Params& params) {
        enter_pipeline();
        const std::string& name = prepared(sql, /*pipelined=*/true);
        const auto values = params.pointers();
        if (!PQsendQueryPrepared(conn_, name.c_str(), params.size(), values.data(), nullptr, nullptr, 0))
            throw StorageError("sending a query failed (" + first_words(sql) + "): " + PQerrorMessage(conn_));
        pending_.push_back(Pending{sql, "query failed (" + first_words(sql) + ")", false});
    }

    // Queues a statement without parameters that is not worth preparing (BEGIN, SAVEPOINT ...).
    void send(const std::string& sql) {
        enter_pipeline();
        if (!PQsendQueryParams(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0))
            throw StorageError("sending a statement failed (" + first_words(sql.c_str()) + "): " + PQerrorMessage(conn_));
        pending_.push_back(Pending{nullptr, "statement failed (" + first_words(sql.c_str()) + ")", false});
    }

    // Statements queued and not yet answered.
    bool queued() const { return !pending_.empty(); }

    // Whether the connection can take the next transaction (open, and not inside one).
    bool reusable() const { return connected() && PQtransactionStatus(conn_) == PQTRANS_IDLE; }
    bool connected() const { return PQstatus(conn_) == CONNECTION_OK; }
    void rollback_quietly() { exec_quietly("ROLLBACK"); }
    // Runs SQL, ignoring failures (of what was queued too).
    void exec_quietly(const char* sql) {
        try {
            leave_pipeline();
        } catch (const StorageError&) {
        }
        if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) PQclear(PQexec(conn_, sql));
    }
    PGconn* handle() const { return conn_; }

private:
    struct Pending {
        const char* sql;    // the statements_ key (nullptr: not prepared)
        std::string what;   // for the message when it fails
        bool is_prepare;    // PQsendPrepare of sql: forgotten if it fails
    };

    void open() {
        // dbname expands the URI; the keywords after it override what the URI says.
        const char* keys[] = {"dbname", "client_encoding", "fallback_application_name", nullptr};
        const char* values[] = {uri_.c_str(), "UTF8", "grove-server", nullptr};
        conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
            std::string why = conn_ ? PQerrorMessage(conn_) : "out of memory";
            while (!why.empty() && why.back() == '\n') why.pop_back();
            PQfinish(conn_);
            conn_ = nullptr;
            throw StorageError("cannot connect to the PostgreSQL database '" + redact_postgres_uri(uri_) + "': " + why);
        }
        exec("SET client_min_messages = warning");   // no NOTICEs ("already exists, skipping") on stderr
        exec("SET lock_timeout = " + std::to_string(lock_timeout_ms_));
        // A write transaction left open (a stalled instance) must not hold the writer lock forever.
        exec("SET idle_in_transaction_session_timeout = 60000");
    }

    // The statement's name on this connection, preparing it first if needed (in a pipeline: queued).
    const std::string& prepared(const char* sql, bool pipelined) {
        auto it = statements_.find(sql);
        if (it != statements_.end()) return it->second;
        const std::string name = "grove_" + std::to_string(next_statement_++);
        if (pipelined) {
            if (!PQsendPrepare(conn_, name.c_str(), sql, 0, nullptr))
                throw StorageError("preparing a statement failed (" + first_words(sql) + "): " + PQerrorMessage(conn_));
            pending_.push_back(Pending{sql, "preparing a statement failed (" + first_words(sql) + ")", true});
        } else {
            Result r(PQprepare(conn_, name.c_str(), sql, 0, nullptr));
            check(r, "preparing a statement failed (" + first_words(sql) + ")");
        }
        return statements_.emplace(sql, name).first->second;
    }

    void enter_pipeline() {
        if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && !PQenterPipelineMode(conn_))
            throw StorageError(std::string("entering pipeline mode failed: ") + PQerrorMessage(conn_));
    }

    // Sends what is queued and leaves pipeline mode (exec needs it off).
    void leave_pipeline() {
        if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) return;
        if (!pending_.empty()) sync();
        PQexitPipelineMode(conn_);
    }

public:
    // Ends the pipeline with a Sync and reads every queued statement's answer: the last one's
    // result, or the first failure thrown (the statements after a failure were skipped).
    Result sync() {
        std::vector<Pending> pending;
        pending.swap(pending_);
        std::optional<StorageError> failure;
        const bool sent = PQpipelineSync(conn_) == 1;
        if (!sent) failure = StorageError(std::string("sending to PostgreSQL failed: ") + PQerrorMessage(conn_));
        PGresult* last = nullptr;
        for (std::size_t i = 0; sent && i < pending.size(); ++i) {
            PGresult* got = nullptr;
            while (PGresult* r = PQgetResult(conn_)) {
                PQclear(got);
                got = r;
            }
            const auto status = got ? PQresultStatus(got) : PGRES_FATAL_ERROR;
            const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
            if (!ok && pending[i].is_prepare) statements_.erase(pending[i].sql);   // not prepared after all
            if (!ok && !failure) failure = result_error(got, conn_, pending[i].what);
            if (i + 1 == pending.size() && ok) last = got;
            else PQclear(got);
            if (!connected()) break;
        }
        // The Sync's own result ends the pipeline's answers (none follow it).
        while (sent && connected()) {
            PGresult* r = PQgetResult(conn_);
            if (!r) break;
            const bool done = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
            PQclear(r);
            if (done) break;
        }
        if (failure) {
            PQclear(last);
            throw *failure;
        }
        return Result(last);
    }

private:
    void check(const Result& r, const std::string& what) {
        const auto status = PQresultStatus(r.handle());
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
        throw result_error(r.handle(), conn_, what);
    }

    std::string uri_;
    int lock_timeout_ms_;
    PGconn* conn_ = nullptr;
    std::unordered_map<const char*, std::string> statements_;
    std::uint64_t next_statement_ = 0;
    std::vector<Pending> pending_;   // queued in the pipeline, not yet answered
};

// -- [SECTION] SQL ---------------------------------------------------------------------------
// The same statements as the SQLite engine's, in PostgreSQL's dialect: $n parameters (cast where
// PostgreSQL cannot infer the type), BOOLEAN columns, COUNT(*) FILTER for conditional counts.

#define GROVE_POST_COLUMNS                                                                           \
    "p.id, p.module, p.parent_id, p.kind, p.body, p.author_id, p.author_name, p.author_role, "      \
    "p.created_at_ms, p.edited_at_ms, p.endorsements, p.trusted_endorsements, p.pinned, p.hidden, " \
    "p.deleted, p.rev, "                                                                             \
    "EXISTS (SELECT 1 FROM endorsements e WHERE e.post_id = p.id AND e.user_id = $1), "             \
    "p.check_in_at_ms, p.outcome, p.outcome_note, p.outcome_at_ms, p.check_ins, "                   \
    "(SELECT m.title FROM modules m WHERE m.key = p.module) "

const char* const kFindPost = "SELECT " GROVE_POST_COLUMNS "FROM posts p WHERE p.id = $2";
const char* const kModulePosts = "SELECT " GROVE_POST_COLUMNS
                                 "FROM posts p WHERE p.module = $2 AND p.rev > $3 AND ($4::boolean OR NOT p.deleted) "
                                 "ORDER BY p.rev LIMIT $5";
const char* const kSpotlight = "SELECT " GROVE_POST_COLUMNS
                               "FROM posts p WHERE p.kind = $2 AND p.created_at_ms >= $3 AND NOT p.deleted "
                               "AND ($4::boolean OR NOT p.hidden) ORDER BY p.created_at_ms DESC, p.rev DESC LIMIT $5";
const char* const kFlagged =
    "SELECT f.post_id, COUNT(*) AS n, MAX(f.created_at_ms) AS latest FROM flags f JOIN posts p ON p.id = f.post_id "
    "WHERE f.resolved_at_ms IS NULL AND NOT p.deleted GROUP BY f.post_id ORDER BY n DESC, latest DESC LIMIT $1";
const char* const kFlagReports =
    "SELECT reason, details, created_at_ms FROM flags WHERE post_id = $1 AND resolved_at_ms IS NULL "
    "AND (reason <> '' OR details <> '') ORDER BY created_at_ms, user_id";
const char* const kPostModeration =
    "SELECT (SELECT COUNT(*) FROM flags f WHERE f.post_id = p.id AND f.resolved_at_ms IS NULL), p.hidden_by_flags "
    "FROM posts p WHERE p.id = $1";

#define GROVE_STATS_TOTALS                                                                              \
    "COUNT(*) FILTER (WHERE parent_id IS NULL), COUNT(*) FILTER (WHERE parent_id IS NOT NULL), "       \
    "COUNT(DISTINCT author_id), COALESCE(SUM(endorsements), 0), COUNT(*) FILTER (WHERE kind = 'commitment'), " \
    "COUNT(*) FILTER (WHERE kind = 'commitment' AND outcome = 'done'), "                                \
    "COUNT(*) FILTER (WHERE kind = 'commitment' AND outcome = 'partly') "
#define GROVE_DAY "(created_at_ms / 86400000) * 86400000"
#define GROVE_DAY_POSTS "COUNT(*), COUNT(DISTINCT author_id), COUNT(*) FILTER (WHERE kind = 'commitment') "
const char* const kStatsTotals = "SELECT " GROVE_STATS_TOTALS
                                 ", (SELECT title FROM modules WHERE key = $1) FROM posts WHERE module = $1 AND NOT deleted";
const char* const kStatsTotalsAll = "SELECT " GROVE_STATS_TOTALS "FROM posts WHERE NOT deleted";
const char* const kStatsTotalsByModule =
    "SELECT module, (SELECT m.title FROM modules m WHERE m.key = p.module), " GROVE_STATS_TOTALS
    "FROM posts p WHERE NOT deleted GROUP BY module ORDER BY module";
const char* const kStatsPostsPerDay = "SELECT " GROVE_DAY " AS day, " GROVE_DAY_POSTS
                                      "FROM posts WHERE module = $1 AND NOT deleted AND created_at_ms >= $2 GROUP BY day";
const char* const kStatsPostsPerDayAll =
    "SELECT " GROVE_DAY " AS day, " GROVE_DAY_POSTS "FROM posts WHERE NOT deleted AND created_at_ms >= $1 GROUP BY day";
const char* const kStatsPostsPerDayByModule =
    "SELECT module, " GROVE_DAY " AS day, " GROVE_DAY_POSTS
    "FROM posts WHERE NOT deleted AND created_at_ms >= $1 GROUP BY module, day";
const char* const kStatsEndorsementsPerDay =
    "SELECT (e.created_at_ms / 86400000) * 86400000 AS day, COUNT(*) FROM endorsements e "
    "JOIN posts p ON p.id = e.post_id WHERE p.module = $1 AND NOT p.deleted AND e.created_at_ms >= $2 GROUP BY day";
const char* const kStatsEndorsementsPerDayAll =
    "SELECT (e.created_at_ms / 86400000) * 86400000 AS day, COUNT(*) FROM endorsements e "
    "JOIN posts p ON p.id = e.post_id WHERE NOT p.deleted AND e.created_at_ms >= $1 GROUP BY day";
const char* const kStatsEndorsementsPerDayByModule =
    "SELECT p.module, (e.created_at_ms / 86400000) * 86400000 AS day, COUNT(*) FROM endorsements e "
    "JOIN posts p ON p.id = e.post_id WHERE NOT p.deleted AND e.created_at_ms >= $1 GROUP BY p.module, day";
const char* const kStampedPosts = "SELECT module, kind, rev FROM posts WHERE rev BETWEEN $1 AND $2 ORDER BY rev";
const char* const kNotify = "SELECT pg_notify('grove_changes', $1)";
const char* const kChannel = "grove_changes";
constexpr std::size_t kMaxNotifyPayload = 7000;   // PostgreSQL's limit is 8000 bytes
// The write limit's bucket for user $1: $2 writes a minute, now $3 (Unix ms).
#define GROVE_REFILLED "LEAST($2::float8, b.tokens + GREATEST(0, $3::bigint - b.updated_ms) * ($2::float8 / 60000))"
const char* const kAdmitWrite =
    "INSERT INTO write_budgets AS b (user_id, tokens, updated_ms, allowed) VALUES ($1, $2::float8 - 1, $3::bigint, TRUE) "
    "ON CONFLICT (user_id) DO UPDATE SET "
    "tokens = CASE WHEN " GROVE_REFILLED " >= 1 THEN " GROVE_REFILLED " - 1 ELSE " GROVE_REFILLED " END, "
    "allowed = " GROVE_REFILLED " >= 1, "
    "updated_ms = GREATEST(b.updated_ms, $3::bigint) "
    "RETURNING allowed, tokens";
#undef GROVE_REFILLED

const char* const kModuleCounts =
    "SELECT key, title, posts, replies, contributors FROM modules "
    "WHERE key IN (SELECT json_array_elements_text($1::json))";
const char* const kDueCheckIns = "SELECT " GROVE_POST_COLUMNS
                                 "FROM posts p WHERE p.author_id = $2 AND p.check_in_at_ms IS NOT NULL "
                                 "AND p.check_in_at_ms <= $3 AND p.kind = 'commitment' AND NOT p.deleted AND NOT p.hidden "
                                 "ORDER BY p.check_in_at_ms, p.created_at_ms, p.id LIMIT $4";
const char* const kTopPosts =
    "SELECT " GROVE_POST_COLUMNS
    "FROM (SELECT e.post_id AS id, SUM(CASE WHEN e.trusted THEN $4::bigint ELSE 1 END) AS score FROM endorsements e "
    "      WHERE e.created_at_ms >= $2 AND e.created_at_ms < $3 GROUP BY e.post_id) s "
    "JOIN posts p ON p.id = s.id WHERE NOT p.deleted AND NOT p.hidden "
    "ORDER BY s.score DESC, p.endorsements DESC, p.created_at_ms DESC, p.id LIMIT $5";
const char* const kCommitmentTotals =
    "SELECT (SELECT COUNT(*) FROM posts WHERE kind = 'commitment' AND created_at_ms >= $1 AND created_at_ms < $2 "
    "        AND NOT deleted AND NOT hidden), "
    "       (SELECT COUNT(*) FROM posts WHERE outcome_at_ms >= $1 AND outcome_at_ms < $2 AND outcome = 'done' "
    "        AND kind = 'commitment' AND NOT deleted AND NOT hidden), "
    "       (SELECT COUNT(*) FROM posts WHERE outcome_at_ms >= $1 AND outcome_at_ms < $2 AND outcome = 'partly' "
    "        AND kind = 'commitment' AND NOT deleted AND NOT hidden)";
const char* const kModuleActivity =
    "SELECT p.module, (SELECT m.title FROM modules m WHERE m.key = p.module), COUNT(*) AS n, "
    "COUNT(DISTINCT p.author_id) AS c FROM posts p "
    "WHERE p.created_at_ms >= $1 AND p.created_at_ms < $2 AND NOT p.deleted AND NOT p.hidden "
    "GROUP BY p.module ORDER BY n DESC, c DESC, p.module LIMIT $3";

#define GROVE_RESOURCE_COLUMNS \
    "id, module, title, url, note, added_by_id, added_by_name, added_by_role, created_at_ms, position, deleted, rev "
const char* const kFindResource = "SELECT " GROVE_RESOURCE_COLUMNS "FROM resources WHERE id = $1";
const char* const kModuleResources =
    "SELECT " GROVE_RESOURCE_COLUMNS "FROM resources WHERE module = $1 AND NOT deleted ORDER BY position, id";
const char* const kInsertResource =
    "INSERT INTO resources (id, module, title, url, note, added_by_id, added_by_name, added_by_role, created_at_ms, "
    "position, rev) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
const char* const kUpdateResource =
    "UPDATE resources SET title = COALESCE($2::text, title), url = COALESCE($3::text, url), "
    "note = COALESCE($4::text, note), position = COALESCE($5::bigint, position), deleted = deleted OR $6::boolean, "
    "rev = $7 WHERE id = $1";

const char* const kLastRev = "SELECT value FROM sequences WHERE name = 'rev'";
const char* const kNextRev = "UPDATE sequences SET value = value + 1 WHERE name = 'rev' RETURNING value";
// A new post in one statement (one round trip): the next rev, the post, its module's counts (the
// author's first post there makes them a contributor), and the post as find_post reads it
// (GROVE_POST_COLUMNS: nobody has endorsed a post that did not exist). Every part sees the same
// snapshot, so each row is changed once: modules by `m`, counting the contributor `c` returns.
const char* const kInsertPost =
    "WITH r AS (UPDATE sequences SET value = value + 1 WHERE name = 'rev' RETURNING value), "
    "c AS (INSERT INTO module_contributors AS mc (module, author_id, posts) VALUES ($2::text, $6::text, 1) "
    "      ON CONFLICT (module, author_id) DO UPDATE SET posts = mc.posts + 1 RETURNING posts), "
    "m AS (INSERT INTO modules AS m (key, posts, replies, contributors) "
    "      SELECT $2::text, CASE WHEN $3::text IS NULL THEN 1 ELSE 0 END, CASE WHEN $3::text IS NULL THEN 0 ELSE 1 END, "
    "             CASE WHEN c.posts = 1 THEN 1 ELSE 0 END FROM c "
    "      ON CONFLICT (key) DO UPDATE SET posts = m.posts + EXCLUDED.posts, replies = m.replies + EXCLUDED.replies, "
    "      contributors = m.contributors + EXCLUDED.contributors RETURNING m.title), "
    "p AS (INSERT INTO posts (id, module, parent_id, kind, body, author_id, author_name, author_role, created_at_ms, rev, "
    "      check_in_at_ms) SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, "
    "      $9::bigint, r.value, $10::bigint FROM r RETURNING *) "
    "SELECT p.id, p.module, p.parent_id, p.kind, p.body, p.author_id, p.author_name, p.author_role, p.created_at_ms, "
    "p.edited_at_ms, p.endorsements, p.trusted_endorsements, p.pinned, p.hidden, p.deleted, p.rev, FALSE, "
    "p.check_in_at_ms, p.outcome, p.outcome_note, p.outcome_at_ms, p.check_ins, (SELECT m.title FROM m) FROM p";
const char* const kUpdatePost =
    "UPDATE posts SET body = CASE WHEN $6::boolean THEN '' ELSE COALESCE($2::text, body) END, "
    "edited_at_ms = COALESCE($3::bigint, edited_at_ms), pinned = COALESCE($4::boolean, pinned), "
    "hidden = COALESCE($5::boolean, hidden), "
    "hidden_by_flags = CASE WHEN $5::boolean IS NULL THEN hidden_by_flags WHEN $5::boolean THEN $8::boolean ELSE FALSE END, "
    "outcome_note = CASE WHEN $6::boolean THEN '' ELSE outcome_note END, "
    "check_in_at_ms = CASE WHEN $6::boolean THEN NULL ELSE check_in_at_ms END, "
    "deleted = deleted OR $6::boolean, rev = $7 WHERE id = $1";
const char* const kPostVisibility =
    "SELECT module, author_id, parent_id IS NULL, hidden, deleted FROM posts WHERE id = $1";
const char* const kRecordOutcome =
    "UPDATE posts SET outcome = $2, outcome_note = $3, outcome_at_ms = $4, check_in_at_ms = $5, check_ins = $6, "
    "rev = $7 WHERE id = $1 AND NOT deleted";
const char* const kModuleCountsAdd =
    "INSERT INTO modules (key, posts, replies) VALUES ($1, $2::bigint, $3::bigint) "
    "ON CONFLICT (key) DO UPDATE SET posts = modules.posts + EXCLUDED.posts, replies = modules.replies + EXCLUDED.replies";
const char* const kContributorAdd =
    "INSERT INTO module_contributors (module, author_id, posts) VALUES ($1, $2, $3::bigint) "
    "ON CONFLICT (module, author_id) DO UPDATE SET posts = module_contributors.posts + EXCLUDED.posts RETURNING posts";
const char* const kContributorForget = "DELETE FROM module_contributors WHERE module = $1 AND author_id = $2 AND posts <= 0";
const char* const kModuleContributorsAdd = "UPDATE modules SET contributors = contributors + $2::bigint WHERE key = $1";
const char* const kSetModuleTitle =
    "INSERT INTO modules (key, title) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET title = EXCLUDED.title "
    "WHERE modules.title IS DISTINCT FROM EXCLUDED.title";
const char* const kInsertEndorsement =
    "INSERT INTO endorsements (post_id, user_id, trusted, created_at_ms) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
const char* const kCountEndorsement =
    "UPDATE posts SET endorsements = endorsements + $2::bigint, trusted_endorsements = trusted_endorsements + $3::bigint, "
    "rev = $4 WHERE id = $1";
const char* const kDeleteEndorsement = "DELETE FROM endorsements WHERE post_id = $1 AND user_id = $2 RETURNING trusted";
const char* const kInsertFlag =
    "INSERT INTO flags (post_id, user_id, reason, details, created_at_ms) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT DO NOTHING";
const char* const kResolveFlags = "UPDATE flags SET resolved_at_ms = $2 WHERE post_id = $1 AND resolved_at_ms IS NULL";
const char* const kCuratorOwnsHide = "UPDATE posts SET hidden_by_flags = FALSE WHERE id = $1 AND hidden_by_flags";

// -- [SECTION] Transactions ------------------------------------------------------------------

class PostgresEngine;

class PostgresTransaction final : public StorageTransaction {
public:
    // A write transaction holds the process's writer mutex (`lock`) and the writer connection.
    PostgresTransaction(PostgresEngine& engine, Connection& conn, bool write, std::unique_lock<FifoMutex> lock,
                        std::uint64_t group = 0, std::string savepoint = {});
    ~PostgresTransaction() override;

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
    void count_visible(const std::string& module, const std::string& author, bool top_level, int delta);
    void require_write(const char* what) {
        if (!write_) throw StorageError(std::string(what) + " needs a write transaction");
        inserted_.reset();   // what it changes may show in the post
    }
    // A statement on this transaction's connection (a write's: pipelined behind what is queued).
    Result run(const char* sql, const Params& params = Params());
    std::int64_t next_rev();
    std::vector<CommittedChange> stamped_changes();
    std::vector<Post> posts_of(const Result& r) const;

    PostgresEngine& engine_;
    Connection& conn_;
    bool write_;
    bool open_ = true;
    std::int64_t first_stamped_rev_ = 0;
    std::int64_t stamped_rev_ = 0;
    std::uint64_t group_ = 0;   // a write: the commit group it is a savepoint of
    std::string savepoint_;     // a write: its savepoint's name, one per write, so that rolling
                                // back to it can never reach an earlier member's work
    std::unique_lock<FifoMutex> lock_;
    // The post insert_post just stored, as find_post would read it, while nothing else changed.
    std::optional<Post> inserted_;
    // The posts stamped so far, while only insert_post stamped (else read back at commit).
    std::vector<CommittedChange> known_changes_;
    bool changes_known_ = true;
};

class PostgresEngine final : public StorageEngine {
public:
    explicit PostgresEngine(const PostgresOptions& options) : options_(options) {
        writer_ = connect();
        check_server(*writer_);
        migrate();
        Result r = writer_->query(kLastRev);
        committed_rev_ = r.rows() > 0 ? r.row(0).int64(0) : 0;
        heard_through_ = committed_rev_.load();
        listener_ = std::thread([this] { listen_loop(); });
    }

    ~PostgresEngine() override {
        {
            std::lock_guard lock(stop_mutex_);   // a pause() between its check and its wait hears it
            stopping_ = true;
        }
        stop_cv_.notify_all();
        listener_.join();
    }

    std::unique_ptr<StorageTransaction> begin_read() override {
        // A pooled connection the server closed meanwhile (a restart, pg_terminate_backend) only
        // shows when used: BEGIN fails, the connection is dropped, and the next one is tried.
        for (int attempt = 0;; ++attempt) {
            Connection& conn = take_reader(/*fresh=*/attempt >= 2);
            try {
                conn.exec(kBeginRead);
                return std::make_unique<PostgresTransaction>(*this, conn, false, std::unique_lock<FifoMutex>());
            } catch (const StorageError&) {
                const bool lost = !conn.connected();
                conn.rollback_quietly();
                release_reader(conn);
                if (!lost || attempt >= 2) throw;
            }
        }
    }

    std::unique_ptr<StorageTransaction> begin_write() override {
        std::unique_lock lock(writer_mutex_);
        std::uint64_t group = 0;
        std::string savepoint = "grove_write_" + std::to_string(++savepoints_);
        try {
            group = group_.open();
            writer_->send("SAVEPOINT " + savepoint);   // queued: sent with the write's first statement
        } catch (...) {
            group_.leave(lock, group, false);
            throw;
        }
        return std::make_unique<PostgresTransaction>(*this, *writer_, true, std::move(lock), group, std::move(savepoint));
    }
    CommitGroup& group() { return group_; }

    // With the writer's mutex held. The group's BEGIN is queued until its first statement: while
    // nothing of the group has been answered, a writer connection the server closed meanwhile
    // (a restart, pg_terminate_backend) is replaced and the group starts over, as nothing of it
    // happened.
    bool group_unanswered() const { return group_unanswered_; }
    void group_answered() { group_unanswered_ = false; }
    void restart_group(const std::string& savepoint) {
        writer_->reopen();
        writer_->send("BEGIN");
        writer_->send(kTakeWriterLock, Params());
        writer_->send("SAVEPOINT " + savepoint);
    }

    std::int64_t committed_rev() const override { return committed_rev_.load(std::memory_order_acquire); }
    std::string name() const override { return "postgresql"; }
    void set_commit_observer(CommitObserver observer) override {
        std::lock_guard lock(observer_mutex_);
        observer_ = std::move(observer);
    }
    bool sole_writer() const override { return false; }
    std::optional<WriteAdmission> admit_write(const std::string& user_id, std::int64_t now_ms, int per_minute) override;
    int test_delay_ms() const { return options_.test_delay_before_commit_ms; }

    // Changes that committed: this instance's own (with the writer mutex held), and every
    // instance's from the LISTEN connection, each source in commit order. Revs are committed in
    // rev order across instances, so the event hub may drop a rev it already passed.
    void deliver(const std::vector<CommittedChange>& changes, std::int64_t rev) {
        std::int64_t seen = committed_rev_.load(std::memory_order_relaxed);
        while (rev > seen && !committed_rev_.compare_exchange_weak(seen, rev, std::memory_order_release)) {
        }
        if (changes.empty()) return;
        std::lock_guard lock(observer_mutex_);
        if (!observer_) return;
        try {
            observer_(changes);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "grove-server: telling event streams about a commit failed: %s\n", e.what());
        }
    }

    // A read transaction ended: its connection goes back to the pool if it can be used again.
    void release_reader(Connection& conn) {
        std::lock_guard lock(readers_mutex_);
        for (auto it = readers_.begin(); it != readers_.end(); ++it) {
            if (it->get() != &conn) continue;
            if (conn.reusable()) idle_readers_.push_back(&conn);
            else readers_.erase(it);   // closed by the server, or stuck in a transaction
            return;
        }
    }

private:
    std::unique_ptr<Connection> connect() const {
        return std::make_unique<Connection>(options_.uri, options_.lock_timeout_ms);
    }

    void check_server(Connection& conn) const {
        if (PQserverVersion(conn.handle()) < 120000)
            throw StorageError("the PostgreSQL server is version " + std::to_string(PQserverVersion(conn.handle())) +
                               "; grove-server needs 12 or newer");
        Result enc = conn.exec("SHOW server_encoding");
        const std::string encoding = enc.rows() > 0 ? enc.row(0).text(0) : "";
        if (encoding != "UTF8")
            throw StorageError("the PostgreSQL database '" + redact_postgres_uri(options_.uri) + "' uses the encoding " +
                               encoding + "; grove-server needs UTF8 (CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0)");
    }

    // An idle pooled connection, or a new one (`fresh`, or when none is idle).
    Connection& take_reader(bool fresh) {
        std::unique_lock lock(readers_mutex_);
        if (!fresh && !idle_readers_.empty()) {
            Connection* c = idle_readers_.back();
            idle_readers_.pop_back();
            return *c;
        }
        lock.unlock();   // connecting takes a while: others may take and return connections meanwhile
        auto conn = connect();
        // Pooled connections read, and take write budgets (admit_write): a budget row lost with
        // a crash only forgets a few seconds of rate limiting, so its commit need not wait for
        // the WAL flush that every post's durable COMMIT waits for.
        conn->exec("SET synchronous_commit = off");
        lock.lock();
        readers_.push_back(std::move(conn));
        return *readers_.back();
    }

    void migrate() {
        writer_->exec(kBeginWrite);
        try {
            writer_->exec("CREATE TABLE IF NOT EXISTS schema_migrations "
                          "(version INTEGER PRIMARY KEY, applied_at_ms BIGINT NOT NULL)");
            Result v = writer_->exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
            const std::int64_t current = v.rows() > 0 ? v.row(0).int64(0) : 0;
            if (current > kPostgresSchemaVersion)
                throw StorageError("the PostgreSQL database '" + redact_postgres_uri(options_.uri) + "' has schema version " +
                                   std::to_string(current) + ", newer than this grove-server understands (" +
                                   std::to_string(kPostgresSchemaVersion) + "); use a newer grove-server");
            for (const Migration& m : kMigrations) {
                if (m.version <= current) continue;
                writer_->exec(m.sql);
                writer_->query("INSERT INTO schema_migrations (version, applied_at_ms) "
                               "VALUES ($1, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint)",
                               Params().add(m.version));
            }
            writer_->exec("COMMIT");
        } catch (...) {
            writer_->rollback_quietly();
            throw;
        }
    }

    // -- the LISTEN connection (see the top) --
    void listen_loop();
    // Posts stamped in (heard_through_, last], read on `conn`; then heard_through_ = last.
    void catch_up(Connection& conn, std::int64_t last);
    // A notification's payload: "first last" and lines "module kind rev".
    void heard(Connection& conn, const std::string& payload);
    // Waits up to `ms` unless the engine is closing; false when it is.
    bool pause(int ms) {
        std::unique_lock lock(stop_mutex_);
        return !stop_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_.load(); });
    }

    PostgresOptions options_;
    std::unique_ptr<Connection> writer_;
    FifoMutex writer_mutex_;
    std::uint64_t savepoints_ = 0;      // names each write's savepoint (writer's mutex)
    bool group_unanswered_ = false;     // see group_unanswered() (writer's mutex)
    std::mutex readers_mutex_;
    std::vector<std::unique_ptr<Connection>> readers_;
    std::vector<Connection*> idle_readers_;
    std::atomic<std::int64_t> committed_rev_{0};
    std::mutex observer_mutex_;
    CommitObserver observer_;
    std::int64_t heard_through_ = 0;   // the listener's: every rev up to it was delivered
    std::mutex stop_mutex_;
    std::condition_variable stop_cv_;
    std::atomic<bool> stopping_{false};
    std::thread listener_;

    // CommitGroup's SQL, with the writer's mutex held.
    class GroupPostgres final : public GroupSql {
    public:
        explicit GroupPostgres(PostgresEngine& engine) : engine_(engine) {}
        void begin_group() override {
            auto& writer = engine_.writer_;
            if (!writer) writer = engine_.connect();
            if (!writer->connected()) writer->reopen();
            if (writer->queued()) writer->rollback_quietly();   // left by a failure: start clean
            // Queued, sent with the first member's first statement (one round trip for both);
            // the lock's timeout, if it comes to that, fails that statement.
            writer->send("BEGIN");
            writer->send(kTakeWriterLock, Params());
            engine_.group_unanswered_ = true;
        }
        void commit_group(const GroupWork& work) override {
            Connection& conn = *engine_.writer_;
            try {
                if (work.last_rev > 0) {
                    // Sent by COMMIT, only if it succeeds: other instances' event streams (see the top).
                    std::string payload = std::to_string(work.first_rev) + ' ' + std::to_string(work.last_rev);
                    std::string lines;
                    for (const CommittedChange& c : work.changes)
                        lines += '\n' + c.module + ' ' + std::string(to_string(c.kind)) + ' ' + std::to_string(c.rev);
                    if (payload.size() + lines.size() <= kMaxNotifyPayload) payload += lines;
                    conn.send(kNotify, Params().add(payload));
                    if (engine_.test_delay_ms() > 0)
                        std::this_thread::sleep_for(std::chrono::milliseconds(engine_.test_delay_ms()));
                }
                // The last member's RELEASE, the NOTIFY and the COMMIT: one round trip.
                conn.send("COMMIT");
                Result done = conn.sync();
                engine_.group_unanswered_ = false;
                // COMMIT of a transaction in which a statement failed rolls back instead, without an error.
                if (done.command_status() != "COMMIT")
                    throw StorageError("the transaction was rolled back (a statement in it had failed)");
            } catch (const StorageError&) {
                abandon_group();
                throw;
            }
        }
        void abandon_group() noexcept override {
            if (engine_.writer_ && engine_.writer_->connected()) engine_.writer_->rollback_quietly();
        }
        void group_committed(const GroupWork& work) override {
            if (work.last_rev > 0) engine_.deliver(work.changes, work.last_rev);
        }

    private:
        PostgresEngine& engine_;
    };
    GroupPostgres group_sql_{*this};
    CommitGroup group_{writer_mutex_, group_sql_};
};

void PostgresEngine::listen_loop() {
    constexpr int kRecheckMs = 1000;
    std::unique_ptr<Connection> conn;
    auto last_check = std::chrono::steady_clock::now();
    bool complained = false;
    while (!stopping_) {
        try {
            if (!conn || !conn->connected()) {
                conn.reset();
                conn = connect();
                // A name per process, so an operator (or a test) can tell the listeners apart.
                conn->exec("SET application_name = 'grove-server listen " + std::to_string(getpid()) + "'");
                conn->exec(std::string("LISTEN ") + kChannel);
                Result r = conn->query(kLastRev);   // what committed while nobody listened
                catch_up(*conn, r.rows() > 0 ? r.row(0).int64(0) : 0);
                last_check = std::chrono::steady_clock::now();
                complained = false;
            }
            pollfd fd{PQsocket(conn->handle()), POLLIN, 0};
            if (fd.fd < 0) throw StorageError("the LISTEN connection has no socket");
            ::poll(&fd, 1, 200);   // short: a closing engine is noticed quickly
            if (stopping_) break;
            if (!PQconsumeInput(conn->handle())) throw StorageError(PQerrorMessage(conn->handle()));
            while (PGnotify* n = PQnotifies(conn->handle())) {
                const std::string payload = n->extra ? n->extra : "";
                PQfreemem(n);
                heard(*conn, payload);
            }
            if (std::chrono::steady_clock::now() - last_check >= std::chrono::milliseconds(kRecheckMs)) {
                Result r = conn->query(kLastRev);
                catch_up(*conn, r.rows() > 0 ? r.row(0).int64(0) : 0);
                last_check = std::chrono::steady_clock::now();
            }
        } catch (const std::exception& e) {
            if (!complained)
                std::fprintf(stderr, "grove-server: the PostgreSQL LISTEN connection failed (%s); reconnecting\n", e.what());
            complained = true;
            if (conn && !conn->connected()) conn.reset();
            if (!pause(conn ? 200 : 1000)) break;
        }
    }
}

void PostgresEngine::catch_up(Connection& conn, std::int64_t last) {
    if (last <= heard_through_) return;
    std::vector<CommittedChange> changes;
    Result r = conn.query(kStampedPosts, Params().add(heard_through_ + 1).add(last));
    for (int i = 0; i < r.rows(); ++i) {
        const auto row = r.row(i);
        const auto kind = kind_from_string(row.text(1));
        changes.push_back(CommittedChange{row.text(0), row.int64(2), kind ? *kind : Kind::insight});
    }
    heard_through_ = last;
    deliver(changes, last);
}

void PostgresEngine::heard(Connection& conn, const std::string& payload) {
    std::size_t line_end = payload.find('\n');
    const std::string head = payload.substr(0, line_end);
    char* end = nullptr;
    const std::int64_t first = std::strtoll(head.c_str(), &end, 10);
    const std::int64_t last = std::strtoll(end, nullptr, 10);
    if (first <= 0 || last < first) return;   // not ours
    if (first > heard_through_ + 1) catch_up(conn, first - 1);   // some notifications were missed
    if (last <= heard_through_) return;
    std::vector<CommittedChange> changes;
    bool listed = false;
    while (line_end != std::string::npos) {
        const std::size_t start = line_end + 1;
        line_end = payload.find('\n', start);
        const std::string line = payload.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
        const auto a = line.find(' ');
        const auto b = a == std::string::npos ? a : line.find(' ', a + 1);
        if (b == std::string::npos) continue;
        const auto kind = kind_from_string(line.substr(a + 1, b - a - 1));
        changes.push_back(CommittedChange{line.substr(0, a), std::strtoll(line.c_str() + b + 1, nullptr, 10),
                                          kind ? *kind : Kind::insight});
        listed = true;
    }
    if (!listed) {
        catch_up(conn, last);   // too many posts for one notification (or only resources changed)
        return;
    }
    heard_through_ = last;
    deliver(changes, last);
}

std::optional<StorageEngine::WriteAdmission> PostgresEngine::admit_write(const std::string& user_id, std::int64_t now_ms,
                                                                         int per_minute) {
    for (int attempt = 0;; ++attempt) {
        Connection& conn = take_reader(/*fresh=*/attempt >= 1);
        try {
            Result r = conn.query(kAdmitWrite, Params().add(user_id).add(per_minute).add(now_ms));
            release_reader(conn);
            WriteAdmission admission;
            admission.allowed = r.rows() > 0 && r.row(0).boolean(0);
            if (!admission.allowed) {
                const double tokens = r.rows() > 0 ? std::strtod(r.row(0).text(1).c_str(), nullptr) : 0;
                const double wait_ms = (1.0 - tokens) / (per_minute / 60000.0);
                admission.retry_after_s = std::max(1, static_cast<int>(std::ceil(wait_ms / 1000.0)));
            }
            return admission;
        } catch (const StorageError&) {
            const bool lost = !conn.connected();
            release_reader(conn);
            if (!lost || attempt >= 1) throw;
        }
    }
}

PostgresTransaction::PostgresTransaction(PostgresEngine& engine, Connection& conn, bool write,
                                         std::unique_lock<FifoMutex> lock, std::uint64_t group, std::string savepoint)
    : engine_(engine), conn_(conn), write_(write), group_(group), savepoint_(std::move(savepoint)), lock_(std::move(lock)) {}

Result PostgresTransaction::run(const char* sql, const Params& params) {
    if (!write_) return conn_.query(sql, params);
    const bool starts_group = engine_.group_unanswered();
    try {
        Result r = conn_.query(sql, params);
        engine_.group_answered();
        return r;
    } catch (const StorageError&) {
        if (!starts_group || conn_.connected()) throw;
        engine_.restart_group(savepoint_);   // see group_unanswered()
        Result r = conn_.query(sql, params);
        engine_.group_answered();
        return r;
    }
}

// The outer transaction of the group is still open (not ended by an error or a lost connection).
static bool in_transaction(Connection& conn) {
    return conn.connected() && PQtransactionStatus(conn.handle()) == PQTRANS_INTRANS;
}

PostgresTransaction::~PostgresTransaction() {
    if (!open_) return;
    if (!write_) {
        conn_.rollback_quietly();
        engine_.release_reader(conn_);
        return;
    }
    if (conn_.connected())
        conn_.exec_quietly(("ROLLBACK TO SAVEPOINT " + savepoint_ + "; RELEASE SAVEPOINT " + savepoint_).c_str());
    if (!in_transaction(conn_)) {
        engine_.group().lost(conn_.connected() ? "the savepoint could not be rolled back" : "the connection was lost");
        conn_.rollback_quietly();
    }
    try {
        engine_.group().leave(lock_, group_, false);
    } catch (...) {
    }
}

void PostgresTransaction::commit() {
    if (!open_) throw StorageError("the transaction is already finished");
    if (!write_) {
        Result done = conn_.exec("COMMIT");   // on failure the destructor rolls back
        open_ = false;
        engine_.release_reader(conn_);
        return;
    }
    std::vector<CommittedChange> changes;
    if (stamped_rev_ > 0) changes = changes_known_ ? std::move(known_changes_) : stamped_changes();
    // Queued: answered with the group's next statement (the next member's, or its COMMIT). If
    // it failed there, the savepoint is left in an aborted transaction, and that member's own
    // savepoint never came to be: rolling back to it fails, so the whole group is lost, this
    // write's work with it, and this member hears so (CommitGroup::leave).
    conn_.send("RELEASE SAVEPOINT " + savepoint_);   // on failure to send, the destructor rolls back
    open_ = false;
    engine_.group().join(changes, first_stamped_rev_, stamped_rev_, false);
    engine_.group().leave(lock_, group_, true);   // returns once the group's COMMIT is durable
}

std::vector<CommittedChange> PostgresTransaction::stamped_changes() {
    std::vector<CommittedChange> changes;
    Result r = run(kStampedPosts, Params().add(first_stamped_rev_).add(stamped_rev_));
    for (int i = 0; i < r.rows(); ++i) {
        const auto row = r.row(i);
        const auto kind = kind_from_string(row.text(1));
        changes.push_back(CommittedChange{row.text(0), row.int64(2), kind ? *kind : Kind::insight});
    }
    return changes;
}

std::vector<Post> PostgresTransaction::posts_of(const Result& r) const {
    std::vector<Post> posts;
    posts.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) posts.push_back(read_post(r.row(i)));
    return posts;
}

std::optional<Post> PostgresTransaction::find_post(const PostQuery& query) {
    if (inserted_ && inserted_->id == query.id) return *inserted_;   // the same for every viewer
    Result r = run(kFindPost, Params().add(query.viewer_id).add(query.id));
    if (r.rows() == 0) return std::nullopt;
    return read_post(r.row(0));
}

ModulePostsPage PostgresTransaction::list_module_posts(const ModulePostsQuery& query) {
    ModulePostsPage page;
    Result r = run(kModulePosts, Params()
                                             .add(query.viewer_id)
                                             .add(query.module)
                                             .add(query.after_rev)
                                             .add(query.include_deleted)
                                             .add(query.limit + 1));
    const int n = r.rows() > query.limit ? query.limit : r.rows();
    page.has_more = r.rows() > query.limit;
    page.posts.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) page.posts.push_back(read_post(r.row(i)));
    return page;
}

std::vector<Post> PostgresTransaction::list_spotlight(const SpotlightQuery& query) {
    return posts_of(run(kSpotlight, Params()
                                                .add(query.viewer_id)
                                                .add(to_string(query.kind))
                                                .add(query.created_since_ms)
                                                .add(query.include_hidden)
                                                .add(query.limit)));
}

std::vector<FlaggedPostRow> PostgresTransaction::list_flagged(const FlagQueueQuery& query) {
    std::vector<std::pair<std::string, int>> ids;
    {
        Result r = run(kFlagged, Params().add(query.limit));
        for (int i = 0; i < r.rows(); ++i) ids.emplace_back(r.row(i).text(0), static_cast<int>(r.row(i).int64(1)));
    }
    std::vector<FlaggedPostRow> rows;
    for (auto& [id, count] : ids) {
        auto post = find_post(PostQuery{id, query.viewer_id});
        if (!post) continue;
        FlaggedPostRow row{std::move(*post), count, {}, {}, post_moderation(PostModerationQuery{id}).hidden_by_flags};
        Result r = run(kFlagReports, Params().add(id));
        for (int i = 0; i < r.rows(); ++i) {
            const auto f = r.row(i);
            FlagReport report{f.text(0), f.text(1), f.int64(2)};
            if (!report.reason.empty()) row.reasons.push_back(report.reason);
            row.reports.push_back(std::move(report));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

void read_totals(const Result::Row& q, int first, ModuleStatsRow& s) {
    s.posts = q.int64(first);
    s.replies = q.int64(first + 1);
    s.contributors = q.int64(first + 2);
    s.endorsements = q.int64(first + 3);
    s.commitments = q.int64(first + 4);
    s.commitments_done = q.int64(first + 5);
    s.commitments_partly = q.int64(first + 6);
}

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

ModuleStatsRow PostgresTransaction::module_stats(const ModuleStatsQuery& query) {
    ModuleStatsRow s;
    s.module = query.module.value_or("");
    Params module_only, with_since;
    if (query.module) {
        module_only.add(*query.module);
        with_since.add(*query.module);
    }
    with_since.add(query.per_day_since_ms);
    {
        Result r = run(query.module ? kStatsTotals : kStatsTotalsAll, module_only);
        if (r.rows() > 0) {
            read_totals(r.row(0), 0, s);
            if (query.module && !r.row(0).is_null(7)) s.module_title = r.row(0).text(7);
        }
    }
    DayTable days;
    {
        Result r = run(query.module ? kStatsPostsPerDay : kStatsPostsPerDayAll, with_since);
        for (int i = 0; i < r.rows(); ++i) {
            const auto q = r.row(i);
            DayActivity& d = day_of(days, q.int64(0));
            d.posts = q.int64(1);
            d.contributors = q.int64(2);
            d.commitments = q.int64(3);
        }
    }
    {
        Result r = run(query.module ? kStatsEndorsementsPerDay : kStatsEndorsementsPerDayAll, with_since);
        for (int i = 0; i < r.rows(); ++i) day_of(days, r.row(i).int64(0)).endorsements = r.row(i).int64(1);
    }
    s.per_day = ascending(days);
    return s;
}

std::vector<ModuleStatsRow> PostgresTransaction::all_modules_stats(const AllModulesStatsQuery& query) {
    std::vector<ModuleStatsRow> rows;
    std::vector<DayTable> days;
    std::unordered_map<std::string, std::size_t> index;
    {
        Result r = run(kStatsTotalsByModule);
        for (int i = 0; i < r.rows(); ++i) {
            const auto q = r.row(i);
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
        Result r = run(kStatsPostsPerDayByModule, Params().add(query.per_day_since_ms));
        for (int i = 0; i < r.rows(); ++i) {
            const auto q = r.row(i);
            const auto it = index.find(q.text(0));
            if (it == index.end()) continue;
            DayActivity& d = day_of(days[it->second], q.int64(1));
            d.posts = q.int64(2);
            d.contributors = q.int64(3);
            d.commitments = q.int64(4);
        }
    }
    {
        Result r = run(kStatsEndorsementsPerDayByModule, Params().add(query.per_day_since_ms));
        for (int i = 0; i < r.rows(); ++i) {
            const auto q = r.row(i);
            const auto it = index.find(q.text(0));
            if (it != index.end()) day_of(days[it->second], q.int64(1)).endorsements = q.int64(2);
        }
    }
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].per_day = ascending(days[i]);
    return rows;
}

PostModeration PostgresTransaction::post_moderation(const PostModerationQuery& query) {
    Result r = run(kPostModeration, Params().add(query.post_id));
    if (r.rows() == 0) return PostModeration{};
    return PostModeration{static_cast<int>(r.row(0).int64(0)), r.row(0).boolean(1)};
}

std::vector<ModuleCountsRow> PostgresTransaction::module_counts(const ModuleCountsQuery& query) {
    std::vector<ModuleCountsRow> rows;
    if (query.modules.empty()) return rows;
    Result r = run(kModuleCounts, Params().add(dump(Json(query.modules))));
    for (int i = 0; i < r.rows(); ++i) {
        const auto q = r.row(i);
        ModuleCountsRow row;
        row.module = q.text(0);
        if (!q.is_null(1)) row.module_title = q.text(1);
        row.posts = q.int64(2);
        row.replies = q.int64(3);
        row.contributors = q.int64(4);
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<Post> PostgresTransaction::list_due_check_ins(const DueCheckInsQuery& query) {
    return posts_of(run(
        kDueCheckIns, Params().add(query.viewer_id).add(query.author_id).add(query.due_at_ms).add(query.limit)));
}

std::vector<Post> PostgresTransaction::list_top_posts(const TopPostsQuery& query) {
    return posts_of(run(kTopPosts, Params()
                                               .add(query.viewer_id)
                                               .add(query.since_ms)
                                               .add(query.until_ms)
                                               .add(query.trusted_weight)
                                               .add(query.limit)));
}

CommitmentTotals PostgresTransaction::commitment_totals(const CommitmentTotalsQuery& query) {
    Result r = run(kCommitmentTotals, Params().add(query.since_ms).add(query.until_ms));
    if (r.rows() == 0) return CommitmentTotals{};
    return CommitmentTotals{r.row(0).int64(0), r.row(0).int64(1), r.row(0).int64(2)};
}

std::vector<ModuleActivityRow> PostgresTransaction::module_activity(const ModuleActivityQuery& query) {
    std::vector<ModuleActivityRow> rows;
    Result r = run(kModuleActivity, Params().add(query.since_ms).add(query.until_ms).add(query.limit));
    for (int i = 0; i < r.rows(); ++i) {
        const auto q = r.row(i);
        ModuleActivityRow row;
        row.module = q.text(0);
        if (!q.is_null(1)) row.module_title = q.text(1);
        row.posts = q.int64(2);
        row.contributors = q.int64(3);
        rows.push_back(std::move(row));
    }
    return rows;
}

std::optional<Resource> PostgresTransaction::find_resource(const ResourceQuery& query) {
    Result r = run(kFindResource, Params().add(query.id));
    if (r.rows() == 0) return std::nullopt;
    return read_resource(r.row(0));
}

std::vector<Resource> PostgresTransaction::list_resources(const ModuleResourcesQuery& query) {
    std::vector<Resource> resources;
    Result r = run(kModuleResources, Params().add(query.module));
    for (int i = 0; i < r.rows(); ++i) resources.push_back(read_resource(r.row(i)));
    return resources;
}

std::int64_t PostgresTransaction::last_rev() {
    Result r = run(kLastRev);
    return r.rows() > 0 ? r.row(0).int64(0) : 0;
}

std::int64_t PostgresTransaction::next_rev() {
    Result r = run(kNextRev);
    if (r.rows() == 0) throw StorageError("the rev sequence is missing");
    stamped_rev_ = r.row(0).int64(0);
    if (first_stamped_rev_ == 0) first_stamped_rev_ = stamped_rev_;
    changes_known_ = false;   // what it stamps is read back at commit
    return stamped_rev_;
}

std::int64_t PostgresTransaction::insert_post(const NewPost& p) {
    require_write("insert_post");
    Result r = run(kInsertPost, Params()
                                    .add(p.id)
                                    .add(p.module)
                                    .add(p.parent_id)
                                    .add(to_string(p.kind))
                                    .add(p.body)
                                    .add(p.author.id)
                                    .add(p.author.name)
                                    .add(to_string(p.author.role))
                                    .add(p.created_at_ms)
                                    .add(p.check_in_at_ms));
    if (r.rows() == 0) throw StorageError("the rev sequence is missing");
    Post stored = read_post(r.row(0));
    stamped_rev_ = stored.rev;
    if (first_stamped_rev_ == 0) first_stamped_rev_ = stamped_rev_;
    known_changes_.push_back(CommittedChange{stored.module, stored.rev, stored.kind});
    inserted_ = std::move(stored);
    return stamped_rev_;
}

void PostgresTransaction::count_visible(const std::string& module, const std::string& author, bool top_level,
                                        int delta) {
    run(kModuleCountsAdd, Params().add(module).add(top_level ? delta : 0).add(top_level ? 0 : delta));
    Result r = run(kContributorAdd, Params().add(module).add(author).add(delta));
    if (r.rows() == 0) throw StorageError("counting a contributor failed");
    const std::int64_t now_visible = r.row(0).int64(0);
    // The author's first visible post here makes them a contributor; their last one ends it.
    if (delta > 0 && now_visible == 1) run(kModuleContributorsAdd, Params().add(module).add(1));
    if (delta < 0 && now_visible <= 0) {
        run(kModuleContributorsAdd, Params().add(module).add(-1));
        run(kContributorForget, Params().add(module).add(author));
    }
}

std::int64_t PostgresTransaction::update_post(const PostUpdate& u) {
    require_write("update_post");
    std::string module, author;
    bool top_level = false, was_hidden = false, was_deleted = false;
    {
        Result before = run(kPostVisibility, Params().add(u.id));
        if (before.rows() == 0) return 0;
        const auto b = before.row(0);
        module = b.text(0);
        author = b.text(1);
        top_level = b.boolean(2);
        was_hidden = b.boolean(3);
        was_deleted = b.boolean(4);
    }
    const std::int64_t rev = next_rev();
    run(kUpdatePost, Params()
                                 .add(u.id)
                                 .add(u.body)
                                 .add(u.edited_at_ms)
                                 .add(u.pinned)
                                 .add(u.hidden)
                                 .add(u.mark_deleted)
                                 .add(rev)
                                 .add(u.hidden_by_flags));
    const bool was_visible = !was_hidden && !was_deleted;
    const bool is_visible = !u.hidden.value_or(was_hidden) && !(was_deleted || u.mark_deleted);
    if (was_visible != is_visible) count_visible(module, author, top_level, is_visible ? +1 : -1);
    return rev;
}

std::int64_t PostgresTransaction::record_outcome(const OutcomeRecord& o) {
    require_write("record_outcome");
    {
        Result exists = run(kPostVisibility, Params().add(o.post_id));
        if (exists.rows() == 0 || exists.row(0).boolean(4)) return 0;
    }
    const std::int64_t rev = next_rev();
    run(kRecordOutcome, Params()
                                    .add(o.post_id)
                                    .add(to_string(o.outcome))
                                    .add(o.note)
                                    .add(o.at_ms)
                                    .add(o.next_check_in_at_ms)
                                    .add(o.check_ins)
                                    .add(rev));
    return rev;
}

std::int64_t PostgresTransaction::add_endorsement(const EndorsementChange& c) {
    require_write("add_endorsement");
    if (run(kInsertEndorsement, Params().add(c.post_id).add(c.user_id).add(c.trusted).add(c.at_ms)).changes() == 0)
        return 0;
    const std::int64_t rev = next_rev();
    run(kCountEndorsement, Params().add(c.post_id).add(1).add(c.trusted ? 1 : 0).add(rev));
    return rev;
}

std::int64_t PostgresTransaction::remove_endorsement(const EndorsementChange& c) {
    require_write("remove_endorsement");
    Result removed = run(kDeleteEndorsement, Params().add(c.post_id).add(c.user_id));
    if (removed.rows() == 0) return 0;
    const bool trusted = removed.row(0).boolean(0);
    const std::int64_t rev = next_rev();
    run(kCountEndorsement, Params().add(c.post_id).add(-1).add(trusted ? -1 : 0).add(rev));
    return rev;
}

bool PostgresTransaction::add_flag(const NewFlag& f) {
    require_write("add_flag");
    return run(kInsertFlag, Params().add(f.post_id).add(f.user_id).add(f.reason).add(f.details).add(f.at_ms))
               .changes() > 0;
}

int PostgresTransaction::resolve_flags(const FlagResolution& r) {
    require_write("resolve_flags");
    const int settled = run(kResolveFlags, Params().add(r.post_id).add(r.at_ms)).changes();
    if (r.curator_decides) run(kCuratorOwnsHide, Params().add(r.post_id));
    return settled;
}

std::int64_t PostgresTransaction::set_module_title(const ModuleTitleChange& c) {
    require_write("set_module_title");
    if (run(kSetModuleTitle, Params().add(c.module).add(c.title)).changes() == 0) return 0;
    return next_rev();   // posts read from now on carry the new title: caches keyed by rev must see it
}

std::int64_t PostgresTransaction::insert_resource(const NewResource& r) {
    require_write("insert_resource");
    const std::int64_t rev = next_rev();
    run(kInsertResource, Params()
                                     .add(r.id)
                                     .add(r.module)
                                     .add(r.title)
                                     .add(r.url)
                                     .add(r.note)
                                     .add(r.added_by.id)
                                     .add(r.added_by.name)
                                     .add(to_string(r.added_by.role))
                                     .add(r.created_at_ms)
                                     .add(r.position)
                                     .add(rev));
    return rev;
}

std::int64_t PostgresTransaction::update_resource(const ResourceUpdate& u) {
    require_write("update_resource");
    if (run(kFindResource, Params().add(u.id)).rows() == 0) return 0;
    const std::int64_t rev = next_rev();
    run(kUpdateResource, Params()
                                     .add(u.id)
                                     .add(u.title)
                                     .add(u.url)
                                     .add(u.note)
                                     .add(u.position)
                                     .add(u.mark_deleted)
                                     .add(rev));
    return rev;
}

}  // namespace

std::unique_ptr<StorageEngine> open_postgres_engine(const PostgresOptions& options) {
    return std::make_unique<PostgresEngine>(options);
}

}  // namespace grove

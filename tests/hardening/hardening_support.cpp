#include "hardening_support.hpp"

#include <signal.h>       // kill
#include <sqlite3.h>      // the audit reads the database file directly
#include <sys/mount.h>    // mount, umount2
#include <sched.h>        // unshare, CLONE_NEWNS, CLONE_NEWUSER
#include <sys/statvfs.h>  // statvfs: the flags of a mount
#include <unistd.h>       // geteuid, getegid

#include <cerrno>         // errno
#include <cstring>        // std::strerror
#include <fstream>        // std::ifstream
#include <sstream>        // std::istringstream
#include <thread>         // std::this_thread

namespace grove::test {

// -- processes -------------------------------------------------------------------------------

long rss_kib(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            std::istringstream s(line.substr(6));
            long kib = -1;
            s >> kib;
            return kib;
        }
    }
    return -1;
}

bool process_alive(int pid) {
    if (pid <= 0 || ::kill(pid, 0) != 0) return false;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    std::getline(in, stat);
    const auto paren = stat.rfind(')');
    return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] != 'Z';
}

void pause_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// -- Mount namespaces ------------------------------------------------------------------------

namespace {

bool write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    out.flush();
    return static_cast<bool>(out);
}

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

std::string enter_private_mounts() {
    static std::string result = [] {
        if (::unshare(CLONE_NEWNS) != 0) {
            if (errno != EPERM) return errno_text("unshare(CLONE_NEWNS) failed");
            // Not privileged: a user namespace of our own, where we may mount.
            const uid_t uid = ::geteuid();
            const gid_t gid = ::getegid();
            if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
                return errno_text("no privileges to mount, and an unprivileged user namespace was refused");
            if (!write_file("/proc/self/setgroups", "deny") ||
                !write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1\n") ||
                !write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1\n"))
                return errno_text("mapping our user into the new user namespace failed");
        }
        // Nothing mounted from here on propagates back to the machine's namespace.
        if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
            return errno_text("making the mount namespace private failed");
        return std::string();
    }();
    return result;
}

std::string bind_read_only(const std::string& dir, const std::string& view) {
    if (::mount(dir.c_str(), view.c_str(), nullptr, MS_BIND, nullptr) != 0) return errno_text("a bind mount failed");
    // A remount keeps the flags the kernel locked on the original mount (nosuid, nodev, ...):
    // in a user namespace, dropping one of them is refused.
    struct statvfs st {};
    unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;
    if (::statvfs(view.c_str(), &st) == 0) {
        if (st.f_flag & ST_NOSUID) flags |= MS_NOSUID;
        if (st.f_flag & ST_NODEV) flags |= MS_NODEV;
        if (st.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
        if (st.f_flag & ST_NOATIME) flags |= MS_NOATIME;
        if (st.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
        if (st.f_flag & ST_RELATIME) flags |= MS_RELATIME;
    }
    if (::mount(nullptr, view.c_str(), nullptr, flags, nullptr) != 0) {
        const std::string why = errno_text("remounting the bind mount read-only failed");
        ::umount2(view.c_str(), MNT_DETACH);
        return why;
    }
    return std::string();
}

// -- SmallDisk -------------------------------------------------------------------------------

SmallDisk::SmallDisk(const std::string& size) {
    dir_ = make_temp_dir();
    const std::string options = "size=" + size + ",mode=0700";
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0) {
        mounted_ = true;
    } else {
        why_not_ = std::string("mounting a tmpfs failed: ") + std::strerror(errno);
    }
}

SmallDisk::~SmallDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    remove_temp_dir(dir_);
}

bool SmallDisk::resize(const std::string& size) {
    const std::string options = "size=" + size + ",mode=0700";
    return mounted_ && ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | MS_NOSUID | MS_NODEV, options.c_str()) == 0;
}

// -- FileSizeLimitForChildren ----------------------------------------------------------------

FileSizeLimitForChildren::FileSizeLimitForChildren(rlim_t bytes) {
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved_) == 0);
    rlimit limited = saved_;
    limited.rlim_cur = bytes;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
}

FileSizeLimitForChildren::~FileSizeLimitForChildren() { ::setrlimit(RLIMIT_FSIZE, &saved_); }

// -- DatabaseAudit ---------------------------------------------------------------------------

namespace {

class Db {
public:
    explicit Db(const std::string& path) {
        // Read-write so a WAL left by a killed server is recovered, as the next server would.
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
            FAIL("cannot open " << path << ": " << sqlite3_errmsg(db_));
    }
    ~Db() { sqlite3_close(db_); }

    // Runs `sql` and calls row(stmt) for each row.
    template <class F>
    void each(const char* sql, F&& row) {
        sqlite3_stmt* stmt = nullptr;
        REQUIRE_MESSAGE(sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) == SQLITE_OK, sqlite3_errmsg(db_));
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) row(stmt);
        CHECK_MESSAGE(rc == SQLITE_DONE, sqlite3_errmsg(db_));
        sqlite3_finalize(stmt);
    }
    std::int64_t number(const char* sql) {
        std::int64_t v = -1;
        each(sql, [&](sqlite3_stmt* s) { v = sqlite3_column_int64(s, 0); });
        return v;
    }

private:
    sqlite3* db_ = nullptr;
};

std::string text(sqlite3_stmt* s, int col) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, col))) : std::string();
}

}  // namespace

DatabaseAudit audit_database(const std::string& db_path) {
    DatabaseAudit a;
    Db db(db_path);
    std::string integrity;
    db.each("PRAGMA integrity_check", [&](sqlite3_stmt* s) { integrity += (integrity.empty() ? "" : "; ") + text(s, 0); });
    a.integrity = integrity;
    db.each("PRAGMA foreign_key_check", [&](sqlite3_stmt* s) {
        a.problems.push_back("foreign key broken in table " + text(s, 0));
    });

    db.each("SELECT id, body, deleted, hidden FROM posts", [&](sqlite3_stmt* s) {
        const std::string id = text(s, 0);
        a.post_count[id]++;
        a.body[id] = text(s, 1);
        a.deleted[id] = sqlite3_column_int(s, 2) != 0;
        a.hidden[id] = sqlite3_column_int(s, 3) != 0;
        if (a.deleted[id] && !a.body[id].empty()) a.problems.push_back("deleted post " + id + " still has a body");
    });
    db.each("SELECT post_id, user_id FROM endorsements",
            [&](sqlite3_stmt* s) { a.endorsement[{text(s, 0), text(s, 1)}] = true; });
    db.each("SELECT p.id, p.endorsements, p.trusted_endorsements, "
            "(SELECT COUNT(*) FROM endorsements e WHERE e.post_id = p.id), "
            "(SELECT COUNT(*) FROM endorsements e WHERE e.post_id = p.id AND e.trusted) FROM posts p",
            [&](sqlite3_stmt* s) {
                if (sqlite3_column_int64(s, 1) != sqlite3_column_int64(s, 3) ||
                    sqlite3_column_int64(s, 2) != sqlite3_column_int64(s, 4))
                    a.problems.push_back("post " + text(s, 0) + " counts " + std::to_string(sqlite3_column_int64(s, 1)) +
                                         " endorsements but has " + std::to_string(sqlite3_column_int64(s, 3)));
            });
    const std::int64_t revs = db.number("SELECT COUNT(DISTINCT rev) FROM posts");
    const std::int64_t posts = db.number("SELECT COUNT(*) FROM posts");
    if (revs != posts) a.problems.push_back("two posts share a rev");
    const std::int64_t max_rev = db.number("SELECT COALESCE(MAX(rev), 0) FROM posts");
    const std::int64_t sequence = db.number("SELECT value FROM sequences WHERE name = 'rev'");
    if (max_rev > sequence)
        a.problems.push_back("a post has rev " + std::to_string(max_rev) + " beyond the sequence " + std::to_string(sequence));
    const std::int64_t orphans = db.number("SELECT COUNT(*) FROM flags f WHERE NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = f.post_id)");
    if (orphans != 0) a.problems.push_back(std::to_string(orphans) + " flags belong to no post");
    return a;
}

}  // namespace grove::test

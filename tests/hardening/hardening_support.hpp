// Helpers for the hardening tests (tests/hardening/): on top of the server tests' HttpApi (the
// real grove-server on a free loopback port, tests/server/http_test_support.hpp) they add what
// fault and attack tests need: the server's memory use, a small tmpfs to fill up, a file size
// limit for the server, and a look inside the database file after the server has stopped. Raw
// sockets that misbehave on purpose are tests/support/raw_socket.hpp, shared with tests/server/.
#pragma once

#include <sys/resource.h>   // rlim_t

#include <chrono>    // std::chrono
#include <cstdint>   // std::int64_t
#include <map>       // std::map
#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>    // std::vector

#include "http_test_support.hpp"

namespace grove::test {

// The resident memory of a process in KiB (VmRSS), or -1.
long rss_kib(int pid);
// Whether the process still runs (and is not a zombie).
bool process_alive(int pid);

// Moves this process (and the servers it starts from now on) into a mount namespace of its own,
// once: mounts made there never reach the machine's mount table. Root gets a private mount
// namespace; anyone else an unprivileged user namespace with one, where the kernel allows those
// (inside it the process is root for its own mounts only). Needs a single-threaded process.
// Returns an empty string on success, else why not (the caller then skips: test_skip.hpp).
std::string enter_private_mounts();

// A tmpfs of the given size mounted on a fresh temporary folder, for real "disk full" errors.
// Call enter_private_mounts() first; available() says whether mounting worked and, if not, why.
class SmallDisk {
public:
    explicit SmallDisk(const std::string& size);   // e.g. "2m"
    ~SmallDisk();
    bool available() const { return mounted_; }
    const std::string& why_not() const { return why_not_; }
    const std::string& path() const { return dir_; }
    // Grows (or shrinks) the filesystem in place: "frees disk space" without touching files.
    bool resize(const std::string& size);

private:
    std::string dir_;
    bool mounted_ = false;
    std::string why_not_;
};

// While alive, processes started by this test (grove-server) inherit a file size limit
// (RLIMIT_FSIZE, in bytes): writes past it fail with EFBIG, as on a full disk.
class FileSizeLimitForChildren {
public:
    explicit FileSizeLimitForChildren(rlim_t bytes);
    ~FileSizeLimitForChildren();

private:
    rlimit saved_{};
};

// Facts read from a database file after the server stopped (opened read-only, no WAL replay
// beyond what SQLite does on open).
struct DatabaseAudit {
    std::string integrity;                       // "ok" when PRAGMA integrity_check is clean
    std::map<std::string, int> post_count;       // id -> rows (always 1: id is the primary key)
    std::map<std::string, std::string> body;     // id -> body
    std::map<std::string, bool> deleted;         // id -> tombstone
    std::map<std::string, bool> hidden;
    std::map<std::pair<std::string, std::string>, bool> endorsement;   // (post, user) -> present
    std::vector<std::string> problems;           // broken invariants, each a sentence
};
// Checks integrity and Grove's own invariants: posts.endorsements and trusted_endorsements equal
// the endorsements rows, revs are unique and no higher than the rev sequence, deleted posts have
// empty bodies, every endorsement and flag belongs to a post.
DatabaseAudit audit_database(const std::string& db_path);

// A read-only view (bind mount) of `dir` on the empty folder `view`, as enter_private_mounts()
// allows; returns an empty string, or why it could not be made. umount2(view, MNT_DETACH) ends it.
std::string bind_read_only(const std::string& dir, const std::string& view);

// Sleeps, in a way that reads well in tests.
void pause_ms(int ms);

}  // namespace grove::test

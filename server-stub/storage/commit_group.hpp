// Group commit for the engines' single writer connection.
//
// A durable COMMIT waits for the disk (SQLite's fsync with --sqlite-sync full, PostgreSQL's WAL
// flush), and one such wait per write caps the rate at the flushes per second. So write
// transactions that queue for the writer while another runs share one outer transaction: each
// runs as a SAVEPOINT of it (its own rollback stays its own), and the last of the group, the one
// that finds nobody waiting for the writer (or the kMaxMembers-th), commits for all of them.
// Every member's commit() returns only after that COMMIT succeeded and throws if it failed, so no
// write is answered before it is durable; a lone writer commits at once. A transaction that only
// read inside an open group (an idempotent retry that found its post) waits for the group too,
// so that what it read is durable before its caller answers.
//
// The engine supplies the SQL (GroupSql) and runs each member's statements itself; the writer's
// mutex is held around open(), join() and lost(), and handed to leave().
#pragma once

#include <condition_variable>  // std::condition_variable
#include <cstdint>             // std::int64_t, std::uint64_t
#include <deque>               // std::deque
#include <mutex>               // std::mutex, std::unique_lock
#include <optional>            // std::optional
#include <string>              // std::string
#include <utility>             // std::move, std::pair
#include <vector>              // std::vector

#include "storage/fifo_mutex.hpp"
#include "storage/storage_engine.hpp"   // CommittedChange, StorageError

namespace grove {

// What the members of a group changed, for the engine's commit and its observers.
struct GroupWork {
    int members = 0;
    std::vector<CommittedChange> changes;
    std::int64_t first_rev = 0;   // the lowest rev any member stamped (0: none)
    std::int64_t last_rev = 0;    // the highest
    bool removes_text = false;    // a member deleted or replaced a post's text
};

// The engine's side, called with the writer's mutex held.
class GroupSql {
public:
    virtual ~GroupSql() = default;
    virtual void begin_group() = 0;                          // BEGIN ...; throws StorageError
    virtual void commit_group(const GroupWork& work) = 0;    // COMMIT; throws, leaving no transaction open
    virtual void abandon_group() noexcept = 0;               // ROLLBACK (an empty group)
    virtual void group_committed(const GroupWork& work) = 0; // after a durable COMMIT: observers
};

class CommitGroup {
public:
    static constexpr int kMaxMembers = 64;   // bounds the first member's wait

    CommitGroup(FifoMutex& writer, GroupSql& sql) : writer_(writer), sql_(sql) {}

    // Starts the outer transaction unless a group is open; returns the group's number.
    std::uint64_t open() {
        if (!open_) {
            sql_.begin_group();
            open_ = true;
            ++group_;
            work_ = GroupWork{};
        }
        return group_;
    }

    // A member's savepoint was released: its work commits with the group.
    void join(std::vector<CommittedChange> changes, std::int64_t first_rev, std::int64_t last_rev, bool removes_text) {
        ++work_.members;
        for (auto& c : changes) work_.changes.push_back(std::move(c));
        if (first_rev > 0 && (work_.first_rev == 0 || first_rev < work_.first_rev)) work_.first_rev = first_rev;
        if (last_rev > work_.last_rev) work_.last_rev = last_rev;
        work_.removes_text = work_.removes_text || removes_text;
    }

    // The database ended the outer transaction by itself (an error): every member's work is gone.
    void lost(const std::string& why) {
        if (!open_) return;
        open_ = false;
        finish(group_, StorageError("a grouped commit was rolled back: " + why));
    }

    // The member (or a write transaction that ends without committing) lets go of the writer.
    // With writers waiting, the group stays open for them and this thread waits for its COMMIT;
    // otherwise this thread commits the group now. A member learns whether the group became
    // durable (StorageError if not); a non-member only waits.
    void leave(std::unique_lock<FifoMutex>& lock, std::uint64_t group, bool member) {
        const bool mine = open_ && group == group_;
        const bool has_members = mine && work_.members > 0;
        if (mine && (work_.members >= kMaxMembers || !writer_.contended())) commit();
        if (lock.owns_lock()) lock.unlock();
        if (!has_members) return;
        std::unique_lock done(done_mutex_);
        done_cv_.wait(done, [&] { return done_group_ >= group; });
        if (!member) return;
        for (const auto& [id, error] : failed_)
            if (id == group) throw error;
    }

private:
    // With the writer's mutex held: COMMIT the open group (or roll back an empty one).
    void commit() {
        open_ = false;
        if (work_.members == 0) {
            sql_.abandon_group();
            finish(group_, std::nullopt);
            return;
        }
        try {
            sql_.commit_group(work_);
        } catch (const StorageError& e) {
            finish(group_, e);
            return;
        }
        sql_.group_committed(work_);
        finish(group_, std::nullopt);
    }

    void finish(std::uint64_t group, std::optional<StorageError> error) {
        {
            std::lock_guard done(done_mutex_);
            if (error) {
                failed_.emplace_back(group, std::move(*error));
                if (failed_.size() > 64) failed_.pop_front();
            }
            done_group_ = group;
        }
        done_cv_.notify_all();
    }

    FifoMutex& writer_;
    GroupSql& sql_;
    // The open group (guarded by the writer's mutex).
    bool open_ = false;
    std::uint64_t group_ = 0;
    GroupWork work_;
    // Groups that ended (guarded by done_mutex_): every group up to done_group_ has ended, and
    // those whose COMMIT failed are in failed_ (the latest 64).
    std::mutex done_mutex_;
    std::condition_variable done_cv_;
    std::uint64_t done_group_ = 0;
    std::deque<std::pair<std::uint64_t, StorageError>> failed_;
};

}  // namespace grove

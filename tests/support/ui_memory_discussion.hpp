// An in-memory grove::Discussion for the widget's view tests and benchmark only: posts, spotlight,
// flags and sync status are set by the test; writes follow the same rules as the real client
// (shared validation, roles) and are recorded so tests can assert what the UI asked for.
// The product uses the sync engine's implementation (web_discussion); nothing here ships.
#pragma once

#include <cstdint>      // std::int64_t
#include <functional>   // std::function
#include <set>          // std::set
#include <string>       // std::string
#include <vector>       // std::vector

#include "grove/client/discussion.hpp"

namespace grove::testing {

class MemoryDiscussion : public Discussion {
public:
    explicit MemoryDiscussion(std::string module = "fire-safety-101");

    // ---- set up by the test ----
    void sign_in(std::string id, std::string name, Role role);
    ShownPost& add(Post post, LocalState state = LocalState::synced);
    // A post by someone else, `age_ms` old, with sensible defaults.
    Post make(std::string id, std::string author, std::string body, std::int64_t age_ms = 60'000) const;
    void set_spotlight(std::vector<Post> posts);
    void set_flags(std::vector<FlagEntry> flags);
    void set_status(SyncStatus s);
    void fail(const std::string& id, std::string message);   // the server refused the last write
    std::int64_t now_ms = 1'795'000'000'000;                  // the clock writes use
    std::vector<std::string> calls;                           // "endorse p1 on", "create question ..."
    ShownPost* find(const std::string& id);
    void touch() { ++revision_; }
    // A signed-in learner and `n` posts of three lengths by 37 people, a reply to every tenth:
    // the thread the virtualization tests and the frame benchmark scroll through.
    void fill_sample(int n);

    // ---- Discussion ----
    const std::string& module() const override { return module_; }
    const Identity& me() const override { return me_; }
    const std::vector<ShownPost>& posts() const override { return posts_; }
    const std::vector<Post>& spotlight() const override { return spotlight_; }
    const std::vector<FlagEntry>& flags() const override { return flags_; }
    SyncStatus status() const override { return status_; }
    std::uint64_t revision() const override { return revision_; }
    const std::string& draft() const override { return draft_; }
    void set_draft(std::string text) override;
    Expected<Post> create(Kind kind, std::string body, std::optional<std::string> parent_id) override;
    std::optional<ApiError> edit(const std::string& id, std::string body) override;
    std::optional<ApiError> remove(const std::string& id) override;
    std::optional<ApiError> endorse(const std::string& id, bool endorsed) override;
    std::optional<ApiError> flag(const std::string& id, std::string reason, std::string details = {}) override;
    // A flag stays undoable until the test calls send_held_flags(); undo records "unflag <id>".
    bool flag_undoable(const std::string& id) const override { return held_flags_.count(id) > 0; }
    bool undo_flag(const std::string& id) override;
    void send_held_flags() {
        held_flags_.clear();
        ++revision_;
    }
    std::optional<ApiError> pin(const std::string& id, bool pinned) override;
    std::optional<ApiError> hide(const std::string& id, bool hidden) override;
    std::optional<ApiError> keep_visible(const std::string& id) override;
    void retry(std::uint64_t write) override;
    void discard(std::uint64_t write) override;
    void refresh_flags() override;
    const std::vector<Post>& check_ins() const override { return check_ins_; }
    // Records "answer <id> <done|partly|not_yet> <note>"; the same rules as the sync engine.
    std::optional<ApiError> answer_check_in(const std::string& id, Outcome outcome, std::string note) override;
    void set_check_ins(std::vector<Post> due);
    const std::vector<Resource>& resources() const override { return resources_; }
    void set_resources(std::vector<Resource> shelf) {
        resources_ = std::move(shelf);
        ++revision_;
    }
    // Record "add_resource <title> | <url> | <note>", "move_resource <id> <n>", "remove_resource <id>".
    Expected<Resource> add_resource(std::string title, std::string url, std::string note) override;
    std::optional<ApiError> edit_resource(const std::string& id, std::string title, std::string url,
                                          std::string note) override;   // "edit_resource <id> <title> | <url> | <note>"
    std::optional<ApiError> move_resource(const std::string& id, std::int64_t position) override;
    std::optional<ApiError> remove_resource(const std::string& id) override;

private:
    std::string module_;
    Identity me_;
    std::vector<ShownPost> posts_;
    std::vector<Post> spotlight_;
    std::vector<FlagEntry> flags_;
    std::set<std::string> held_flags_;
    std::vector<Post> check_ins_;
    std::vector<Resource> resources_;
    SyncStatus status_;
    std::uint64_t revision_ = 1;
    std::string draft_;
    int next_id_ = 1;
    std::uint64_t next_write_ = 1;
};

}  // namespace grove::testing

// DiscussionService: the rules of Grove's discussions, above the storage engine.
//
// Who may do what (roles), idempotent writes (a retried create returns the stored post, repeated
// endorsements and flags change nothing), conflicts (a post id used by someone else or in another
// module), replies one level deep, own-post endorsements, auto-hide after N distinct flags until a
// curator decides (meanwhile no author edits, replies or endorsements but by curators and
// admins), and what each reader may see (hidden bodies for curators and admins only,
// endorsed_by_me per reader, tombstones in the changes feed); commitments and their check-ins,
// the modules' resource shelves, module titles, counts and digests. Each call is one
// transaction, so a refused write leaves nothing behind (not even the module_title it carried).
// Routes use this service, never the naked engine.
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::int64_t
#include <functional>   // std::function
#include <optional>     // std::optional
#include <string>       // std::string
#include <vector>       // std::vector

#include "auth/caller.hpp"
#include "grove/expected.hpp"
#include "grove/wire.hpp"
#include "storage/storage_engine.hpp"

namespace grove {

using UnixMsClock = std::function<std::int64_t()>;   // Unix ms; tests inject their own

struct DiscussionRules {
    std::size_t max_body_code_points = kDefaultMaxBodyCodePoints;
    int auto_hide_flags = 3;          // distinct open flags that hide a post; 0: never
    int check_in_days = 7;            // a commitment's author is asked this long after posting/answering
};

struct FeedRequest {
    std::string module;
    std::optional<std::string> since;  // a cursor from an earlier answer
    int limit = 200;                   // 1..1000
};

struct FeedAnswer {
    std::vector<Post> posts;
    std::string cursor;
    bool has_more = false;
    std::int64_t snapshot_rev = 0;     // the last rev the answer reflects (for caches)
};

struct CreateAnswer {
    Post post;
    bool created = false;              // false: an idempotent retry of an earlier create
};

struct EndorsementAnswer {
    std::int64_t endorsements = 0;
    bool endorsed_by_me = false;
};

struct StatsAnswer {
    ModuleStatsRow totals;             // per_day filled with every day of the range
};

struct AllStatsAnswer {
    std::int64_t first_day_ms = 0;     // UTC midnight of the first day reported
    std::int64_t last_day_ms = 0;      // ... and of the last (today)
    ModuleStatsRow all;                // every module together
    std::vector<ModuleStatsRow> modules;   // by module key; per_day filled like StatsAnswer
};

struct DigestAnswer {
    std::int64_t from_ms = 0;
    std::int64_t to_ms = 0;
    std::vector<Post> leader_learnings;    // newest first
    std::vector<Post> top_posts;           // at most 10, highest endorsement score first
    CommitmentTotals commitments;
    std::vector<ModuleActivityRow> modules;   // most active first
};

struct ResourceAnswer {
    Resource resource;
    bool created = false;              // false: an idempotent retry of an earlier create
};

constexpr int kDefaultFeedLimit = 200;
constexpr int kMaxFeedLimit = 1000;
constexpr int kMaxSpotlightDays = 365;
constexpr int kDefaultStatsDays = 30;
constexpr int kMaxDigestDays = 31;
constexpr std::size_t kMaxCountModules = 100;
constexpr std::size_t kMaxResourcesPerModule = 100;
constexpr std::int64_t kMaxCheckIns = 3;     // answers after which a commitment is not asked about again
constexpr int kTrustedEndorsementWeight = 3; // a leader's or curator's endorsement in a digest's ranking

class DiscussionService {
public:
    DiscussionService(StorageEngine& storage, DiscussionRules rules, UnixMsClock clock);

    Expected<FeedAnswer> feed(const Caller& caller, const FeedRequest& request);
    Expected<Post> get_post(const Caller& caller, const std::string& id);
    Expected<CreateAnswer> create_post(const Caller& caller, const std::string& module, CreatePostRequest request);
    Expected<Post> patch_post(const Caller& caller, const std::string& id, const PatchPostRequest& request);
    // `module_title`, on writes whose request has no struct: the title the write carried, if any.
    Expected<Post> delete_post(const Caller& caller, const std::string& id,
                               const std::optional<std::string>& module_title = {});   // the tombstone
    Expected<EndorsementAnswer> set_endorsement(const Caller& caller, const std::string& id, bool endorsed,
                                                const std::optional<std::string>& module_title = {});
    Expected<bool> flag_post(const Caller& caller, const std::string& id, const FlagRequest& request);  // true: new flag
    Expected<std::vector<FlaggedPostRow>> flag_queue(const Caller& caller);
    Expected<std::vector<Post>> spotlight(const Caller& caller, int days);
    Expected<StatsAnswer> module_stats(const Caller& caller, const std::string& module, int days);

    // Moderation additions: every open flag of the post settled; a post the flags hid is shown again.
    Expected<Post> dismiss_flags(const Caller& caller, const std::string& id,
                                 const std::optional<std::string>& module_title = {});

    // Commitments: the author's answer to a check-in, and the caller's due check-ins.
    Expected<Post> record_outcome(const Caller& caller, const std::string& id, const OutcomeRequest& request);
    Expected<std::vector<Post>> due_check_ins(const Caller& caller);

    // Counts (visible posts) for 1..100 module keys; unknown modules count 0.
    Expected<std::vector<ModuleCountsRow>> counts(const Caller& caller, const std::vector<std::string>& modules);
    Expected<DigestAnswer> digest(const Caller& caller, int days);
    Expected<AllStatsAnswer> all_stats(const Caller& caller, int days);

    // The module's resource shelf.
    Expected<std::vector<Resource>> resources(const Caller& caller, const std::string& module);
    Expected<ResourceAnswer> create_resource(const Caller& caller, const std::string& module,
                                             CreateResourceRequest request);
    Expected<Resource> patch_resource(const Caller& caller, const std::string& id, const PatchResourceRequest& request);
    Expected<Resource> delete_resource(const Caller& caller, const std::string& id,
                                       const std::optional<std::string>& module_title = {});

    // The post as this caller may see it (hidden bodies only for curators and admins).
    static Post shown_to(const Caller& caller, Post post);
    std::int64_t committed_rev() const { return storage_.committed_rev(); }
    bool sole_writer() const { return storage_.sole_writer(); }
    std::int64_t now_ms() const { return clock_(); }
    const DiscussionRules& rules() const { return rules_; }

private:
    StorageEngine& storage_;
    DiscussionRules rules_;
    UnixMsClock clock_;
};

}  // namespace grove

// DiscussionService: the rules of Grove's discussions, above the storage engine.
//
// Who may do what (roles), idempotent writes (a retried create returns the stored post, repeated
// endorsements and flags change nothing), conflicts (a post id used by someone else or in another
// module), replies one level deep, own-post endorsements, auto-hide after N distinct flags until a
// curator decides (meanwhile no author edits, replies or endorsements but by curators and
// admins), and what each reader may see (hidden bodies for curators and admins only,
// endorsed_by_me per reader, tombstones in the changes feed). Each call is one transaction.
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

constexpr int kDefaultFeedLimit = 200;
constexpr int kMaxFeedLimit = 1000;
constexpr int kMaxSpotlightDays = 365;
constexpr int kDefaultStatsDays = 30;

class DiscussionService {
public:
    DiscussionService(StorageEngine& storage, DiscussionRules rules, UnixMsClock clock);

    Expected<FeedAnswer> feed(const Caller& caller, const FeedRequest& request);
    Expected<Post> get_post(const Caller& caller, const std::string& id);
    Expected<CreateAnswer> create_post(const Caller& caller, const std::string& module, CreatePostRequest request);
    Expected<Post> patch_post(const Caller& caller, const std::string& id, const PatchPostRequest& request);
    Expected<Post> delete_post(const Caller& caller, const std::string& id);   // the tombstone
    Expected<EndorsementAnswer> set_endorsement(const Caller& caller, const std::string& id, bool endorsed);
    Expected<bool> flag_post(const Caller& caller, const std::string& id, const FlagRequest& request);  // true: new flag
    Expected<std::vector<FlaggedPostRow>> flag_queue(const Caller& caller);
    Expected<std::vector<Post>> spotlight(const Caller& caller, int days);
    Expected<StatsAnswer> module_stats(const Caller& caller, const std::string& module, int days);

    // The post as this caller may see it (hidden bodies only for curators and admins).
    static Post shown_to(const Caller& caller, Post post);
    std::int64_t committed_rev() const { return storage_.committed_rev(); }
    std::int64_t now_ms() const { return clock_(); }
    const DiscussionRules& rules() const { return rules_; }

private:
    StorageEngine& storage_;
    DiscussionRules rules_;
    UnixMsClock clock_;
};

}  // namespace grove

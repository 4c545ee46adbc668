// The domain: who writes (roles), what they write (kinds, posts), and what each role may do.
#pragma once

#include <cstdint>    // std::int64_t
#include <optional>   // std::optional
#include <vector>     // std::vector
#include <string>     // std::string
#include <string_view>

namespace grove {

constexpr std::size_t kDefaultMaxBodyCodePoints = 500;

enum class Role { learner, curator, leader, admin };
enum class Kind { insight, question, tip, leader_learning, resource, commitment };
// How a commitment went, as its author answered a check-in.
enum class Outcome { done, partly, not_yet };

std::string_view to_string(Role role);
std::string_view to_string(Kind kind);
std::string_view to_string(Outcome outcome);
std::optional<Role> role_from_string(std::string_view text);
std::optional<Kind> kind_from_string(std::string_view text);
std::optional<Outcome> outcome_from_string(std::string_view text);

// What each role may do (api.md "Identity: tokens").
bool can_post_kind(Role role, Kind kind);    // leader_learning: leader/admin only
bool can_moderate(Role role);                // pin, hide, flag queue, dismiss flags: curator/admin
bool can_curate_resources(Role role);        // the module's resource shelf: curator/admin
bool can_read_stats(Role role);              // curator, leader, admin
bool endorsement_is_trusted(Role role);      // leader or curator endorsements set leader_endorsed

struct Author {
    std::string id;
    std::string name;
    Role role = Role::learner;
    bool operator==(const Author& o) const { return id == o.id && name == o.name && role == o.role; }
};

struct Post {
    std::string id;
    std::string module;
    std::optional<std::string> parent_id;    // null for a top-level post
    Kind kind = Kind::insight;
    std::string body;                        // empty when deleted, or hidden for this reader
    Author author;
    std::int64_t created_at_ms = 0;          // Unix ms, UTC
    std::optional<std::int64_t> edited_at_ms;
    std::int64_t endorsements = 0;
    bool endorsed_by_me = false;
    bool leader_endorsed = false;
    bool pinned = false;
    bool hidden = false;
    bool deleted = false;
    std::int64_t rev = 0;
    // The module's title when the post was read (api.md "Moderation additions"); null if none.
    std::optional<std::string> module_title;
    // Commitment posts only (api.md "Commitments and check-ins"); null/0 for other kinds.
    std::optional<std::int64_t> check_in_at_ms;   // when the author is next asked; null: not any more
    std::optional<Outcome> outcome;               // the latest answer
    std::string outcome_note;                     // with the latest answer ("" when none)
    std::optional<std::int64_t> outcome_at_ms;
    std::int64_t check_ins = 0;                   // answers so far

    bool operator==(const Post& o) const;
    bool operator!=(const Post& o) const { return !(*this == o); }
};

// One open flag on a post, as curators see it in the flag queue.
struct FlagReport {
    std::string reason;               // may be empty
    std::string details;              // may be empty
    std::int64_t at_ms = 0;
};

// One row of the curators' flag queue (GET /flags): the post, its open flags, and whether the
// flags (not a curator) hid it.
struct FlaggedPost {
    Post post;
    int count = 0;                    // open flags (not yet decided by a curator)
    std::vector<std::string> reasons; // the non-empty reasons, oldest first
    std::vector<FlagReport> reports;  // open flags with a reason or details, oldest first
    bool hidden_by_flags = false;
};

// An entry of a module's resource shelf (api.md "Resources").
struct Resource {
    std::string id;                          // client-chosen, like post ids
    std::string module;
    std::string title;                       // 1..120 code points
    std::string url;                         // http(s) only, at most 2048 characters
    std::string note;                        // 0..280 code points
    Author added_by;
    std::int64_t created_at_ms = 0;
    std::int64_t position = 0;               // 0-based place on the shelf
    bool deleted = false;                    // only a retried create of a removed resource sees it
    std::int64_t rev = 0;                    // same sequence as posts' revs

    bool operator==(const Resource& o) const;
    bool operator!=(const Resource& o) const { return !(*this == o); }
};

}  // namespace grove

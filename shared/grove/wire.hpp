// The JSON wire format of the REST API v1 (docs/API.md), shared by server and widget. Decoders never throw: every
// wrong type or missing field becomes an ApiError naming the field.
#pragma once

#include <cstddef>    // std::size_t
#include <cstdint>    // std::int64_t
#include <optional>   // std::optional
#include <string>     // std::string
#include <string_view>
#include <vector>     // std::vector

#include <nlohmann/json.hpp>   // nlohmann::json

#include "grove/expected.hpp"
#include "grove/post.hpp"

namespace grove {

using Json = nlohmann::json;

// Request bodies: strict UTF-8 first (400 invalid_utf8), then JSON (400 invalid_json), then an object.
Expected<Json> parse_json_object(std::string_view bytes);
// JSON text as a Json value; a discarded one (is_discarded()) when the text is not JSON. Every
// parse in shared/ goes through here, so the wasm links one instance of nlohmann's parser.
Json parse_json(std::string_view text);
// Serializes without throwing, even if a string somehow holds invalid UTF-8 (it is replaced).
std::string dump(const Json& json);

// Posts: the 1.1 fields (module_title, check_in_at, outcome, outcome_note, outcome_at,
// check_ins) are optional when read, so posts from an older server or cache still decode.
Json to_json(const Post& post);
Json to_json(const Author& author);
Expected<Post> post_from_json(const Json& json);

Json to_json(const Resource& resource);
Expected<Resource> resource_from_json(const Json& json);

// -- Answers the server writes and the widget reads -------------------------------------------
// Lists are read leniently: an entry that does not decode is left out and counted in `skipped`
// (one bad post never hides the others); a body that is not the list at all is an error.

// {"posts": [Post]}: the spotlight, the person's due check-ins.
struct PostList {
    std::vector<Post> posts;
    std::size_t skipped = 0;
};
Json post_list_json(const std::vector<Post>& posts);
Expected<PostList> decode_post_list(const Json& json);

// A page of the changes feed: {"posts": [Post], "cursor": "...", "has_more": bool}.
struct FeedPage {
    std::vector<Post> posts;
    std::string cursor;
    bool has_more = false;
    std::size_t skipped = 0;
};
Json feed_page_json(const std::vector<Post>& posts, const std::string& cursor, bool has_more);
Expected<FeedPage> decode_feed_page(const Json& json);

// The answer to PUT/DELETE .../endorsement.
struct EndorsementState {
    std::int64_t endorsements = 0;
    bool endorsed_by_me = false;
};
Json to_json(const EndorsementState& state);
Expected<EndorsementState> decode_endorsement_state(const Json& json);

// A module's shelf: {"resources": [Resource]}.
struct ResourceList {
    std::vector<Resource> resources;
    std::size_t skipped = 0;
};
Json resource_list_json(const std::vector<Resource>& resources);
Expected<ResourceList> decode_resource_list(const Json& json);

// The curators' flag queue: {"flags": [{"post", "count", "reasons", "reports": [{"reason",
// "details", "flagged_at"}], "hidden_by_flags"}]}.
struct FlagQueue {
    std::vector<FlaggedPost> flags;
    std::size_t skipped = 0;
};
Json flag_queue_json(const std::vector<FlaggedPost>& flags);
Expected<FlagQueue> decode_flag_queue(const Json& json);

// Every write may carry "module_title" (api.md "Moderation additions"): absent or null is
// nothing; else 1..120 code points of one line (400 for a wrong type, 422 otherwise).
Expected<std::optional<std::string>> decode_module_title(const Json& json);

Json to_json(const ApiError& error);                          // {"error": {...}}
// Reads an error body; falls back to a generic error for the status when the body is not one.
ApiError error_from_response(int status, std::string_view body);

// POST /modules/{module}/posts
struct CreatePostRequest {
    std::string id;                         // empty: the server assigns one
    std::optional<std::string> parent_id;
    Kind kind = Kind::insight;
    std::string body;                       // trimmed
    std::optional<std::string> module_title{};
};
Expected<CreatePostRequest> decode_create_post(const Json& json, Role role,
                                               std::size_t max_body = kDefaultMaxBodyCodePoints);
Json to_json(const CreatePostRequest& request);

// PATCH /posts/{id}
struct PatchPostRequest {
    std::optional<std::string> body;        // trimmed
    std::optional<bool> pinned;
    std::optional<bool> hidden;
    std::optional<std::string> module_title{};   // not a change to the post by itself
};
Expected<PatchPostRequest> decode_patch_post(const Json& json, std::size_t max_body = kDefaultMaxBodyCodePoints);
Json to_json(const PatchPostRequest& request);

// POST /posts/{id}/flags
struct FlagRequest {
    std::string reason;                     // trimmed, may be empty
    std::string details{};                  // trimmed, may be empty; 0..500 code points
    std::optional<std::string> module_title{};
};
Expected<FlagRequest> decode_flag(const Json& json);
Json to_json(const FlagRequest& request);

// PUT /posts/{id}/outcome
struct OutcomeRequest {
    Outcome outcome = Outcome::done;
    std::string note;                       // trimmed, may be empty; 0..280 code points
    std::optional<std::string> module_title;
};
Expected<OutcomeRequest> decode_outcome(const Json& json);
Json to_json(const OutcomeRequest& request);

// POST /modules/{module}/resources
struct CreateResourceRequest {
    std::string id;                         // empty: the server assigns one
    std::string title;                      // trimmed
    std::string url;                        // trimmed
    std::string note;                       // trimmed
    std::optional<std::string> module_title;
};
Expected<CreateResourceRequest> decode_create_resource(const Json& json);
Json to_json(const CreateResourceRequest& request);

// PATCH /resources/{id}
struct PatchResourceRequest {
    std::optional<std::string> title;
    std::optional<std::string> url;
    std::optional<std::string> note;
    std::optional<std::int64_t> position;   // 0-based; past the end means last
    std::optional<std::string> module_title;
};
Expected<PatchResourceRequest> decode_patch_resource(const Json& json);
Json to_json(const PatchResourceRequest& request);

}  // namespace grove

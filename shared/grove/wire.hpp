// The JSON wire format of api.md v1, shared by server and widget. Decoders never throw: every
// wrong type or missing field becomes an ApiError naming the field.
#pragma once

#include <cstddef>    // std::size_t
#include <optional>   // std::optional
#include <string>     // std::string
#include <string_view>

#include <nlohmann/json.hpp>   // nlohmann::json

#include "grove/expected.hpp"
#include "grove/post.hpp"

namespace grove {

using Json = nlohmann::json;

// Request bodies: strict UTF-8 first (400 invalid_utf8), then JSON (400 invalid_json), then an object.
Expected<Json> parse_json_object(std::string_view bytes);
// Serializes without throwing, even if a string somehow holds invalid UTF-8 (it is replaced).
std::string dump(const Json& json);

Json to_json(const Post& post);
Json to_json(const Author& author);
Expected<Post> post_from_json(const Json& json);

Json to_json(const ApiError& error);                          // {"error": {...}}
// Reads an error body; falls back to a generic error for the status when the body is not one.
ApiError error_from_response(int status, std::string_view body);

// POST /modules/{module}/posts
struct CreatePostRequest {
    std::string id;                         // empty: the server assigns one
    std::optional<std::string> parent_id;
    Kind kind = Kind::insight;
    std::string body;                       // trimmed
};
Expected<CreatePostRequest> decode_create_post(const Json& json, Role role,
                                               std::size_t max_body = kDefaultMaxBodyCodePoints);
Json to_json(const CreatePostRequest& request);

// PATCH /posts/{id}
struct PatchPostRequest {
    std::optional<std::string> body;        // trimmed
    std::optional<bool> pinned;
    std::optional<bool> hidden;
};
Expected<PatchPostRequest> decode_patch_post(const Json& json, std::size_t max_body = kDefaultMaxBodyCodePoints);
Json to_json(const PatchPostRequest& request);

// POST /posts/{id}/flags
struct FlagRequest {
    std::string reason;                     // trimmed, may be empty
};
Expected<FlagRequest> decode_flag(const Json& json);

}  // namespace grove

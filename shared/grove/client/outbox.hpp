// The outbox: writes the person made that the server has not acknowledged yet, in the order they
// were made. Each has a client-chosen key (its place in the queue, shared by every tab through
// storage) and, for creates, a client-chosen post id, so resending after a lost answer is safe
// (api.md "Idempotency"): nothing is ever sent twice in effect, and nothing is dropped silently.
#pragma once

#include <cstdint>    // std::int64_t, std::uint64_t
#include <optional>   // std::optional
#include <string>     // std::string

#include "grove/client/ports.hpp"   // HttpRequest
#include "grove/post.hpp"

namespace grove {

// `outcome` (1.1): the author's answer to a commitment's check-in (PUT /posts/{id}/outcome). Its
// post may be of another module (the check-in card shows due commitments of every module).
// resource_add / resource_edit / resource_remove (1.1): the module's shelf (curators); post_id
// holds the resource's id.
// dismiss_flags: a curator's "Keep visible" (DELETE /posts/{id}/flags); `value` says the post was
// hidden by flags, so it shows again at once.
enum class WriteOp { create, edit, remove, endorse, flag, pin, hide, outcome, resource_add, resource_edit, resource_remove,
                     dismiss_flags };
// A write to the resource shelf rather than to a post.
inline bool is_resource_op(WriteOp op) {
    return op == WriteOp::resource_add || op == WriteOp::resource_edit || op == WriteOp::resource_remove;
}

std::string_view to_string(WriteOp op);
std::optional<WriteOp> write_op_from_string(std::string_view text);

struct OutboxEntry {
    std::string key;                       // queue order, unique across tabs (make_write_key)
    std::string user;                      // who made it ("" when made before the token was read)
    WriteOp op = WriteOp::create;
    std::string post_id;
    std::int64_t created_ms = 0;           // when the person made it
    // create
    Kind kind = Kind::insight;
    std::optional<std::string> parent_id;
    // create, edit
    std::string body;
    // endorse, pin, hide: the value set; dismiss_flags: the post was hidden by flags
    bool value = false;
    // flag
    std::string reason;
    std::string details;                   // optional, sent only when not empty
    // Not sent before this time (0: at once). A flag waits a few seconds so its Undo can take it
    // back before anyone else sees it; every tab reads the wait from the stored record.
    std::int64_t hold_until_ms = 0;
    // outcome
    Outcome outcome = Outcome::done;
    std::string note;                      // outcome, resource_add: trimmed, 0..280 code points
    // resource_add (all set), resource_edit (what changes)
    std::optional<std::string> title;
    std::optional<std::string> url;
    std::optional<std::string> resource_note;   // resource_edit only (resource_add uses `note`)
    std::optional<std::int64_t> position;
    // A permanent refusal (4xx): waits for the person to retry, edit or discard it.
    bool failed = false;
    int error_status = 0;
    std::string error_code;
    std::string error_message;
    int attempts = 0;                      // sends so far (for the console only)

    bool operator==(const OutboxEntry& o) const;
};

// "<15-digit ms>-<8 hex of the tab>-<8-digit counter>": sorts in the order writes were made, and
// two tabs never produce the same key.
std::string make_write_key(std::int64_t now_ms, std::uint32_t tab, std::uint32_t counter);
// A fresh post id: 10 characters of time then 16 random ones (Crockford base32, like a ULID), so
// ids sort roughly by creation and never collide in practice.
std::string make_post_id(std::int64_t now_ms, std::uint64_t random_hi, std::uint64_t random_lo);

// The REST call that performs `entry` (api.md "Endpoints"). `api` is the base URL without a
// trailing slash, e.g. "https://intranet.example/grove/api/v1". A non-empty `module_title` (the
// page's data-grove-title) goes with every write that has a body, as "module_title".
HttpRequest to_http_request(const OutboxEntry& entry, const std::string& api, const std::string& module,
                            const std::string& module_title = std::string());

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encode(std::string_view text);

}  // namespace grove

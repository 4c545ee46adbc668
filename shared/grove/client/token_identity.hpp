// Reads who is signed in from the API token's payload, client-side. The widget does not verify
// the signature (it has no secret; the server does): this only decides what me() shows and which
// controls the UI offers. An opaque or unreadable token falls back to GET /me.
#pragma once

#include <cstdint>    // std::int64_t
#include <optional>   // std::optional
#include <string>     // std::string
#include <string_view>

#include "grove/client/discussion.hpp"   // Identity

namespace grove {

struct TokenIdentity {
    Identity identity;                    // known = true
    std::optional<std::int64_t> exp_ms;   // when it expires, Unix ms
};

// Decodes the middle part of a JWT (base64url JSON) and checks sub, name and role as the server
// would. Returns nothing for anything else.
std::optional<TokenIdentity> read_token_identity(std::string_view token);

// GET /me answers {"id", "name", "role"}.
std::optional<Identity> identity_from_me_response(std::string_view body);

// RFC 4648 base64url without padding (padding accepted); nothing on a bad character.
std::optional<std::string> token_base64url_decode(std::string_view text);

}  // namespace grove

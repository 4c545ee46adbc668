// HS256 JSON Web Tokens: what the intranet mints for its signed-in user (api.md "Identity").
// Verification is strict: alg must be HS256, the signature is compared in constant time, exp is
// required and must be in the future, nbf (optional) must be in the past, and every claim must
// have the type and length api.md gives it. Anything else is one of the 401 errors below.
#pragma once

#include <cstdint>    // std::int64_t
#include <optional>   // std::optional
#include <string>     // std::string
#include <string_view>

#include "grove/expected.hpp"
#include "grove/post.hpp"

namespace grove {

struct TokenClaims {
    std::string sub;                    // user id, 1..128 characters
    std::string name;                   // display name, 1..100 characters
    Role role = Role::learner;
    std::int64_t exp = 0;               // seconds since the epoch
    std::optional<std::int64_t> nbf;    // not before, seconds
    std::optional<std::string> team;
};

constexpr std::size_t kMaxTokenBytes = 8192;

// A compact JWS: base64url(header).base64url(payload).base64url(HMAC-SHA256).
std::string sign_token(const TokenClaims& claims, std::string_view secret);
// now_s: the current time in seconds since the epoch. Errors are 401 unauthorized, with a
// message that says what was wrong (expired, bad signature, malformed, ...).
Expected<TokenClaims> verify_token(std::string_view token, std::string_view secret, std::int64_t now_s);

}  // namespace grove

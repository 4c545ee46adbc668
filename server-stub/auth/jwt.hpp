// HS256 JSON Web Tokens: what the intranet mints for its signed-in user (api.md "Identity").
// Verification is strict: alg must be HS256, the signature is compared in constant time, exp is
// required and must be in the future, nbf (optional) must be in the past, and every claim must
// have the type and length api.md gives it. When the server is given an audience (or an issuer),
// `aud` (a string, or an array of strings) must name it (`iss` must equal it): a token minted for
// another application with the same secret is refused. Anything else is one of the 401 errors
// below.
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

// What a token must also say, when set (--jwt-audience, --jwt-issuer).
struct TokenChecks {
    std::string audience;
    std::string issuer;
};

constexpr std::size_t kMaxTokenBytes = 8192;

// A compact JWS: base64url(header).base64url(payload).base64url(HMAC-SHA256). `names` adds
// `aud` and `iss` when set (dev tokens for a server that checks them).
std::string sign_token(const TokenClaims& claims, std::string_view secret, const TokenChecks& names = {});
// The same for any header and payload text (tests craft odd tokens with it).
std::string sign_jws_hs256(std::string_view header_json, std::string_view payload_json, std::string_view secret);
// now_s: the current time in seconds since the epoch. Errors are 401 unauthorized, with a
// message that says what was wrong (expired, bad signature, malformed, ...).
Expected<TokenClaims> verify_token(std::string_view token, std::string_view secret, std::int64_t now_s,
                                   const TokenChecks& checks = {});

}  // namespace grove

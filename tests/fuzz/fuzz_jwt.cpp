// Fuzz target: JWT parsing and verification (server-stub/auth/jwt.*, base64url.*, and the
// Authenticator that caches verified tokens).
//
// The first byte picks a mode; the rest is the input:
//   even  the bytes are a token as it arrives in "Authorization: Bearer <token>"
//   odd   the bytes are "<header JSON>\n<payload JSON>[\n<pos><char>]": the target signs header
//         and payload with the server's secret (so the claim checks behind the signature are
//         reached), verifies, then changes the character at <pos> (two bytes) to <char> and
//         verifies the tampered token again.
// Properties beyond "no crash":
//   - every refusal is 401 unauthorized with a message;
//   - an accepted token is canonical: re-signing its own header and payload text gives the same
//     token (no second spelling of a signature or part is accepted), alg is HS256, the claims obey
//     api.md (sub, name, role, exp in the future, nbf in the past);
//   - a token that differs from a correctly signed one in any character is refused;
//   - the Authenticator (with its cache of verified tokens) agrees with verify_token, and a
//     second call (a cache hit) gives the same answer.
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint8_t, INT64_MAX
#include <string>
#include <string_view>

#include "api/middleware/auth.hpp"
#include "auth/base64url.hpp"
#include "auth/jwt.hpp"
#include "grove/validation.hpp"
#include "grove/wire.hpp"
#include "fuzz_require.hpp"

using namespace grove;

namespace {

constexpr const char* kSecret = "fuzz-secret-0123456789";
constexpr std::int64_t kNowSeconds = 1'800'000'000;

// Checks one verification and returns whether the token was accepted.
bool check(std::string_view token) {
    const auto v = verify_token(token, kSecret, kNowSeconds);
    if (!v) {
        require(v.error().status == 401 && v.error().code == "unauthorized" && !v.error().message.empty());
    } else {
        const TokenClaims& c = v.value();
        require(is_valid_user_id(c.sub) && is_valid_display_name(c.name));
        require(c.exp > kNowSeconds);
        require(!c.nbf || *c.nbf <= kNowSeconds);
        require(!c.team || is_valid_user_id(*c.team));
        // Canonical: the token is exactly what signing its own parts gives.
        const auto dot1 = token.find('.');
        const auto dot2 = token.rfind('.');
        const auto header = base64url_decode(token.substr(0, dot1));
        const auto payload = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
        require(header && payload);
        require(sign_jws_hs256(*header, *payload, kSecret) == token);
        const Json h = Json::parse(*header, nullptr, false);
        require(h.is_object() && h.value("alg", "") == "HS256");
    }

    // The Authenticator agrees, on a cold cache and on a warm one.
    Authenticator auth(kSecret);
    const std::string header = "Bearer " + std::string(token);
    const auto first = auth.authenticate(header, kNowSeconds * 1000);
    const auto second = auth.authenticate(header, kNowSeconds * 1000 + 999);
    require(bool(first) == bool(v) && bool(second) == bool(v));
    if (v) {
        require(first->id == v->sub && first->role == v->role && second->id == v->sub && second->role == v->role);
    } else {
        require(first.error().status == 401 && second.error().status == 401);
    }
    // Once expired, never accepted again, even from the cache.
    if (v && v->exp < INT64_MAX / 1000) require(!auth.authenticate(header, v->exp * 1000));
    return bool(v);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] % 2 == 0) {
        check(rest);
        return 0;
    }

    const auto nl = rest.find('\n');
    const std::string_view header = rest.substr(0, nl);
    std::string_view payload = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    std::string_view tamper;
    if (const auto nl2 = payload.find('\n'); nl2 != std::string_view::npos) {
        tamper = payload.substr(nl2 + 1);
        payload = payload.substr(0, nl2);
    }
    const std::string token = sign_jws_hs256(header, payload, kSecret);
    const bool accepted = check(token);

    // A well-formed HS256 header with valid claims must be accepted (no false refusals). JSON
    // text is judged by the server's own strict reader (UTF-8, no NUL, one object).
    const auto h_parsed = parse_json_object(header);
    const auto p_parsed = parse_json_object(payload);
    const Json h = h_parsed ? h_parsed.value() : Json();
    const Json p = p_parsed ? p_parsed.value() : Json();
    if (h == Json{{"alg", "HS256"}, {"typ", "JWT"}} && p.is_object() && p.size() == 4 && p.contains("sub") &&
        p["sub"].is_string() && is_valid_user_id(p["sub"].get<std::string>()) && p.contains("name") &&
        p["name"].is_string() && is_valid_display_name(p["name"].get<std::string>()) && p.contains("role") &&
        p["role"].is_string() && role_from_string(p["role"].get<std::string>()) && p.contains("exp") &&
        p["exp"].is_number_integer() && p["exp"].get<std::int64_t>() > kNowSeconds && header.size() < 200 &&
        payload.size() < 2000)
        require(accepted);

    if (tamper.size() >= 3) {
        std::string changed = token;
        const std::size_t pos = (std::size_t(std::uint8_t(tamper[0])) << 8 | std::uint8_t(tamper[1])) % changed.size();
        changed[pos] = tamper[2];
        if (changed != token) require(!check(changed));
    }
    return 0;
}

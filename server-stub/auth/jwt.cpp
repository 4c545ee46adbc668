#include "auth/jwt.hpp"

#include <openssl/crypto.h>   // CRYPTO_memcmp
#include <openssl/evp.h>      // EVP_sha256
#include <openssl/hmac.h>     // HMAC

#include <cmath>              // std::floor, std::isfinite

#include "auth/base64url.hpp"
#include "grove/validation.hpp"
#include "grove/wire.hpp"

namespace grove {

namespace {

constexpr std::size_t kSignatureBytes = 32;   // SHA-256

std::string hmac_sha256(std::string_view key, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), out, &len);
    return std::string(reinterpret_cast<const char*>(out), len);
}

ApiError malformed(const std::string& why) { return ApiError::unauthorized("The access token is malformed: " + why + "."); }

// A JSON number as whole seconds; false when it is not a finite number.
bool seconds(const Json& j, std::int64_t& out) {
    if (j.is_number_integer()) {
        out = j.get<std::int64_t>();
        return true;
    }
    if (j.is_number_unsigned()) {
        const auto v = j.get<std::uint64_t>();
        out = v > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(v);
        return true;
    }
    if (j.is_number_float()) {
        const double d = j.get<double>();
        if (!std::isfinite(d) || d > 9.0e18 || d < -9.0e18) return false;
        out = static_cast<std::int64_t>(std::floor(d));
        return true;
    }
    return false;
}

std::optional<Json> decode_part(std::string_view part) {
    const auto bytes = base64url_decode(part);
    if (!bytes) return std::nullopt;
    auto json = parse_json_object(*bytes);
    if (!json) return std::nullopt;
    return std::move(json).value();
}

}  // namespace

std::string sign_jws_hs256(std::string_view header_json, std::string_view payload_json, std::string_view secret) {
    const std::string signing_input = base64url_encode(header_json) + "." + base64url_encode(payload_json);
    return signing_input + "." + base64url_encode(hmac_sha256(secret, signing_input));
}

std::string sign_token(const TokenClaims& c, std::string_view secret, const TokenChecks& names) {
    Json payload{{"sub", c.sub}, {"name", c.name}, {"role", to_string(c.role)}, {"exp", c.exp}};
    if (c.nbf) payload["nbf"] = *c.nbf;
    if (c.team) payload["team"] = *c.team;
    if (!names.audience.empty()) payload["aud"] = names.audience;
    if (!names.issuer.empty()) payload["iss"] = names.issuer;
    return sign_jws_hs256(R"({"alg":"HS256","typ":"JWT"})", dump(payload), secret);
}

Expected<TokenClaims> verify_token(std::string_view token, std::string_view secret, std::int64_t now_s,
                                   const TokenChecks& checks) {
    if (token.empty()) return ApiError::unauthorized("Sign in: this request needs an access token.");
    if (token.size() > kMaxTokenBytes) return malformed("it is too long");
    const auto dot1 = token.find('.');
    const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
        return malformed("it must have three parts separated by dots");
    const std::string_view header_part = token.substr(0, dot1);
    const std::string_view payload_part = token.substr(dot1 + 1, dot2 - dot1 - 1);
    const std::string_view signature_part = token.substr(dot2 + 1);
    if (header_part.empty() || payload_part.empty() || signature_part.empty())
        return malformed("a part is empty");

    const auto header = decode_part(header_part);
    if (!header) return malformed("the header is not base64url-encoded JSON");
    const auto alg = header->find("alg");
    if (alg == header->end() || !alg->is_string() || alg->get_ref<const std::string&>() != "HS256")
        return ApiError::unauthorized("The access token must be signed with HS256.");
    if (header->contains("crit")) return malformed("it uses critical extensions this server does not know");

    // The signature is checked before the payload is trusted.
    const auto signature = base64url_decode(signature_part);
    if (!signature || signature->size() != kSignatureBytes) return malformed("the signature is not an HS256 signature");
    const std::string expected = hmac_sha256(secret, token.substr(0, dot2));
    if (CRYPTO_memcmp(expected.data(), signature->data(), kSignatureBytes) != 0)
        return ApiError::unauthorized("The access token's signature is not valid.");

    const auto payload = decode_part(payload_part);
    if (!payload) return malformed("the payload is not base64url-encoded JSON");
    TokenClaims c;
    const Json& p = *payload;
    const auto sub = p.find("sub");
    if (sub == p.end() || !sub->is_string() || !is_valid_user_id(sub->get_ref<const std::string&>()))
        return malformed("'sub' must be a user id of 1 to 128 characters");
    c.sub = sub->get<std::string>();
    const auto name = p.find("name");
    if (name == p.end() || !name->is_string() || !is_valid_display_name(name->get_ref<const std::string&>()))
        return malformed("'name' must be a display name of 1 to 100 characters");
    c.name = name->get<std::string>();
    const auto role_it = p.find("role");
    const auto role = role_it != p.end() && role_it->is_string() ? role_from_string(role_it->get_ref<const std::string&>())
                                                                 : std::nullopt;
    if (!role) return malformed("'role' must be learner, curator, leader or admin");
    c.role = *role;
    const auto exp = p.find("exp");
    if (exp == p.end()) return ApiError::unauthorized("The access token has no expiry ('exp'); tokens must expire.");
    if (!seconds(*exp, c.exp)) return malformed("'exp' must be a number of seconds");
    if (now_s >= c.exp) return ApiError::unauthorized("The access token has expired; sign in again.");
    if (const auto nbf = p.find("nbf"); nbf != p.end()) {
        std::int64_t v = 0;
        if (!seconds(*nbf, v)) return malformed("'nbf' must be a number of seconds");
        if (now_s < v) return ApiError::unauthorized("The access token is not valid yet ('nbf' is in the future).");
        c.nbf = v;
    }
    if (const auto team = p.find("team"); team != p.end() && !team->is_null()) {
        if (!team->is_string() || !is_valid_user_id(team->get_ref<const std::string&>()))
            return malformed("'team' must be a string of 1 to 128 characters");
        c.team = team->get<std::string>();
    }
    if (!checks.audience.empty()) {
        const auto aud = p.find("aud");
        bool named = false;
        if (aud != p.end() && aud->is_string()) named = aud->get_ref<const std::string&>() == checks.audience;
        if (aud != p.end() && aud->is_array())
            for (const Json& a : *aud) named = named || (a.is_string() && a.get_ref<const std::string&>() == checks.audience);
        if (!named) return ApiError::unauthorized("The access token is meant for another application ('aud' does not name this one).");
    }
    if (!checks.issuer.empty()) {
        const auto iss = p.find("iss");
        if (iss == p.end() || !iss->is_string() || iss->get_ref<const std::string&>() != checks.issuer)
            return ApiError::unauthorized("The access token was issued by someone this server does not trust ('iss').");
    }
    return c;
}

}  // namespace grove

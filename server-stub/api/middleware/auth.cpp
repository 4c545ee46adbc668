#include "api/middleware/auth.hpp"

namespace grove {

namespace {

Caller caller_of(const TokenClaims& c) { return Caller{c.sub, c.name, c.role, c.team, c.exp}; }

// Seconds, rounded down: a token with exp = T is refused from T on.
std::int64_t to_seconds(std::int64_t ms) { return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000); }

}  // namespace

Expected<Caller> Authenticator::authenticate(const std::string& authorization, std::int64_t now_ms) {
    if (authorization.empty())
        return ApiError::unauthorized("Sign in: this request needs an 'Authorization: Bearer <token>' header.");
    // The scheme is case-insensitive (RFC 7235); exactly one space before the token.
    if (authorization.size() < 7 || (authorization.compare(0, 7, "Bearer ") != 0 &&
                                     authorization.compare(0, 7, "bearer ") != 0 &&
                                     authorization.compare(0, 7, "BEARER ") != 0))
        return ApiError::unauthorized("The Authorization header must be 'Bearer <token>'.");
    const std::string token = authorization.substr(7);
    const std::int64_t now_s = to_seconds(now_ms);
    {
        std::lock_guard lock(mutex_);
        const auto it = verified_.find(token);
        if (it != verified_.end()) {
            const TokenClaims& c = it->second;
            if (now_s >= c.exp) {
                verified_.erase(it);
                return ApiError::unauthorized("The access token has expired; sign in again.");
            }
            if (c.nbf && now_s < *c.nbf)
                return ApiError::unauthorized("The access token is not valid yet ('nbf' is in the future).");
            return caller_of(c);
        }
    }
    auto claims = verify_token(token, secret_, now_s, checks_);
    if (!claims) return claims.error();
    {
        std::lock_guard lock(mutex_);
        if (verified_.size() >= kMaxRemembered) verified_.clear();
        verified_.emplace(token, claims.value());
    }
    return caller_of(claims.value());
}

}  // namespace grove

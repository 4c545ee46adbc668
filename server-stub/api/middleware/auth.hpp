// Authentication middleware: "Authorization: Bearer <token>" -> Caller, or 401.
// Verified tokens are remembered (bounded) so a busy client costs one HMAC per token, not per
// request; expiry and nbf are still checked against the clock on every request.
#pragma once

#include <cstdint>         // std::int64_t
#include <mutex>           // std::mutex
#include <string>          // std::string
#include <unordered_map>   // std::unordered_map

#include "auth/caller.hpp"
#include "auth/jwt.hpp"
#include "grove/expected.hpp"

namespace grove {

class Authenticator {
public:
    explicit Authenticator(std::string secret, TokenChecks checks = {})
        : secret_(std::move(secret)), checks_(std::move(checks)) {}

    // authorization: the header's value ("" when absent).
    Expected<Caller> authenticate(const std::string& authorization, std::int64_t now_ms);

private:
    static constexpr std::size_t kMaxRemembered = 4096;
    std::string secret_;
    TokenChecks checks_;
    std::mutex mutex_;
    std::unordered_map<std::string, TokenClaims> verified_;
};

}  // namespace grove

// Helpers for the server tests: an in-process API (ApiRouter on an in-memory or file database,
// with a clock the test moves) and token minting with the server's own signer.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>   // std::int64_t
#include <functional>   // std::function
#include <memory>    // std::unique_ptr
#include <string>    // std::string

#include "api/api_router.hpp"
#include "auth/jwt.hpp"
#include "grove/wire.hpp"
#include "storage/sqlite_engine.hpp"

namespace grove::test {

constexpr std::int64_t kTestEpochMs = 1'800'000'000'000;   // 2027-01-15, a fixed "now"

inline std::string mint(const std::string& secret, const std::string& sub, Role role, std::int64_t exp_s,
                        const std::string& name = "") {
    TokenClaims c;
    c.sub = sub;
    c.name = name.empty() ? "User " + sub : name;
    c.role = role;
    c.exp = exp_s;
    return sign_token(c, secret);
}

// Where a test binary runs the contract tests on another storage engine (the PostgreSQL variant,
// postgres_variant.cpp): makes the engine an InProcessApi gets instead of a private SQLite one.
inline std::function<std::unique_ptr<StorageEngine>()>& in_process_engine_override() {
    static std::function<std::unique_ptr<StorageEngine>()> make;
    return make;
}

// The real server logic in process, as the sync engine's tests use it.
struct InProcessApi {
    std::int64_t now_ms = kTestEpochMs;
    ServerOptions options;
    std::unique_ptr<ApiRouter> api;

    explicit InProcessApi(ServerOptions o = {}, const std::string& db = ":memory:") : options(std::move(o)) {
        if (options.jwt_secret.empty()) options.jwt_secret = "in-process-test-secret";
        auto& other = in_process_engine_override();
        api = std::make_unique<ApiRouter>(options, other && db == ":memory:" ? other() : open_sqlite_engine(SqliteOptions{db, false}),
                                          [this] { return now_ms; });
    }

    // Valid for an hour from the test's "now" (tests that move the clock weeks ahead ask for longer).
    std::string token(const std::string& sub, Role role = Role::learner, std::int64_t ttl_s = 3600) const {
        return mint(options.jwt_secret, sub, role, now_ms / 1000 + ttl_s);
    }

    ApiResponse call(const std::string& method, const std::string& target, const std::string& token = "",
                     const std::string& body = "", ApiHeaders headers = {}) {
        ApiRequest req;
        req.method = method;
        const auto q = target.find('?');
        req.path = target.substr(0, q);
        if (q != std::string::npos) req.query = target.substr(q + 1);
        req.headers = std::move(headers);
        if (!token.empty()) req.headers.emplace("Authorization", "Bearer " + token);
        req.body = body;
        return api->handle(req);
    }
};

inline Json body_of(const ApiResponse& res) {
    Json j = Json::parse(res.body, nullptr, false);
    REQUIRE_MESSAGE(!j.is_discarded(), "not JSON: " << res.body);
    return j;
}

inline std::string error_code(const ApiResponse& res) {
    const Json j = body_of(res);
    REQUIRE_MESSAGE(j.contains("error"), "not an error body: " << res.body);
    return j["error"]["code"].get<std::string>();
}

inline std::string error_field(const ApiResponse& res) {
    const Json j = body_of(res);
    return j["error"].contains("field") ? j["error"]["field"].get<std::string>() : std::string();
}

}  // namespace grove::test

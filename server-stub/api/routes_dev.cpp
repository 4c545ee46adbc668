// Development routes, only with --dev: mint a token for any user and role (api.md "Identity"),
// and move the service's clock so tests of the real binary can let days pass (check-ins,
// digests). Without --dev these routes do not exist: nothing here can be reached in production.
#include "api/responses.hpp"
#include "api/routes.hpp"
#include "auth/jwt.hpp"
#include "grove/time.hpp"
#include "grove/validation.hpp"

namespace grove {

namespace {

constexpr std::int64_t kDevTokenSeconds = 12 * 3600;

ApiResponse mint_token(const ApiContext& ctx, const RouteContext& rc) {
    auto body = json_body(rc.request);
    if (!body) return error_response(body.error());
    const Json& j = body.value();
    TokenClaims c;
    for (const char* name : {"sub", "name", "role"}) {
        const auto it = j.find(name);
        if (it == j.end() || !it->is_string())
            return error_response(ApiError::bad_request(std::string("The field '") + name + "' must be a string.", name));
    }
    c.sub = j["sub"].get<std::string>();
    c.name = j["name"].get<std::string>();
    if (!is_valid_user_id(c.sub))
        return error_response(ApiError::invalid_field("sub", "A user id has 1 to 128 characters and no control characters."));
    if (!is_valid_display_name(c.name))
        return error_response(ApiError::invalid_field("name", "A name has 1 to 100 characters and no control characters."));
    const auto role = role_from_string(j["role"].get<std::string>());
    if (!role) return error_response(ApiError::invalid_field("role", "The role must be learner, curator, leader or admin."));
    c.role = *role;
    if (const auto team = j.find("team"); team != j.end() && !team->is_null()) {
        if (!team->is_string()) return error_response(ApiError::bad_request("The field 'team' must be a string.", "team"));
        if (!is_valid_user_id(team->get_ref<const std::string&>()))
            return error_response(ApiError::invalid_field("team", "A team has 1 to 128 characters."));
        c.team = team->get<std::string>();
    }
    const std::int64_t now_ms = ctx.clock();
    c.exp = now_ms / 1000 + kDevTokenSeconds;

    return json_response(200, Json{{"token", sign_token(c, ctx.options.jwt_secret, TokenChecks{ctx.options.jwt_audience, ctx.options.jwt_issuer})},
                                   {"expires_at", format_rfc3339_ms(c.exp * 1000)}});
}

constexpr std::int64_t kMaxDevClockOffsetMs = 10LL * 365 * 86'400'000;

ApiResponse clock_state(const ApiContext& ctx) {
    const std::int64_t offset = ctx.dev_clock_offset_ms.load();
    return json_response(200, Json{{"now", format_rfc3339_ms(ctx.clock() + offset)}, {"offset_ms", offset}});
}

// PUT {"offset_ms": n}: timestamps, check-ins and digests use the real clock plus n from now on;
// tokens and the write limit keep the real clock. 0 puts it back.
ApiResponse set_clock(const ApiContext& ctx, const RouteContext& rc) {
    auto body = json_body(rc.request);
    if (!body) return error_response(body.error());
    const auto it = body.value().find("offset_ms");
    if (it == body.value().end() || !it->is_number_integer())
        return error_response(ApiError::bad_request("The field 'offset_ms' must be a whole number of milliseconds.", "offset_ms"));
    const std::int64_t offset = it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxDevClockOffsetMs)
                                    ? kMaxDevClockOffsetMs + 1
                                    : it->get<std::int64_t>();
    if (offset < -kMaxDevClockOffsetMs || offset > kMaxDevClockOffsetMs)
        return error_response(ApiError::invalid_field("offset_ms", "The clock moves at most ten years either way."));
    ctx.dev_clock_offset_ms.store(offset);
    return clock_state(ctx);
}

}  // namespace

void add_dev_routes(std::vector<Route>& routes, ApiContext& ctx) {
    if (!ctx.options.dev) return;   // without --dev the route does not exist (404)
    routes.push_back({"POST", route_pattern("/api/v1/dev/token"), Access::anyone, false,
                      [&ctx](const RouteContext& rc) { return mint_token(ctx, rc); }});
    routes.push_back({"GET", route_pattern("/api/v1/dev/clock"), Access::anyone, false,
                      [&ctx](const RouteContext&) { return clock_state(ctx); }});
    routes.push_back({"PUT", route_pattern("/api/v1/dev/clock"), Access::anyone, false,
                      [&ctx](const RouteContext& rc) { return set_clock(ctx, rc); }});
}

}  // namespace grove

// Development routes, only with --dev: mint a token for any user and role (api.md "Identity").
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

}  // namespace

void add_dev_routes(std::vector<Route>& routes, ApiContext& ctx) {
    if (!ctx.options.dev) return;   // without --dev the route does not exist (404)
    routes.push_back({"POST", route_pattern("/api/v1/dev/token"), Access::anyone, false,
                      [&ctx](const RouteContext& rc) { return mint_token(ctx, rc); }});
}

}  // namespace grove

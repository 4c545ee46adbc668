// Routes for curators and admins (the flag queue) and for curators, leaders and admins (stats).
// The service checks the roles; these only translate.
#include "api/responses.hpp"
#include "api/routes.hpp"
#include "grove/time.hpp"

namespace grove {

namespace {

ApiResponse flag_queue(ApiContext& ctx, const RouteContext& rc) {
    auto rows = ctx.service.flag_queue(*rc.caller);
    if (!rows) return error_response(rows.error());
    Json flags = Json::array();
    for (const FlaggedPostRow& row : rows.value())
        flags.push_back(Json{{"post", to_json(row.post)}, {"count", row.count}, {"reasons", row.reasons}});
    return json_response(200, Json{{"flags", flags}});
}

ApiResponse stats(ApiContext& ctx, const RouteContext& rc) {
    auto days = rc.query.get_int("days", kDefaultStatsDays, 1, kMaxSpotlightDays);
    if (!days) return error_response(days.error());
    auto result = ctx.service.module_stats(*rc.caller, rc.params[0], days.value());
    if (!result) return error_response(result.error());
    const ModuleStatsRow& s = result.value().totals;
    Json per_day = Json::array();
    for (const DayActivity& d : s.per_day)
        per_day.push_back(Json{{"date", format_date(d.day_start_ms)}, {"posts", d.posts}, {"endorsements", d.endorsements}});
    return json_response(200, Json{{"posts", s.posts},
                                   {"replies", s.replies},
                                   {"contributors", s.contributors},
                                   {"endorsements", s.endorsements},
                                   {"per_day", per_day}});
}

}  // namespace

void add_moderation_routes(std::vector<Route>& routes, ApiContext& ctx) {
    routes.push_back({"GET", route_pattern("/api/v1/flags"), Access::signed_in, false,
                      [&ctx](const RouteContext& rc) { return flag_queue(ctx, rc); }});
    routes.push_back({"GET", route_pattern("/api/v1/modules/{}/stats"), Access::signed_in, false,
                      [&ctx](const RouteContext& rc) { return stats(ctx, rc); }});
}

}  // namespace grove

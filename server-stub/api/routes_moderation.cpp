// Routes for curators and admins (the flag queue, dismissing flags) and for curators, leaders and
// admins (a module's stats, every module's stats and their CSV). The service checks the roles;
// these only translate.
#include "api/csv.hpp"
#include "api/routes.hpp"
#include "grove/time.hpp"

namespace grove {

namespace {

Json title_json(const std::optional<std::string>& title) { return title ? Json(*title) : Json(nullptr); }

ApiResponse flag_queue(ApiContext& ctx, const RouteContext& rc) {
    auto rows = ctx.service.flag_queue(*rc.caller);
    if (!rows) return error_response(rows.error());
    return json_response(200, flag_queue_json(rows.value()));
}

ApiResponse dismiss_flags(ApiContext& ctx, const RouteContext& rc) {
    auto title = module_title_of(rc.request);
    if (!title) return error_response(title.error());
    return answer(ctx.service.dismiss_flags(*rc.caller, rc.params[0], title.value()), [](const Post& p) {
        return json_response(200, Json{{"id", p.id}, {"flags", 0}, {"hidden", p.hidden}, {"rev", p.rev}});
    });
}

// A module's numbers (api.md module stats, plus the 1.1 fields).
Json stats_json(const ModuleStatsRow& s) {
    Json per_day = Json::array();
    for (const DayActivity& d : s.per_day)
        per_day.push_back(Json{{"date", format_date(d.day_start_ms)},
                               {"posts", d.posts},
                               {"endorsements", d.endorsements},
                               {"contributors", d.contributors},
                               {"commitments", d.commitments}});
    return Json{{"posts", s.posts},
                {"replies", s.replies},
                {"contributors", s.contributors},
                {"endorsements", s.endorsements},
                {"commitments", s.commitments},
                {"commitments_done", s.commitments_done},
                {"commitments_partly", s.commitments_partly},
                {"per_day", per_day}};
}

ApiResponse stats(ApiContext& ctx, const RouteContext& rc) {
    auto days = rc.query.get_int("days", kDefaultStatsDays, 1, kMaxSpotlightDays);
    if (!days) return error_response(days.error());
    return answer(ctx.service.module_stats(*rc.caller, rc.params[0], days.value()), [](const StatsAnswer& a) {
        Json j = stats_json(a.totals);
        j["module_title"] = title_json(a.totals.module_title);
        return json_response(200, j);
    });
}

Expected<AllStatsAnswer> all_stats_of(ApiContext& ctx, const RouteContext& rc) {
    auto days = rc.query.get_int("days", kDefaultStatsDays, 1, kMaxSpotlightDays);
    if (!days) return days.error();
    return ctx.service.all_stats(*rc.caller, days.value());
}

ApiResponse all_stats(ApiContext& ctx, const RouteContext& rc) {
    return answer(all_stats_of(ctx, rc), [](const AllStatsAnswer& a) {
        Json modules = Json::array();
        for (const ModuleStatsRow& row : a.modules) {
            Json j = stats_json(row);
            j["module"] = row.module;
            j["module_title"] = title_json(row.module_title);
            modules.push_back(std::move(j));
        }
        // Every module together in the module stats' shape, then each module in the same shape.
        Json j = stats_json(a.all);
        j["from"] = format_date(a.first_day_ms);
        j["to"] = format_date(a.last_day_ms);
        j["modules"] = std::move(modules);
        return json_response(200, j);
    });
}

// One row per module and day, modules by key, days ascending; the same numbers as /stats.
ApiResponse all_stats_csv(ApiContext& ctx, const RouteContext& rc) {
    return answer(all_stats_of(ctx, rc), [](const AllStatsAnswer& a) {
        std::string csv = csv_row({"date", "module", "module_title", "posts", "contributors", "endorsements", "commitments"});
        for (const ModuleStatsRow& row : a.modules) {
            const std::string module = csv_text(row.module);
            const std::string title = csv_text(row.module_title.value_or(""));
            for (const DayActivity& d : row.per_day)
                csv += csv_row({format_date(d.day_start_ms), module, title, std::to_string(d.posts),
                                std::to_string(d.contributors), std::to_string(d.endorsements),
                                std::to_string(d.commitments)});
        }
        ApiResponse res;
        res.status = 200;
        res.headers.emplace("Content-Type", "text/csv; charset=utf-8; header=present");
        res.headers.emplace("Content-Disposition",
                            "attachment; filename=\"grove-stats-" + format_date(a.last_day_ms) + ".csv\"");
        res.body = std::move(csv);
        return res;
    });
}

}  // namespace

void add_moderation_routes(std::vector<Route>& routes, ApiContext& ctx) {
    auto add = [&](const char* method, const char* path, bool write, RouteHandler h) {
        routes.push_back({method, route_pattern(path), Access::signed_in, write, std::move(h)});
    };
    add("GET", "/api/v1/flags", false, [&ctx](const RouteContext& rc) { return flag_queue(ctx, rc); });
    add("DELETE", "/api/v1/posts/{}/flags", true, [&ctx](const RouteContext& rc) { return dismiss_flags(ctx, rc); });
    add("GET", "/api/v1/modules/{}/stats", false, [&ctx](const RouteContext& rc) { return stats(ctx, rc); });
    add("GET", "/api/v1/stats", false, [&ctx](const RouteContext& rc) { return all_stats(ctx, rc); });
    add("GET", "/api/v1/stats.csv", false, [&ctx](const RouteContext& rc) { return all_stats_csv(ctx, rc); });
}

}  // namespace grove

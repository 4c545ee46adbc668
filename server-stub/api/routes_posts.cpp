// Routes for any signed-in role: who am I, the changes feed, writing posts, endorsing, flagging,
// the spotlight.
#include "api/responses.hpp"
#include "api/routes.hpp"

namespace grove {

namespace {

template <class T, class F>
ApiResponse answer(const Expected<T>& result, F&& to_response) {
    if (!result) return error_response(result.error());
    return to_response(result.value());
}

Json posts_json(const std::vector<Post>& posts) {
    Json list = Json::array();
    for (const Post& p : posts) list.push_back(to_json(p));
    return list;
}

ApiResponse me(const RouteContext& rc) {
    Json j{{"id", rc.caller->id}, {"name", rc.caller->name}, {"role", to_string(rc.caller->role)}};
    if (rc.caller->team) j["team"] = *rc.caller->team;
    return json_response(200, j);
}

ApiResponse feed(ApiContext& ctx, const RouteContext& rc) {
    auto limit = rc.query.get_int("limit", kDefaultFeedLimit, 1, kMaxFeedLimit);
    if (!limit) return error_response(limit.error());
    FeedRequest request{rc.params[0], rc.query.get("since"), limit.value()};
    if (request.since && request.since->empty()) request.since.reset();

    // The same question at the same rev has the same answer: serve it from the cache.
    const std::string key = request.module + '\x1f' + request.since.value_or("") + '\x1f' +
                            std::to_string(request.limit) + '\x1f' + std::string(to_string(rc.caller->role)) +
                            '\x1f' + rc.caller->id;
    if (auto cached = ctx.feed_cache.find(key, ctx.service.committed_rev())) return json_response(200, *cached);

    auto result = ctx.service.feed(*rc.caller, request);
    if (!result) return error_response(result.error());
    const FeedAnswer& a = result.value();
    auto body = std::make_shared<const std::string>(
        dump(Json{{"posts", posts_json(a.posts)}, {"cursor", a.cursor}, {"has_more", a.has_more}}));
    ctx.feed_cache.store(key, a.snapshot_rev, body);
    return json_response(200, *body);
}

ApiResponse create(ApiContext& ctx, const RouteContext& rc) {
    auto body = json_body(rc.request);
    if (!body) return error_response(body.error());
    auto request = decode_create_post(body.value(), rc.caller->role, ctx.service.rules().max_body_code_points);
    if (!request) return error_response(request.error());
    return answer(ctx.service.create_post(*rc.caller, rc.params[0], std::move(request).value()),
                  [](const CreateAnswer& a) { return json_response(a.created ? 201 : 200, to_json(a.post)); });
}

ApiResponse get_post(ApiContext& ctx, const RouteContext& rc) {
    return answer(ctx.service.get_post(*rc.caller, rc.params[0]),
                  [](const Post& p) { return json_response(200, to_json(p)); });
}

ApiResponse patch(ApiContext& ctx, const RouteContext& rc) {
    auto body = json_body(rc.request);
    if (!body) return error_response(body.error());
    auto request = decode_patch_post(body.value(), ctx.service.rules().max_body_code_points);
    if (!request) return error_response(request.error());
    return answer(ctx.service.patch_post(*rc.caller, rc.params[0], request.value()),
                  [](const Post& p) { return json_response(200, to_json(p)); });
}

ApiResponse remove(ApiContext& ctx, const RouteContext& rc) {
    return answer(ctx.service.delete_post(*rc.caller, rc.params[0]), [](const Post& p) {
        return json_response(200, Json{{"id", p.id}, {"deleted", true}, {"rev", p.rev}});
    });
}

ApiResponse endorsement(ApiContext& ctx, const RouteContext& rc, bool endorsed) {
    return answer(ctx.service.set_endorsement(*rc.caller, rc.params[0], endorsed), [](const EndorsementAnswer& a) {
        return json_response(200, Json{{"endorsements", a.endorsements}, {"endorsed_by_me", a.endorsed_by_me}});
    });
}

ApiResponse flag(ApiContext& ctx, const RouteContext& rc) {
    // The reason is optional, so an empty body is an empty object.
    Json j = Json::object();
    if (!rc.request.body.empty()) {
        auto body = json_body(rc.request);
        if (!body) return error_response(body.error());
        j = std::move(body).value();
    }
    auto request = decode_flag(j);
    if (!request) return error_response(request.error());
    const std::string id = rc.params[0];
    return answer(ctx.service.flag_post(*rc.caller, id, request.value()),
                  [&id](bool) { return json_response(202, Json{{"id", id}, {"flagged", true}}); });
}

ApiResponse spotlight(ApiContext& ctx, const RouteContext& rc) {
    auto days = rc.query.get_int("days", 7, 1, kMaxSpotlightDays);
    if (!days) return error_response(days.error());
    return answer(ctx.service.spotlight(*rc.caller, days.value()),
                  [](const std::vector<Post>& posts) { return json_response(200, Json{{"posts", posts_json(posts)}}); });
}

}  // namespace

void add_post_routes(std::vector<Route>& routes, ApiContext& ctx) {
    auto add = [&](const char* method, const char* path, bool write, RouteHandler h) {
        routes.push_back({method, route_pattern(path), Access::signed_in, write, std::move(h)});
    };
    add("GET", "/api/v1/me", false, me);
    add("GET", "/api/v1/modules/{}/posts", false, [&ctx](const RouteContext& rc) { return feed(ctx, rc); });
    add("POST", "/api/v1/modules/{}/posts", true, [&ctx](const RouteContext& rc) { return create(ctx, rc); });
    add("GET", "/api/v1/posts/{}", false, [&ctx](const RouteContext& rc) { return get_post(ctx, rc); });
    add("PATCH", "/api/v1/posts/{}", true, [&ctx](const RouteContext& rc) { return patch(ctx, rc); });
    add("DELETE", "/api/v1/posts/{}", true, [&ctx](const RouteContext& rc) { return remove(ctx, rc); });
    add("PUT", "/api/v1/posts/{}/endorsement", true,
        [&ctx](const RouteContext& rc) { return endorsement(ctx, rc, true); });
    add("DELETE", "/api/v1/posts/{}/endorsement", true,
        [&ctx](const RouteContext& rc) { return endorsement(ctx, rc, false); });
    add("POST", "/api/v1/posts/{}/flags", true, [&ctx](const RouteContext& rc) { return flag(ctx, rc); });
    add("GET", "/api/v1/spotlight", false, [&ctx](const RouteContext& rc) { return spotlight(ctx, rc); });
}

}  // namespace grove

// Routes for any signed-in role: who am I, the changes feed, writing posts, endorsing, flagging,
// the spotlight, commitments' outcomes and check-ins, counts for listing pages, the digest.
#include "api/responses.hpp"
#include "api/routes.hpp"
#include "grove/time.hpp"

namespace grove {

namespace {

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

Expected<FeedRequest> feed_request(const RouteContext& rc) {
    auto limit = rc.query.get_int("limit", kDefaultFeedLimit, 1, kMaxFeedLimit);
    if (!limit) return limit.error();
    FeedRequest request{rc.params[0], rc.query.get("since"), limit.value()};
    if (request.since && request.since->empty()) request.since.reset();
    return request;
}

// The same question at the same rev has the same answer: it is served from the cache.
std::string feed_cache_key(const FeedRequest& request, const Caller& caller) {
    return request.module + '\x1f' + request.since.value_or("") + '\x1f' + std::to_string(request.limit) + '\x1f' +
           std::string(to_string(caller.role)) + '\x1f' + caller.id;
}

// Only where this process makes every write: another instance's commit would not invalidate it.
std::shared_ptr<const SharedBody> cached_feed(ApiContext& ctx, const std::string& key) {
    return ctx.service.sole_writer() ? ctx.feed_cache.find(key, ctx.service.committed_rev()) : nullptr;
}

std::optional<ApiResponse> feed_from_memory(ApiContext& ctx, const RouteContext& rc) {
    auto request = feed_request(rc);
    if (!request) return error_response(request.error());
    auto cached = cached_feed(ctx, feed_cache_key(request.value(), *rc.caller));
    if (!cached) return std::nullopt;
    ApiResponse res = json_response(200, std::string());
    res.shared_body = std::move(cached);
    return res;
}

ApiResponse feed(ApiContext& ctx, const RouteContext& rc) {
    auto parsed = feed_request(rc);
    if (!parsed) return error_response(parsed.error());
    const FeedRequest& request = parsed.value();
    const std::string key = feed_cache_key(request, *rc.caller);
    ApiResponse res = json_response(200, std::string());
    if ((res.shared_body = cached_feed(ctx, key))) return res;
    const bool cacheable = ctx.service.sole_writer();

    auto result = ctx.service.feed(*rc.caller, request);
    if (!result) return error_response(result.error());
    const FeedAnswer& a = result.value();
    res.shared_body = std::make_shared<const SharedBody>(dump(feed_page_json(a.posts, a.cursor, a.has_more)));
    if (cacheable) ctx.feed_cache.store(key, a.snapshot_rev, res.shared_body);
    return res;
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
    auto title = module_title_of(rc.request);
    if (!title) return error_response(title.error());
    return answer(ctx.service.delete_post(*rc.caller, rc.params[0], title.value()), [](const Post& p) {
        return json_response(200, Json{{"id", p.id}, {"deleted", true}, {"rev", p.rev}});
    });
}

ApiResponse endorsement(ApiContext& ctx, const RouteContext& rc, bool endorsed) {
    auto title = module_title_of(rc.request);
    if (!title) return error_response(title.error());
    return answer(ctx.service.set_endorsement(*rc.caller, rc.params[0], endorsed, title.value()),
                  [](const EndorsementAnswer& a) {
        return json_response(200, to_json(EndorsementState{a.endorsements, a.endorsed_by_me}));
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
                  [](const std::vector<Post>& posts) { return json_response(200, post_list_json(posts)); });
}

ApiResponse outcome(ApiContext& ctx, const RouteContext& rc) {
    auto body = json_body(rc.request);
    if (!body) return error_response(body.error());
    auto request = decode_outcome(body.value());
    if (!request) return error_response(request.error());
    return answer(ctx.service.record_outcome(*rc.caller, rc.params[0], request.value()),
                  [](const Post& p) { return json_response(200, to_json(p)); });
}

ApiResponse check_ins(ApiContext& ctx, const RouteContext& rc) {
    return answer(ctx.service.due_check_ins(*rc.caller),
                  [](const std::vector<Post>& posts) { return json_response(200, post_list_json(posts)); });
}

Json title_json(const std::optional<std::string>& title) { return title ? Json(*title) : Json(nullptr); }

ApiResponse counts(ApiContext& ctx, const RouteContext& rc) {
    const auto list = rc.query.get("modules");
    std::vector<std::string> modules;
    if (list && !list->empty()) {
        // Split on commas; the service says what is wrong with an empty or bad key.
        std::size_t start = 0;
        while (start <= list->size() && modules.size() <= kMaxCountModules) {
            std::size_t end = list->find(',', start);
            if (end == std::string::npos) end = list->size();
            modules.push_back(list->substr(start, end - start));
            start = end + 1;
        }
    }
    return answer(ctx.service.counts(*rc.caller, modules), [](const std::vector<ModuleCountsRow>& rows) {
        Json counts = Json::object();
        for (const ModuleCountsRow& r : rows)
            counts[r.module] = Json{{"posts", r.posts},
                                    {"replies", r.replies},
                                    {"contributors", r.contributors},
                                    {"module_title", title_json(r.module_title)}};
        return json_response(200, Json{{"counts", counts}});
    });
}

ApiResponse digest(ApiContext& ctx, const RouteContext& rc) {
    auto days = rc.query.get_int("days", 7, 1, kMaxDigestDays);
    if (!days) return error_response(days.error());
    return answer(ctx.service.digest(*rc.caller, days.value()), [](const DigestAnswer& a) {
        Json modules = Json::array();
        for (const ModuleActivityRow& m : a.modules)
            modules.push_back(Json{{"module", m.module},
                                   {"module_title", title_json(m.module_title)},
                                   {"posts", m.posts},
                                   {"contributors", m.contributors}});
        return json_response(200, Json{{"from", format_rfc3339_ms(a.from_ms)},
                                       {"to", format_rfc3339_ms(a.to_ms)},
                                       {"leader_learnings", posts_json(a.leader_learnings)},
                                       {"top_posts", posts_json(a.top_posts)},
                                       {"commitments",
                                        Json{{"made", a.commitments.made},
                                             {"done", a.commitments.done},
                                             {"partly", a.commitments.partly}}},
                                       {"modules", modules}});
    });
}

}  // namespace

void add_post_routes(std::vector<Route>& routes, ApiContext& ctx) {
    auto add = [&](const char* method, const char* path, bool write, RouteHandler h) {
        routes.push_back({method, route_pattern(path), Access::signed_in, write, std::move(h)});
    };
    add("GET", "/api/v1/me", false, me);
    add("GET", "/api/v1/modules/{}/posts", false, [&ctx](const RouteContext& rc) { return feed(ctx, rc); });
    routes.back().from_memory = [&ctx](const RouteContext& rc) { return feed_from_memory(ctx, rc); };
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
    add("PUT", "/api/v1/posts/{}/outcome", true, [&ctx](const RouteContext& rc) { return outcome(ctx, rc); });
    add("GET", "/api/v1/me/check-ins", false, [&ctx](const RouteContext& rc) { return check_ins(ctx, rc); });
    add("GET", "/api/v1/counts", false, [&ctx](const RouteContext& rc) { return counts(ctx, rc); });
    add("GET", "/api/v1/digest", false, [&ctx](const RouteContext& rc) { return digest(ctx, rc); });
}

}  // namespace grove

// Routes of the modules' resource shelves (api.md "Resources"): any role reads a shelf; curators
// and admins add, edit, reorder and remove. The service checks the roles; these only translate.
#include "api/routes.hpp"

namespace grove {

namespace {

ApiResponse list(ApiContext& ctx, const RouteContext& rc) {
    return answer(ctx.service.resources(*rc.caller, rc.params[0]), [](const std::vector<Resource>& shelf) {
        return json_response(200, resource_list_json(shelf));
    });
}

ApiResponse create(ApiContext& ctx, const RouteContext& rc) {
    auto body = json_body(rc.request);
    if (!body) return error_response(body.error());
    auto request = decode_create_resource(body.value());
    if (!request) return error_response(request.error());
    return answer(ctx.service.create_resource(*rc.caller, rc.params[0], std::move(request).value()),
                  [](const ResourceAnswer& a) { return json_response(a.created ? 201 : 200, to_json(a.resource)); });
}

ApiResponse patch(ApiContext& ctx, const RouteContext& rc) {
    auto body = json_body(rc.request);
    if (!body) return error_response(body.error());
    auto request = decode_patch_resource(body.value());
    if (!request) return error_response(request.error());
    return answer(ctx.service.patch_resource(*rc.caller, rc.params[0], request.value()),
                  [](const Resource& r) { return json_response(200, to_json(r)); });
}

ApiResponse remove(ApiContext& ctx, const RouteContext& rc) {
    auto title = module_title_of(rc.request);
    if (!title) return error_response(title.error());
    return answer(ctx.service.delete_resource(*rc.caller, rc.params[0], title.value()), [](const Resource& r) {
        return json_response(200, Json{{"id", r.id}, {"deleted", true}, {"rev", r.rev}});
    });
}

}  // namespace

void add_resource_routes(std::vector<Route>& routes, ApiContext& ctx) {
    auto add = [&](const char* method, const char* path, bool write, RouteHandler h) {
        routes.push_back({method, route_pattern(path), Access::signed_in, write, std::move(h)});
    };
    add("GET", "/api/v1/modules/{}/resources", false, [&ctx](const RouteContext& rc) { return list(ctx, rc); });
    add("POST", "/api/v1/modules/{}/resources", true, [&ctx](const RouteContext& rc) { return create(ctx, rc); });
    add("PATCH", "/api/v1/resources/{}", true, [&ctx](const RouteContext& rc) { return patch(ctx, rc); });
    add("DELETE", "/api/v1/resources/{}", true, [&ctx](const RouteContext& rc) { return remove(ctx, rc); });
}

}  // namespace grove

// Public routes: no token needed.
#include "api/responses.hpp"
#include "api/routes.hpp"

namespace grove {

void add_public_routes(std::vector<Route>& routes, ApiContext& ctx) {
    (void)ctx;
    routes.push_back({"GET", route_pattern("/api/v1/health"), Access::anyone, false, [](const RouteContext&) {
                          return json_response(200, Json{{"status", "ok"}, {"version", GROVE_VERSION}});
                      }});
}

}  // namespace grove

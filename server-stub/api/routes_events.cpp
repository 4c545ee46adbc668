// Live updates (API contract 1.1, "Several instances, PostgreSQL, live updates"):
// GET /api/v1/events?modules=m1,m2 checks the token (401) and the module list (400) like any
// route and answers 200 with the stream's headers and an EventStreamRequest; the HTTP front
// (http_connection.cpp) then keeps the stream open and EventHub feeds it.
#include "api/responses.hpp"
#include "api/routes.hpp"
#include "grove/validation.hpp"

namespace grove {

namespace {

constexpr std::size_t kMaxStreamModules = 20;

ApiError bad_modules(const std::string& why) {
    return ApiError::bad_request(why + " Name 1 to 20 modules to follow: ?modules=m1,m2", "modules");
}

ApiResponse events(const RouteContext& rc) {
    const auto list = rc.query.get("modules");
    if (!list || list->empty()) return error_response(bad_modules("The module list is missing."));
    auto stream = std::make_shared<EventStreamRequest>();
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = list->find(',', start);
        const std::string key = list->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!is_valid_module_key(key))
            return error_response(bad_modules(key.empty() ? "The module list has an empty entry."
                                                           : "'" + key.substr(0, 140) + "' is not a module key."));
        bool seen = false;
        for (const std::string& m : stream->modules) seen = seen || m == key;
        if (!seen) stream->modules.push_back(key);
        if (stream->modules.size() > kMaxStreamModules) return error_response(bad_modules("The list has too many modules."));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    stream->until_ms = rc.caller->token_exp_s * 1000;
    ApiResponse res;
    res.status = 200;
    res.headers.emplace("Content-Type", "text/event-stream; charset=utf-8");
    res.headers.emplace("X-Accel-Buffering", "no");   // nginx: pass events on at once
    res.stream = std::move(stream);
    return res;
}

}  // namespace

void add_event_routes(std::vector<Route>& routes, ApiContext& ctx) {
    (void)ctx;
    routes.push_back({"GET", route_pattern("/api/v1/events"), Access::signed_in, false, events});
}

}  // namespace grove

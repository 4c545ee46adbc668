// The API's routes, split by audience like Remark42's handlers:
//   routes_public.cpp      health (no token)
//   routes_posts.cpp       any signed-in role: me, feed, create, edit, delete, endorse, flag, spotlight,
//                          commitment outcomes and check-ins, counts, digest
//   routes_resources.cpp   the modules' resource shelves (any role reads, curators/admins write)
//   routes_moderation.cpp  curators/admins (flag queue, dismissing flags) and curators/leaders/admins
//                          (stats, the all-modules stats and their CSV)
//   routes_dev.cpp         --dev only: mint tokens, move the service's clock
//   routes_events.cpp      any signed-in role: the event stream of live updates
// A route names its method, its path pattern ("{}" is a parameter), whether it needs a token
// and whether it is a write (counted by the per-user write limit).
#pragma once

#include <atomic>       // std::atomic
#include <functional>   // std::function
#include <optional>     // std::optional
#include <string>       // std::string
#include <utility>      // std::move
#include <vector>       // std::vector

#include "api/api_router.hpp"
#include "api/feed_cache.hpp"
#include "api/query_params.hpp"
#include "api/responses.hpp"
#include "auth/caller.hpp"
#include "service/discussion_service.hpp"

namespace grove {

struct RouteContext {
    const ApiRequest& request;
    const Caller* caller;                 // nullptr on public routes
    std::vector<std::string> params;      // the "{}" segments, decoded, in order
    const QueryParams& query;
};

using RouteHandler = std::function<ApiResponse(const RouteContext&)>;
// Answers from memory alone (a cache), or nullopt when the route's handler must run.
using MemoryHandler = std::function<std::optional<ApiResponse>(const RouteContext&)>;

enum class Access { anyone, signed_in };

struct Route {
    Route(std::string m, std::vector<std::string> p, Access a, bool write, RouteHandler h, MemoryHandler memory = {})
        : method(std::move(m)), pattern(std::move(p)), access(a), is_write(write), handler(std::move(h)),
          from_memory(std::move(memory)) {}

    std::string method;
    std::vector<std::string> pattern;     // {"api", "v1", "posts", "{}"}
    Access access = Access::signed_in;
    bool is_write = false;
    RouteHandler handler;
    MemoryHandler from_memory;            // optional: see ApiRouter::answer_from_memory
};

// What route handlers may use.
struct ApiContext {
    const ServerOptions& options;
    DiscussionService& service;
    FeedCache& feed_cache;
    UnixMsClock clock;                    // the real clock (tokens, limits)
    // --dev only: how far the service's clock (timestamps, check-ins, digests) runs ahead of
    // `clock`, so tests of the real binary can let a week pass.
    std::atomic<std::int64_t>& dev_clock_offset_ms;
};

std::vector<std::string> route_pattern(const std::string& path);   // "/api/v1/posts/{}" -> segments

void add_public_routes(std::vector<Route>& routes, ApiContext& context);
void add_post_routes(std::vector<Route>& routes, ApiContext& context);
void add_resource_routes(std::vector<Route>& routes, ApiContext& context);
void add_moderation_routes(std::vector<Route>& routes, ApiContext& context);
void add_dev_routes(std::vector<Route>& routes, ApiContext& context);
void add_event_routes(std::vector<Route>& routes, ApiContext& context);

// The request body as a JSON object (400 invalid_utf8 / invalid_json / bad_request otherwise).
Expected<Json> json_body(const ApiRequest& request);
// For writes whose body is optional (DELETE, endorsements): the "module_title" it carries, if
// any. No body is no title; a body must be a JSON object.
Expected<std::optional<std::string>> module_title_of(const ApiRequest& request);

template <class T, class F>
ApiResponse answer(const Expected<T>& result, F&& to_response) {
    if (!result) return error_response(result.error());
    return to_response(result.value());
}

}  // namespace grove

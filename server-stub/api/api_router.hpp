// ApiRouter: the whole REST API of api.md as a function from request to response, no sockets.
//
// Everything the API decides happens behind handle(): routing, CORS, body limits, token
// verification, the per-user write limit, validation, the service rules and storage. The HTTP
// front (http_server.cpp) only adapts requests and responses and enforces transport limits;
// tests and the sync engine's convergence test drive the real server logic in process:
//
//   auto storage = grove::open_sqlite_engine({":memory:"});
//   grove::ServerOptions options;  options.dev = true;  options.jwt_secret = "secret";
//   std::int64_t now = 1'800'000'000'000;
//   grove::ApiRouter api(options, std::move(storage), [&] { return now; });
//   grove::ApiRequest req{"POST", "/api/v1/dev/token", "", {}, R"({"sub":"u1","name":"Ann","role":"learner"})"};
//   grove::ApiResponse res = api.handle(req);   // 200 {"token": "..."}
#pragma once

#include <cstdint>       // std::int64_t
#include <map>           // std::multimap
#include <memory>        // std::shared_ptr, std::unique_ptr
#include <optional>      // std::optional
#include <string>        // std::string
#include <string_view>

#include "compression.hpp"   // SharedBody
#include "options.hpp"
#include "service/discussion_service.hpp"
#include "service/event_hub.hpp"
#include "storage/storage_engine.hpp"

namespace grove {

struct CaseInsensitiveLess {
    bool operator()(const std::string& a, const std::string& b) const;
};
using ApiHeaders = std::multimap<std::string, std::string, CaseInsensitiveLess>;

struct ApiRequest {
    std::string method;    // "GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"
    std::string path;      // as sent (percent-encoded), without the query: "/api/v1/modules/m1/posts"
    std::string query;     // raw, without '?': "since=...&limit=50"
    ApiHeaders headers;    // e.g. {"Authorization", "Bearer <token>"}, {"Origin", "https://..."}
    std::string body;

    std::string header(const std::string& name) const;   // first value, or ""
};

// An answer whose body is an event stream (GET /api/v1/events): the HTTP front sends the
// headers, subscribes to ApiRouter::events() and keeps the stream open until `until_ms`.
struct EventStreamRequest {
    std::vector<std::string> modules;   // 1..20 distinct module keys
    std::int64_t until_ms = 0;          // when the caller's token expires (Unix ms)
};

struct ApiResponse {
    int status = 200;
    ApiHeaders headers;    // Content-Type, Retry-After, Access-Control-*, Allow, Cache-Control
    std::string body;      // JSON (empty for 204)
    // A cached answer's bytes (and their gzip form, made once), which the HTTP front sends from
    // where the cache keeps them. answer_from_memory() sets it instead of `body`; handle() sets
    // both (the same bytes), so that callers in process can read `body`.
    std::shared_ptr<const SharedBody> shared_body;
    std::shared_ptr<const EventStreamRequest> stream;   // set: `body` is empty, the stream follows

    std::string header(const std::string& name) const;
};

constexpr std::size_t kMaxRequestBodyBytes = 64 * 1024;   // api.md "Limits"

// The system clock in Unix ms.
std::int64_t system_unix_ms();

class ApiRouter {
public:
    // options: dev, jwt_secret, allow_origins, max_body_code_points, writes_per_minute,
    // auto_hide_flags, check_in_days are used; clock: Unix ms, for token expiry, rate limits and
    // timestamps. With --dev, PUT /api/v1/dev/clock moves the timestamps' clock (the service's)
    // ahead of `clock`; tokens and limits keep `clock`.
    ApiRouter(const ServerOptions& options, std::shared_ptr<StorageEngine> storage,
              UnixMsClock clock = system_unix_ms);
    ~ApiRouter();
    ApiRouter(const ApiRouter&) = delete;
    ApiRouter& operator=(const ApiRouter&) = delete;

    // Thread-safe: the HTTP front calls it from many worker threads at once.
    ApiResponse handle(const ApiRequest& request);

    // The answer handle() would give, if it can be given from memory alone (no storage, no
    // waiting: a GET whose answer is cached, or one refused before any route runs); nullopt
    // otherwise. The HTTP front tries it on its event loop before handing a GET to a worker,
    // which saves two thread hand-offs and a copy of the body per cached feed page.
    std::optional<ApiResponse> answer_from_memory(const ApiRequest& request);

    // An error answer for `request` with the headers every API answer carries (CORS included):
    // for errors the HTTP front detects itself, such as a body over 64 KiB.
    ApiResponse reject(const ApiRequest& request, const ApiError& error) const;

    // True when the HTTP front should route this path here ("/api/" and below).
    static bool is_api_path(std::string_view path);

    DiscussionService& service();
    // Committed changes, for event streams (fed by the storage engine's commit observer).
    EventHub& events();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace grove

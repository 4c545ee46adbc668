// ApiRouter: the request pipeline. In order:
//   1. only /api/ paths; the path is split and percent-decoded (400 on broken escapes)
//   2. CORS preflights (OPTIONS) are answered from the route table, before any token check
//   3. route lookup: unknown path 404 not_found, known path with another method 405
//   4. body limit (64 KiB, 413), even when the HTTP front already checked it
//   5. token (401) for every route but health and dev/token
//   6. per-user write limit for writes (429 + Retry-After)
//   7. the route handler (service rules, storage); storage failures become 503 (saying whether
//      the disk is full or read-only), bugs 500
//   8. CORS headers and Cache-Control on every answer, errors included
#include "api/api_router.hpp"

#include <atomic>   // std::atomic
#include <chrono>   // std::chrono::system_clock
#include <cstdio>   // std::fprintf

#include "api/middleware/auth.hpp"
#include "api/middleware/cors.hpp"
#include "api/middleware/rate_limit.hpp"
#include "api/responses.hpp"
#include "api/routes.hpp"

namespace grove {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string header_of(const ApiHeaders& headers, const std::string& name) {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
             std::vector<std::string>* params) {
    if (pattern.size() != segments.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == "{}") {
            if (segments[i].empty()) return false;
            if (params) params->push_back(segments[i]);
        } else if (pattern[i] != segments[i]) {
            return false;
        }
    }
    return true;
}

}  // namespace

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
    const std::size_t n = a.size() < b.size() ? a.size() : b.size();
    for (std::size_t i = 0; i < n; ++i) {
        const char x = lower(a[i]), y = lower(b[i]);
        if (x != y) return x < y;
    }
    return a.size() < b.size();
}

std::string ApiRequest::header(const std::string& name) const { return header_of(headers, name); }
std::string ApiResponse::header(const std::string& name) const { return header_of(headers, name); }

std::int64_t system_unix_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::vector<std::string> route_pattern(const std::string& path) {
    std::vector<std::string> segments;
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        segments.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return segments;
}

namespace {
// What a person reads when storage fails; the operator's details go to the log.
std::string unavailable_message(StorageError::Kind kind) {
    switch (kind) {
        case StorageError::Kind::full:
            return "The server's storage is full, so this change was not saved. Try again later.";
        case StorageError::Kind::read_only:
            return "The server's storage is read-only right now, so this change was not saved. Try again later.";
        case StorageError::Kind::failed: break;
    }
    return "The database is not available right now, so nothing was saved; try again shortly.";
}
}  // namespace

Expected<Json> json_body(const ApiRequest& request) {
    if (request.body.empty()) return ApiError::invalid_json("The request body is empty; send a JSON object.");
    return parse_json_object(request.body);
}

Expected<std::optional<std::string>> module_title_of(const ApiRequest& request) {
    if (request.body.empty()) return std::optional<std::string>();
    auto body = parse_json_object(request.body);
    if (!body) return body.error();
    return decode_module_title(body.value());
}

struct ApiRouter::Impl {
    Impl(const ServerOptions& o, std::shared_ptr<StorageEngine> s, UnixMsClock c)
        : options(o),
          storage(std::move(s)),
          clock(std::move(c)),
          service(*storage, DiscussionRules{o.max_body_code_points, o.auto_hide_flags, o.check_in_days},
                  [this] { return clock() + dev_clock_offset_ms.load(std::memory_order_relaxed); }),
          context{options, service, feed_cache, clock, dev_clock_offset_ms},
          authenticator(o.jwt_secret, TokenChecks{o.jwt_audience, o.jwt_issuer}),
          limiter(o.writes_per_minute),
          cors(o.allow_origins) {
        add_public_routes(routes, context);
        add_dev_routes(routes, context);
        add_post_routes(routes, context);
        add_resource_routes(routes, context);
        add_moderation_routes(routes, context);
        add_event_routes(routes, context);
        storage->set_commit_observer([this](const std::vector<CommittedChange>& changes) {
            std::vector<ChangeNotice> notices;
            notices.reserve(changes.size());
            for (const CommittedChange& c : changes)
                notices.push_back(ChangeNotice{c.module, c.rev, c.kind == Kind::leader_learning});
            hub.publish(notices);
        });
    }
    ~Impl() { storage->set_commit_observer(nullptr); }   // the storage may outlive the hub

    // memory_only: nullopt wherever a route's handler would have to run (see
    // answer_from_memory); otherwise always an answer.
    std::optional<ApiResponse> dispatch(const ApiRequest& request, bool memory_only);
    std::string allowed_methods(const std::vector<std::string>& segments) const;

    ServerOptions options;
    std::shared_ptr<StorageEngine> storage;
    UnixMsClock clock;
    EventHub hub;
    std::atomic<std::int64_t> dev_clock_offset_ms{0};   // only ever set through --dev routes
    DiscussionService service;
    FeedCache feed_cache;
    ApiContext context;
    Authenticator authenticator;
    WriteRateLimiter limiter;
    CorsPolicy cors;
    std::vector<Route> routes;
};

ApiRouter::ApiRouter(const ServerOptions& options, std::shared_ptr<StorageEngine> storage, UnixMsClock clock)
    : impl_(std::make_unique<Impl>(options, std::move(storage), std::move(clock))) {}

ApiRouter::~ApiRouter() = default;

DiscussionService& ApiRouter::service() { return impl_->service; }
EventHub& ApiRouter::events() { return impl_->hub; }

bool ApiRouter::is_api_path(std::string_view path) { return path == "/api" || path.rfind("/api/", 0) == 0; }

std::string ApiRouter::Impl::allowed_methods(const std::vector<std::string>& segments) const {
    std::string methods;
    for (const Route& r : routes) {
        if (!matches(r.pattern, segments, nullptr) || methods.find(r.method) != std::string::npos) continue;
        methods += (methods.empty() ? "" : ", ") + r.method;
    }
    return methods.empty() ? methods : methods + ", OPTIONS";
}

std::optional<ApiResponse> ApiRouter::Impl::dispatch(const ApiRequest& request, bool memory_only) {
    if (memory_only && request.method != "GET") return std::nullopt;
    if (!is_api_path(request.path)) return error_response(ApiError::not_found("There is no such API route."));
    auto segments = split_path(request.path);
    if (!segments) return error_response(segments.error());

    const std::string allowed = allowed_methods(segments.value());
    if (request.method == "OPTIONS") {
        if (allowed.empty())
            return error_response(ApiError::not_found("There is no such API route: " + request.path));
        if (CorsPolicy::is_preflight(request)) return cors.preflight(request, allowed);
        ApiResponse res;
        res.status = 204;
        res.headers.emplace("Allow", allowed);
        return res;
    }

    // HEAD is GET without the body (the HTTP front drops it).
    const std::string& method = request.method == "HEAD" ? std::string("GET") : request.method;
    const Route* route = nullptr;
    std::vector<std::string> params;
    for (const Route& r : routes) {
        if (r.method == method && matches(r.pattern, segments.value(), &params)) {
            route = &r;
            break;
        }
        params.clear();
    }
    if (!route) {
        if (allowed.empty())
            return error_response(
                ApiError::not_found("There is no such API route: " + request.method + " " + request.path));
        ApiResponse res = error_response(ApiError{405, "method_not_allowed",
                                                  request.method + " is not supported here; use " + allowed + ".", {}});
        res.headers.emplace("Allow", allowed);
        return res;
    }

    if (memory_only && (!route->from_memory || route->is_write)) return std::nullopt;
    if (request.body.size() > kMaxRequestBodyBytes) return error_response(ApiError::payload_too_large());
    auto query = QueryParams::parse(request.query);
    if (!query) return error_response(query.error());

    const std::int64_t now = clock();
    std::optional<Caller> caller;
    if (route->access == Access::signed_in) {
        auto who = authenticator.authenticate(request.header("Authorization"), now);
        if (!who) {
            ApiResponse res = error_response(who.error());
            res.headers.emplace("WWW-Authenticate", "Bearer");
            return res;
        }
        caller = std::move(who).value();
        if (route->is_write) {
            // Several instances on one database share the limit there; one instance counts alone.
            std::optional<int> wait;
            if (const auto shared = storage->admit_write(caller->id, now, options.writes_per_minute)) {
                if (!shared->allowed) wait = shared->retry_after_s;
            } else {
                wait = limiter.admit(caller->id, now);
            }
            if (wait) {
                ApiResponse res = error_response(ApiError::rate_limited(*wait));
                res.headers.emplace("Retry-After", std::to_string(*wait));
                return res;
            }
        }
    }
    const RouteContext context{request, caller ? &*caller : nullptr, std::move(params), query.value()};
    if (memory_only) return route->from_memory(context);
    return route->handler(context);
}

ApiResponse ApiRouter::handle(const ApiRequest& request) {
    ApiResponse res;
    try {
        res = *impl_->dispatch(request, false);
        if (res.shared_body) res.body = res.shared_body->bytes();   // callers in process read `body`
    } catch (const StorageError& e) {
        std::fprintf(stderr, "grove-server: storage error on %s %s: %s\n", request.method.c_str(),
                     request.path.c_str(), e.what());
        res = error_response(ApiError::unavailable(unavailable_message(e.kind)));
        // A full or read-only disk is not fixed in seconds: clients need not hurry back.
        res.headers.emplace("Retry-After", e.kind == StorageError::Kind::failed ? "5" : "30");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "grove-server: internal error on %s %s: %s\n", request.method.c_str(),
                     request.path.c_str(), e.what());
        res = error_response(ApiError::internal());
    }
    impl_->cors.decorate(request, res);
    res.headers.emplace("Cache-Control", "no-store");
    return res;
}

std::optional<ApiResponse> ApiRouter::answer_from_memory(const ApiRequest& request) {
    std::optional<ApiResponse> res;
    try {
        res = impl_->dispatch(request, true);
    } catch (const std::exception&) {
        return std::nullopt;   // handle() runs it again and answers the error
    }
    if (!res) return res;
    impl_->cors.decorate(request, *res);
    res->headers.emplace("Cache-Control", "no-store");
    return res;
}

ApiResponse ApiRouter::reject(const ApiRequest& request, const ApiError& error) const {
    ApiResponse res = error_response(error);
    impl_->cors.decorate(request, res);
    res.headers.emplace("Cache-Control", "no-store");
    return res;
}

}  // namespace grove

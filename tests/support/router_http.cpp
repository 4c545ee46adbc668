#include "router_http.hpp"

#include "auth/jwt.hpp"                 // sign_token
#include "storage/sqlite_engine.hpp"   // open_sqlite_engine

namespace grove::sim {

RouterServer::RouterServer(Loop& loop, std::string db, int writes_per_minute)
    : loop_(loop), db_(std::move(db)), writes_per_minute_(writes_per_minute) {
    restart();
}

RouterServer::~RouterServer() = default;

void RouterServer::restart() {
    router_.reset();
    ServerOptions options;
    options.dev = false;
    options.jwt_secret = kSecret;
    options.writes_per_minute = writes_per_minute_;
    options.auto_hide_flags = auto_hide_flags;   // 0 by default: curators decide
    options.check_in_days = check_in_days;
    router_ = std::make_unique<ApiRouter>(options, open_sqlite_engine(SqliteOptions{db_, /*sync_full=*/false}), [this] { return loop_.now(); });
}

std::string RouterServer::token(const std::string& sub, const std::string& name, Role role, std::int64_t valid_ms) const {
    grove::TokenClaims c;
    c.sub = sub;
    c.name = name;
    c.role = role;
    c.exp = (loop_.now() + valid_ms) / 1000;
    return sign_token(c, kSecret);
}

HttpResponse RouterServer::handle(const HttpRequest& request) {
    ApiRequest a;
    a.method = request.method;
    std::string rest = request.url;
    const auto scheme = rest.find("//");
    if (scheme != std::string::npos) rest = rest.substr(rest.find('/', scheme + 2));
    const auto q = rest.find('?');
    a.path = rest.substr(0, q);
    if (q != std::string::npos) a.query = rest.substr(q + 1);
    for (const auto& [k, v] : request.headers) a.headers.emplace(k, v);
    a.body = request.body;
    const ApiResponse r = router_->handle(a);
    HttpResponse out;
    out.status = r.status;
    out.body = r.body;
    if (const std::string ra = r.header("Retry-After"); !ra.empty()) out.retry_after_s = std::stoi(ra);
    if (r.status == 401) ++counts.rejected_401;
    if (r.status == 429) ++counts.server_429;
    ++counts.applied;
    return out;
}

Http::Handler RouterServer::handler(std::mt19937_64& rng) {
    return [this, &rng](const HttpRequest& request) {
        std::uniform_real_distribution<double> u(0, 1);
        if (faults_on) {
            if (u(rng) < faults.lose_request) {
                ++counts.lost_requests;
                return HttpResponse{0, {}, {}, "simulated: connection reset before the request was sent"};
            }
            if (u(rng) < faults.server_error) {
                ++counts.server_errors;
                return HttpResponse{503, R"({"error":{"code":"unavailable","message":"Proxy: try again."}})", {}, {}};
            }
            if (u(rng) < faults.rate_limit) {
                ++counts.rate_limited;
                return HttpResponse{429, R"({"error":{"code":"rate_limited","message":"Slow down."}})", 2, {}};
            }
        }
        HttpResponse r = handle(request);
        if (faults_on && u(rng) < faults.lose_response) {
            ++counts.lost_responses;
            return HttpResponse{0, {}, {}, "simulated: connection lost after the server answered"};
        }
        return r;
    };
}

}  // namespace grove::sim

// The real server logic (ApiRouter on SQLite) answering the simulated HTTP port, with injected
// faults between client and server: requests lost on the way, answers lost after the server
// applied the request, 5xx and 429 answers from a struggling proxy. Time is the simulation's.
#pragma once

#include <cstdint>   // std::int64_t
#include <memory>    // std::unique_ptr
#include <random>    // std::mt19937_64
#include <string>    // std::string

#include "api/api_router.hpp"   // ApiRouter (server-stub)
#include "client_sim.hpp"

namespace grove::sim {

struct Faults {
    double lose_request = 0;    // never reaches the server
    double lose_response = 0;   // the server applied it; the answer never arrives
    double server_error = 0;    // 503 from a proxy; the server never saw it
    double rate_limit = 0;      // 429 Retry-After from a proxy
};

struct FaultCounts {
    int lost_requests = 0, lost_responses = 0, server_errors = 0, rate_limited = 0, applied = 0, rejected_401 = 0,
        server_429 = 0;
};

class RouterServer {
public:
    // db: ":memory:" or a file path (restart() reopens it, as a server restart would).
    RouterServer(Loop& loop, std::string db = ":memory:", int writes_per_minute = 1000000);
    ~RouterServer();

    static constexpr const char* kSecret = "convergence-secret";
    static constexpr const char* kApi = "http://grove.test/api/v1";

    // A handler for sim::Http: faults drawn from `rng` when `faults` is on.
    Http::Handler handler(std::mt19937_64& rng);
    HttpResponse handle(const HttpRequest& request);   // no faults
    void restart();                                     // a new ApiRouter on the same database

    std::string token(const std::string& sub, const std::string& name, Role role, std::int64_t valid_ms) const;

    ApiRouter& router() { return *router_; }
    Faults faults;
    bool faults_on = false;
    int check_in_days = 7;   // --check-in-days; takes effect at restart()
    int auto_hide_flags = 0; // --auto-hide-flags (0: flags never hide posts here); takes effect at restart()
    FaultCounts counts;

private:
    Loop& loop_;
    std::string db_;
    int writes_per_minute_;
    std::unique_ptr<ApiRouter> router_;
};

}  // namespace grove::sim

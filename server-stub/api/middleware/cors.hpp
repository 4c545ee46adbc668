// CORS: which other origins may call the API from a browser (--allow-origin, repeatable).
// Allowed origins get Access-Control-Allow-Origin (with Vary: Origin) on every answer, errors
// included, and Access-Control-Expose-Headers for what the widget reads (Retry-After). Other
// origins get no Access-Control-Allow-Origin at all; same-origin pages need none.
#pragma once

#include <optional>   // std::optional
#include <string>     // std::string
#include <vector>     // std::vector

#include "api/api_router.hpp"

namespace grove {

class CorsPolicy {
public:
    explicit CorsPolicy(std::vector<std::string> allowed_origins);

    bool allows(const std::string& origin) const;
    // An OPTIONS request with Origin and Access-Control-Request-Method: the preflight answer.
    static bool is_preflight(const ApiRequest& request);
    // allowed_methods: what the path supports, e.g. "GET, POST, OPTIONS".
    ApiResponse preflight(const ApiRequest& request, const std::string& allowed_methods) const;
    // Adds the CORS headers an allowed origin needs to read this response.
    void decorate(const ApiRequest& request, ApiResponse& response) const;

private:
    std::vector<std::string> origins_;   // lower-cased, no trailing slash
};

}  // namespace grove

#include "api/middleware/cors.hpp"

#include <algorithm>   // std::find

#include "api/responses.hpp"

namespace grove {

namespace {

constexpr const char* kAllowedHeaders = "Authorization, Content-Type";
constexpr const char* kExposedHeaders = "Retry-After";
constexpr const char* kPreflightMaxAge = "600";

std::string normalized(std::string origin) {
    while (!origin.empty() && origin.back() == '/') origin.pop_back();
    for (char& c : origin)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return origin;
}

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// Every header in a comma-separated list must be one the API accepts.
bool headers_allowed(const std::string& requested) {
    std::size_t start = 0;
    while (start <= requested.size()) {
        std::size_t end = requested.find(',', start);
        if (end == std::string::npos) end = requested.size();
        std::string name = requested.substr(start, end - start);
        const auto b = name.find_first_not_of(" \t");
        const auto e = name.find_last_not_of(" \t");
        name = b == std::string::npos ? "" : lower(name.substr(b, e - b + 1));
        if (!name.empty() && name != "authorization" && name != "content-type") return false;
        start = end + 1;
    }
    return true;
}

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> allowed) {
    for (auto& o : allowed) origins_.push_back(normalized(std::move(o)));
}

bool CorsPolicy::allows(const std::string& origin) const {
    return !origin.empty() && std::find(origins_.begin(), origins_.end(), normalized(origin)) != origins_.end();
}

bool CorsPolicy::is_preflight(const ApiRequest& r) {
    return r.method == "OPTIONS" && !r.header("Origin").empty() && !r.header("Access-Control-Request-Method").empty();
}

ApiResponse CorsPolicy::preflight(const ApiRequest& r, const std::string& allowed_methods) const {
    const std::string origin = r.header("Origin");
    const std::string method = r.header("Access-Control-Request-Method");
    if (!allows(origin)) {
        ApiResponse res = error_response(ApiError::forbidden("The origin " + origin +
                                                             " may not call this API (see grove-server --allow-origin)."));
        res.headers.emplace("Vary", "Origin");
        return res;
    }
    ApiResponse res;
    if (allowed_methods.find(method) == std::string::npos || !headers_allowed(r.header("Access-Control-Request-Headers"))) {
        res = error_response(ApiError::forbidden("This cross-origin request is not allowed: method " + method +
                                                 " or one of the requested headers is not supported here."));
    } else {
        res.status = 204;
        res.headers.emplace("Access-Control-Allow-Methods", allowed_methods);
        res.headers.emplace("Access-Control-Allow-Headers", kAllowedHeaders);
        res.headers.emplace("Access-Control-Max-Age", kPreflightMaxAge);
    }
    res.headers.emplace("Access-Control-Allow-Origin", r.header("Origin"));
    res.headers.emplace("Vary", "Origin");
    return res;
}

void CorsPolicy::decorate(const ApiRequest& r, ApiResponse& res) const {
    const std::string origin = r.header("Origin");
    if (origins_.empty() || res.headers.count("Vary")) return;   // none configured, or a preflight answer
    res.headers.emplace("Vary", "Origin");
    if (!allows(origin)) return;
    res.headers.emplace("Access-Control-Allow-Origin", origin);
    res.headers.emplace("Access-Control-Expose-Headers", kExposedHeaders);
}

}  // namespace grove

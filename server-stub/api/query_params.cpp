#include "api/query_params.hpp"

namespace grove {

namespace {
int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%') {
            if (i + 2 >= s.size()) return std::nullopt;
            const int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (s[i] == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return out;
}

Expected<std::vector<std::string>> split_path(std::string_view raw) {
    std::vector<std::string> segments;
    std::size_t start = raw.empty() || raw[0] != '/' ? 0 : 1;
    while (start <= raw.size()) {
        std::size_t end = raw.find('/', start);
        if (end == std::string_view::npos) end = raw.size();
        auto segment = percent_decode(raw.substr(start, end - start), false);
        if (!segment) return ApiError::bad_request("The URL path has a broken percent escape.");
        segments.push_back(std::move(*segment));
        start = end + 1;
    }
    // "/api/v1/me/" is the same resource as "/api/v1/me".
    if (segments.size() > 1 && segments.back().empty()) segments.pop_back();
    return segments;
}

Expected<QueryParams> QueryParams::parse(std::string_view raw) {
    QueryParams q;
    std::size_t start = 0;
    while (start < raw.size()) {
        std::size_t end = raw.find('&', start);
        if (end == std::string_view::npos) end = raw.size();
        const std::string_view pair = raw.substr(start, end - start);
        if (!pair.empty()) {
            const std::size_t eq = pair.find('=');
            auto name = percent_decode(pair.substr(0, eq), true);
            auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
            if (!name || !value) return ApiError::bad_request("The query string has a broken percent escape.");
            q.params_.emplace_back(std::move(*name), std::move(*value));
        }
        start = end + 1;
    }
    return q;
}

std::optional<std::string> QueryParams::get(std::string_view name) const {
    for (const auto& [k, v] : params_)
        if (k == name) return v;
    return std::nullopt;
}

Expected<int> QueryParams::get_int(const char* name, int fallback, int min, int max) const {
    const auto text = get(name);
    if (!text) return fallback;
    const ApiError error = ApiError::bad_request("'" + std::string(name) + "' must be a whole number from " +
                                                     std::to_string(min) + " to " + std::to_string(max) + ".",
                                                 name);
    if (text->empty() || text->size() > 9) return error;
    long v = 0;
    for (char c : *text) {
        if (c < '0' || c > '9') return error;
        v = v * 10 + (c - '0');
    }
    if (v < min || v > max) return error;
    return static_cast<int>(v);
}

}  // namespace grove

#include "grove/errors.hpp"

#include <utility>   // std::move

namespace grove {

namespace {
ApiError make(int status, const char* code, std::string message, std::string field = {}) {
    return ApiError{status, code, std::move(message), std::move(field)};
}
}  // namespace

ApiError ApiError::invalid_json(std::string m) { return make(400, "invalid_json", std::move(m)); }
ApiError ApiError::invalid_utf8(std::string m) { return make(400, "invalid_utf8", std::move(m)); }
ApiError ApiError::bad_request(std::string m, std::string f) { return make(400, "bad_request", std::move(m), std::move(f)); }
ApiError ApiError::unauthorized(std::string m) { return make(401, "unauthorized", std::move(m)); }
ApiError ApiError::forbidden(std::string m) { return make(403, "forbidden", std::move(m)); }
ApiError ApiError::own_post() { return make(403, "own_post", "You cannot endorse your own post."); }
ApiError ApiError::not_found(std::string m) { return make(404, "not_found", std::move(m)); }
ApiError ApiError::conflict(std::string m) { return make(409, "conflict", std::move(m)); }
ApiError ApiError::payload_too_large() {
    return make(413, "payload_too_large", "The request body is larger than 64 KiB.");
}
ApiError ApiError::too_long(std::string f, std::string m) { return make(422, "too_long", std::move(m), std::move(f)); }
ApiError ApiError::empty(std::string f, std::string m) { return make(422, "empty", std::move(m), std::move(f)); }
ApiError ApiError::invalid_field(std::string f, std::string m) {
    return make(422, "invalid_field", std::move(m), std::move(f));
}
ApiError ApiError::rate_limited(int retry_after_seconds) {
    return make(429, "rate_limited",
                "Too many changes in a short time; try again in " + std::to_string(retry_after_seconds) + " s.");
}
ApiError ApiError::unavailable(std::string m) { return make(503, "unavailable", std::move(m)); }
ApiError ApiError::internal(std::string m) { return make(500, "internal", std::move(m)); }

bool operator==(const ApiError& a, const ApiError& b) {
    return a.status == b.status && a.code == b.code && a.message == b.message && a.field == b.field;
}

}  // namespace grove

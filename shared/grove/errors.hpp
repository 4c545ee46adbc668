// Every error the API can answer, with its HTTP status, as in the API contract (docs/API.md).
// The widget shows `message` to people, so each is a sentence a person understands.
#pragma once

#include <string>   // std::string

namespace grove {

struct ApiError {
    int status = 500;
    std::string code;      // snake_case, e.g. "too_long"
    std::string message;   // for a person
    std::string field;     // optional: which input field is wrong

    static ApiError invalid_json(std::string message);
    static ApiError invalid_utf8(std::string message = "The request contains bytes that are not valid UTF-8.");
    static ApiError bad_request(std::string message, std::string field = {});
    static ApiError unauthorized(std::string message = "Sign in again: the access token is missing, invalid or expired.");
    static ApiError forbidden(std::string message);
    static ApiError own_post();
    static ApiError not_found(std::string message = "Not found.");
    static ApiError conflict(std::string message);
    static ApiError payload_too_large();
    static ApiError too_long(std::string field, std::string message);
    static ApiError empty(std::string field, std::string message);
    static ApiError invalid_field(std::string field, std::string message);
    static ApiError rate_limited(int retry_after_seconds);
    static ApiError unavailable(std::string message);
    static ApiError internal(std::string message = "Something went wrong on the server.");
};

bool operator==(const ApiError& a, const ApiError& b);

}  // namespace grove

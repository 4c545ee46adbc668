#include "api/responses.hpp"

#include "grove/wire.hpp"

namespace grove {

ApiResponse json_response(int status, std::string serialized_json) {
    ApiResponse res;
    res.status = status;
    res.headers.emplace("Content-Type", "application/json; charset=utf-8");
    res.body = std::move(serialized_json);
    return res;
}

ApiResponse json_response(int status, const Json& body) { return json_response(status, dump(body)); }

ApiResponse error_response(const ApiError& error) { return json_response(error.status, to_json(error)); }

}  // namespace grove

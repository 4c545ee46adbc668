// Building API responses: JSON bodies, the api.md error body, the headers every answer carries.
#pragma once

#include "api/api_router.hpp"
#include "grove/errors.hpp"
#include "grove/wire.hpp"

namespace grove {

ApiResponse json_response(int status, const Json& body);
ApiResponse json_response(int status, std::string serialized_json);
ApiResponse error_response(const ApiError& error);

}  // namespace grove

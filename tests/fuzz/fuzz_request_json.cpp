// Fuzz target: request JSON decoding and validation (shared/grove/wire, validation, utf8).
// Properties checked beyond "no crash": whatever decodes also re-encodes and decodes to the
// same value, and every accepted body obeys the length and UTF-8 rules.
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint8_t
#include <string_view>

#include "grove/utf8.hpp"
#include "grove/validation.hpp"
#include "grove/wire.hpp"
#include "fuzz_require.hpp"

using namespace grove;

namespace {

void check_body(const std::string& body, std::size_t max) {
    require(is_valid_utf8(body));
    require(!body.empty() && count_code_points(body) <= max);
    require(trim(body) == body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto parsed = parse_json_object(bytes);
    (void)error_from_response(400, bytes);
    if (!parsed) {
        require(parsed.error().status == 400);
        return 0;
    }
    const Json& j = parsed.value();
    for (Role role : {Role::learner, Role::leader}) {
        auto create = decode_create_post(j, role, 50);
        if (create) {
            check_body(create->body, 50);
            require(create->id.empty() || is_valid_post_id(create->id));
            auto again = decode_create_post(Json::parse(dump(to_json(create.value()))), role, 50);
            require(again && again->body == create->body && again->kind == create->kind &&
                    again->parent_id == create->parent_id);
        } else {
            require(create.error().status >= 400 && create.error().status < 500);
        }
    }
    if (auto patch = decode_patch_post(j)) {
        if (patch->body) check_body(*patch->body, kDefaultMaxBodyCodePoints);
        auto again = decode_patch_post(Json::parse(dump(to_json(patch.value()))));
        require(again && again->body == patch->body && again->pinned == patch->pinned && again->hidden == patch->hidden);
    }
    if (auto flag = decode_flag(j)) require(count_code_points(flag->reason) <= kMaxFlagReasonCodePoints);
    if (auto post = post_from_json(j)) {
        auto again = post_from_json(Json::parse(dump(to_json(post.value()))));
        require(again && again.value() == post.value());
    }
    return 0;
}

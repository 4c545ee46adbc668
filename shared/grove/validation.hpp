// Input rules shared by the server (which enforces them) and the widget (which applies them
// before it queues a write, so a person learns at once why a post cannot be sent).
#pragma once

#include <cstddef>   // std::size_t
#include <string>    // std::string
#include <string_view>

#include "grove/expected.hpp"
#include "grove/post.hpp"

namespace grove {

bool is_valid_post_id(std::string_view id);        // 1..64 of A-Z a-z 0-9 _ -
bool is_valid_module_key(std::string_view key);    // 1..128 of A-Z a-z 0-9 . _ : -
bool is_valid_user_id(std::string_view id);        // 1..128 code points, valid UTF-8, no control chars
bool is_valid_display_name(std::string_view name); // 1..100 code points, valid UTF-8, no control chars

// Trims the body and checks it holds 1..max_code_points code points. Errors name field "body".
Expected<std::string> validate_body(std::string_view raw, std::size_t max_code_points = kDefaultMaxBodyCodePoints);
// The kind must exist and the role must be allowed to post it. Errors name field "kind".
Expected<Kind> validate_kind(std::string_view kind, Role role);

constexpr std::size_t kMaxFlagReasonCodePoints = 500;
constexpr std::size_t kMaxFlagDetailsCodePoints = 500;   // what else a flagger tells the curators

}  // namespace grove

#include "grove/validation.hpp"

#include "grove/utf8.hpp"

namespace grove {

namespace {

bool all_of_charset(std::string_view s, std::size_t max_len, bool (*ok)(char)) {
    if (s.empty() || s.size() > max_len) return false;
    for (char c : s)
        if (!ok(c)) return false;
    return true;
}

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool id_char(char c) { return is_alnum(c) || c == '_' || c == '-'; }
bool module_char(char c) { return id_char(c) || c == '.' || c == ':'; }

bool printable_text(std::string_view s, std::size_t max_code_points) {
    if (s.empty() || !is_valid_utf8(s)) return false;
    const std::size_t n = count_code_points(s);
    if (n > max_code_points) return false;
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7F) return false;
    return true;
}

}  // namespace

bool is_valid_post_id(std::string_view id) { return all_of_charset(id, 64, id_char); }
bool is_valid_module_key(std::string_view key) { return all_of_charset(key, 128, module_char); }
bool is_valid_user_id(std::string_view id) { return printable_text(id, 128); }
bool is_valid_display_name(std::string_view name) { return printable_text(name, 100); }

Expected<std::string> validate_body(std::string_view raw, std::size_t max_code_points) {
    if (!is_valid_utf8(raw)) return ApiError::invalid_utf8("The text is not valid UTF-8.");
    std::string body = trim(raw);
    if (body.empty()) return ApiError::empty("body", "Write something before posting.");
    const std::size_t n = count_code_points(body);
    if (n > max_code_points)
        return ApiError::too_long("body", "Posts are limited to " + std::to_string(max_code_points) +
                                              " characters; this one has " + std::to_string(n) + ".");
    return body;
}

Expected<Kind> validate_kind(std::string_view text, Role role) {
    const auto kind = kind_from_string(text);
    if (!kind)
        return ApiError::invalid_field("kind", "The kind must be insight, question, tip or leader_learning.");
    if (!can_post_kind(role, *kind))
        return ApiError::forbidden("Only leaders can post leader learnings.");
    return *kind;
}

}  // namespace grove

#include "grove/client/token_identity.hpp"

#include "grove/validation.hpp"   // is_valid_user_id, is_valid_display_name
#include "grove/wire.hpp"         // Json

namespace grove {

namespace {

std::optional<Identity> identity_from(const Json& j, const char* id_field) {
    if (!j.is_object()) return std::nullopt;
    const auto id = j.find(id_field);
    const auto name = j.find("name");
    const auto role = j.find("role");
    if (id == j.end() || name == j.end() || role == j.end() || !id->is_string() || !name->is_string() ||
        !role->is_string())
        return std::nullopt;
    const auto r = role_from_string(role->get_ref<const std::string&>());
    if (!r || !is_valid_user_id(id->get_ref<const std::string&>()) ||
        !is_valid_display_name(name->get_ref<const std::string&>()))
        return std::nullopt;
    Identity out;
    out.id = id->get<std::string>();
    out.name = name->get<std::string>();
    out.role = *r;
    out.known = true;
    return out;
}

}  // namespace

std::optional<std::string> token_base64url_decode(std::string_view in) {
    while (!in.empty() && in.back() == '=') in.remove_suffix(1);
    std::string out;
    out.reserve(in.size() * 3 / 4);
    unsigned buffer = 0;
    int bits = 0;
    for (char c : in) {
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '-' || c == '+') v = 62;
        else if (c == '_' || c == '/') v = 63;
        else return std::nullopt;
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    if (bits >= 6) return std::nullopt;   // a lone trailing character cannot be a whole byte
    return out;
}

std::optional<TokenIdentity> read_token_identity(std::string_view token) {
    const auto first = token.find('.');
    if (first == std::string_view::npos) return std::nullopt;
    const auto second = token.find('.', first + 1);
    if (second == std::string_view::npos) return std::nullopt;
    const auto payload = token_base64url_decode(token.substr(first + 1, second - first - 1));
    if (!payload) return std::nullopt;
    const Json j = parse_json(*payload);
    auto identity = identity_from(j, "sub");
    if (!identity) return std::nullopt;
    TokenIdentity claims{*identity, std::nullopt};
    if (const auto exp = j.find("exp"); exp != j.end() && exp->is_number())
        claims.exp_ms = static_cast<std::int64_t>(exp->get<double>() * 1000.0);
    return claims;
}

std::optional<Identity> identity_from_me_response(std::string_view body) {
    return identity_from(parse_json(body), "id");
}

}  // namespace grove

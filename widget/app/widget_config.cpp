#include "widget_config.hpp"

#include "grove/validation.hpp"
#include "grove/wire.hpp"

namespace grove {

bool parse_hex_colour(const std::string& t, unsigned& rgb) {
    if ((t.size() != 7 && t.size() != 4) || t[0] != '#') return false;
    unsigned v = 0;
    for (std::size_t i = 1; i < t.size(); ++i) {
        const char c = t[i];
        unsigned d;
        if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
        else return false;
        v = t.size() == 7 ? (v << 4) | d : (v << 8) | (d << 4) | d;
    }
    rgb = v;
    return true;
}

Expected<WidgetConfig> parse_widget_config(const std::string& text) {
    auto parsed = parse_json_object(text);
    if (!parsed) return parsed.error();
    const Json& j = parsed.value();
    WidgetConfig c;
    const auto str = [&](const char* name) -> std::string {
        const auto it = j.find(name);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    c.module = str("module");
    if (!is_valid_module_key(c.module))
        return ApiError::invalid_field("data-grove-module",
                                       "data-grove-module must be 1 to 128 characters from A-Z a-z 0-9 . _ : -");
    c.prompt = str("prompt");
    if (c.prompt.empty()) c.prompt = kDefaultPrompt;
    const std::string theme = str("theme");
    if (theme.empty() || theme == "auto") c.theme = ThemeMode::auto_;
    else if (theme == "light") c.theme = ThemeMode::light;
    else if (theme == "dark") c.theme = ThemeMode::dark;
    else return ApiError::invalid_field("data-grove-theme", "data-grove-theme must be light, dark or auto.");
    const auto dark = j.find("prefers_dark");
    c.prefers_dark = dark != j.end() && dark->is_boolean() && dark->get<bool>();
    const std::string accent = str("accent");
    if (!accent.empty() && !parse_hex_colour(accent, c.accent_rgb))
        return ApiError::invalid_field("data-grove-accent", "data-grove-accent must be a hex colour like #0a66c2.");
    c.api = str("api");
    std::string height = str("height");   // a CSS keyword: any case
    for (char& ch : height) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    c.grow = height == "none";
    const std::string title = str("title");
    if (!title.empty()) {
        auto t = validate_title(title, "data-grove-title", kMaxModuleTitleCodePoints);
        if (!t)
            return ApiError::invalid_field("data-grove-title",
                                           "data-grove-title must be one line of 1 to 120 characters.");
        c.title = std::move(t).value();
    }
    const auto spot = j.find("spotlight");
    c.spotlight = spot == j.end() || !spot->is_boolean() || spot->get<bool>();
    return c;
}

}  // namespace grove

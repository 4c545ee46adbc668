// What the host page configured for one mounted widget (already validated by the loader and
// again here: attributes are external input).
#pragma once

#include <string>   // std::string

#include "grove/expected.hpp"

namespace grove {

enum class ThemeMode { light, dark, auto_ };

struct WidgetConfig {
    std::string module;                 // data-grove-module
    std::string prompt;                 // data-grove-prompt
    ThemeMode theme = ThemeMode::auto_; // data-grove-theme
    bool prefers_dark = false;          // prefers-color-scheme, for ThemeMode::auto_
    unsigned accent_rgb = 0x0a66c2;     // data-grove-accent
    std::string api;                    // API base URL, e.g. http://127.0.0.1:8080/api/v1
    // data-grove-height: none. The widget grows with its content (no inner scroll box), so the
    // thread shows its posts a page at a time ("Show more") instead of all of them.
    bool grow = false;
    std::string title;                  // data-grove-title, empty when none (sent as module_title)
    bool spotlight = true;              // draws the page's one spotlight line (the loader's choice)
};

constexpr const char* kDefaultPrompt = "What is one thing you will take from this module?";

// Parses the JSON the loader passes to grove_mount; errors name the attribute.
Expected<WidgetConfig> parse_widget_config(const std::string& json);
// "#0a66c2" or "#06c" -> 0x0a66c2.
bool parse_hex_colour(const std::string& text, unsigned& rgb);

}  // namespace grove

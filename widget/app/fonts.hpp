// Fonts for one ImGui context, rasterized at the device pixel ratio so text stays crisp.
// The TTF is the subset widget/CMakeLists.txt builds (GROVE_FONT_UNICODES): every glyph in it is
// used for text people write, so adding a script is one change there (see docs/FONTS.md).
#pragma once

#include <vector>    // std::vector

struct ImFont;

namespace grove {

struct Fonts {
    ImFont* body = nullptr;     // 15 CSS px: posts, composer, buttons
    ImFont* small = nullptr;    // 13 CSS px: meta lines, badges, counters
    ImFont* title = nullptr;    // 17 CSS px: headings (Grove's own words: Latin-1 glyphs only)
};

constexpr float kBodyPx = 15.0f, kSmallPx = 13.0f, kTitlePx = 17.0f;

// Builds the current context's atlas from a TTF at `scale` device pixels per CSS pixel. An empty
// ttf falls back to ImGui's built-in font (tests without the subset, or a failed download).
Fonts build_fonts(const std::vector<unsigned char>& ttf, float scale);

}  // namespace grove

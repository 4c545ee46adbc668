// Fonts for one ImGui context, rasterized at the device pixel ratio so text stays crisp.
#pragma once

#include <cstddef>   // std::size_t
#include <vector>    // std::vector

struct ImFont;

namespace grove {

struct Fonts {
    ImFont* body = nullptr;     // 15 CSS px
    ImFont* small = nullptr;    // 13 CSS px: meta lines, counters
    ImFont* title = nullptr;    // 18 CSS px: headings
};

// Builds the current context's atlas from a TTF (the subset the build makes from DejaVu Sans)
// at `scale` device pixels per CSS pixel. An empty ttf falls back to ImGui's built-in font.
Fonts build_fonts(const std::vector<unsigned char>& ttf, float scale);

}  // namespace grove

// Colours and sizes: light or dark, with the host page's accent colour.
#pragma once

#include "widget_config.hpp"

namespace grove {

struct Palette {
    unsigned background, surface, text, text_muted, border, accent, accent_text;
    bool dark;
};

Palette make_palette(bool dark, unsigned accent_rgb);
// Resets the current context's style to Grove's look at `scale` device pixels per CSS pixel.
void apply_theme(const Palette& palette, float scale);

}  // namespace grove

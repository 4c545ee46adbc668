#include "fonts.hpp"

#include <imgui.h>   // ImGui::GetIO, ImFontAtlas

namespace grove {

namespace {

// Latin, Latin Extended, Greek, Cyrillic and common punctuation: what the subset font holds.
const ImWchar kRanges[] = {
    0x0020, 0x024F,   // Basic Latin, Latin-1 Supplement, Latin Extended-A and -B
    0x0370, 0x03FF,   // Greek and Coptic
    0x0400, 0x052F,   // Cyrillic and Cyrillic Supplement
    0x1E00, 0x1EFF,   // Latin Extended Additional (Vietnamese)
    0x2000, 0x206F,   // General Punctuation
    0x20A0, 0x20BF,   // Currency symbols
    0x2190, 0x21FF,   // Arrows
    0x2600, 0x26FF,   // Miscellaneous symbols
    0x2700, 0x27BF,   // Dingbats
    0,
};

ImFont* add(const std::vector<unsigned char>& ttf, float px) {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = false;    // the TTF bytes are shared by every mount
    cfg.OversampleH = 1;                 // rasterized at device resolution already
    cfg.OversampleV = 1;
    cfg.PixelSnapH = true;
    if (ttf.empty()) {
        cfg.SizePixels = px;
        return atlas->AddFontDefault(&cfg);
    }
    return atlas->AddFontFromMemoryTTF(const_cast<unsigned char*>(ttf.data()), static_cast<int>(ttf.size()), px,
                                       &cfg, kRanges);
}

}  // namespace

Fonts build_fonts(const std::vector<unsigned char>& ttf, float scale) {
    ImGui::GetIO().Fonts->Clear();
    Fonts f;
    f.body = add(ttf, 15.0f * scale);
    f.small = add(ttf, 13.0f * scale);
    f.title = add(ttf, 18.0f * scale);
    ImGui::GetIO().FontDefault = f.body;
    return f;
}

}  // namespace grove

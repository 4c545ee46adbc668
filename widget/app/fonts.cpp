#include "fonts.hpp"

#include <imgui.h>   // ImGui::GetIO, ImFontAtlas

namespace grove {

namespace {

// Body and small text: the whole Basic Multilingual Plane. ImGui packs only the code points the
// font really has, so the subset made at build time decides what is in the atlas.
const ImWchar kAllRanges[] = {0x0020, 0xFFFF, 0};
// Headings are Grove's own English words.
const ImWchar kTitleRanges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0};

ImFont* add(const std::vector<unsigned char>& ttf, float px, const ImWchar* ranges) {
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
                                       &cfg, ranges);
}

}  // namespace

Fonts build_fonts(const std::vector<unsigned char>& ttf, float scale) {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    atlas->Clear();
    atlas->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;   // a smaller texture at high DPR
    Fonts f;
    f.body = add(ttf, kBodyPx * scale, kAllRanges);
    f.small = add(ttf, kSmallPx * scale, kAllRanges);
    f.title = add(ttf, kTitlePx * scale, kTitleRanges);
    ImGui::GetIO().FontDefault = f.body;
    return f;
}

}  // namespace grove

#include "theme.hpp"

#include <utility>   // std::swap

#include <imgui.h>   // ImGuiStyle

#include "math.hpp"  // power

namespace grove {

namespace {

double channel(unsigned c) {
    const double s = c / 255.0;
    return s <= 0.04045 ? s / 12.92 : power((s + 0.055) / 1.055, 2.4);
}

ImVec4 rgb(unsigned c, float a = 1.0f) {
    return ImVec4(((c >> 16) & 0xFF) / 255.0f, ((c >> 8) & 0xFF) / 255.0f, (c & 0xFF) / 255.0f, a);
}

constexpr unsigned kInk = 0x111418;    // "black" text
constexpr unsigned kPaper = 0xffffff;

}  // namespace

double relative_luminance(unsigned c) {
    return 0.2126 * channel((c >> 16) & 0xFF) + 0.7152 * channel((c >> 8) & 0xFF) + 0.0722 * channel(c & 0xFF);
}

double contrast_ratio(unsigned a, unsigned b) {
    double la = relative_luminance(a), lb = relative_luminance(b);
    if (la < lb) std::swap(la, lb);
    return (la + 0.05) / (lb + 0.05);
}

unsigned mix_rgb(unsigned a, unsigned b, float t) {
    unsigned out = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
        const float ca = static_cast<float>((a >> shift) & 0xFF), cb = static_cast<float>((b >> shift) & 0xFF);
        const float v = ca + (cb - ca) * t;
        out |= static_cast<unsigned>(v < 0 ? 0 : v > 255 ? 255 : v + 0.5f) << shift;
    }
    return out;
}

unsigned ensure_contrast(unsigned fg, unsigned bg, double ratio) {
    if (contrast_ratio(fg, bg) >= ratio) return fg;
    // Towards whichever end has room: dark text on light backgrounds, light on dark.
    const unsigned target = contrast_ratio(0x000000, bg) >= contrast_ratio(0xffffff, bg) ? 0x000000 : 0xffffff;
    for (int step = 1; step <= 20; ++step) {
        const unsigned c = mix_rgb(fg, target, step / 20.0f);
        if (contrast_ratio(c, bg) >= ratio) return c;
    }
    return target;
}

unsigned text_on(unsigned bg) {
    // Ink or white, whichever reads better; pure black for the mid-greys where ink falls short
    // (black or white always reaches 4.58:1).
    const unsigned best = contrast_ratio(kInk, bg) >= contrast_ratio(kPaper, bg) ? kInk : kPaper;
    if (contrast_ratio(best, bg) >= kTextContrast) return best;
    return contrast_ratio(0x000000, bg) >= contrast_ratio(kPaper, bg) ? 0x000000 : kPaper;
}

Palette make_palette(bool dark, unsigned accent) {
    Palette p;
    p.dark = dark;
    if (dark) {
        p.background = 0x1b1d21;
        p.surface = 0x24272c;
        p.surface_alt = 0x2c3036;
        p.text = 0xe8eaed;
        p.text_muted = 0xaab1bb;
        p.border = 0x3a3f46;
        p.control_border = 0x7a828d;
    } else {
        p.background = 0xffffff;
        p.surface = 0xffffff;
        p.surface_alt = 0xf4f6f8;
        p.text = 0x1d2125;
        p.text_muted = 0x596069;
        p.border = 0xdde1e6;
        p.control_border = 0x8a929c;
    }
    // Readable on every surface the widget uses (the darkest/lightest of them decides).
    const unsigned surfaces[] = {p.background, p.surface, p.surface_alt};
    const auto readable = [&](unsigned fg, double ratio) {
        for (int pass = 0; pass < 3; ++pass)
            for (unsigned s : surfaces) fg = ensure_contrast(fg, s, ratio);
        return fg;
    };
    p.text_muted = readable(p.text_muted, kTextContrast);
    p.control_border = readable(p.control_border, kNonTextContrast);

    p.accent = accent;
    p.accent_text = text_on(accent);
    // In dark mode a deep accent reads poorly as text: start from a lighter version of it.
    p.link = readable(dark ? mix_rgb(accent, 0xffffff, 0.35f) : accent, kTextContrast);
    p.focus_ring = readable(dark ? mix_rgb(accent, 0xffffff, 0.25f) : accent, kNonTextContrast);
    // The selection is drawn at 35% under the text: darken (dark theme) or lighten it until
    // the text on it still reads.
    p.selection = accent;
    for (int i = 0; i < 12; ++i) {
        bool ok = true;
        for (unsigned s : surfaces) ok = ok && contrast_ratio(p.text, mix_rgb(s, p.selection, 0.35f)) >= kTextContrast;
        if (ok) break;
        p.selection = mix_rgb(p.selection, dark ? 0x000000 : 0xffffff, 0.2f);
    }

    const auto tinted = [&](unsigned hue, float amount, unsigned& bg, unsigned& fg) {
        bg = mix_rgb(p.surface, hue, amount);
        fg = ensure_contrast(dark ? mix_rgb(hue, 0xffffff, 0.45f) : mix_rgb(hue, 0x000000, 0.35f), bg, kTextContrast);
    };
    tinted(accent, dark ? 0.22f : 0.10f, p.chip_bg, p.chip_text);
    p.status_bg = mix_rgb(p.surface, p.text, dark ? 0.08f : 0.05f);
    p.status_text = ensure_contrast(p.text_muted, p.status_bg, kTextContrast);
    p.status_outline = mix_rgb(p.surface, p.text, dark ? 0.22f : 0.16f);
    tinted(0xb7791f, dark ? 0.24f : 0.14f, p.leader_bg, p.leader_text);     // amber: trusted voices
    tinted(0x2f855a, dark ? 0.24f : 0.12f, p.curator_bg, p.curator_text);   // green: curation
    tinted(0xc77700, dark ? 0.22f : 0.12f, p.warning_bg, p.warning_text);
    tinted(0xc53030, dark ? 0.24f : 0.10f, p.danger_bg, p.danger_text);
    p.disabled_bg = dark ? 0x33373d : 0xe6e9ed;
    p.disabled_text = ensure_contrast(dark ? 0x9aa1ab : 0x5d646d, p.disabled_bg, kTextContrast);
    return p;
}

AvatarColours avatar_colours(const Palette& p, unsigned hash) {
    // Distinct hues, none of them a warning or error red.
    static constexpr unsigned kHues[kAvatarHues] = {0x2b6cb0, 0x2f855a, 0x6b46c1, 0xb7791f,
                                                    0x0e7490, 0xb83280, 0x4c51bf, 0x718096};
    const unsigned hue = kHues[hash % kAvatarHues];
    AvatarColours c;
    c.bg = p.dark ? mix_rgb(p.surface, hue, 0.55f) : mix_rgb(p.surface, hue, 0.22f);
    c.text = ensure_contrast(p.dark ? mix_rgb(hue, 0xffffff, 0.75f) : mix_rgb(hue, 0x000000, 0.45f), c.bg, kTextContrast);
    return c;
}

void apply_theme(const Palette& p, float scale) {
    ImGuiStyle style;   // a fresh style: ScaleAllSizes must not compound
    style.WindowPadding = ImVec2(16, 14);
    style.FramePadding = ImVec2(10, 7);
    style.ItemSpacing = ImVec2(8, 8);
    style.ItemInnerSpacing = ImVec2(6, 4);
    style.WindowRounding = 0;
    style.FrameRounding = 6;
    style.ChildRounding = 8;
    style.PopupRounding = 8;
    style.PopupBorderSize = 1;
    style.GrabRounding = 6;
    style.ScrollbarSize = 10;
    style.ScrollbarRounding = 6;
    style.WindowBorderSize = 0;
    style.FrameBorderSize = 1;
    style.DisabledAlpha = 1.0f;   // disabled controls pick their own legible colours
    ImVec4* c = style.Colors;
    const ImVec4 bg = rgb(p.background), surface = rgb(p.surface), text = rgb(p.text), accent = rgb(p.accent);
    c[ImGuiCol_Text] = text;
    c[ImGuiCol_TextDisabled] = rgb(p.text_muted);
    c[ImGuiCol_WindowBg] = bg;
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_PopupBg] = surface;
    c[ImGuiCol_Border] = rgb(p.control_border);
    c[ImGuiCol_BorderShadow] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_FrameBg] = surface;
    c[ImGuiCol_FrameBgHovered] = rgb(mix_rgb(p.surface, p.accent, 0.05f));
    c[ImGuiCol_FrameBgActive] = surface;
    c[ImGuiCol_Button] = accent;
    c[ImGuiCol_ButtonHovered] = rgb(mix_rgb(p.accent, p.dark ? 0xffffff : 0x000000, 0.12f));
    c[ImGuiCol_ButtonActive] = rgb(mix_rgb(p.accent, p.dark ? 0xffffff : 0x000000, 0.24f));
    c[ImGuiCol_Header] = rgb(mix_rgb(p.surface, p.accent, 0.12f));
    c[ImGuiCol_HeaderHovered] = rgb(mix_rgb(p.surface, p.accent, 0.18f));
    c[ImGuiCol_HeaderActive] = rgb(mix_rgb(p.surface, p.accent, 0.26f));
    c[ImGuiCol_CheckMark] = accent;
    c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_ScrollbarGrab] = rgb(p.control_border, 0.7f);
    c[ImGuiCol_ScrollbarGrabHovered] = rgb(p.control_border);
    c[ImGuiCol_ScrollbarGrabActive] = rgb(p.text_muted);
    c[ImGuiCol_Separator] = rgb(p.border);
    c[ImGuiCol_TextSelectedBg] = rgb(p.selection, 0.35f);
    c[ImGuiCol_NavHighlight] = rgb(p.focus_ring);
    c[ImGuiCol_ModalWindowDimBg] = ImVec4(0, 0, 0, 0);
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

}  // namespace grove

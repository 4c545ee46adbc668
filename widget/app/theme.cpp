#include "theme.hpp"

#include <imgui.h>   // ImGuiStyle

namespace grove {

namespace {

ImVec4 rgb(unsigned c, float a = 1.0f) {
    return ImVec4(((c >> 16) & 0xFF) / 255.0f, ((c >> 8) & 0xFF) / 255.0f, (c & 0xFF) / 255.0f, a);
}

ImVec4 mix(ImVec4 a, ImVec4 b, float t) {
    return ImVec4(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, a.z + (b.z - a.z) * t, a.w + (b.w - a.w) * t);
}

}  // namespace

Palette make_palette(bool dark, unsigned accent) {
    if (dark) return Palette{0x1b1d21, 0x25282d, 0xe8eaed, 0xa9afb8, 0x3a3f46, accent, 0xffffff, true};
    return Palette{0xffffff, 0xf5f6f8, 0x1d2125, 0x596069, 0xd9dde3, accent, 0xffffff, false};
}

void apply_theme(const Palette& p, float scale) {
    ImGuiStyle style;   // a fresh style: ScaleAllSizes must not compound
    style.WindowPadding = ImVec2(14, 12);
    style.FramePadding = ImVec2(10, 6);
    style.ItemSpacing = ImVec2(8, 8);
    style.WindowRounding = 0;
    style.FrameRounding = 6;
    style.ChildRounding = 8;
    style.GrabRounding = 6;
    style.ScrollbarSize = 12;
    style.ScrollbarRounding = 6;
    style.WindowBorderSize = 0;
    style.FrameBorderSize = 1;
    ImVec4* c = style.Colors;
    const ImVec4 bg = rgb(p.background), surface = rgb(p.surface), text = rgb(p.text), accent = rgb(p.accent);
    c[ImGuiCol_Text] = text;
    c[ImGuiCol_TextDisabled] = rgb(p.text_muted);
    c[ImGuiCol_WindowBg] = bg;
    c[ImGuiCol_ChildBg] = surface;
    c[ImGuiCol_PopupBg] = bg;
    c[ImGuiCol_Border] = rgb(p.border);
    c[ImGuiCol_BorderShadow] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_FrameBg] = bg;
    c[ImGuiCol_FrameBgHovered] = mix(bg, accent, 0.06f);
    c[ImGuiCol_FrameBgActive] = mix(bg, accent, 0.10f);
    c[ImGuiCol_Button] = accent;
    c[ImGuiCol_ButtonHovered] = mix(accent, p.dark ? ImVec4(1, 1, 1, 1) : ImVec4(0, 0, 0, 1), 0.12f);
    c[ImGuiCol_ButtonActive] = mix(accent, p.dark ? ImVec4(1, 1, 1, 1) : ImVec4(0, 0, 0, 1), 0.24f);
    c[ImGuiCol_Header] = mix(surface, accent, 0.15f);
    c[ImGuiCol_HeaderHovered] = mix(surface, accent, 0.25f);
    c[ImGuiCol_HeaderActive] = mix(surface, accent, 0.35f);
    c[ImGuiCol_CheckMark] = accent;
    c[ImGuiCol_SliderGrab] = accent;
    c[ImGuiCol_SliderGrabActive] = accent;
    c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_ScrollbarGrab] = rgb(p.border);
    c[ImGuiCol_ScrollbarGrabHovered] = rgb(p.text_muted);
    c[ImGuiCol_ScrollbarGrabActive] = rgb(p.text_muted);
    c[ImGuiCol_Separator] = rgb(p.border);
    c[ImGuiCol_TextSelectedBg] = rgb(p.accent, 0.30f);
    c[ImGuiCol_NavHighlight] = accent;
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

}  // namespace grove

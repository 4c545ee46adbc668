#include "widget_app.hpp"

#include <imgui.h>   // ImGui::*

#include "grove/post.hpp"   // kDefaultMaxBodyCodePoints
#include "grove/utf8.hpp"

namespace grove {

WidgetApp::WidgetApp(WidgetConfig config, FontData font, Discussion* discussion)
    : config_(std::move(config)), font_(std::move(font)), discussion_(discussion) {}

void WidgetApp::set_scale(float scale) {
    if (scale <= 0.0f || scale == scale_) return;
    scale_ = scale;
    style_dirty_ = true;
}

void WidgetApp::set_prefers_dark(bool dark) {
    if (dark == config_.prefers_dark) return;
    config_.prefers_dark = dark;
    style_dirty_ = config_.theme == ThemeMode::auto_ || style_dirty_;
}

bool WidgetApp::prepare_frame() {
    if (!style_dirty_) return false;
    style_dirty_ = false;
    static const std::vector<unsigned char> kNoFont;
    fonts_ = build_fonts(font_ ? *font_ : kNoFont, scale_);
    const bool dark = config_.theme == ThemeMode::dark || (config_.theme == ThemeMode::auto_ && config_.prefers_dark);
    apply_theme(make_palette(dark, config_.accent_rgb), scale_);
    return true;
}

void WidgetApp::frame() {
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("grove", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);

    ImGui::PushFont(fonts_.title);
    ImGui::TextUnformatted("Reflect and share");
    ImGui::PopFont();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(config_.prompt.c_str());
    ImGui::PopTextWrapPos();

    const float width = ImGui::GetContentRegionAvail().x;
    if (focus_composer_) {
        ImGui::SetKeyboardFocusHere();
        focus_composer_ = false;
    }
    ImGui::InputTextMultiline("##composer", draft_, sizeof draft_, ImVec2(width, 90.0f * scale_));
    const std::size_t used = count_code_points(draft_);
    ImGui::PushFont(fonts_.small);
    ImGui::TextDisabled("%zu / %zu", used, kDefaultMaxBodyCodePoints);
    ImGui::PopFont();

    ImGui::Separator();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    ImGui::TextWrapped("No reflections yet for %s. Be the first to share what you learned.", config_.module.c_str());
    ImGui::PopStyleColor();

    content_height_ = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
    ImGui::End();
}

}  // namespace grove

#include "widget_app.hpp"

#include <imgui.h>   // ImGui::*

#include <algorithm>   // std::sort
#include <cstdio>      // std::snprintf

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
    // Minimal sync wiring (issue 4) until the UI of issue 5 replaces this: the composer is the
    // discussion's draft; Ctrl+Enter or Post creates; posts are listed as plain text.
    if (discussion_ && discussion_->draft() != last_draft_) {   // e.g. restored from the cache
        last_draft_ = discussion_->draft();
        std::snprintf(draft_, sizeof draft_, "%s", last_draft_.c_str());
    }
    const bool submit = ImGui::InputTextMultiline("##composer", draft_, sizeof draft_, ImVec2(width, 90.0f * scale_),
                                                  ImGuiInputTextFlags_EnterReturnsTrue);   // Ctrl+Enter in multiline
    if (discussion_ && last_draft_ != draft_) {
        last_draft_ = draft_;
        discussion_->set_draft(last_draft_);
    }
    const std::size_t used = count_code_points(draft_);
    ImGui::PushFont(fonts_.small);
    ImGui::TextDisabled("%zu / %zu", used, kDefaultMaxBodyCodePoints);
    ImGui::PopFont();
    if (discussion_) {
        ImGui::SameLine();
        if ((ImGui::Button("Post") || submit) && draft_[0]) {
            auto posted = discussion_->create(Kind::insight, draft_, std::nullopt);
            if (posted) {
                draft_[0] = '\0';
                last_draft_.clear();
                discussion_->set_draft({});
                post_error_.clear();
            } else {
                post_error_ = posted.error().message;
            }
            focus_composer_ = true;
        }
        if (!post_error_.empty()) ImGui::TextWrapped("%s", post_error_.c_str());
        const SyncStatus st = discussion_->status();
        ImGui::PushFont(fonts_.small);
        ImGui::TextDisabled("%s%s  %zu pending%s", st.online ? "Online" : "Offline", st.syncing ? " (syncing)" : "",
                            st.pending, st.failed ? ", some changes were refused" : "");
        ImGui::PopFont();
    }

    ImGui::Separator();
    const std::vector<ShownPost>* posts = discussion_ ? &discussion_->posts() : nullptr;
    if (!posts || posts->empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
        ImGui::TextWrapped("No reflections yet for %s. Be the first to share what you learned.", config_.module.c_str());
        ImGui::PopStyleColor();
    } else {
        if (order_revision_ != discussion_->revision()) {   // newest first
            order_revision_ = discussion_->revision();
            order_.resize(posts->size());
            for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = i;
            std::sort(order_.begin(), order_.end(), [posts](std::size_t a, std::size_t b) {
                return (*posts)[a].post.created_at_ms > (*posts)[b].post.created_at_ms;
            });
        }
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(order_.size()));
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const ShownPost& p = (*posts)[order_[static_cast<std::size_t>(i)]];
                const char* mark = p.state == LocalState::pending ? "[pending] " : p.state == LocalState::failed ? "[failed] " : "";
                ImGui::Text("%s%s: %s", mark, p.post.author.name.c_str(), p.post.body.c_str());
            }
        }
    }

    content_height_ = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
    ImGui::End();
}

}  // namespace grove

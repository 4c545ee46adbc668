#include "spotlight_panel.hpp"

#include <imgui.h>
#include <imgui_internal.h>   // ImMax, ImFloor

#include "grove/time.hpp"     // format_rfc3339_ms
#include "view_model.hpp"

namespace grove {

namespace {
constexpr std::size_t kShownAtFirst = 2;
constexpr int kClampLines = 3;
}  // namespace

std::string spotlight_line(std::size_t count) {
    return std::to_string(count) + (count == 1 ? " leader learning this week" : " leader learnings this week");
}

void SpotlightPanel::draw(Ui& ui, const Discussion& d, float width) {
    const std::vector<Post>& posts = d.spotlight();
    if (posts.empty()) return;
    const Palette& pal = *ui.pal;
    SemanticView& v = *ui.sem;
    ImGui::PushID("spotlight");
    v.open("spotlight", "div");
    v.attr("role", "group");
    v.attr("aria-label", "Leader spotlight");

    // The line: a disclosure button, with a chevron saying which way it goes.
    const std::string label = spotlight_line(posts.size());
    ui::ButtonOpts line;
    line.tone = ui::Tone::ghost;
    line.icon = ui::Icon::star;
    line.expanded = open_ ? 1 : 0;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(ImVec2(at.x - ui.px(6), at.y));
    const ImVec2 size = ui::button_size(ui, label.c_str(), line);
    if (ui::button(ui, label.c_str(), line)) open_ = !open_;
    const float icon = ui.em(kSmall);
    ui::draw_icon(ImGui::GetWindowDrawList(), open_ ? ui::Icon::chevron_down : ui::Icon::chevron_right,
                  ImVec2(at.x - ui.px(6) + size.x + icon * 0.5f, at.y + size.y * 0.5f), icon,
                  ui::col(pal.text_muted));
    ImGui::SetCursorScreenPos(ImVec2(at.x, at.y + size.y));
    ImGui::Dummy(ImVec2(width, 0));
    if (open_) {
        ImGui::SetCursorScreenPos(ImVec2(at.x, at.y + size.y + ui.px(6)));
        draw_posts(ui, d, width);
    }
    v.close();   // the group
    ImGui::PopID();
}

void SpotlightPanel::draw_posts(Ui& ui, const Discussion& d, float width) {
    const std::vector<Post>& posts = d.spotlight();
    const Palette& pal = *ui.pal;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float pad = ui.px(14), bar = ui.px(4);
    const float inner_x = origin.x + pad + bar, inner_w = width - pad * 2 - bar;

    // Content first (channel 1), then the box behind it once its height is known (channel 0).
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    float y = origin.y + pad;
    SemanticView& v = *ui.sem;
    v.open("list", "ul");
    v.attr("aria-label", "Leader learnings");
    const std::size_t shown = show_all_ ? posts.size() : std::min(posts.size(), kShownAtFirst);
    for (std::size_t i = 0; i < shown; ++i) y = draw_post(ui, d, i, inner_x, inner_w, y);
    v.close();   // the list
    if (posts.size() > kShownAtFirst) {
        ui::ButtonOpts all;
        all.tone = ui::Tone::ghost;
        all.size = ui::Size::compact;
        all.icon = show_all_ ? ui::Icon::chevron_down : ui::Icon::chevron_right;
        all.expanded = show_all_ ? 1 : 0;
        const std::string label = show_all_ ? std::string("Show fewer")
                                            : "Show all " + std::to_string(posts.size()) + " leader learnings";
        ImGui::SetCursorScreenPos(ImVec2(inner_x - ui.px(6), y - ui.px(6)));
        if (ui::button(ui, label.c_str(), all)) show_all_ = !show_all_;
        y += ui::button_size(ui, "Show", all).y;
    }
    y += pad - ui.px(8);

    dl->ChannelsSetCurrent(0);
    dl->AddRectFilled(origin, ImVec2(origin.x + width, y), ui::col(pal.surface_alt), ui.px(10));
    dl->AddRectFilled(origin, ImVec2(origin.x + bar + ui.px(4), y), ui::col(pal.leader_text), ui.px(10),
                      ImDrawFlags_RoundCornersLeft);
    dl->AddRectFilled(ImVec2(origin.x + bar, origin.y), ImVec2(origin.x + bar + ui.px(4), y), ui::col(pal.surface_alt));
    dl->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(origin.x, y));
    ImGui::Dummy(ImVec2(width, 0));
}

// Spotlight post i at (x, y), `w` wide, as an item of the list: a rule above all but the first,
// who, where and when, then the learning. Returns the y under it.
float SpotlightPanel::draw_post(Ui& ui, const Discussion& d, std::size_t i, float x, float w, float y) {
    const std::vector<Post>& posts = d.spotlight();
    const Post& p = posts[i];
    SemanticView& v = *ui.sem;
    ImGui::PushID(p.id.c_str());
    v.open(p.id, "li");
    v.attr("aria-setsize", std::to_string(posts.size()));
    v.attr("aria-posinset", std::to_string(i + 1));
    const int article = v.open("post", "article");
    if (i > 0) {
        ImGui::GetWindowDrawList()->AddLine(ImVec2(x, y - ui.px(6)), ImVec2(x + w, y - ui.px(6)), ui::col(ui.pal->border));
        y += ui.px(4);
    }
    const char* name = p.author.name.empty() ? "A leader" : p.author.name.c_str();
    y = draw_who(ui, d, p, name, article, x, w, y);
    y = draw_learning(ui, p, name, x, w, y);
    y += ui.px(12);
    v.close();   // article
    v.close();   // li
    ImGui::PopID();
    return y;
}

// Who (name, role, "Your post"), where (another module) and when. Returns the y under them.
float SpotlightPanel::draw_who(Ui& ui, const Discussion& d, const Post& p, const char* name, int article, float inner_x,
                               float inner_w, float y) {
    const Palette& pal = *ui.pal;
    const Identity& me = d.me();
    const float body_h = ui.line_h(kBody);
    float x = inner_x;
    ui::strong_text_at(kBody, ImVec2(x, y), name, pal.text);
    x += ui::text_width(strong(kBody), name) + ui.px(8);
    const float badge_y = y + (body_h - ui::badge_size(ui, "Leader").y) * 0.5f;
    const auto put_badge = [&](const char* text, ui::Icon icon) {
        ImGui::SetCursorScreenPos(ImVec2(x, badge_y));
        ui::status_badge(ui, text, ui::Chip::quiet, icon);
        x += ui::badge_size(ui, text, icon).x + ui.px(6);
    };
    if (!role_badge(p.author.role).empty()) put_badge(std::string(role_badge(p.author.role)).c_str(), ui::Icon::none);
    if (is_own(p, me)) put_badge("Your post", ui::Icon::star);
    const std::string meta = (p.module != d.module() ? "in " + module_name(p) + " · " : std::string()) +
                             relative_time(p.created_at_ms, ui.now_ms, ui.utc_offset_minutes);
    const float meta_w = ui::text_width(kSmall, meta.c_str());
    if (x + meta_w > inner_x + inner_w) {   // no room on this line: the next one
        x = inner_x;
        y += body_h + ui.px(2);
    }
    const float meta_y = y + (body_h - ui.line_h(kSmall)) * 0.5f;
    ui::text_at(kSmall, ImVec2(x, meta_y), meta.c_str(), pal.text_muted);
    y += body_h + ui.px(4);
    SemanticView& v = *ui.sem;
    if (v.on()) {
        v.attr(article, "aria-labelledby", v.ref(v.leaf("author", "h3", name)));
        v.attr(v.last(), "dir", "auto");
        v.open("meta", "p");
        v.attr("class", "grove-meta");
        std::string who = std::string(role_badge(p.author.role));
        if (is_own(p, me)) who += who.empty() ? "Your post" : " · Your post";
        if (p.module != d.module()) who += (who.empty() ? "in " : " · in ") + module_name(p);
        v.text(who.empty() ? who : who + " · ");
        const int t = v.leaf("time", "time", relative_time(p.created_at_ms, ui.now_ms, ui.utc_offset_minutes));
        v.attr(t, "datetime", format_rfc3339_ms(p.created_at_ms));
        v.attr(t, "title", exact_time(p.created_at_ms, ui.utc_offset_minutes));
        v.close();
    }
    return y;
}

// The learning itself, clamped to kClampLines until "Read more". Returns the y under it.
float SpotlightPanel::draw_learning(Ui& ui, const Post& p, const char* name, float inner_x, float inner_w, float y) {
    SemanticView& v = *ui.sem;
    const char* body = p.body.c_str();
    const char* end = body + p.body.size();
    const bool open = expanded_.count(p.id) > 0;
    const char* cut = open ? end : ui::clamp_lines(kBody, body, end, inner_w, kClampLines);
    ImGui::SetCursorScreenPos(ImVec2(inner_x, y));
    ui::wrapped_text(ui, kBody, body, inner_w, ui.pal->text, cut);
    y += ui::wrapped_height(kBody, body, inner_w, cut);
    if (v.on()) {
        v.open("body", "p");
        v.attr("dir", "auto");
        v.attr("class", "grove-body");
        v.linked_text(std::string_view(body, static_cast<std::size_t>(cut - body)));
        if (cut < end) v.text("…");
        v.close();
    }
    if (cut < end || open) {
        ui::ButtonOpts more;
        more.tone = ui::Tone::ghost;
        more.size = ui::Size::compact;
        more.icon = open ? ui::Icon::chevron_down : ui::Icon::chevron_right;
        more.expanded = open ? 1 : 0;
        const std::string more_name = (open ? "Show less of " : "Read more of ") + std::string(name) + "'s learning";
        more.name = more_name.c_str();
        ImGui::SetCursorScreenPos(ImVec2(inner_x - ui.px(6), y + ui.px(2)));
        if (ui::button(ui, open ? "Show less" : "Read more", more)) {
            if (open) expanded_.erase(p.id);
            else expanded_.insert(p.id);
        }
        y += ui::button_size(ui, "Read more", more).y + ui.px(2);
    }
    return y;
}

}  // namespace grove

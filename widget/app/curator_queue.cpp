#include "curator_queue.hpp"

#include <algorithm> // std::stable_sort
#include <cstring>   // std::strlen
#include <map>       // std::map

#include <imgui.h>

#include "view_model.hpp"

namespace grove {

namespace {


// "Off-topic (2), Spam"
std::string summarize(const std::vector<std::string>& reasons) {
    std::map<std::string, int> counts;
    for (const std::string& r : reasons) ++counts[r.empty() ? std::string("No reason given") : r];
    std::string out;
    for (const auto& [reason, n] : counts) {
        if (!out.empty()) out += ", ";
        out += reason + (n > 1 ? " (" + std::to_string(n) + ")" : std::string());
    }
    return out;
}

}  // namespace

void draw_curator_queue(Ui& ui, Discussion& d, ThreadState& st, float width) {
    const Palette& pal = *ui.pal;
    const std::vector<FlagEntry>& flags = d.flags();
    ImGui::PushID("flags");
    const ImVec2 o = ImGui::GetCursorScreenPos();
    ui::text_at(kBody, o, flags.empty() ? "Flag queue" : "Flagged posts, most flagged first", pal.text);
    ui::ButtonOpts refresh = ui::compact(ui::Tone::ghost);
    const ImVec2 rs = ui::button_size(ui, "Refresh", refresh);
    ImGui::SetCursorScreenPos(ImVec2(o.x + width - rs.x, o.y - ui.px(3)));
    if (ui::button(ui, "Refresh", refresh)) {
        Discussion* dp = &d;
        ui.defer([dp] { dp->refresh_flags(); });
    }
    ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + rs.y + ui.px(8)));

    if (flags.empty()) {
        ui::wrapped_text(ui, kBody, "Nothing is flagged. Thank you for keeping the discussion worth reading.", width,
                         pal.text_muted);
        ImGui::PopID();
        return;
    }
    // Most flagged first.
    std::vector<const FlagEntry*> order;
    for (const FlagEntry& f : flags) order.push_back(&f);
    std::stable_sort(order.begin(), order.end(), [](const FlagEntry* a, const FlagEntry* b) { return a->count > b->count; });

    const float pad = ui.px(14), inner = width - pad * 2;
    for (const FlagEntry* fe : order) {
        const Post& p = fe->post;
        ImGui::PushID(p.id.c_str());
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec2 c = ImGui::GetCursorScreenPos();
        dl->ChannelsSplit(2);
        dl->ChannelsSetCurrent(1);
        float y = c.y + pad;
        // Who and where, and how many flags.
        const std::string count = std::to_string(fe->count) + (fe->count == 1 ? " flag" : " flags");
        ImGui::SetCursorScreenPos(ImVec2(c.x + pad, y));
        ui::badge(ui, count.c_str(), pal.danger_bg, pal.danger_text, ui::Icon::flag);
        float x = c.x + pad + ui::badge_size(ui, count.c_str(), ui::Icon::flag).x + ui.px(8);
        const std::string name = p.author.name.empty() ? std::string("Someone") : p.author.name;
        const float by = y + (ui::badge_size(ui, "x").y - ui.line_h(kBody)) * 0.5f;
        ui::text_at(kBody, ImVec2(x, by), name.c_str(), pal.text);
        x += ui::text_width(kBody, name.c_str()) + ui.px(8);
        std::string meta = relative_time(p.created_at_ms, ui.now_ms, ui.utc_offset_minutes);
        if (p.module != d.module()) meta += " · in " + p.module;
        if (p.hidden) meta += " · hidden";
        ui::text_at(kSmall, ImVec2(x, by + (ui.line_h(kBody) - ui.line_h(kSmall)) * 0.5f), meta.c_str(), pal.text_muted);
        y += ui::badge_size(ui, "x").y + ui.px(8);
        // Why.
        const std::string why = "Reasons: " + summarize(fe->reasons);
        ImGui::SetCursorScreenPos(ImVec2(c.x + pad, y));
        ui::wrapped_text(ui, kSmall, why.c_str(), inner, pal.text_muted);
        y += ui::wrapped_height(kSmall, why.c_str(), inner) + ui.px(6);
        // What.
        const char* body = p.body.empty() ? "(no text)" : p.body.c_str();
        const char* end = body + std::strlen(body);
        const char* cut = ui::clamp_lines(kBody, body, end, inner, 6);
        ImGui::SetCursorScreenPos(ImVec2(c.x + pad, y));
        ui::wrapped_text(ui, kBody, body, inner, p.hidden ? pal.text_muted : pal.text, cut);
        y += ui::wrapped_height(kBody, body, inner, cut) + ui.px(10);
        // What to do about it: here for this module's posts (the queue covers every module).
        if (p.module != d.module()) {
            const std::string where = "Posted under " + p.module + ": hide or delete it from a page that shows that module.";
            ImGui::SetCursorScreenPos(ImVec2(c.x + pad, y));
            ui::wrapped_text(ui, kSmall, where.c_str(), inner, pal.text_muted);
            y += ui::wrapped_height(kSmall, where.c_str(), inner) + pad;
        } else {
            const char* hide_label = p.hidden ? "Unhide###hide" : "Hide###hide";
            ImGui::SetCursorScreenPos(ImVec2(c.x + pad, y));
            if (ui::button(ui, hide_label, ui::compact(ui::Tone::secondary, ui::Icon::eye_off))) {
                Discussion* dp = &d;
                ThreadState* s = &st;
                const std::string id = p.id;
                const bool on = !p.hidden;
                ui.defer([dp, s, id, on] {
                    if (auto err = dp->hide(id, on)) s->say("Could not change it: " + err->message, NoticeTone::error);
                    else dp->refresh_flags();
                });
            }
            const float hx = ui::button_size(ui, hide_label, ui::compact(ui::Tone::secondary, ui::Icon::eye_off)).x;
            ImGui::SetCursorScreenPos(ImVec2(c.x + pad + hx + ui.px(6), y));
            if (ui::button(ui, "Delete", ui::compact(ui::Tone::danger))) {
                Discussion* dp = &d;
                ThreadState* s = &st;
                const std::string id = p.id;
                ui.defer([dp, s, id] {
                    if (auto err = dp->remove(id)) s->say("Could not delete: " + err->message, NoticeTone::error);
                    else dp->refresh_flags();
                });
            }
            y += ui::button_size(ui, "Delete", ui::compact(ui::Tone::danger)).y + pad;
        }
        dl->ChannelsSetCurrent(0);
        dl->AddRectFilled(c, ImVec2(c.x + width, y), ui::col(pal.surface), ui.px(10));
        dl->AddRect(c, ImVec2(c.x + width, y), ui::col(pal.border), ui.px(10), 0, ui.px(1));
        dl->ChannelsMerge();
        ImGui::SetCursorScreenPos(ImVec2(c.x, y + ui.px(12)));
        ImGui::Dummy(ImVec2(width, 0));
        ImGui::PopID();
    }
    ImGui::PopID();
}

}  // namespace grove

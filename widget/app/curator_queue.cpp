#include "curator_queue.hpp"

#include <algorithm> // std::stable_sort
#include <cstring>   // std::strlen
#include <map>       // std::map

#include <imgui.h>

#include "grove/time.hpp"     // format_rfc3339_ms
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
    SemanticView& v = *ui.sem;
    v.attr(v.current(), "aria-labelledby",
           v.ref(v.leaf("flags-title", "h2", flags.empty() ? "Flag queue" : "Flagged posts, most flagged first")));
    ui::ButtonOpts refresh = ui::compact(ui::Tone::ghost);
    refresh.name = "Refresh the flag queue";
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
        v.leaf("empty", "p", "Nothing is flagged. Thank you for keeping the discussion worth reading.");
        ImGui::PopID();
        return;
    }
    // Most flagged first.
    std::vector<const FlagEntry*> order;
    for (const FlagEntry& f : flags) order.push_back(&f);
    std::stable_sort(order.begin(), order.end(), [](const FlagEntry* a, const FlagEntry* b) { return a->count > b->count; });

    const float pad = ui.px(14), inner = width - pad * 2;
    v.open("flagged", "ul");
    v.attr("aria-label", "Flagged posts");
    std::size_t pos = 0;
    for (const FlagEntry* fe : order) {
        const Post& p = fe->post;
        ImGui::PushID(p.id.c_str());
        v.open(p.id, "li");
        v.attr("aria-setsize", std::to_string(order.size()));
        v.attr("aria-posinset", std::to_string(++pos));
        const int article = v.open("post", "article");
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
        if (v.on()) {
            v.attr(article, "aria-labelledby", v.ref(v.leaf("author", "h3", name)));
            v.attr(v.last(), "dir", "auto");
            v.open("meta", "p");
            v.attr("class", "grove-meta");
            v.text(count + " · ");
            const int t = v.leaf("time", "time", relative_time(p.created_at_ms, ui.now_ms, ui.utc_offset_minutes));
            v.attr(t, "datetime", format_rfc3339_ms(p.created_at_ms));
            std::string rest;
            if (p.module != d.module()) rest += " · in " + p.module;
            if (p.hidden) rest += " · hidden";
            v.text(rest);
            v.close();
        }
        y += ui::badge_size(ui, "x").y + ui.px(8);
        // Why.
        const std::string why = "Reasons: " + summarize(fe->reasons);
        ImGui::SetCursorScreenPos(ImVec2(c.x + pad, y));
        ui::wrapped_text(ui, kSmall, why.c_str(), inner, pal.text_muted);
        y += ui::wrapped_height(kSmall, why.c_str(), inner) + ui.px(6);
        v.leaf("reasons", "p", why);
        // What.
        const char* body = p.body.empty() ? "(no text)" : p.body.c_str();
        const char* end = body + std::strlen(body);
        const char* cut = ui::clamp_lines(kBody, body, end, inner, 6);
        ImGui::SetCursorScreenPos(ImVec2(c.x + pad, y));
        ui::wrapped_text(ui, kBody, body, inner, p.hidden ? pal.text_muted : pal.text, cut);
        y += ui::wrapped_height(kBody, body, inner, cut) + ui.px(10);
        if (v.on()) {   // curators read the whole post here
            v.open("body", "p");
            v.attr("dir", "auto");
            v.attr("class", "grove-body");
            v.linked_text(body);
            v.close();
        }
        // What to do about it: here for this module's posts (the queue covers every module).
        if (p.module != d.module()) {
            const std::string where = "Posted under " + p.module + ": hide or delete it from a page that shows that module.";
            ImGui::SetCursorScreenPos(ImVec2(c.x + pad, y));
            ui::wrapped_text(ui, kSmall, where.c_str(), inner, pal.text_muted);
            y += ui::wrapped_height(kSmall, where.c_str(), inner) + pad;
            v.leaf("where", "p", where);
        } else {
            const char* hide_label = p.hidden ? "Unhide###hide" : "Hide###hide";
            ImGui::SetCursorScreenPos(ImVec2(c.x + pad, y));
            const std::string whose = name + (name.back() == 's' ? "' post" : "'s post");
            const std::string hide_name = (p.hidden ? "Unhide " : "Hide ") + whose;
            const std::string delete_name = "Delete " + whose;
            ui::ButtonOpts hide_opts = ui::compact(ui::Tone::secondary, ui::Icon::eye_off);
            hide_opts.name = hide_name.c_str();
            ui::ButtonOpts delete_opts = ui::compact(ui::Tone::danger);
            delete_opts.name = delete_name.c_str();
            if (ui::button(ui, hide_label, hide_opts)) {
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
            if (ui::button(ui, "Delete", delete_opts)) {
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
        v.close();   // article
        v.close();   // li
        ImGui::PopID();
    }
    v.close();   // the list
    ImGui::PopID();
}

}  // namespace grove

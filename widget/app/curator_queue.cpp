#include "curator_queue.hpp"

#include <algorithm> // std::stable_sort, std::max
#include <cstring>   // std::strlen
#include <map>       // std::map

#include <imgui.h>
#include <imgui_internal.h>   // ImGui::GetItemID

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
            const std::string whose = name + (name.back() == 's' ? "' post" : "'s post");
            // One row of buttons, wrapped when the card is narrow.
            float bx = c.x + pad;
            float row_h = 0;
            auto put = [&](const char* label, const ui::ButtonOpts& o) {
                const ImVec2 size = ui::button_size(ui, label, o);
                if (bx > c.x + pad && bx + size.x > c.x + pad + inner) {
                    bx = c.x + pad;
                    y += row_h + ui.px(6);
                    row_h = 0;
                }
                ImGui::SetCursorScreenPos(ImVec2(bx, y));
                const bool hit = ui::button(ui, label, o);
                bx += size.x + ui.px(6);
                row_h = std::max(row_h, size.y);
                return hit;
            };
            Discussion* dp = &d;
            ThreadState* s = &st;
            const std::string id = p.id;
            if (st.confirm_hide == p.id) {
                // Asked in place; Cancel (focused first) or Esc leaves it as it is.
                const char* q = "Hide from learners? Curators still see it.";
                const ImVec2 qs(ui::text_width(kSmall, q), ui.line_h(kSmall));
                const float bh = ui::button_size(ui, "Hide", ui::compact(ui::Tone::danger)).y;
                ui::text_at(kSmall, ImVec2(bx, y + (bh - qs.y) * 0.5f), q, pal.text);
                v.leaf("question", "p", q);
                bx += qs.x + ui.px(8);
                ui::ButtonOpts hide_opts = ui::compact(ui::Tone::danger);
                const std::string hide_name = "Hide " + whose + " from learners";
                hide_opts.name = hide_name.c_str();
                const bool hide = put("Hide", hide_opts);
                ui::ButtonOpts cancel_opts = ui::compact(ui::Tone::secondary);
                cancel_opts.name = "Cancel: keep it visible";
                const bool cancel = put("Cancel", cancel_opts);
                if (st.focus_form) {
                    st.focus_form = false;
                    ui.focus->focus(ImGui::GetItemID(), ui.focus->ring_visible());
                    ui.want_frame = true;
                }
                if (hide) {
                    st.close_forms();
                    ui.defer([dp, s, id] {
                        if (auto err = dp->hide(id, true)) s->say("Could not hide it: " + err->message, NoticeTone::error);
                        else dp->refresh_flags();
                    });
                } else if (cancel || st.cancel_form) {
                    st.cancel_form = false;
                    st.close_forms();
                    st.hide_return = p.id;
                    ui.want_frame = true;
                }
            } else {
                ui::ButtonOpts hide_opts = ui::compact(ui::Tone::secondary, ui::Icon::eye_off);
                const std::string hide_name = p.hidden ? "Unhide " + whose : "Hide " + whose + " from learners";
                hide_opts.name = hide_name.c_str();
                if (put(p.hidden ? "Unhide###hide" : "Hide from learners…###hide", hide_opts)) {
                    if (p.hidden) {
                        ui.defer([dp, s, id] {
                            if (auto err = dp->hide(id, false)) s->say("Could not change it: " + err->message, NoticeTone::error);
                            else dp->refresh_flags();
                        });
                    } else {
                        st.close_forms();
                        st.confirm_hide = p.id;
                        st.focus_form = true;
                        ui.want_frame = true;
                    }
                }
                if (st.hide_return == p.id) {
                    ui.focus->focus(ImGui::GetItemID(), true);
                    st.hide_return.clear();
                }
                // Bogus flags: learners keep (or get back) the post, and it leaves the queue.
                if (!p.hidden || fe->hidden_by_flags) {
                    ui::ButtonOpts keep_opts = ui::compact(ui::Tone::secondary, ui::Icon::check);
                    const std::string keep_name = "Keep " + whose + " visible: dismiss its flags";
                    keep_opts.name = keep_name.c_str();
                    if (put("Keep visible", keep_opts)) {
                        ui.defer([dp, s, id] {
                            if (auto err = dp->keep_visible(id)) s->say("Could not keep it visible: " + err->message, NoticeTone::error);
                            else s->announce("Kept visible: its flags are dismissed.");
                        });
                    }
                }
                ui::ButtonOpts delete_opts = ui::compact(ui::Tone::danger);
                const std::string delete_name = "Delete " + whose;
                delete_opts.name = delete_name.c_str();
                if (put("Delete", delete_opts)) {
                    ui.defer([dp, s, id] {
                        if (auto err = dp->remove(id)) s->say("Could not delete: " + err->message, NoticeTone::error);
                        else dp->refresh_flags();
                    });
                }
            }
            y += row_h + pad;
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

#include "curator_queue.hpp"

#include <algorithm> // std::max
#include <cstring>   // std::strlen
#include <map>       // std::map

#include <imgui.h>
#include <imgui_internal.h>   // ImGui::GetItemID

#include "grove/order.hpp"    // stable_order
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

// One card's layout as it is drawn: its top-left corner, padding, the text width, the y reached,
// the author's name and "<name>'s post", and the row of buttons (wrapped when the card is narrow).
struct CuratorQueue::Card {
    ImVec2 c;
    float pad = 0, inner = 0, y = 0;
    std::string name, whose;
    int article = 0;
    float bx = 0, row_h = 0;

    bool put(Ui& ui, const char* label, const ui::ButtonOpts& o) {
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
    }
};

void CuratorQueue::draw(Ui& ui, Discussion& d, ThreadState& st, float width) {
    const Palette& pal = *ui.pal;
    const std::vector<FlagEntry>& flags = d.flags();
    ImGui::PushID("flags");
    draw_title(ui, d, flags.empty(), width);
    if (flags.empty()) {
        ui::wrapped_text(ui, kBody, "Nothing is flagged. Thank you for keeping the discussion worth reading.", width,
                         pal.text_muted);
        ui.sem->leaf("empty", "p", "Nothing is flagged. Thank you for keeping the discussion worth reading.");
        ImGui::PopID();
        return;
    }
    // Most flagged first.
    std::vector<const FlagEntry*> order;
    for (std::size_t i : stable_order(flags.size(), [&](std::size_t a, std::size_t b) { return flags[a].count > flags[b].count; }))
        order.push_back(&flags[i]);

    SemanticView& v = *ui.sem;
    v.open("flagged", "ul");
    v.attr("aria-label", "Flagged posts");
    std::size_t pos = 0;
    for (const FlagEntry* fe : order) draw_entry(ui, d, st, *fe, ++pos, order.size(), width);
    v.close();   // the list
    ImGui::PopID();
}

// The heading and "Refresh".
void CuratorQueue::draw_title(Ui& ui, Discussion& d, bool empty, float width) {
    const ImVec2 o = ImGui::GetCursorScreenPos();
    ui::text_at(kBody, o, empty ? "Flag queue" : "Flagged posts, most flagged first", ui.pal->text);
    SemanticView& v = *ui.sem;
    v.attr(v.current(), "aria-labelledby",
           v.ref(v.leaf("flags-title", "h2", empty ? "Flag queue" : "Flagged posts, most flagged first")));
    ui::ButtonOpts refresh = ui::compact(ui::Tone::ghost);
    refresh.name = "Refresh the flag queue";
    const ImVec2 rs = ui::button_size(ui, "Refresh", refresh);
    ImGui::SetCursorScreenPos(ImVec2(o.x + width - rs.x, o.y - ui.px(3)));
    if (ui::button(ui, "Refresh", refresh)) {
        Discussion* dp = &d;
        ui.defer([dp] { dp->refresh_flags(); });
    }
    ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + rs.y + ui.px(8)));
}

// One flagged post: who, how many flags and why, the post, and what to do about it.
void CuratorQueue::draw_entry(Ui& ui, Discussion& d, ThreadState& st, const FlagEntry& fe, std::size_t pos,
                              std::size_t count, float width) {
    const Palette& pal = *ui.pal;
    const Post& p = fe.post;
    SemanticView& v = *ui.sem;
    ImGui::PushID(p.id.c_str());
    v.open(p.id, "li");
    v.attr("aria-setsize", std::to_string(count));
    v.attr("aria-posinset", std::to_string(pos));
    Card card;
    card.article = v.open("post", "article");
    ImDrawList* dl = ImGui::GetWindowDrawList();
    card.c = ImGui::GetCursorScreenPos();
    card.pad = ui.px(14);
    card.inner = width - card.pad * 2;
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    card.y = card.c.y + card.pad;
    draw_meta(ui, d, fe, card);
    draw_reasons_and_body(ui, fe, card);
    // What to do about it: here for this module's posts (the queue covers every module).
    if (p.module != d.module()) {
        const std::string where = "Posted under " + p.module + ": hide or delete it from a page that shows that module.";
        ImGui::SetCursorScreenPos(ImVec2(card.c.x + card.pad, card.y));
        ui::wrapped_text(ui, kSmall, where.c_str(), card.inner, pal.text_muted);
        card.y += ui::wrapped_height(kSmall, where.c_str(), card.inner) + card.pad;
        v.leaf("where", "p", where);
    } else {
        card.whose = card.name + (card.name.back() == 's' ? "' post" : "'s post");
        card.bx = card.c.x + card.pad;
        if (st.confirm_hide.post == p.id) draw_hide_question(ui, d, st, fe, card);
        else draw_actions(ui, d, st, fe, card);
        card.y += card.row_h + card.pad;
    }
    const float y = card.y;
    const ImVec2 c = card.c;
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

// Who and where, and how many flags.
void CuratorQueue::draw_meta(Ui& ui, Discussion& d, const FlagEntry& fe, Card& card) {
    const Palette& pal = *ui.pal;
    const Post& p = fe.post;
    SemanticView& v = *ui.sem;
    const float y = card.y;
    const std::string count = std::to_string(fe.count) + (fe.count == 1 ? " flag" : " flags");
    ImGui::SetCursorScreenPos(ImVec2(card.c.x + card.pad, y));
    ui::badge(ui, count.c_str(), pal.danger_bg, pal.danger_text, ui::Icon::flag);
    float x = card.c.x + card.pad + ui::badge_size(ui, count.c_str(), ui::Icon::flag).x + ui.px(8);
    card.name = p.author.name.empty() ? std::string("Someone") : p.author.name;
    const std::string& name = card.name;
    const float by = y + (ui::badge_size(ui, "x").y - ui.line_h(kBody)) * 0.5f;
    ui::text_at(kBody, ImVec2(x, by), name.c_str(), pal.text);
    x += ui::text_width(kBody, name.c_str()) + ui.px(8);
    std::string meta = relative_time(p.created_at_ms, ui.now_ms, ui.utc_offset_minutes);
    if (p.module != d.module()) meta += " · in " + p.module;
    if (p.hidden) meta += " · hidden";
    ui::text_at(kSmall, ImVec2(x, by + (ui.line_h(kBody) - ui.line_h(kSmall)) * 0.5f), meta.c_str(), pal.text_muted);
    if (v.on()) {
        v.attr(card.article, "aria-labelledby", v.ref(v.leaf("author", "h3", name)));
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
    card.y = y + ui::badge_size(ui, "x").y + ui.px(8);
}

// Why it was flagged, and the post itself (clamped on the canvas, whole in the HTML view).
void CuratorQueue::draw_reasons_and_body(Ui& ui, const FlagEntry& fe, Card& card) {
    const Palette& pal = *ui.pal;
    const Post& p = fe.post;
    SemanticView& v = *ui.sem;
    const float inner = card.inner;
    const std::string why = "Reasons: " + summarize(fe.reasons);
    ImGui::SetCursorScreenPos(ImVec2(card.c.x + card.pad, card.y));
    ui::wrapped_text(ui, kSmall, why.c_str(), inner, pal.text_muted);
    card.y += ui::wrapped_height(kSmall, why.c_str(), inner) + ui.px(6);
    v.leaf("reasons", "p", why);
    const char* body = p.body.empty() ? "(no text)" : p.body.c_str();
    const char* end = body + std::strlen(body);
    const char* cut = ui::clamp_lines(kBody, body, end, inner, 6);
    ImGui::SetCursorScreenPos(ImVec2(card.c.x + card.pad, card.y));
    ui::wrapped_text(ui, kBody, body, inner, p.hidden ? pal.text_muted : pal.text, cut);
    card.y += ui::wrapped_height(kBody, body, inner, cut) + ui.px(10);
    if (v.on()) {   // curators read the whole post here
        v.open("body", "p");
        v.attr("dir", "auto");
        v.attr("class", "grove-body");
        v.linked_text(body);
        v.close();
    }
}

// "Hide from learners?" asked in place; Cancel (focused first) or Esc leaves it as it is.
void CuratorQueue::draw_hide_question(Ui& ui, Discussion& d, ThreadState& st, const FlagEntry& fe, Card& card) {
    const char* q = "Hide from learners? Curators still see it.";
    const ImVec2 qs(ui::text_width(kSmall, q), ui.line_h(kSmall));
    const float bh = ui::button_size(ui, "Hide", ui::compact(ui::Tone::danger)).y;
    ui::text_at(kSmall, ImVec2(card.bx, card.y + (bh - qs.y) * 0.5f), q, ui.pal->text);
    ui.sem->leaf("question", "p", q);
    card.bx += qs.x + ui.px(8);
    ui::ButtonOpts hide_opts = ui::compact(ui::Tone::danger);
    const std::string hide_name = "Hide " + card.whose + " from learners";
    hide_opts.name = hide_name.c_str();
    const bool hide = card.put(ui, "Hide", hide_opts);
    ui::ButtonOpts cancel_opts = ui::compact(ui::Tone::secondary);
    cancel_opts.name = "Cancel: keep it visible";
    const bool cancel = card.put(ui, "Cancel", cancel_opts);
    if (st.focus_form) {
        st.focus_form = false;
        ui.focus->focus(ImGui::GetItemID(), ui.focus->ring_visible());
        ui.want_frame = true;
    }
    Discussion* dp = &d;
    ThreadState* s = &st;
    const std::string id = fe.post.id;
    if (hide) {
        st.close_forms();
        ui.defer([dp, s, id] {
            if (auto err = dp->hide(id, true)) s->say("Could not hide it: " + err->message, NoticeTone::error);
            else dp->refresh_flags();
        });
    } else if (cancel || st.cancel_form) {
        st.cancel_form = false;
        st.close_forms();
        st.confirm_hide.return_to = id;
        ui.want_frame = true;
    }
}

// Hide / Unhide, Keep visible (bogus flags: learners keep, or get back, the post, and it leaves
// the queue) and Delete.
void CuratorQueue::draw_actions(Ui& ui, Discussion& d, ThreadState& st, const FlagEntry& fe, Card& card) {
    const Post& p = fe.post;
    Discussion* dp = &d;
    ThreadState* s = &st;
    const std::string id = p.id;
    ui::ButtonOpts hide_opts = ui::compact(ui::Tone::secondary, ui::Icon::eye_off);
    const std::string hide_name = p.hidden ? "Unhide " + card.whose : "Hide " + card.whose + " from learners";
    hide_opts.name = hide_name.c_str();
    if (card.put(ui, p.hidden ? "Unhide###hide" : "Hide from learners…###hide", hide_opts)) {
        if (p.hidden) {
            ui.defer([dp, s, id] {
                if (auto err = dp->hide(id, false)) s->say("Could not change it: " + err->message, NoticeTone::error);
                else dp->refresh_flags();
            });
        } else {
            st.close_forms();
            st.confirm_hide.open(p.id);
            st.focus_form = true;
            ui.want_frame = true;
        }
    }
    if (st.confirm_hide.return_to == p.id) {
        ui.focus->focus(ImGui::GetItemID(), true);
        st.confirm_hide.return_to.clear();
    }
    if (!p.hidden || fe.hidden_by_flags) {
        ui::ButtonOpts keep_opts = ui::compact(ui::Tone::secondary, ui::Icon::check);
        const std::string keep_name = "Keep " + card.whose + " visible: dismiss its flags";
        keep_opts.name = keep_name.c_str();
        if (card.put(ui, "Keep visible", keep_opts)) {
            ui.defer([dp, s, id] {
                if (auto err = dp->keep_visible(id)) s->say("Could not keep it visible: " + err->message, NoticeTone::error);
                else s->announce("Kept visible: its flags are dismissed.");
            });
        }
    }
    ui::ButtonOpts delete_opts = ui::compact(ui::Tone::danger);
    const std::string delete_name = "Delete " + card.whose;
    delete_opts.name = delete_name.c_str();
    if (card.put(ui, "Delete", delete_opts)) {
        ui.defer([dp, s, id] {
            if (auto err = dp->remove(id)) s->say("Could not delete: " + err->message, NoticeTone::error);
            else dp->refresh_flags();
        });
    }
}

}  // namespace grove

#include "banners.hpp"

#include <imgui.h>
#include <imgui_internal.h>   // ImRect

#include "view_model.hpp"

namespace grove {

namespace {

struct CalloutMetrics {
    float pad, icon, gap, text_w, close_w;
};

CalloutMetrics metrics(const Ui& ui, float width, bool dismissable) {
    CalloutMetrics m;
    m.pad = ui.px(12);
    m.icon = ui.em(kBody);
    m.gap = ui.px(10);
    ui::ButtonOpts close;
    close.tone = ui::Tone::ghost;
    close.size = ui::Size::compact;
    close.icon = ui::Icon::none;
    m.close_w = dismissable ? ui::button_size(ui, "Dismiss", close).x + m.gap : 0.0f;
    m.text_w = width - m.pad * 2 - m.icon - m.gap - m.close_w;
    if (m.text_w < ui.px(40)) m.text_w = ui.px(40);
    return m;
}

}  // namespace

float callout_height(const Ui& ui, const char* title, const char* detail, float width, bool dismissable) {
    const CalloutMetrics m = metrics(ui, width, dismissable);
    float h = ui::wrapped_height(kBody, title, m.text_w);
    if (detail && *detail) h += ui.px(2) + ui::wrapped_height(kSmall, detail, m.text_w);
    return h + m.pad * 2;
}

bool callout(Ui& ui, ui::Icon icon, unsigned bg, unsigned fg, const char* title, const char* detail, float width,
             const char* dismiss_id) {
    const CalloutMetrics m = metrics(ui, width, dismiss_id != nullptr);
    const float h = callout_height(ui, title, detail, width, dismiss_id != nullptr);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + h), ui::col(bg), ui.px(8));
    ui::draw_icon(dl, icon, ImVec2(p.x + m.pad + m.icon * 0.5f, p.y + m.pad + ui.line_h(kBody) * 0.5f), m.icon * 0.95f,
                  ui::col(fg));
    const float tx = p.x + m.pad + m.icon + m.gap;
    SemanticView& v = *ui.sem;
    v.open("note" + std::to_string(v.nodes().empty() ? 0 : v.nodes()[static_cast<std::size_t>(v.current())].children.size()), "div");
    v.attr("class", "grove-note");
    v.leaf("title", "p", title);
    if (detail && *detail) v.leaf("detail", "p", detail);
    ImGui::SetCursorScreenPos(ImVec2(tx, p.y + m.pad));
    ui::wrapped_text(ui, kBody, title, m.text_w, ensure_contrast(fg, bg, kTextContrast));
    if (detail && *detail) {
        ImGui::SetCursorScreenPos(ImVec2(tx, p.y + m.pad + ui::wrapped_height(kBody, title, m.text_w) + ui.px(2)));
        ui::wrapped_text(ui, kSmall, detail, m.text_w, ensure_contrast(ui.pal->text, bg, kTextContrast));
    }
    bool dismissed = false;
    if (dismiss_id) {
        ui::ButtonOpts close;
        close.tone = ui::Tone::ghost;
        close.size = ui::Size::compact;
        close.name = "Dismiss this notice";
        const ImVec2 size = ui::button_size(ui, "Dismiss", close);
        ImGui::SetCursorScreenPos(ImVec2(p.x + width - m.pad - size.x + ui.px(4), p.y + m.pad - ui.px(3)));
        ImGui::PushID(dismiss_id);
        dismissed = ui::button(ui, "Dismiss", close);
        ImGui::PopID();
    }
    v.close();
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h));
    ImGui::Dummy(ImVec2(width, 0));
    return dismissed;
}

void Banners::draw(Ui& ui, const Discussion* d, ThreadState& st, float width) {
    if (d) {
        const SyncStatus s = d->status();
        if (!s.online) draw_offline(ui, s, width);
        // Why changes cannot be sent even though the network is there (sign-in, storage).
        if (!s.notice.empty())
            callout(ui, ui::Icon::warning, ui.pal->warning_bg, ui.pal->warning_text, s.notice.c_str(), nullptr, width);
        draw_held_work(ui, s, st, width);
        if (s.failed > 0) draw_failed(ui, s, width);
    }
    draw_notice(ui, st, width);
}

// "You're offline.", when it last synced and what waits to be sent.
void Banners::draw_offline(Ui& ui, const SyncStatus& s, float width) {
    std::string synced = last_synced_text(s.last_sync_ms, ui.now_ms);
    synced[0] = static_cast<char>(synced[0] - 'a' + 'A');   // sentence case: "Last synced ..."
    std::string detail = "What you write is kept on this device and sent when the connection is back. " + synced;
    if (s.pending > 0)
        detail += " · " + std::to_string(s.pending) + (s.pending == 1 ? " change" : " changes") + " waiting to be sent";
    detail += ".";
    callout(ui, ui::Icon::warning, ui.pal->warning_bg, ui.pal->warning_text, "You're offline.", detail.c_str(), width);
}

// Someone came back after another person used Grove here: what became of their unsent work.
void Banners::draw_held_work(Ui& ui, const SyncStatus& s, ThreadState& st, float width) {
    if (s.held_work.empty() || s.held_work == st.held_work_dismissed) return;
    if (callout(ui, ui::Icon::check, ui.pal->chip_bg, ui.pal->chip_text, s.held_work.c_str(), nullptr, width, "held"))
        st.held_work_dismissed = s.held_work;
}

// Writes the server refused: each post says why, with Retry, Edit and Discard.
void Banners::draw_failed(Ui& ui, const SyncStatus& s, float width) {
    const std::string title =
        s.failed == 1 ? std::string("1 change was not sent.") : std::to_string(s.failed) + " changes were not sent.";
    callout(ui, ui::Icon::warning, ui.pal->danger_bg, ui.pal->danger_text, title.c_str(),
            s.failed == 1 ? "The server refused it. The post says why, with Retry, Edit and Discard."
                          : "The server refused them. Each post says why, with Retry, Edit and Discard.",
            width);
}

// The person's last notice (a refused action, a flag sent), until dismissed.
void Banners::draw_notice(Ui& ui, ThreadState& st, float width) {
    if (st.notice.empty()) return;
    const Palette& pal = *ui.pal;
    const bool error = st.notice_tone == NoticeTone::error;
    if (callout(ui, error ? ui::Icon::warning : ui::Icon::check, error ? pal.danger_bg : pal.chip_bg,
                error ? pal.danger_text : pal.chip_text, st.notice.c_str(), nullptr, width, "notice"))
        st.notice.clear();
}

}  // namespace grove

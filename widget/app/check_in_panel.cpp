#include "check_in_panel.hpp"

#include <imgui.h>
#include <imgui_internal.h>   // ImFloor

#include "text_field.hpp"
#include "view_model.hpp"     // check_in_question

namespace grove {

namespace {
constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;
// The person's calendar day (their time zone's): "later" ends at their midnight.
std::int64_t today(const Ui& ui) {
    const std::int64_t ms = ui.now_ms + static_cast<std::int64_t>(ui.utc_offset_minutes) * 60'000;
    return ms >= 0 ? ms / kDayMs : (ms - kDayMs + 1) / kDayMs;
}
}  // namespace

const Post* CheckInPanel::shown(const Ui& ui, const Discussion& d) const {
    for (const Post& p : d.check_ins()) {
        const auto later = later_.find(p.id);
        if (later != later_.end() && later->second == today(ui)) continue;
        if (d.check_in_put_off(p.id, today(ui))) continue;   // on an earlier page today
        return &p;
    }
    return nullptr;
}

// The answers, then "Ask me later" on the same row when it fits. Returns the y under them.
float CheckInPanel::draw_answers(Ui& ui, Discussion& d, ThreadState& st, const std::string& id, float inner_w) {
    const ImVec2 row = ImGui::GetCursorScreenPos();
    float x = row.x, y = row.y;
    auto put = [&](const char* label, ui::Tone tone) {
        ui::ButtonOpts b = ui::compact(tone);
        const ImVec2 size = ui::button_size(ui, label, b);
        if (x > row.x && x + size.x > row.x + inner_w) {
            x = row.x;
            y += size.y + ui.px(6);
        }
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        const bool pressed = ui::button(ui, label, b);
        x += size.x + ui.px(6);
        return pressed;
    };
    std::optional<Outcome> answer;
    if (put("Done", ui::Tone::primary)) answer = Outcome::done;
    if (put("Partly", ui::Tone::secondary)) answer = Outcome::partly;
    if (put("Not yet", ui::Tone::secondary)) answer = Outcome::not_yet;
    if (put("Ask me later", ui::Tone::ghost)) {
        later_[id] = today(ui);
        Discussion* disc = &d;
        const std::int64_t day = today(ui);
        ui.defer([disc, id, day] { disc->put_check_in_off(id, day); });
        st.announce("We will ask you again tomorrow.");
    }
    y += ui::button_size(ui, "Done", ui::compact(ui::Tone::primary)).y;
    if (answer) send_answer(ui, d, st, id, *answer);
    return y;
}

// Sends the answer with the note after the frame; a refusal shows in the card.
void CheckInPanel::send_answer(Ui& ui, Discussion& d, ThreadState& st, const std::string& id, Outcome outcome) {
    const std::string note = note_;
    ThreadState* s = &st;
    Discussion* disc = &d;
    ui.defer([this, disc, s, id, outcome, note] {
        if (auto err = disc->answer_check_in(id, outcome, note)) {
            error_ = err->message;
            s->announce(error_);
            return;
        }
        note_.clear();
        s->say(outcome == Outcome::done ? "Well done. Your answer is on your post." : "Thanks. We will ask you again later.",
               NoticeTone::info);
    });
    ui.want_frame = true;
}

void CheckInPanel::draw(Ui& ui, Discussion& d, ThreadState& st, float width) {
    const Post* due = shown(ui, d);
    if (!due) return;
    if (note_for_ != due->id) {
        note_.clear();
        error_.clear();
        note_for_ = due->id;
    }
    const Palette& pal = *ui.pal;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float pad = ui.px(14);
    const float inner_x = origin.x + pad, inner_w = width - pad * 2;

    dl->ChannelsSplit(2);   // content first, the box behind it once its height is known
    dl->ChannelsSetCurrent(1);
    ImGui::PushID("check-in");
    SemanticView& v = *ui.sem;
    const int section = v.open("check-in", "div");
    v.attr("role", "group");
    v.attr("class", "grove-check-in");   // boxed in the HTML view as on the canvas

    const std::string question = check_in_question(*due, ui.now_ms);
    ImGui::SetCursorScreenPos(ImVec2(inner_x, origin.y + pad));
    ui::wrapped_text(ui, strong(kBody), question.c_str(), inner_w, pal.text);
    v.attr(section, "aria-labelledby", v.ref(v.leaf("question", "h2", question)));
    v.attr(v.last(), "dir", "auto");
    if (due->module != d.module()) {
        const std::string where = "in " + module_name(*due);
        ImGui::SetCursorScreenPos(ImVec2(inner_x, ImGui::GetCursorScreenPos().y));
        ui::wrapped_text(ui, kSmall, where.c_str(), inner_w, pal.text_muted);
        v.leaf("where", "p", where);
    }
    ImGui::SetCursorScreenPos(ImVec2(inner_x, ImGui::GetCursorScreenPos().y + ui.px(6)));

    const ui::TextField field =
        ui::text_field(ui, "A note (optional)###note", note_, inner_w, 1, 4, "A note for yourself and the group (optional)");
    if (field.changed) error_.clear();

    ImGui::SetCursorScreenPos(ImVec2(inner_x, ImGui::GetCursorScreenPos().y + ui.px(6)));
    float y = draw_answers(ui, d, st, due->id, inner_w);
    if (!error_.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(inner_x, y + ui.px(6)));
        ui::wrapped_text(ui, kSmall, error_.c_str(), inner_w, pal.danger_text);
        v.leaf("error", "p", error_);
        y = ImGui::GetCursorScreenPos().y;
    }
    y += pad;
    v.close();
    ImGui::PopID();

    dl->ChannelsSetCurrent(0);
    dl->AddRectFilled(origin, ImVec2(origin.x + width, y), ui::col(pal.surface_alt), ui.px(10));
    dl->AddRect(origin, ImVec2(origin.x + width, y), ui::col(pal.link), ui.px(10), 0, ui.px(1));
    dl->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(origin.x, y));
    ImGui::Dummy(ImVec2(width, 0));
}

}  // namespace grove

#include "composer_panel.hpp"

#include <algorithm>   // std::find

#include <imgui.h>

#include "semantic_view.hpp"
#include "view_model.hpp"

namespace grove {

namespace {

const char* placeholder_for(Kind k) {
    switch (k) {
        case Kind::insight: return "Share what you will take from this…";
        case Kind::question: return "Ask the group a question…";
        case Kind::tip: return "Share something others may not know…";
        case Kind::leader_learning: return "Share what you learned this week…";
        case Kind::resource: return "Paste a link and say why it helps…";
        case Kind::commitment: return "When I next …, I will …";
    }
    return "";
}

const char* hint_for(Kind k) {
    switch (k) {
        case Kind::commitment:
            return "Say when and what: \"When I next …, I will …\". In a week Grove asks you how it went.";
        case Kind::resource: return "Include the link (https://…); curators can add it to the module's resources.";
        default: return nullptr;
    }
}

}  // namespace

void ComposerPanel::sync_draft(Discussion* d, bool editing) {
    if (!d) return;
    const std::string& draft = d->draft();
    // Another person signed in: their draft replaces the text, even mid-typing (what is there was
    // the one before's, and it stays theirs).
    const std::string person = d->me().known ? d->me().id : std::string();
    const bool other_person = person != draft_person_ && !draft_person_.empty();
    draft_person_ = person;
    // The draft arrives from the browser's storage after the widget opens, or from another tab:
    // take it unless the person is typing here (their text is written back on the next change).
    if (!other_person && (draft == draft_seen_ || editing)) return;
    text_ = draft;
    draft_seen_ = draft;
}

void ComposerPanel::post(Ui& ui, Discussion* d, ThreadState& st) {
    const std::string reason = post_disabled_reason(text_, d != nullptr);
    if (!reason.empty()) {
        error_ = reason;
        st.announce(reason);
        return;
    }
    // Runs after the frame (see Ui::defer); what was posted is what the person saw.
    ThreadState* s = &st;
    const Kind kind = kind_;
    const std::string body = text_;
    ui.defer([this, d, s, kind, body] {
        auto created = d->create(kind, body, std::nullopt);
        if (!created) {
            error_ = created.error().message;
            s->announce(error_);
            return;
        }
        s->posted_here.insert(created.value().id);
        s->reveal = s->highlight = created.value().id;
        s->highlight_at_ms = 0;
        s->changed();
        if (text_ == body) {   // typed nothing more meanwhile
            text_.clear();
            d->set_draft("");
            draft_seen_.clear();
        }
        error_.clear();
        if (kind == Kind::leader_learning)
            s->say("Posted. Your learning is in every widget's spotlight this week.", NoticeTone::info);
        else
            s->announce("Posted.");
    });
    ui.want_frame = true;
}

void ComposerPanel::draw(Ui& ui, Discussion* d, ThreadState& st, const WidgetConfig& config, float width) {
    const bool editing_before = field_id_ != 0 && ui.editing == field_id_;
    sync_draft(d, editing_before);
    ImGui::PushID("composer");
    SemanticView& v = *ui.sem;
    v.open("composer", "div");
    v.attr("role", "group");   // named by the prompt, below
    const int section = v.current();

    // The prompt.
    ui::wrapped_text(ui, kBody, config.prompt.c_str(), width, ui.pal->text);
    v.attr(section, "aria-labelledby", v.ref(v.leaf("prompt", "h2", config.prompt)));
    v.attr(v.last(), "dir", "auto");
    const Identity me = d ? d->me() : Identity{};
    draw_kinds(ui, me, width);

    // The text.
    const ui::TextField field = ui::text_field(ui, "Your reflection###text", text_, width, 3, 10, placeholder_for(kind_));
    field_id_ = field.id;
    if (field.changed) {
        error_.clear();
        if (d) {
            d->set_draft(text_);
            draft_seen_ = text_;
        }
    }
    const bool submit = ui.take_submit(field.id);
    const float left = draw_post_line(ui, d, st, field, submit, width);
    if (d) draw_participation(ui, *d, me, left, width);
    v.close();
    ImGui::PopID();
}

// The kind chips the person may post (a kind they may not falls back to Insight), then what
// makes the chosen kind work: an if-then plan (implementation intentions help people do what
// they plan), a link for a suggested resource.
void ComposerPanel::draw_kinds(Ui& ui, const Identity& me, float width) {
    SemanticView& v = *ui.sem;
    v.open("kinds", "div");
    v.attr("role", "group");
    v.attr("aria-label", "Kind of post");
    const std::vector<Kind> kinds = composer_kinds(me.role);
    if (std::find(kinds.begin(), kinds.end(), kind_) == kinds.end()) kind_ = Kind::insight;
    const float x0 = ImGui::GetCursorScreenPos().x;
    float x = x0;
    float y = ImGui::GetCursorScreenPos().y;
    for (Kind k : kinds) {
        ui::ButtonOpts chip;
        chip.tone = k == kind_ ? ui::Tone::chip_on : ui::Tone::chip;
        chip.size = ui::Size::compact;
        chip.toggle = true;
        chip.icon = k == kind_ ? ui::Icon::check : ui::Icon::none;
        const std::string label(composer_chip_label(k));
        const ImVec2 size = ui::button_size(ui, label.c_str(), chip);
        if (x > x0 && x + size.x > x0 + width) {
            x = x0;
            y += size.y + ui.px(6);
        }
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        if (ui::button(ui, label.c_str(), chip)) kind_ = k;
        x += size.x + ui.px(6);
    }
    v.close();
    ImGui::SetCursorScreenPos(ImVec2(x0, ImGui::GetCursorScreenPos().y + ui.px(2)));
    if (const char* hint = hint_for(kind_)) {
        ui::wrapped_text(ui, kSmall, hint, width, ui.pal->text_muted);
        v.leaf("kind-hint", "p", hint);
        ImGui::SetCursorScreenPos(ImVec2(x0, ImGui::GetCursorScreenPos().y + ui.px(2)));
    }
}

// Counter, hint and the Post button on one line; under it, why it cannot post (once there is
// something to say about it) or why posting failed. Returns the line's left edge.
float ComposerPanel::draw_post_line(Ui& ui, Discussion* d, ThreadState& st, const ui::TextField& field, bool submit,
                                    float width) {
    const Palette& pal = *ui.pal;
    SemanticView& v = *ui.sem;
    const CounterView counter = composer_counter(text_);
    const std::string reason = post_disabled_reason(text_, d != nullptr);
    ui::ButtonOpts post_btn;
    post_btn.tone = ui::Tone::primary;
    post_btn.disabled = !reason.empty();
    post_btn.tooltip = reason.empty() ? (ui.mac ? "Post (Cmd+Enter)" : "Post (Ctrl+Enter)") : reason.c_str();
    const ImVec2 btn = ui::button_size(ui, "Post", post_btn);
    const ImVec2 row = ImGui::GetCursorScreenPos();
    draw_counter(ui, counter, reason.empty(), row, btn, width);
    v.open("post-line", "div");   // in the HTML view too: the counter at the start, Post at the end
    v.attr("class", "grove-post-line");
    const int counter_node = v.leaf("counter", "p", counter.text);
    std::string described = v.ref(counter_node);
    ImGui::SetCursorScreenPos(ImVec2(row.x + width - btn.x, row.y));
    const bool clicked = ui::button(ui, "Post", post_btn);
    v.close();
    if (clicked || submit) post(ui, d, st);

    const std::string& why = !error_.empty() ? error_ : (!text_.empty() ? reason : error_);
    if (!why.empty()) {
        ui::wrapped_text(ui, kSmall, why.c_str(), width,
                         !error_.empty() || counter.level == CounterView::Level::over ? pal.danger_text : pal.text_muted);
        described += " " + v.ref(v.leaf("why", "p", why));
    }
    v.attr(field.sem, "aria-describedby", described);
    if (counter.level == CounterView::Level::over) v.attr(field.sem, "aria-invalid", "true");
    return row.x;
}

// The characters counter at the line's start (with a warning icon near or over the limit) and,
// when the text can be posted and there is room, the keyboard shortcut before the Post button.
void ComposerPanel::draw_counter(Ui& ui, const CounterView& counter, bool can_post, ImVec2 row, ImVec2 btn,
                                 float width) {
    const Palette& pal = *ui.pal;
    const unsigned counter_colour = counter.level == CounterView::Level::over   ? pal.danger_text
                                    : counter.level == CounterView::Level::near ? pal.warning_text
                                                                                : pal.text_muted;
    const float text_y = row.y + (btn.y - ui.line_h(kSmall)) * 0.5f;
    if (counter.level != CounterView::Level::ok) {
        const float s = ui.em(kSmall);
        ui::draw_icon(ImGui::GetWindowDrawList(), ui::Icon::warning,
                      ImVec2(row.x + s * 0.5f, text_y + ui.line_h(kSmall) * 0.5f), s, ui::col(counter_colour));
        ui::text_at(kSmall, ImVec2(row.x + s + ui.px(4), text_y), counter.text.c_str(), counter_colour);
    } else {
        ui::text_at(kSmall, ImVec2(row.x, text_y), counter.text.c_str(), counter_colour);
    }
    if (can_post) {
        const char* hint = ui.mac ? "Cmd+Enter to post" : "Ctrl+Enter to post";
        const float hw = ui::text_width(kSmall, hint);
        const float hx = row.x + width - btn.x - ui.px(12) - hw;
        if (hx > row.x + ui::text_width(kSmall, counter.text.c_str()) + ui.px(40))
            ui::text_at(kSmall, ImVec2(hx, text_y), hint, pal.text_muted);
    }
}

// Who has shared here (recounted once per change of the discussion, not per frame).
void ComposerPanel::draw_participation(Ui& ui, const Discussion& d, const Identity& me, float left, float width) {
    if (participation_rev_ != d.revision()) {   // O(posts): once per change, not per frame
        participation_rev_ = d.revision();
        participation_line_ = participation_line(participation(d.posts(), me));
    }
    // Nobody yet, as far as is known: until the first load is done, that is not known.
    const SyncStatus s = d.status();
    static const std::string loading = "Loading the discussion…";
    const bool unknown = !s.loaded || (!s.last_sync_ms && s.online);
    const std::string& line = unknown && participation_line_ == "Be the first to share here." ? loading : participation_line_;
    ImGui::SetCursorScreenPos(ImVec2(left, ImGui::GetCursorScreenPos().y + ui.px(2)));
    ui::wrapped_text(ui, kSmall, line.c_str(), width, ui.pal->text_muted);
    ui.sem->leaf("participation", "p", line);
}

}  // namespace grove

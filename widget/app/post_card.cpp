// [SECTION] Pen and Flow: placing things relative to a row, measuring or drawing
// [SECTION] Header: author, badges, time, menu
// [SECTION] Menu
// [SECTION] Forms: edit, delete, flag, reply
// [SECTION] Rows
#include "post_card.hpp"

#include <algorithm>          // std::max
#include <string>             // std::string

#include <imgui.h>
#include <imgui_internal.h>   // ImGui::GetCurrentWindow

#include "banners.hpp"        // callout
#include "grove/time.hpp"     // format_rfc3339_ms
#include "grove/validation.hpp"   // kMaxFlagDetailsCodePoints

namespace grove {

namespace {

// [SECTION] Pen and Flow ---------------------------------------------------------------------

// Draws at positions relative to the row's top-left corner, or only measures when !draw. With
// `describe` (a row the HTML view shows but the canvas does not) buttons are recorded, not drawn.
struct Pen {
    Ui& ui;
    bool draw;
    bool describe;
    ImVec2 o;
    mutable int menu_node = -1;   // the HTML view's place for the "More actions" menu

    // Whole device pixels: edges of fills and icons stay sharp.
    ImVec2 at(float x, float y) const { return ImVec2(ImFloor(o.x + x), ImFloor(o.y + y)); }
    bool button(float x, float y, const char* label, const ui::ButtonOpts& b) const {
        if (describe) ui::describe_button(ui, label, b, ImGui::GetID(label));
        if (!draw) return false;
        ImGui::SetCursorScreenPos(at(x, y));
        return ui::button(ui, label, b);
    }
    void badge(float x, float y, const char* text, unsigned bg, unsigned fg, ui::Icon icon) const {
        if (!draw) return;
        ImGui::SetCursorScreenPos(at(x, y));
        ui::badge(ui, text, bg, fg, icon);
    }
    void status(float x, float y, const char* text, ui::Chip chip, ui::Icon icon) const {
        if (!draw) return;
        ImGui::SetCursorScreenPos(at(x, y));
        ui::status_badge(ui, text, chip, icon);
    }
    void text(float x, float y, const char* t, unsigned colour, TextStyle style) const {
        if (draw) ui::text_at(style, at(x, y), t, colour);
    }
    void wrapped(float x, float y, const std::string& t, float w, unsigned colour, TextStyle style) const {
        if (!draw) return;
        ImGui::SetCursorScreenPos(at(x, y));
        ui::wrapped_text(ui, style, t.c_str(), w, colour, t.c_str() + t.size());
    }
    // Wrapped text whose http(s) addresses are links (ui::linked_text).
    void linked(float x, float y, const std::string& t, float w, unsigned colour, TextStyle style) const {
        if (!draw) return;
        ImGui::SetCursorScreenPos(at(x, y));
        ui::linked_text(ui, style, t.c_str(), w, colour, t.c_str() + t.size());
    }
    void icon(ui::Icon i, float cx, float cy, float size, unsigned colour, bool filled = false) const {
        if (draw) ui::draw_icon(ImGui::GetWindowDrawList(), i, at(cx, cy), size, ui::col(colour), filled);
    }
    // The height of wrapped text; a described row is never placed, so its text is not measured.
    float text_height(TextStyle style, const std::string& t, float w) const {
        return describe ? 0.0f : ui::wrapped_height(style, t.c_str(), w, t.c_str() + t.size());
    }
};

// Left to right with wrapping; every line is line_h tall and items are centred in it.
struct Flow {
    float x0, x, y, right, line_h, gap, row_gap;
    Flow(float left, float top, float right_edge, float line, float g, float rg)
        : x0(left), x(left), y(top), right(right_edge), line_h(line), gap(g), row_gap(rg) {}
    ImVec2 place(ImVec2 size) {
        if (x > x0 && x + size.x > right) {
            x = x0;
            y += line_h + row_gap;
        }
        const ImVec2 p(x, y + (line_h - size.y) * 0.5f);
        x += size.x + gap;
        return p;
    }
    float bottom() const { return y + line_h; }
};

const std::string kDeletedBody = "This post is deleted.";
// Curators: a hidden post's text is never stored in the browser, and is fetched once online.
const std::string kHiddenTextAway = "The hidden text is not kept in this browser; it shows when Grove reaches the server.";

float text_w(TextStyle style, const char* t) { return ui::text_width(style, t); }


void report(ThreadState& st, const std::optional<ApiError>& err, const char* what) {
    if (err) st.say(std::string(what) + ": " + err->message, NoticeTone::error);
}

std::string author_name(const Post& p) { return p.author.name.empty() ? std::string("Someone") : p.author.name; }
// "Ana's post", "James' post"
std::string owners_post(const Post& p) {
    const std::string name = author_name(p);
    return name + (name.back() == 's' ? "' post" : "'s post");
}

// While a row is only measured, nothing is recorded in the HTML view either.
struct MeasureOnly {
    Ui& ui;
    SemanticView* saved;
    SemanticView off;
    MeasureOnly(Ui& u, bool measure) : ui(u), saved(u.sem) {
        if (measure) ui.sem = &off;
    }
    ~MeasureOnly() { ui.sem = saved; }
};

// [SECTION] Header ---------------------------------------------------------------------------

// The HTML view's heading (the author) and meta line: who, when and what, as the header shows.
void describe_header(Ui& ui, const CardContext& c, const std::string& name, bool unanswered) {
    SemanticView& v = *ui.sem;
    if (!v.on()) return;   // the article is named by its author; the meta line says who, when and what
    const Post& p = c.post->post();
    v.attr(v.current(), "aria-labelledby", v.ref(v.leaf("author", c.reply ? "h4" : "h3", name)));
    v.attr(v.last(), "dir", "auto");
    v.open("meta", "p");
    v.attr("class", "grove-meta");
    std::string parts;
    if (!role_badge(p.author.role).empty()) parts += std::string(role_badge(p.author.role)) + " · ";
    if (shows_kind_chip(p)) parts += std::string(kind_label(p.kind)) + " · ";
    if (unanswered) parts += "Unanswered · ";
    v.text(parts);
    const int t = v.leaf("time", "time", relative_time(p.created_at_ms, ui.now_ms, ui.utc_offset_minutes));
    v.attr(t, "datetime", format_rfc3339_ms(p.created_at_ms));
    v.attr(t, "title", exact_time(p.created_at_ms, ui.utc_offset_minutes));
    std::string after;
    if (p.edited_at_ms) after += " · edited";
    if (c.post->state == LocalState::pending) after += c.online ? " · Sending…" : " · Waiting to send";
    if (p.pinned && !c.reply) after += " · Pinned";
    if (p.hidden) after += " · Hidden from learners";
    if (p.deleted) after += " · Deleted";
    if (p.kind == Kind::leader_learning && controls_for(*c.post, c.d->me()).own) after += " · In the spotlight";
    v.text(after);
    v.close();
}

void put_badge(Ui& ui, const Pen& pen, Flow& f, const char* t, unsigned bg, unsigned fg, ui::Icon icon) {
    const ImVec2 pos = f.place(ui::badge_size(ui, t, icon));
    pen.badge(pos.x, pos.y, t, bg, fg, icon);
}

void put_status(Ui& ui, const Pen& pen, Flow& f, const char* t, ui::Icon icon) {
    const ImVec2 pos = f.place(ui::badge_size(ui, t, icon));
    pen.status(pos.x, pos.y, t, ui::Chip::quiet, icon);
}

// When: relative, exact on hover; "edited"; pending.
void place_when(Ui& ui, const Pen& pen, Flow& f, const CardContext& c) {
    const Palette& pal = *ui.pal;
    const Post& p = c.post->post();
    std::string when = relative_time(p.created_at_ms, ui.now_ms, ui.utc_offset_minutes);
    if (p.edited_at_ms) when += " · edited";
    const ImVec2 when_size(text_w(kSmall, when.c_str()), ui.line_h(kSmall));
    ImVec2 at = f.place(when_size);
    if (pen.draw) {
        pen.text(at.x, at.y, when.c_str(), pal.text_muted, kSmall);
        ImGui::SetCursorScreenPos(pen.at(at.x, at.y));
        ImGui::InvisibleButton("##when", ImVec2(when_size.x > 1 ? when_size.x : 1, when_size.y));
        std::string exact = exact_time(p.created_at_ms, ui.utc_offset_minutes);
        if (p.edited_at_ms) exact += "\nEdited " + exact_time(*p.edited_at_ms, ui.utc_offset_minutes);
        ui::tooltip(ui, exact.c_str());
    }
    if (c.post->state == LocalState::pending) {
        const char* label = c.online ? "Sending…" : "Waiting to send";
        const float s = ui.em(kSmall), lh = ui.line_h(kSmall);
        at = f.place(ImVec2(s + ui.px(4) + text_w(kSmall, label), lh));
        pen.icon(ui::Icon::clock, at.x + s * 0.5f, at.y + lh * 0.5f, s, pal.text_muted);
        pen.text(at.x + s + ui.px(4), at.y, label, pal.text_muted, kSmall);
    }
}

// What it is: kind, unanswered, pinned, hidden, deleted, in the spotlight.
void place_chips(Ui& ui, const Pen& pen, Flow& f, const CardContext& c, bool unanswered, bool own) {
    const Palette& pal = *ui.pal;
    const Post& p = c.post->post();
    if (shows_kind_chip(p)) put_status(ui, pen, f, std::string(kind_label(p.kind)).c_str(), ui::Icon::none);
    if (unanswered) put_status(ui, pen, f, "Unanswered", ui::Icon::none);
    if (p.pinned && !c.reply) put_status(ui, pen, f, "Pinned", ui::Icon::pin);
    if (p.hidden) put_badge(ui, pen, f, "Hidden from learners", pal.danger_bg, pal.danger_text, ui::Icon::eye_off);
    if (p.deleted) put_badge(ui, pen, f, "Deleted", pal.danger_bg, pal.danger_text, ui::Icon::none);
    if (p.kind == Kind::leader_learning && own) put_status(ui, pen, f, "In the spotlight", ui::Icon::star);
}

// The "More actions" button, top right of the header line at `y`: it opens the menu (its items
// follow it in the HTML view) and takes the focus back when the menu closes by Esc.
void menu_button(Ui& ui, const Pen& pen, const CardContext& c, ui::ButtonOpts menu, bool shown, float pad,
                 float inner, float y, float line_h) {
    const Post& p = c.post->post();
    const ImVec2 menu_size = ui::button_size(ui, "##menu", menu);
    const std::string menu_name = "More actions for " + owners_post(p);
    menu.name = menu_name.c_str();
    menu.expanded = c.st->menu_for == p.id ? 1 : 0;
    if (shown && pen.describe) pen.button(0, 0, "##menu", menu);
    if (!shown || !pen.draw) return;
    SemanticView& v = *ui.sem;
    const float mx = pad + inner - menu_size.x + ui.px(4);
    const float my = y + (line_h - menu_size.y) * 0.5f;
    ImGui::SetCursorScreenPos(pen.at(mx, my));
    const bool keyboard = ui.focus->ring_visible();
    const bool pressed = ui::button(ui, "##menu", menu);
    if (c.st->menu_for == p.id && v.on()) {   // its items follow it in the HTML view
        const int at_button = v.last();
        pen.menu_node = v.open("menu", "div");
        v.attr("role", "group");
        v.attr("aria-label", menu_name);
        v.close();
        v.set_last(at_button);
    }
    if (c.st->return_focus_to_menu && c.st->menu_return == p.id) {
        ui.focus->focus(ImGui::GetItemID(), true);
        c.st->return_focus_to_menu = false;
    }
    if (pressed) {
        c.st->menu_for = p.id;
        c.st->menu_by_keyboard = keyboard;
        c.st->menu_return = p.id;
        ImGui::OpenPopup("menu");
    }
    c.st->menu_anchor_y = pen.at(0, my + menu_size.y).y;
    c.st->menu_anchor_x = pen.at(mx + menu_size.x, 0).x;
}

// The card's first line: avatar, name, role, when, what it is, and the menu. Returns its bottom.
float header(Ui& ui, const Pen& pen, const CardContext& c, float pad, float inner, float y) {
    const Post& p = c.post->post();
    ui::ButtonOpts menu = ui::compact(ui::Tone::ghost, ui::Icon::dots);
    menu.accessible = "More actions";
    const PostControls ctl = controls_for(*c.post, c.d->me());
    const ImVec2 menu_size = ui::button_size(ui, "##menu", menu);
    // The author's initials in a circle (smaller on a reply), then the name.
    const float disc = avatar_size(ui, c.reply);
    const float line_h = header_line_height(ui, c.reply);
    Flow f(pad, y, pad + inner - (ctl.menu() ? menu_size.x + ui.px(6) : 0.0f), line_h, ui.px(6), ui.px(2));

    const ImVec2 disc_at = f.place(ImVec2(disc, disc));
    if (pen.draw) {
        ImGui::SetCursorScreenPos(pen.at(disc_at.x, disc_at.y));
        ui::avatar(ui, p.author.name, p.author.id, disc);
    }
    f.x += ui.px(2);
    const std::string name = author_name(p);
    const ImVec2 at = f.place(ImVec2(text_w(strong(kBody), name.c_str()), ui.line_h(kBody)));
    if (pen.draw) ui::strong_text_at(kBody, pen.at(at.x, at.y), name.c_str(), ui.pal->text);
    const bool unanswered = !c.reply && c.entry && p.kind == Kind::question &&
                            awaits_answer(p, question_answered(p, c.d->posts(), c.entry->replies));
    describe_header(ui, c, name, unanswered);
    if (!role_badge(p.author.role).empty())
        put_status(ui, pen, f, std::string(role_badge(p.author.role)).c_str(), ui::Icon::none);
    place_when(ui, pen, f, c);
    place_chips(ui, pen, f, c, unanswered, ctl.own);
    menu_button(ui, pen, c, menu, ctl.menu(), pad, inner, y, line_h);
    return f.bottom();
}

// [SECTION] Menu -----------------------------------------------------------------------------

// The menu's items, as the person may use them on this post.
struct MenuItem {
    const char* label;
    ui::Icon icon;
    int action;   // see act_on_menu
};

std::vector<MenuItem> menu_items(const PostControls& ctl) {
    std::vector<MenuItem> items;
    if (ctl.edit) items.push_back({"Edit", ui::Icon::none, 0});
    if (ctl.copy) items.push_back({"Copy text", ui::Icon::none, 1});
    if (ctl.flag) items.push_back({"Flag for a curator…", ui::Icon::flag, 2});
    if (ctl.remove) items.push_back({"Delete…", ui::Icon::none, 3});
    return items;
}

// The items, one under the other and as wide as the widest, on the focus ring's menu layer;
// the first takes the focus when the menu was opened by keyboard. Returns the pressed item's
// action, -1 when none.
int menu_buttons(Ui& ui, ThreadState& st, const std::vector<MenuItem>& items, float w, int menu_node) {
    ui.focus->set_layer(1);
    ui.sem->enter(menu_node);
    int action = -1;
    std::uint32_t first = 0;
    for (const MenuItem& it : items) {
        ui::ButtonOpts b = ui::compact(ui::Tone::ghost, it.icon);
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        if (ui::button(ui, it.label, b)) action = it.action;
        if (!first) first = ImGui::GetItemID();
        ImGui::SetCursorScreenPos(ImVec2(pos.x, ImGui::GetCursorScreenPos().y));
        ImGui::Dummy(ImVec2(w, 0));
    }
    ui.sem->leave();
    ui.focus->set_layer(0);
    if (st.menu_by_keyboard && first) {
        ui.focus->focus(first, true);
        st.menu_by_keyboard = false;
    }
    return action;
}

// What a menu item does: 0 edit, 1 copy the text, 2 flag, 3 delete (the last two ask first).
void act_on_menu(Ui& ui, ThreadState& st, const Post& p, int action) {
    switch (action) {
        case 0:
            st.close_forms();
            st.edit.open(p.id, p.body);
            st.focus_form = true;
            break;
        case 1:
            ImGui::SetClipboardText(p.body.c_str());
            st.say("The post's text is copied.", NoticeTone::info);
            break;
        case 2:
            st.close_forms();
            st.flag.open(p.id);
            st.focus_form = true;
            break;
        case 3:
            st.close_forms();
            st.confirm_delete.open(p.id);
            st.focus_form = true;
            break;
        default: break;
    }
    if (action >= 0) ui.want_frame = true;
}

// "More actions": a popup under its button, while it is open for this post.
void menu(Ui& ui, const CardContext& c, int menu_node) {
    ThreadState& st = *c.st;
    const Post& p = c.post->post();
    if (st.menu_for != p.id) return;
    const std::vector<MenuItem> items = menu_items(controls_for(*c.post, c.d->me()));
    float w = 0;
    for (const MenuItem& it : items) w = std::max(w, ui::button_size(ui, it.label, ui::compact(ui::Tone::ghost, it.icon)).x);
    ImGui::SetNextWindowPos(ImVec2(st.menu_anchor_x, st.menu_anchor_y + ui.px(4)), ImGuiCond_Appearing, ImVec2(1, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ui.px(6), ui.px(6)));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, ui.px(2)));
    ImGui::PushStyleColor(ImGuiCol_Border, ui::col(ui.pal->border));
    const bool open = ImGui::BeginPopup("menu");
    ImGui::PopStyleColor();
    ImGui::PopStyleVar(2);
    if (!open) {   // closed by a click elsewhere
        st.menu_for.clear();
        return;
    }
    const int action = menu_buttons(ui, st, items, w, menu_node);
    const bool close = action >= 0 || st.close_menu;
    st.close_menu = false;
    if (close) {
        ImGui::CloseCurrentPopup();
        st.menu_for.clear();
        st.return_focus_to_menu = action < 0;   // Esc: back to the button that opened it
    }
    ImGui::EndPopup();
    act_on_menu(ui, st, p, action);
}

// [SECTION] Forms ----------------------------------------------------------------------------

// Puts the caret in the form's field (or the focus on its first button) once, when it opens.
void focus_form(Ui& ui, ThreadState& st, std::uint32_t id, bool text) {
    if (!st.focus_form || id == 0) return;
    st.focus_form = false;
    const bool keyboard = ui.focus->ring_visible();
    ui.focus->focus(id, keyboard);
    if (text) ui.editing = id;
    ui.want_frame = true;
}

// A group in the HTML view around a form, named for what it does.
void open_form(Ui& ui, const char* key, const std::string& name) {
    SemanticView& v = *ui.sem;
    v.open(key, "div");
    v.attr("role", "group");
    v.attr("aria-label", name);
}

float form_error(Ui& ui, const Pen& pen, ThreadState& st, float x, float y, float w) {
    if (st.form_error.empty()) return y;
    y += ui.px(6);
    pen.wrapped(x, y, st.form_error, w, ui.pal->danger_text, kSmall);
    ui.sem->leaf("error", "p", st.form_error);
    return y + pen.text_height(kSmall, st.form_error, w);
}

// The counter under a field, recorded as the field's description.
void describe_counter(Ui& ui, int field, const CounterView& counter) {
    SemanticView& v = *ui.sem;
    if (!v.on()) return;
    v.attr(field, "aria-describedby", v.ref(v.leaf("counter", "p", counter.text)));
    if (counter.level == CounterView::Level::over) v.attr(field, "aria-invalid", "true");
}

float edit_form(Ui& ui, const Pen& pen, const CardContext& c, float x, float y, float w) {
    ThreadState& st = *c.st;
    open_form(ui, "edit", "Edit your post");
    const float field_h = ui::text_field_height(ui, st.edit.text, w, 3, 10);
    std::uint32_t field = 0;
    if (pen.draw || pen.describe) {
        if (pen.draw) ImGui::SetCursorScreenPos(pen.at(x, y));
        const ui::TextField f =
            ui::text_field(ui, "Edit your post###edit", st.edit.text, w, 3, 10, "Your post", pen.draw);
        field = f.id;
        if (f.changed) st.form_error.clear();
        describe_counter(ui, f.sem, composer_counter(st.edit.text));
    }
    y += field_h + ui.px(8);
    ui::ButtonOpts save = ui::compact(ui::Tone::primary);
    const std::string reason = post_disabled_reason(st.edit.text, true);
    save.disabled = !reason.empty();
    save.tooltip = reason.empty() ? nullptr : reason.c_str();
    const ImVec2 bs = ui::button_size(ui, "Save", save);
    bool do_save = pen.button(x, y, "Save", save);
    ui::ButtonOpts cancel_opts = ui::compact(ui::Tone::secondary);
    cancel_opts.name = "Cancel editing";
    const bool cancel = pen.button(x + bs.x + ui.px(6), y, "Cancel", cancel_opts);
    if (pen.draw) {
        do_save = do_save || ui.take_submit(field);
        focus_form(ui, st, field, true);
        if (do_save && reason.empty()) {
            Discussion* d = c.d;
            ThreadState* s = &st;
            ui.defer([d, s] {
                if (auto err = d->edit(s->edit.post, s->edit.text)) {
                    s->form_error = err->message;
                } else {
                    s->close_forms();
                    s->announce("Saved.");
                }
            });
        } else if (cancel || st.cancel_form) {
            st.cancel_form = false;
            st.close_forms();
        }
    }
    y += bs.y;
    y = form_error(ui, pen, st, x, y, w);
    ui.sem->close();
    return y;
}

// A question asked in place with one dangerous action and Cancel (focused first, the safe
// choice). The caller opened the form and closes it; `answer` says what was pressed this frame.
struct ConfirmAnswer {
    bool act = false;
    bool cancel = false;   // Cancel or Escape
    float bottom = 0;
};
ConfirmAnswer confirm_row(Ui& ui, const Pen& pen, ThreadState& st, float x, float y, float w, const char* question,
                          unsigned question_colour, const char* action, const std::string& action_name,
                          const char* cancel_name) {
    ui.sem->leaf("question", "p", question);
    const ImVec2 ab = ui::button_size(ui, action, ui::compact(ui::Tone::danger));
    const ImVec2 cb = ui::button_size(ui, "Cancel", ui::compact(ui::Tone::secondary));
    Flow f(x, y, x + w, ab.y, ui.px(8), ui.px(6));
    const ImVec2 qa = f.place(ImVec2(text_w(kSmall, question), ui.line_h(kSmall)));
    pen.text(qa.x, qa.y, question, question_colour, kSmall);
    const ImVec2 aa = f.place(ab);
    ui::ButtonOpts act_opts = ui::compact(ui::Tone::danger);
    act_opts.name = action_name.c_str();
    ConfirmAnswer answer;
    answer.act = pen.button(aa.x, aa.y, action, act_opts);
    const ImVec2 ca = f.place(cb);
    ui::ButtonOpts cancel_opts = ui::compact(ui::Tone::secondary);
    cancel_opts.name = cancel_name;
    const bool cancel = pen.button(ca.x, ca.y, "Cancel", cancel_opts);
    if (pen.draw) {
        focus_form(ui, st, ImGui::GetItemID(), false);   // the safe choice first
        answer.cancel = !answer.act && (cancel || st.cancel_form);
        if (answer.cancel) st.cancel_form = false;
    } else {
        answer.act = false;
    }
    answer.bottom = f.bottom();
    return answer;
}

float delete_form(Ui& ui, const Pen& pen, const CardContext& c, float x, float y, float w) {
    ThreadState& st = *c.st;
    const bool own = controls_for(*c.post, c.d->me()).own;
    const std::string whose = own ? std::string("your post") : owners_post(c.post->post());
    open_form(ui, "delete", "Delete " + whose);
    const ConfirmAnswer a = confirm_row(ui, pen, st, x, y, w, "Delete this post? This cannot be undone.",
                                        ui.pal->danger_text, "Delete", "Delete " + whose, "Keep the post");
    if (a.act) {
        Discussion* d = c.d;
        ThreadState* s = &st;
        const std::string id = st.confirm_delete.post;
        st.close_forms();
        ui.defer([d, s, id] {
            if (auto err = d->remove(id)) report(*s, err, "Could not delete");
            else s->announce("Deleted.");
        });
    } else if (a.cancel) {
        st.close_forms();
    }
    ui.sem->close();
    return a.bottom;
}

// Curators: "Hide from learners?" asked in place before hiding. Cancel is focused first; after it,
// the focus goes back to "Hide from learners…".
float hide_form(Ui& ui, const Pen& pen, const CardContext& c, float x, float y, float w) {
    ThreadState& st = *c.st;
    const std::string whose = owners_post(c.post->post());
    open_form(ui, "hide", "Hide " + whose + " from learners");
    const ConfirmAnswer a = confirm_row(ui, pen, st, x, y, w, "Hide from learners? Curators still see it.",
                                        ui.pal->text, "Hide", "Hide " + whose + " from learners",
                                        "Cancel: keep it visible");
    if (a.act) {
        Discussion* d = c.d;
        ThreadState* s = &st;
        const std::string id = st.confirm_hide.post;
        st.close_forms();
        ui.defer([d, s, id] {
            if (auto err = d->hide(id, true)) report(*s, err, "Could not hide");
            else s->announce("Hidden from learners.");
        });
    } else if (a.cancel) {
        st.confirm_hide.return_to = st.confirm_hide.post;
        st.close_forms();
        ui.want_frame = true;
    }
    ui.sem->close();
    return a.bottom;
}

// The reasons, as toggle chips named by the question; the first takes the focus when the form
// opens. Returns the y under them.
float flag_reasons(Ui& ui, const Pen& pen, ThreadState& st, float x, float y, float w, int question) {
    SemanticView& v = *ui.sem;
    const float chip_h = ui::button_size(ui, "x", ui::compact(ui::Tone::chip)).y;
    Flow f(x, y, x + w, chip_h, ui.px(6), ui.px(6));
    std::uint32_t first = 0;
    v.open("reasons", "div");
    v.attr("role", "group");
    v.attr("aria-labelledby", v.ref(question));
    for (int i = 0; i < static_cast<int>(sizeof kFlagReasons / sizeof kFlagReasons[0]); ++i) {
        ui::ButtonOpts chip = ui::compact(st.flag.reason == i ? ui::Tone::chip_on : ui::Tone::chip,
                                          st.flag.reason == i ? ui::Icon::check : ui::Icon::none);
        chip.toggle = true;
        const ImVec2 a = f.place(ui::button_size(ui, kFlagReasons[i], chip));
        if (pen.button(a.x, a.y, kFlagReasons[i], chip)) st.flag.reason = i;
        if (pen.draw && !first) first = ImGui::GetItemID();
    }
    v.close();
    if (pen.draw) focus_form(ui, st, first, false);
    return f.bottom() + ui.px(8);
}

// Details: optional, at most 500 characters, like a post. Returns the y under the field.
float flag_details(Ui& ui, const Pen& pen, ThreadState& st, float x, float y, float w) {
    const float field_h = ui::text_field_height(ui, st.flag.details, w, 2, 6);
    if (pen.draw || pen.describe) {
        if (pen.draw) ImGui::SetCursorScreenPos(pen.at(x, y));
        const ui::TextField details = ui::text_field(ui, "Details for the curators (optional)###details",
                                                     st.flag.details, w, 2, 6, "Details (optional)", pen.draw);
        if (details.changed) st.form_error.clear();
        describe_counter(ui, details.sem, composer_counter(st.flag.details, kMaxFlagDetailsCodePoints));
    }
    return y + field_h + ui.px(8);
}

// Sends the flag after the frame. The answer stays where the person is: the post becomes its
// flagged line (or the form shows why the flag was refused).
void send_flag(Ui& ui, const CardContext& c) {
    ThreadState& st = *c.st;
    Discussion* d = c.d;
    ThreadState* s = &st;
    const std::string id = st.flag.post;
    const std::string reason = kFlagReasons[st.flag.reason];
    const std::string details = st.flag.details;
    ui.defer([d, s, id, reason, details] {
        if (auto err = d->flag(id, reason, details)) {
            s->form_error = err->message;
        } else {
            s->close_forms();
            s->flagged.insert(id);
            s->flagged_focus = id;
            s->changed();
            s->announce("Flagged for a curator. Undo is in the post's place for a few seconds.");
        }
    });
}

// Flagging someone's post: a reason (required) and details (optional) for the curators.
float flag_form(Ui& ui, const Pen& pen, const CardContext& c, float x, float y, float w) {
    ThreadState& st = *c.st;
    const Palette& pal = *ui.pal;
    SemanticView& v = *ui.sem;
    const char* q = "Why should a curator look at this?";
    open_form(ui, "flag", "Flag " + owners_post(c.post->post()) + " for a curator");
    pen.text(x, y, q, pal.text, kSmall);
    const int question = v.leaf("question", "p", q);
    y += ui.line_h(kSmall) + ui.px(6);
    y = flag_reasons(ui, pen, st, x, y, w, question);
    y = flag_details(ui, pen, st, x, y, w);
    const CounterView counter = composer_counter(st.flag.details, kMaxFlagDetailsCodePoints);
    ui::ButtonOpts send = ui::compact(ui::Tone::primary, ui::Icon::flag);
    send.disabled = st.flag.reason < 0 || counter.level == CounterView::Level::over;
    send.tooltip = st.flag.reason < 0 ? "Choose a reason first."
                   : send.disabled    ? "Details are limited to 500 characters."
                                      : nullptr;
    const ImVec2 sb = ui::button_size(ui, "Send to curators", send);
    const bool go = pen.button(x, y, "Send to curators", send);
    ui::ButtonOpts cancel_opts = ui::compact(ui::Tone::secondary);
    cancel_opts.name = "Cancel flagging";
    const bool cancel = pen.button(x + sb.x + ui.px(6), y, "Cancel", cancel_opts);
    if (counter.level != CounterView::Level::ok || !st.flag.details.empty()) {
        const float cw = text_w(kSmall, counter.text.c_str());
        const float cx = x + w - cw;
        if (cx > x + sb.x + ui.px(90))
            pen.text(cx, y + (sb.y - ui.line_h(kSmall)) * 0.5f, counter.text.c_str(),
                     counter.level == CounterView::Level::over ? pal.danger_text : pal.text_muted, kSmall);
    }
    if (pen.draw) {
        if (go && !send.disabled) {
            send_flag(ui, c);
        } else if (cancel || st.cancel_form) {
            st.cancel_form = false;
            st.close_forms();
        }
    }
    y += sb.y;
    y = form_error(ui, pen, st, x, y, w);
    v.close();
    return y;
}

// A failed write: the server's message and what the person can do about it.
float failed_box(Ui& ui, const Pen& pen, const CardContext& c, float x, float y, float w) {
    const Palette& pal = *ui.pal;
    const ShownPost& sp = *c.post;
    const std::string msg = "Not sent: " + (sp.error.empty() ? std::string("the server refused this change.") : sp.error);
    const float pad = ui.px(10);
    const float icon = ui.em(kSmall);
    const float tw = w - pad * 2 - icon - ui.px(8);
    float h = pad + pen.text_height(kSmall, msg, tw) + ui.px(8);
    const float bh = ui::button_size(ui, "Retry", ui::compact(ui::Tone::secondary)).y;
    h += bh + pad;
    if (pen.draw) {
        ImGui::GetWindowDrawList()->AddRectFilled(pen.at(x, y), pen.at(x + w, y + h), ui::col(pal.danger_bg), ui.px(8));
        pen.icon(ui::Icon::warning, x + pad + icon * 0.5f, y + pad + ui.line_h(kSmall) * 0.5f, icon, pal.danger_text);
        pen.wrapped(x + pad + icon + ui.px(8), y + pad, msg, tw, pal.danger_text, kSmall);
    }
    open_form(ui, "failed", "Not sent");
    ui.sem->leaf("message", "p", msg);
    float bx = x + pad + icon + ui.px(8);
    const float by = y + h - pad - bh;
    const auto put = [&](const char* label, ui::Tone tone) {
        const bool hit = pen.button(bx, by, label, ui::compact(tone));
        bx += ui::button_size(ui, label, ui::compact(tone)).x + ui.px(6);
        return hit;
    };
    const bool retry = put("Retry", ui::Tone::secondary);
    const bool own = controls_for(sp, c.d->me()).edit;
    const bool edit = own && put("Edit", ui::Tone::secondary);
    const bool discard = put("Discard", ui::Tone::secondary);
    ui.sem->close();
    if (pen.draw) {
        ThreadState& st = *c.st;
        Discussion* d = c.d;
        const std::uint64_t write = sp.failed_write;
        if (retry) ui.defer([d, write] { d->retry(write); });
        if (edit) {
            st.close_forms();
            st.edit.open(sp.post().id, sp.post().body);
            st.focus_form = true;
        }
        if (discard) ui.defer([d, write] { d->discard(write); });
    }
    return y + h;
}

// The footer: endorse, reply, replies, curator actions, left to right (wrapping). Each step places
// its button (or text) in the flow, acts when it is pressed, and notes that the footer is not empty.
struct Footer {
    Ui& ui;
    const Pen& pen;
    const CardContext& c;
    ThreadState& st;
    const Post& p;
    const PostControls ctl;
    const std::string whose;
    Flow f;
    bool any = false;

    Footer(Ui& u, const Pen& pn, const CardContext& cc, float x, float y, float w)
        : ui(u), pen(pn), c(cc), st(*cc.st), p(cc.post->post()), ctl(controls_for(*cc.post, cc.d->me())),
          whose(owners_post(p)),
          f(x - u.px(8), y, x + w, ui::button_size(u, "x", ui::compact(ui::Tone::ghost)).y, u.px(4), u.px(4)) {}

    void endorse();
    void leader_endorsed();
    void reply();
    void replies_toggle();
    void moderate(bool on, const char* label, ui::Icon icon, std::optional<ApiError> (Discussion::*write)(const std::string&, bool),
                  const char* what);
    void add_to_shelf();
    void hide();
    void keep_visible();
};

// Endorse with its count (or only the count, for one's own posts).
void Footer::endorse() {
    SemanticView& v = *ui.sem;
    if (ctl.endorse) {
        const std::string label = std::string(p.endorsed_by_me ? "Endorsed" : "Endorse") +
                                  (p.endorsements > 0 ? " · " + std::to_string(p.endorsements) : std::string());
        ui::ButtonOpts b = ui::compact(p.endorsed_by_me ? ui::Tone::toggle_on : ui::Tone::ghost, ui::Icon::endorse);
        b.toggle = true;
        b.tooltip = p.endorsed_by_me ? "You endorsed this. Select to take it back." : "Endorse: this helped me";
        const std::string name = "Endorse " + whose;
        b.name = name.c_str();
        const std::string id = label + "###endorse";
        const ImVec2 a = f.place(ui::button_size(ui, id.c_str(), b));
        if (pen.button(a.x, a.y, id.c_str(), b)) {
            Discussion* d = c.d;
            ThreadState* s = &st;
            const std::string pid = p.id;
            const bool on = !p.endorsed_by_me;
            ui.defer([d, s, pid, on] { report(*s, d->endorse(pid, on), "Could not endorse"); });
        }
        any = true;
    } else if (p.endorsements > 0) {
        const std::string t = std::to_string(p.endorsements) + (p.endorsements == 1 ? " endorsement" : " endorsements");
        v.leaf("endorsements", "span", t);
        const float s = ui.em(kSmall), lh = ui.line_h(kSmall);
        const ImVec2 a = f.place(ImVec2(s + ui.px(4) + text_w(kSmall, t.c_str()) + ui.px(16), lh));
        pen.icon(ui::Icon::endorse, a.x + ui.px(8) + s * 0.5f, a.y + lh * 0.5f, s, ui.pal->text_muted);
        pen.text(a.x + ui.px(8) + s + ui.px(4), a.y, t.c_str(), ui.pal->text_muted, kSmall);
        any = true;
    }
    if (ctl.endorse && p.endorsements > 0)
        v.leaf("endorsements", "span",
               std::to_string(p.endorsements) + (p.endorsements == 1 ? " endorsement" : " endorsements"));
}

void Footer::leader_endorsed() {
    if (!p.leader_endorsed) return;
    const char* t = "Endorsed by a leader";
    ui.sem->leaf("leader", "span", t);
    const ImVec2 a = f.place(ui::badge_size(ui, t, ui::Icon::check));
    pen.status(a.x, a.y, t, ui::Chip::strong, ui::Icon::check);
    any = true;
}

// Reply: opens the reply form under the post's replies (and shows them).
void Footer::reply() {
    if (!ctl.reply) return;
    ui::ButtonOpts b = ui::compact(ui::Tone::ghost, ui::Icon::reply);
    const std::string name = "Reply to " + author_name(p);
    b.name = name.c_str();
    b.expanded = st.reply.post == p.id ? 1 : 0;
    const ImVec2 a = f.place(ui::button_size(ui, "Reply", b));
    if (pen.button(a.x, a.y, "Reply", b)) {
        st.close_forms();
        st.reply.open(p.id);
        st.focus_form = true;
        st.replies_open[p.id] = true;
        st.changed();
        ui.want_frame = true;
    }
    any = true;
}

// "3 replies" / "Collapse replies (3)" on a top-level post with replies.
void Footer::replies_toggle() {
    if (c.reply || !c.entry || c.entry->replies.empty()) return;
    const std::size_t n = c.entry->replies.size();
    // "Collapse", not "Hide": hiding is what curators do to a post.
    const std::string label = c.replies_open ? "Collapse replies (" + std::to_string(n) + ")"
                                             : std::to_string(n) + (n == 1 ? " reply" : " replies");
    ui::ButtonOpts b = ui::compact(ui::Tone::ghost, c.replies_open ? ui::Icon::chevron_down : ui::Icon::chevron_right);
    b.toggle = true;
    b.expanded = c.replies_open ? 1 : 0;
    const std::string name = std::to_string(n) + (n == 1 ? " reply to " : " replies to ") + whose;
    b.name = name.c_str();
    const std::string id = label + "###replies";
    const ImVec2 a = f.place(ui::button_size(ui, id.c_str(), b));
    if (pen.button(a.x, a.y, id.c_str(), b)) {
        st.replies_open[p.id] = !c.replies_open;
        if (c.replies_open && st.reply.post == p.id) st.close_forms();
        st.changed();
    }
    any = true;
}

// Curators: the same toggle for pinning and unhiding.
void Footer::moderate(bool on, const char* label, ui::Icon icon,
                      std::optional<ApiError> (Discussion::*write)(const std::string&, bool), const char* what) {
    ui::ButtonOpts b = ui::compact(ui::Tone::ghost, icon);
    std::string name(label, ImGui::FindRenderedTextEnd(label));
    name += " " + whose;
    b.name = name.c_str();
    const ImVec2 a = f.place(ui::button_size(ui, label, b));
    if (pen.button(a.x, a.y, label, b)) {
        Discussion* d = c.d;
        ThreadState* s = &st;
        const std::string pid = p.id, failed = std::string("Could not ") + what;
        ui.defer([d, s, pid, on, write, failed] { report(*s, (d->*write)(pid, !on), failed.c_str()); });
    }
    any = true;
}

// Curators: a suggested resource goes onto the module's shelf (once).
void Footer::add_to_shelf() {
    if (!(c.d->me().known && can_curate_resources(c.d->me().role) && !p.hidden && c.post->state != LocalState::failed))
        return;
    const auto s = shelf_suggestion(p);
    if (!s) return;
    const auto& shelf = c.d->resources();
    const bool on_shelf = std::any_of(shelf.begin(), shelf.end(), [&](const Resource& r) { return r.url == s->url; });
    ui::ButtonOpts b = ui::compact(on_shelf ? ui::Tone::toggle_on : ui::Tone::ghost, ui::Icon::check);
    b.disabled = on_shelf;
    b.tooltip = on_shelf ? "This address is on the module's resource shelf." : "Add this resource to the module's shelf";
    const char* label = on_shelf ? "On the shelf###shelf" : "Add to shelf###shelf";
    const ImVec2 a = f.place(ui::button_size(ui, label, b));
    if (pen.button(a.x, a.y, label, b)) {
        Discussion* d = c.d;
        ThreadState* st_ptr = &st;
        const ShelfSuggestion add = *s;
        ui.defer([d, st_ptr, add] {
            auto r = d->add_resource(add.title, add.url, add.note);
            if (!r) report(*st_ptr, r.error(), "Could not add it to the shelf");
            else st_ptr->say("Added to the module's resources.", NoticeTone::info);
        });
    }
    any = true;
}

// Curators: "Hide from learners…" asks first (hide_form); the focus comes back here after Cancel.
void Footer::hide() {
    ui::ButtonOpts b = ui::compact(ui::Tone::ghost, ui::Icon::eye_off);
    const std::string name = "Hide " + whose + " from learners";
    b.name = name.c_str();
    b.expanded = st.confirm_hide.post == p.id ? 1 : 0;
    const char* label = "Hide from learners…###hide";
    const ImVec2 a = f.place(ui::button_size(ui, label, b));
    if (pen.button(a.x, a.y, label, b)) {
        st.close_forms();
        st.confirm_hide.open(p.id);
        st.focus_form = true;
        st.changed();
        ui.want_frame = true;
    }
    if (pen.draw && st.confirm_hide.return_to == p.id) {
        ui.focus->focus(ImGui::GetItemID(), true);
        st.confirm_hide.return_to.clear();
    }
    any = true;
}

// A flagged post that learners still see, or that the flags hid: its flags can be dismissed.
void Footer::keep_visible() {
    const auto& queue = c.d->flags();
    const auto flagged = std::find_if(queue.begin(), queue.end(), [&](const FlagEntry& e) { return e.post.id == p.id; });
    if (flagged == queue.end() || (p.hidden && !flagged->hidden_by_flags)) return;
    ui::ButtonOpts b = ui::compact(ui::Tone::ghost, ui::Icon::check);
    const std::string name = "Keep " + whose + " visible: dismiss its flags";
    b.name = name.c_str();
    const ImVec2 a = f.place(ui::button_size(ui, "Keep visible", b));
    if (pen.button(a.x, a.y, "Keep visible", b)) {
        Discussion* d = c.d;
        ThreadState* s = &st;
        const std::string pid = p.id;
        ui.defer([d, s, pid] {
            if (auto err = d->keep_visible(pid)) report(*s, err, "Could not keep it visible");
            else s->announce("Kept visible: its flags are dismissed.");
        });
    }
    any = true;
}

float footer(Ui& ui, const Pen& pen, const CardContext& c, float x, float y, float w) {
    Footer ft(ui, pen, c, x, y, w);
    const Post& p = ft.p;
    SemanticView& v = *ui.sem;
    v.open("footer", "div");
    v.attr("class", "grove-actions");
    ft.endorse();
    ft.leader_endorsed();
    ft.reply();
    ft.replies_toggle();
    ft.add_to_shelf();
    if (ft.ctl.pin)
        ft.moderate(p.pinned, p.pinned ? "Unpin###pin" : "Pin###pin", ui::Icon::pin, &Discussion::pin,
                    p.pinned ? "unpin" : "pin");
    if (ft.ctl.hide && p.hidden) ft.moderate(true, "Unhide###hide", ui::Icon::eye_off, &Discussion::hide, "unhide");
    if (ft.ctl.hide && !p.hidden) ft.hide();
    if (ft.ctl.hide) ft.keep_visible();
    v.close();
    return ft.any ? ft.f.bottom() : y - ui.px(8);
}

// How strongly a post just written is highlighted now: 1 when first drawn, fading to 0 over
// kHighlightMs; 0 for other posts, and when motion is reduced.
float highlight(Ui& ui, ThreadState& st, const std::string& id) {
    if (st.highlight != id || ui.reduce_motion) return 0.0f;
    if (st.highlight_at_ms == 0) st.highlight_at_ms = ui.now_ms;
    const std::int64_t age = ui.now_ms - st.highlight_at_ms;
    if (age >= kHighlightMs) {
        st.highlight.clear();
        return 0.0f;
    }
    ui.want_frame = true;   // the fade runs
    return 1.0f - static_cast<float>(age) / static_cast<float>(kHighlightMs);
}

// Background of a row: cards have a border; replies a guide line on their left.
// `glow` (0..1): a new post's highlight, fading.
void card_background(Ui& ui, const Pen& pen, float x, float w, float h, bool reply, bool pinned, float glow) {
    if (!pen.draw) return;
    const Palette& pal = *ui.pal;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float r = ui.px(10);
    if (reply) {
        dl->AddRectFilled(pen.at(x, 0), pen.at(x + w, h), ui::col(pal.surface_alt), r);
        const float guide = x - ui.reply_indent() * 0.5f;
        dl->AddRectFilled(pen.at(guide - ui.px(1), 0), pen.at(guide + ui.px(1), h), ui::col(pal.border));
    } else {
        dl->AddRectFilled(pen.at(x, 0), pen.at(x + w, h), ui::col(pal.surface), r);
        dl->AddRect(pen.at(x, 0), pen.at(x + w, h), ui::col(pinned ? pal.curator_text : pal.border), r, 0,
                    ui.px(pinned ? 1.5f : 1.0f));
    }
    if (glow > 0) {
        dl->AddRectFilled(pen.at(x, 0), pen.at(x + w, h), ui::col(pal.accent, 0.2f * glow), r);
        dl->AddRect(pen.at(x, 0), pen.at(x + w, h), ui::col(pal.accent, glow), r, 0, ui.px(2));
    }
}

// A post the person flagged here: one line in its place. While the flag waits to be sent
// (Discussion::flag_undoable) it offers Undo, which takes the flag back and brings the post back;
// once sent, "Show post" brings the post back and the flag stays with the curators.
float flagged_row(Ui& ui, const CardContext& c, float width, RowPass pass) {
    ThreadState& st = *c.st;
    const Post& p = c.post->post();
    const bool draw = pass == RowPass::draw;
    MeasureOnly measuring(ui, pass == RowPass::measure);
    const Pen pen{ui, draw, pass == RowPass::describe, draw ? ImGui::GetCursorScreenPos() : ImVec2(0, 0)};
    const float x = c.reply ? ui.reply_indent() : 0.0f, w = width - x, pad = ui.px(12);
    const bool undoable = c.d->flag_undoable(p.id);
    const std::string whose = owners_post(p);
    const char* said = undoable ? "Flagged for a curator." : "You flagged this post for a curator.";
    const char* action = undoable ? "Undo" : "Show post";
    const std::string name = undoable ? "Undo the flag on " + whose : "Show " + whose;
    if (pass != RowPass::measure) ImGui::PushID(("flagged:" + p.id).c_str());
    SemanticView& v = *ui.sem;
    v.open("flagged", "div");
    v.attr("role", "group");
    v.attr("aria-label", "Flagged: " + whose);
    v.leaf("said", "p", said);
    ui::ButtonOpts opts = ui::compact(ui::Tone::secondary);
    opts.name = name.c_str();
    const float em = ui.em(kSmall);
    const ImVec2 bs = ui::button_size(ui, action, opts);
    Flow f(x + pad + em + ui.px(8), pad, x + w - pad, bs.y, ui.px(10), ui.px(6));
    const ImVec2 ta = f.place(ImVec2(text_w(kSmall, said), ui.line_h(kSmall)));
    pen.icon(ui::Icon::flag, x + pad + em * 0.5f, ta.y + ui.line_h(kSmall) * 0.5f, em, ui.pal->text_muted);
    pen.text(ta.x, ta.y, said, ui.pal->text_muted, kSmall);
    const ImVec2 ba = f.place(bs);
    const bool pressed = pen.button(ba.x, ba.y, action, opts);
    if (draw) {
        if (st.flagged_focus == p.id) {
            st.flagged_focus.clear();
            st.focus_form = true;
            focus_form(ui, st, ImGui::GetItemID(), false);
        }
        if (pressed) {
            Discussion* d = c.d;
            ThreadState* s = &st;
            const std::string id = p.id;
            ui.defer([d, s, id, undoable] {
                if (undoable && !d->undo_flag(id)) {   // sent meanwhile: the line now says so
                    s->announce("Too late to undo: the flag was sent. A curator will look at it.");
                    return;
                }
                s->flagged.erase(id);
                s->changed();
                s->announce(undoable ? "Flag taken back." : "The post is shown again.");
            });
        }
    }
    const float h = f.bottom() + pad;
    if (draw)
        ImGui::GetWindowDrawList()->AddRect(pen.at(x, 0), pen.at(x + w, h), ui::col(ui.pal->border), ui.px(10), 0,
                                            ui.px(1));
    v.close();
    if (pass != RowPass::measure) ImGui::PopID();
    return h + ui.px(c.reply ? 8 : 12);
}

// Posts the reply after the frame; it shows first among the post's replies, highlighted.
void post_reply(Ui& ui, const CardContext& c) {
    Discussion* d = c.d;
    ThreadState* s = c.st;
    const std::string parent = c.post->post().id;
    ui.defer([d, s, parent] {
        auto created = d->create(Kind::insight, s->reply.text, parent);
        if (!created) {
            s->form_error = created.error().message;
            return;
        }
        s->posted_here.insert(created.value().id);
        s->reveal = s->highlight = created.value().id;
        s->highlight_at_ms = 0;
        s->replies_open[parent] = true;
        s->close_forms();
        s->changed();
        s->announce("Reply posted.");
    });
}

// The characters counter, ending at `right` on the buttons' line (at `y`, `line_h` tall), when
// there is room for it after the buttons' end (`after`).
void reply_counter(Ui& ui, const Pen& pen, const CounterView& counter, float right, float after, float y,
                   float line_h) {
    const Palette& pal = *ui.pal;
    const float cw = text_w(kSmall, counter.text.c_str());
    const float cx = right - cw;
    if (cx > after + ui.px(90))
        pen.text(cx, y + (line_h - ui.line_h(kSmall)) * 0.5f, counter.text.c_str(),
                 counter.level == CounterView::Level::over   ? pal.danger_text
                 : counter.level == CounterView::Level::near ? pal.warning_text
                                                             : pal.text_muted,
                 kSmall);
}

// Under the form (drawn last, on the back channel): its tinted box and the replies' guide line.
void reply_form_background(Ui& ui, const Pen& pen, float x, float w, float bottom) {
    const Palette& pal = *ui.pal;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->ChannelsSetCurrent(0);
    dl->AddRectFilled(pen.at(x, 0), pen.at(x + w, bottom), ui::col(pal.surface_alt), ui.px(10));
    const float guide = x - ui.reply_indent() * 0.5f;
    dl->AddRectFilled(pen.at(guide - ui.px(1), 0), pen.at(guide + ui.px(1), bottom), ui::col(pal.border));
    dl->ChannelsMerge();
}

// The post's text (a placeholder for a deleted or hidden one), then a commitment's lines: how it
// went (everyone), when its author is asked next (the author). Returns the y under them.
float post_body(Ui& ui, const Pen& pen, const CardContext& c, RowPass pass, float x, float y, float inner) {
    const Palette& pal = *ui.pal;
    const Post& p = c.post->post();
    SemanticView& v = *ui.sem;
    // A deleted post shows only while the person's refused write to it waits (see failed_box).
    const std::string& body = p.deleted ? kDeletedBody : p.hidden && p.body.empty() ? kHiddenTextAway : p.body;
    const bool plain = p.hidden || p.deleted;   // placeholders: nothing in them is a link
    {
        const ui::Selectable selectable(p.id);   // drag-select, copy, the browser's find
        if (plain) pen.wrapped(x, y, body, inner, pal.text_muted, kBody);
        else pen.linked(x, y, body, inner, pal.text, kBody);
    }
    y += pen.text_height(kBody, body, inner);
    if (v.on()) {
        v.open("body", "p");
        v.attr("dir", "auto");
        v.attr("class", "grove-body");
        if (plain) v.text(body);
        else v.linked_text(body, pass != RowPass::measure ? ui::link_ids(body) : std::vector<std::uint32_t>{});
        v.close();
    }
    const std::string outcome = outcome_line(p, ui.now_ms, ui.utc_offset_minutes);
    const std::string next = check_in_line(p, c.d->me().known ? c.d->me().id : std::string(), ui.now_ms);
    for (const std::string* line : {&outcome, &p.outcome_note, &next}) {
        if (line->empty() || (line == &p.outcome_note && outcome.empty())) continue;
        y += ui.px(4);
        const bool answer = line == &outcome;
        pen.wrapped(x, y, *line, inner, answer ? pal.text : pal.text_muted, answer ? strong(kSmall) : kSmall);
        y += pen.text_height(kSmall, *line, inner);
        if (v.on()) {
            v.leaf(line == &outcome ? "outcome" : line == &next ? "check-in" : "outcome-note", "p", *line);
            v.attr(v.last(), "dir", "auto");
        }
    }
    return y;
}

}  // namespace

// [SECTION] Rows -----------------------------------------------------------------------------

float avatar_size(const Ui& ui, bool reply) { return ui.px(reply ? 22 : 26); }

float header_line_height(const Ui& ui, bool reply) {
    return std::max({ui.line_h(kBody), ui::button_size(ui, "x", ui::compact(ui::Tone::ghost)).y, avatar_size(ui, reply)});
}

float post_row(Ui& ui, const CardContext& c, float width, RowPass pass) {
    ThreadState& st = *c.st;
    const Post& p = c.post->post();
    if (st.flagged.count(p.id)) return flagged_row(ui, c, width, pass);
    const bool draw = pass == RowPass::draw;
    MeasureOnly measuring(ui, pass == RowPass::measure);
    const Pen pen{ui, draw, pass == RowPass::describe, draw ? ImGui::GetCursorScreenPos() : ImVec2(0, 0)};
    const float x = c.reply ? ui.reply_indent() : 0.0f;
    const float w = width - x;
    const float pad = ui.card_pad(c.reply);
    const float inner = w - pad * 2;
    ImDrawList* dl = draw ? ImGui::GetWindowDrawList() : nullptr;
    if (pass != RowPass::measure) ImGui::PushID(p.id.c_str());
    if (draw) {
        dl->ChannelsSplit(2);   // content on top, the card behind it once its height is known
        dl->ChannelsSetCurrent(1);
    }
    SemanticView& v = *ui.sem;
    v.open("post", "article");
    float y = header(ui, pen, c, x + pad, inner, pad) + ui.px(8);

    if (st.edit.post == p.id) y = edit_form(ui, pen, c, x + pad, y, inner);
    else y = post_body(ui, pen, c, pass, x + pad, y, inner);
    if (c.post->state == LocalState::failed) y = failed_box(ui, pen, c, x + pad, y + ui.px(10), inner);
    y = footer(ui, pen, c, x + pad, y + ui.px(8), inner);
    if (st.confirm_delete.post == p.id) y = delete_form(ui, pen, c, x + pad, y + ui.px(10), inner);
    if (st.confirm_hide.post == p.id) y = hide_form(ui, pen, c, x + pad, y + ui.px(10), inner);
    if (st.flag.post == p.id) y = flag_form(ui, pen, c, x + pad, y + ui.px(10), inner);
    y += pad;
    if (draw) {
        menu(ui, c, pen.menu_node);
        dl->ChannelsSetCurrent(0);
        card_background(ui, pen, x, w, y, c.reply, p.pinned, highlight(ui, st, p.id));
        dl->ChannelsMerge();
    }
    v.close();
    if (pass != RowPass::measure) ImGui::PopID();
    return y + ui.px(c.reply ? 8 : 12);
}

float placeholder_row(Ui& ui, const CardContext& c, float width, RowPass pass) {
    const bool draw = pass == RowPass::draw;
    MeasureOnly measuring(ui, pass == RowPass::measure);
    const Pen pen{ui, draw, pass == RowPass::describe, draw ? ImGui::GetCursorScreenPos() : ImVec2(0, 0)};
    const float pad = ui.px(12);
    const char* text = c.entry && c.entry->parent_hidden ? "This post was hidden by a curator."
                                                         : "This post was deleted.";
    const float em = ui.em(kSmall), lh = ui.line_h(kSmall);
    const float h = pad * 2 + lh;
    if (draw) {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRect(pen.at(0, 0), pen.at(width, h), ui::col(ui.pal->border), ui.px(10), 0, ui.px(1));
        pen.icon(ui::Icon::eye_off, pad + em * 0.5f, pad + lh * 0.5f, em, ui.pal->text_muted);
        pen.text(pad + em + ui.px(8), pad, text, ui.pal->text_muted, kSmall);
    }
    ui.sem->leaf("placeholder", "p", text);
    return h + ui.px(12);
}

float reply_form_row(Ui& ui, const CardContext& c, float width, RowPass pass) {
    ThreadState& st = *c.st;
    const Palette& pal = *ui.pal;
    const bool draw = pass == RowPass::draw;
    MeasureOnly measuring(ui, pass == RowPass::measure);
    const Pen pen{ui, draw, pass == RowPass::describe, draw ? ImGui::GetCursorScreenPos() : ImVec2(0, 0)};
    const float x = ui.reply_indent(), w = width - x, pad = ui.card_pad(true), inner = w - pad * 2;
    const std::string to = "Reply to " + (c.post->post().author.name.empty() ? std::string("this post") : c.post->post().author.name);
    float y = pad;
    if (pass != RowPass::measure) ImGui::PushID(("reply:" + c.post->post().id).c_str());
    if (draw) {
        ImGui::GetWindowDrawList()->ChannelsSplit(2);
        ImGui::GetWindowDrawList()->ChannelsSetCurrent(1);
    }
    open_form(ui, "reply", to);
    pen.text(x + pad, y, to.c_str(), pal.text_muted, kSmall);
    y += ui.line_h(kSmall) + ui.px(6);
    const float field_h = ui::text_field_height(ui, st.reply.text, inner, 2, 8);
    std::uint32_t field = 0;
    int field_node = -1;
    if (pass != RowPass::measure) {
        if (draw) ImGui::SetCursorScreenPos(pen.at(x + pad, y));
        const ui::TextField f = ui::text_field(ui, "Your reply###reply", st.reply.text, inner, 2, 8, "Write a reply…", draw);
        field = f.id;
        field_node = f.sem;
        if (f.changed) st.form_error.clear();
    }
    y += field_h + ui.px(8);
    ui::ButtonOpts send = ui::compact(ui::Tone::primary);
    const std::string reason = post_disabled_reason(st.reply.text, true);
    send.disabled = !reason.empty();
    send.tooltip = reason.empty() ? (ui.mac ? "Reply (Cmd+Enter)" : "Reply (Ctrl+Enter)") : reason.c_str();
    const ImVec2 sb = ui::button_size(ui, "Post reply", send);
    const CounterView counter = composer_counter(st.reply.text);
    describe_counter(ui, field_node, counter);
    bool go = pen.button(x + pad, y, "Post reply", send);
    ui::ButtonOpts cancel_opts = ui::compact(ui::Tone::secondary);
    cancel_opts.name = "Cancel the reply";
    const bool cancel = pen.button(x + pad + sb.x + ui.px(6), y, "Cancel", cancel_opts);
    if (counter.level != CounterView::Level::ok || !st.reply.text.empty())
        reply_counter(ui, pen, counter, x + pad + inner, x + pad + sb.x, y, sb.y);
    y += sb.y;
    if (draw) {
        go = go || ui.take_submit(field);
        focus_form(ui, st, field, true);
        if (go) {
            if (!reason.empty()) {
                st.form_error = reason;
            } else {
                post_reply(ui, c);
            }
        } else if (cancel || st.cancel_form) {
            st.cancel_form = false;
            st.close_forms();
        }
    }
    y = form_error(ui, pen, st, x + pad, y, inner) + pad;
    ui.sem->close();
    if (draw) reply_form_background(ui, pen, x, w, y);
    if (pass != RowPass::measure) ImGui::PopID();
    return y + ui.px(12);
}

}  // namespace grove

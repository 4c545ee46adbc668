#include "resource_shelf.hpp"

#include <imgui.h>

#include <algorithm>   // std::none_of

#include "grove/validation.hpp"   // url_host

namespace grove {

namespace {
constexpr std::size_t kShownAtFirst = 3;
}  // namespace

void ResourceShelf::draw(Ui& ui, Discussion& d, ThreadState& st, float width) {
    const std::vector<Resource>& shelf = d.resources();
    if (shelf.empty()) return;
    const Palette& pal = *ui.pal;
    ImGui::PushID("resources");
    SemanticView& v = *ui.sem;
    const int section = v.open("resources", "div");
    v.attr("role", "group");
    const char* title = "Resources for this module";
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ui::strong_text_at(kBody, origin, title, pal.text);
    v.attr(section, "aria-labelledby", v.ref(v.leaf("title", "h2", title)));
    float y = origin.y + ui.line_h(kBody) + ui.px(6);
    v.open("list", "ul");

    const std::size_t shown = show_all_ ? shelf.size() : std::min(shelf.size(), kShownAtFirst);
    for (std::size_t i = 0; i < shown; ++i) y = draw_entry(ui, d, st, i, origin.x, y, width);
    v.close();   // the list
    // The entry went away (removed elsewhere) while its form was open: nothing left to edit.
    if (st.shelf_edit.is_open() &&
        std::none_of(shelf.begin(), shelf.end(), [&](const Resource& r) { return r.id == st.shelf_edit.resource; }))
        st.close_forms();
    if (shelf.size() > kShownAtFirst) {
        ui::ButtonOpts all = ui::compact(ui::Tone::ghost, show_all_ ? ui::Icon::chevron_down : ui::Icon::chevron_right);
        all.expanded = show_all_ ? 1 : 0;
        const std::string label =
            show_all_ ? std::string("Show fewer") : "Show all " + std::to_string(shelf.size()) + " resources";
        ImGui::SetCursorScreenPos(ImVec2(origin.x - ui.px(6), y));
        if (ui::button(ui, label.c_str(), all)) show_all_ = !show_all_;
        y = ImGui::GetCursorScreenPos().y;
    }
    v.close();   // the section
    ImGui::PopID();
    ImGui::SetCursorScreenPos(ImVec2(origin.x, y));
    ImGui::Dummy(ImVec2(width, 0));
}

// Shelf entry i at y: its title as a link and the link's domain, the curator's note, then its
// edit form or (for curators) its actions. Returns the y under it.
float ResourceShelf::draw_entry(Ui& ui, Discussion& d, ThreadState& st, std::size_t i, float origin_x, float y,
                                float width) {
    const std::vector<Resource>& shelf = d.resources();
    const Palette& pal = *ui.pal;
    SemanticView& v = *ui.sem;
    const Resource& r = shelf[i];
    ImGui::PushID(r.id.c_str());
    v.open(r.id, "li");
    ImGui::SetCursorScreenPos(ImVec2(origin_x, y));
    const std::uint32_t control = ui::link(ui, kBody, r.title.c_str(), r.url);
    const std::string domain = url_host(r.url);
    const float tw = ui::text_width(kBody, r.title.c_str());
    const float dw = ui::text_width(kSmall, domain.c_str());
    const float meta_y = y + (ui.line_h(kBody) - ui.line_h(kSmall)) * 0.5f;
    if (tw + ui.px(8) + dw <= width) {
        ui::text_at(kSmall, ImVec2(origin_x + tw + ui.px(8), meta_y), domain.c_str(), pal.text_muted);
        y += ui.line_h(kBody);
    } else {
        y += ui.line_h(kBody);
        ui::text_at(kSmall, ImVec2(origin_x, y), domain.c_str(), pal.text_muted);
        y += ui.line_h(kSmall);
    }
    if (v.on()) {
        const int a = v.leaf("link", "a", r.title);
        v.attr(a, "href", r.url);
        v.attr(a, "target", "_blank");
        v.attr(a, "rel", "noopener noreferrer");
        v.attr(a, "dir", "auto");
        if (control) v.set_control(a, control);
        v.text(" " + domain);
    }
    if (!r.note.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(origin_x, y));
        ui::wrapped_text(ui, kSmall, r.note.c_str(), width, pal.text_muted);
        y = ImGui::GetCursorScreenPos().y;
        if (v.on()) {
            v.leaf("note", "p", r.note);
            v.attr(v.last(), "dir", "auto");
        }
    }
    if (st.shelf_edit.resource == r.id && d.me().known && can_curate_resources(d.me().role)) {
        y = edit_form(ui, d, st, origin_x, y + ui.px(4), width);
    } else if (d.me().known && can_curate_resources(d.me().role)) {
        y = draw_actions(ui, d, st, i, origin_x, y);
    }
    y += ui.px(6);
    v.close();
    ImGui::PopID();
    return y;
}

// Curators: Edit (opens the entry's form), Move up (not on the first) and Remove, on one line
// under the entry. Returns the y under them.
float ResourceShelf::draw_actions(Ui& ui, Discussion& d, ThreadState& st, std::size_t i, float origin_x, float y) {
    const Resource& r = d.resources()[i];
    float x = origin_x - ui.px(6);
    y += ui.px(2);
    const auto action = [&](const char* label, const std::string& name) {
        ui::ButtonOpts b = ui::compact(ui::Tone::ghost);
        b.name = name.c_str();
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        const bool pressed = ui::button(ui, label, b);
        x += ui::button_size(ui, label, b).x + ui.px(4);
        return pressed;
    };
    Discussion* disc = &d;
    ThreadState* s = &st;
    const std::string id = r.id;
    const std::int64_t to = r.position - 1;
    if (action("Edit", "Edit " + r.title)) {
        st.close_forms();
        st.shelf_edit.open(r.id, r.title, r.url, r.note);
        focus_title_ = true;
        st.changed();
    }
    if (i > 0 && action("Move up", "Move " + r.title + " up"))
        ui.defer([disc, s, id, to] {
            if (auto err = disc->move_resource(id, to)) s->say(err->message, NoticeTone::error);
        });
    if (action("Remove", "Remove " + r.title + " from the shelf"))
        ui.defer([disc, s, id] {
            if (auto err = disc->remove_resource(id)) s->say(err->message, NoticeTone::error);
            else s->announce("Removed from the shelf.");
        });
    y += ui::button_size(ui, "Remove", ui::compact(ui::Tone::ghost)).y;
    return y;
}

// Saves the entry's edit after the frame; a refusal shows in the form, which stays open.
void ResourceShelf::save_edit(Ui& ui, Discussion& d, ThreadState& st) {
    Discussion* disc = &d;
    ThreadState* s = &st;
    const ShelfEditForm& form = st.shelf_edit;
    const std::string id = form.resource, t = form.title, u = form.url, n = form.note;
    ui.defer([disc, s, id, t, u, n] {
        if (auto err = disc->edit_resource(id, t, u, n)) {
            s->form_error = err->message;
            s->announce(err->message);
        } else {
            s->close_forms();
            s->changed();
            s->announce("Saved.");
        }
    });
}

float ResourceShelf::edit_form(Ui& ui, Discussion& d, ThreadState& st, float x, float y, float width) {
    SemanticView& v = *ui.sem;
    v.open("edit", "div");
    v.attr("role", "group");
    v.attr("aria-label", "Edit the resource");
    std::uint32_t first = 0;
    const auto field = [&](const char* label, std::string& text, int max_lines, const char* placeholder) {
        // The name above the field (a prefilled field shows no placeholder); the HTML view names
        // the field itself.
        const std::string shown(label, std::string_view(label).find("###"));
        ui::text_at(kSmall, ImVec2(x, y), shown.c_str(), ui.pal->text_muted);
        y += ui.line_h(kSmall) + ui.px(2);
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        const ui::TextField f = ui::text_field(ui, label, text, width, 1, max_lines, placeholder);
        if (f.changed) st.form_error.clear();
        if (!first) first = f.id;
        y = ImGui::GetCursorScreenPos().y + ui.px(6);
        return f.id;
    };
    const std::uint32_t title = field("Title###title", st.shelf_edit.title, 1, "Title");
    field("Address###url", st.shelf_edit.url, 1, "https://…");
    field("Note (optional)###note", st.shelf_edit.note, 3, "Why it helps (optional)");
    if (focus_title_ && first) {
        focus_title_ = false;
        ui.focus->focus(first, ui.focus->ring_visible());
        ui.editing = first;
        ui.want_frame = true;
    }

    ui::ButtonOpts save = ui::compact(ui::Tone::primary);
    save.name = "Save the resource";
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    const bool do_save = ui::button(ui, "Save", save) || ui.take_submit(title);
    const ImVec2 bs = ui::button_size(ui, "Save", save);
    ui::ButtonOpts cancel_opts = ui::compact(ui::Tone::secondary);
    cancel_opts.name = "Cancel editing the resource";
    ImGui::SetCursorScreenPos(ImVec2(x + bs.x + ui.px(6), y));
    const bool cancel = ui::button(ui, "Cancel", cancel_opts);
    y += bs.y;
    if (do_save) {
        save_edit(ui, d, st);
    } else if (cancel || st.cancel_form) {
        st.cancel_form = false;
        st.close_forms();
        st.changed();
    }
    if (!st.form_error.empty()) {
        y += ui.px(6);
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        ui::wrapped_text(ui, kSmall, st.form_error.c_str(), width, ui.pal->danger_text);
        y = ImGui::GetCursorScreenPos().y;
        v.leaf("error", "p", st.form_error);
        v.attr(v.last(), "role", "alert");
    }
    v.close();
    return y;
}

}  // namespace grove

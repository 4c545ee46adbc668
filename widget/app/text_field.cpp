#include "text_field.hpp"

#include <algorithm>          // std::clamp, std::min

#include <imgui.h>
#include <imgui_internal.h>   // ImRect, ItemAdd, ItemHoverable

#include "grove/utf8.hpp"     // is_valid_utf8
#include "semantic_view.hpp"
#include "ui_kit.hpp"

namespace grove {

std::string clean_field_text(std::string_view in) {
    std::string out;
    out.reserve(std::min(in.size(), kMaxFieldBytes));
    for (std::size_t i = 0; i < in.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(in[i]);
        if (c == '\r') {
            if (i + 1 < in.size() && in[i + 1] == '\n') continue;
            out.push_back('\n');
        } else if (c == '\t') {
            out.push_back(' ');
        } else if (c >= 0x20 || c == '\n') {
            out.push_back(static_cast<char>(c));
        }
    }
    if (!is_valid_utf8(out)) {   // drop broken sequences, keep the rest
        std::string ok;
        ok.reserve(out.size());
        for (std::size_t i = 0; i < out.size();) {
            unsigned cp = 0;
            const int n = ImTextCharFromUtf8(&cp, out.data() + i, out.data() + out.size());
            const std::size_t len = static_cast<std::size_t>(n > 0 ? n : 1);
            const std::string_view piece(out.data() + i, std::min(len, out.size() - i));
            if (is_valid_utf8(piece)) ok.append(piece);
            i += len;
        }
        out.swap(ok);
    }
    if (out.size() > kMaxFieldBytes) {
        std::size_t cut = kMaxFieldBytes;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
    }
    return out;
}

namespace ui {

namespace {

ImVec2 field_padding(const Ui& ui) { return ImVec2(ui.px(10), ui.px(8)); }

// Lines as the canvas lays them out (a text ending in a newline has an empty last line, as a
// textarea shows it).
int line_count(const Ui& ui, const std::string& text, float inner_w) {
    const int n = static_cast<int>(ui.text->layout(kBody, text, inner_w).lines.size());
    return n < 1 ? 1 : n;
}

}  // namespace

float text_field_height(const Ui& ui, const std::string& text, float width, int min_lines, int max_lines) {
    const ImVec2 pad = field_padding(ui);
    const int n = std::clamp(line_count(ui, text, width - pad.x * 2), min_lines, max_lines);
    return pad.y * 2 + ui.line_h(kBody) * static_cast<float>(n);
}

namespace {

// What the person typed since the last frame (the platform's field holds it): true when it changed
// the text.
bool take_input(Ui& ui, ImGuiID id, std::string& text) {
    if (!ui.inputs) return false;
    bool changed = false;
    for (auto it = ui.inputs->begin(); it != ui.inputs->end(); ++it) {
        if (it->first != id) continue;
        if (it->second.value != text) {
            text = it->second.value;
            changed = true;
        }
        ui.inputs->erase(it);
        break;
    }
    return changed;
}

// The HTML view: a labelled textarea holding the text. Returns its node, -1 when the view is off.
int describe_field(Ui& ui, ImGuiID id, const char* label, const std::string& text, const char* placeholder,
                   int min_lines) {
    if (!ui.sem->on()) return -1;
    const std::string name(label, ImGui::FindRenderedTextEnd(label));
    const int node = ui.sem->leaf("f" + std::to_string(id), "textarea", text);
    ui.sem->set_control(node, id);
    ui.sem->attr(node, "aria-label", name);
    if (placeholder) ui.sem->attr(node, "placeholder", placeholder);
    ui.sem->attr(node, "dir", "auto");
    ui.sem->attr(node, "rows", std::to_string(min_lines));
    ui.sem->attr(node, "autocomplete", "off");
    return node;
}

// The text wrapped at `origin`. wrapped_text lays out like an item, and the field's own item is
// already placed: the window's layout state is put back as it was.
void text_in_place(Ui& ui, ImGuiWindow* window, ImVec2 origin, const std::string& text, float inner_w) {
    ImGuiWindowTempData& dc = window->DC;
    const ImVec2 cursor = dc.CursorPos, prev = dc.CursorPosPrevLine, max = dc.CursorMaxPos, ideal = dc.IdealMaxPos;
    const ImVec2 curr_size = dc.CurrLineSize, prev_size = dc.PrevLineSize;
    const float curr_base = dc.CurrLineTextBaseOffset, prev_base = dc.PrevLineTextBaseOffset;
    ImGui::SetCursorScreenPos(origin);
    wrapped_text(ui, kBody, text.c_str(), inner_w, ui.pal->text, text.c_str() + text.size());
    dc.CursorPos = cursor;
    dc.CursorPosPrevLine = prev;
    dc.CursorMaxPos = max;
    dc.IdealMaxPos = ideal;
    dc.CurrLineSize = curr_size;
    dc.PrevLineSize = prev_size;
    dc.CurrLineTextBaseOffset = curr_base;
    dc.PrevLineTextBaseOffset = prev_base;
}

// Where typing goes (headless: the end of the last line, on its left when right to left).
void draw_caret(Ui& ui, ImDrawList* dl, ImVec2 origin, const std::string& text, float inner_w) {
    const float line_h = ui.line_h(kBody);
    const TextLayout layout = ui.text->layout(kBody, text, inner_w);
    const TextLine& last = layout.lines.back();
    const float y = origin.y + line_h * static_cast<float>(layout.lines.size() - 1);
    const float x = origin.x + ImMin(inner_w, last.rtl ? last.x : last.x + last.width);
    dl->AddRectFilled(ImVec2(x, y), ImVec2(x + ImMax(1.0f, ui.px(1.5f)), y + line_h), col(ui.pal->text));
}

// The field's box at `bb`: its frame, then the text or the placeholder, then the caret while it
// is typed in (unless the platform shows its own field over it).
void draw_field(Ui& ui, ImGuiWindow* window, const ImRect& bb, float width, const std::string& text,
                const char* placeholder, bool editing, bool hovered, int lines, int shown) {
    const ImVec2 pad = field_padding(ui);
    const float inner_w = width - pad.x * 2;
    const float line_h = ui.line_h(kBody);
    ImDrawList* dl = window->DrawList;
    const float rounding = ui.px(6);
    dl->AddRectFilled(bb.Min, bb.Max, col(ui.pal->surface), rounding);
    if (editing) dl->AddRect(bb.Min, bb.Max, col(ui.pal->focus_ring), rounding, 0, ui.px(2));
    else dl->AddRect(bb.Min, bb.Max, col(hovered ? ui.pal->text_muted : ui.pal->control_border), rounding, 0, ui.px(1));
    if (editing && ui.overlay_fields) {   // the platform's textarea shows it: on screen all the same
        if (!text.empty()) log_text(text.c_str(), text.c_str() + text.size(), bb.Min.y + pad.y);
        return;
    }
    ImGui::PushClipRect(ImVec2(bb.Min.x + ui.px(2), bb.Min.y + ui.px(2)), ImVec2(bb.Max.x - ui.px(2), bb.Max.y - ui.px(2)),
                        true);
    // Taller than the field: the end shows while typing (where the caret is), the start otherwise.
    const float scroll = editing && lines > shown ? line_h * static_cast<float>(lines - shown) : 0.0f;
    const ImVec2 origin(bb.Min.x + pad.x, bb.Min.y + pad.y - scroll);
    if (!text.empty()) text_in_place(ui, window, origin, text, inner_w);
    else if (placeholder) text_at(kBody, origin, placeholder, ui.pal->text_muted);
    if (editing) draw_caret(ui, dl, origin, text, inner_w);
    ImGui::PopClipRect();
}

}  // namespace

TextField text_field(Ui& ui, const char* label, std::string& text, float width, int min_lines, int max_lines,
                     const char* placeholder, bool draw) {
    TextField out;
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const ImGuiID id = window->GetID(label);
    out.id = id;
    out.changed = take_input(ui, id, text);
    if (ui.fields) ui.fields->push_back({id, &text});
    if (draw && ui.focus->take_text_activation(id) && ui.editing != id) ui.editing = id;
    bool editing = ui.editing == id;
    out.sem = describe_field(ui, id, label, text, placeholder, min_lines);

    const ImVec2 pad = field_padding(ui);
    const int lines = line_count(ui, text, width - pad.x * 2);
    const int shown = std::clamp(lines, min_lines, max_lines);
    const float h = pad.y * 2 + ui.line_h(kBody) * static_cast<float>(shown);
    out.height = h;
    if (!draw) {
        out.editing = editing;
        return out;
    }

    const ImVec2 pos = window->DC.CursorPos;
    const ImRect bb(pos, ImVec2(pos.x + width, pos.y + h));
    ImGui::ItemSize(bb.GetSize());
    const bool visible = ImGui::ItemAdd(bb, id);
    const bool hovered = visible && ImGui::ItemHoverable(bb, id);
    if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_TextInput);
    if (hovered && ImGui::IsMouseClicked(0)) {   // a click starts typing here
        ui.editing = id;
        editing = true;
        ui.edit_clicked = true;
        ui.focus->focus(id, false);
    }
    ui.focus->control(label, ControlKind::text, editing);
    if (ui.field_boxes) ui.field_boxes->push_back({id, bb.Min.x, bb.Min.y, width, h, visible});
    out.editing = editing;
    if (visible) draw_field(ui, window, bb, width, text, placeholder, editing, hovered, lines, shown);
    return out;
}

}  // namespace ui
}  // namespace grove

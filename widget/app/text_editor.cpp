#include "text_editor.hpp"

#include <algorithm>          // std::min, std::max, std::clamp

#include <imgui.h>
#include <imgui_internal.h>   // ImRect, ItemAdd, ItemHoverable

#include "grove/utf8.hpp"     // is_valid_utf8
#include "text_port.hpp"
#include "ui_kit.hpp"

namespace grove {

namespace {

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

std::size_t next_cp(const std::string& t, std::size_t p) {
    if (p >= t.size()) return t.size();
    ++p;
    while (p < t.size() && continuation(static_cast<unsigned char>(t[p]))) ++p;
    return p;
}

std::size_t prev_cp(const std::string& t, std::size_t p) {
    if (p == 0) return 0;
    --p;
    while (p > 0 && continuation(static_cast<unsigned char>(t[p]))) --p;
    return p;
}

unsigned cp_at(const std::string& t, std::size_t p) {
    unsigned c = 0;
    if (p >= t.size()) return 0;
    ImTextCharFromUtf8(&c, t.data() + p, t.data() + t.size());
    return c;
}

bool is_blank(unsigned c) { return c == ' ' || c == '\t' || c == '\n' || c == 0x3000 || c == 0xA0; }
bool is_punct(unsigned c) {
    return (c < 128 && c > ' ' && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'));
}
int char_class(unsigned c) { return is_blank(c) ? 0 : is_punct(c) ? 1 : 2; }

// Word moves skip blanks and punctuation, then one word: to the end of the next word (right)
// or the start of the previous one (left).
std::size_t word_right(const std::string& t, std::size_t p) {
    while (p < t.size() && char_class(cp_at(t, p)) != 2) p = next_cp(t, p);
    while (p < t.size() && char_class(cp_at(t, p)) == 2) p = next_cp(t, p);
    return p;
}

std::size_t word_left(const std::string& t, std::size_t p) {
    while (p > 0 && char_class(cp_at(t, prev_cp(t, p))) != 2) p = prev_cp(t, p);
    while (p > 0 && char_class(cp_at(t, prev_cp(t, p))) == 2) p = prev_cp(t, p);
    return p;
}

float advance(TextPort& port, const std::string& t, std::size_t a, std::size_t b) {
    if (b <= a) return 0.0f;
    return port.measure(kBody, std::string_view(t).substr(a, b - a));
}

std::size_t line_of(const std::vector<WrappedLine>& lines, std::size_t pos) {
    std::size_t i = 0;
    while (i + 1 < lines.size() && lines[i + 1].start <= pos) ++i;
    return i;
}

// The byte position nearest to x on a line.
std::size_t pos_in_line(TextPort& font, const std::string& t, const std::vector<WrappedLine>& lines, std::size_t li,
                        float x) {
    const WrappedLine& l = lines[li];
    // A soft-wrapped line's end is the next line's start: stop before it so the caret stays here.
    const bool soft = li + 1 < lines.size() && lines[li + 1].start == l.end;
    const std::size_t last = soft ? prev_cp(t, l.end) : l.end;
    float acc = 0.0f;
    for (std::size_t p = l.start; p < last;) {
        const std::size_t n = next_cp(t, p);
        const float w = advance(font, t, p, n);
        if (x < acc + w * 0.5f) return p;
        acc += w;
        p = n;
    }
    return std::max(l.start, last);
}

// Keeps valid UTF-8 without control characters (newlines stay; tabs become spaces).
std::string clean(const std::string& in) {
    std::string out;
    out.reserve(in.size());
    for (char ch : in) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (c == '\t') out.push_back(' ');
        else if (c >= 0x20 || c == '\n') out.push_back(ch);
    }
    if (!is_valid_utf8(out)) {   // drop broken sequences byte by byte
        std::string ok;
        for (std::size_t i = 0; i < out.size();) {
            unsigned c = 0;
            const int n = ImTextCharFromUtf8(&c, out.data() + i, out.data() + out.size());
            const std::string piece = out.substr(i, static_cast<std::size_t>(n > 0 ? n : 1));
            if (is_valid_utf8(piece)) ok += piece;
            i += static_cast<std::size_t>(n > 0 ? n : 1);
        }
        out.swap(ok);
    }
    return out;
}

void remember(std::string& text, TextEditState& st) {
    st.undo.emplace_back(text, st.cursor);
    if (st.undo.size() > 100) st.undo.erase(st.undo.begin());
    st.redo.clear();
}

void replace_selection(std::string& text, TextEditState& st, const std::string& with) {
    const std::size_t a = st.sel_begin(), b = st.sel_end();
    text.replace(a, b - a, with);
    st.cursor = st.anchor = a + with.size();
}

}  // namespace

std::vector<WrappedLine> wrap_lines(TextPort& port, const std::string& text, float width) {
    const TextLayout l = port.layout(kBody, text, width);
    std::vector<WrappedLine> lines;
    lines.reserve(l.lines.size());
    for (const TextLine& tl : l.lines) {
        std::size_t end = tl.next;
        if (end > tl.end && end <= text.size() && text[end - 1] == '\n') --end;
        lines.push_back({tl.start, std::max<std::size_t>(end, tl.start)});
    }
    if (lines.empty()) lines.push_back({0, 0});
    return lines;
}

bool apply_event(const InputEvent& e, std::string& text, TextEditState& st, TextPort& font, float width, bool mac,
                 std::string* clipboard) {
    st.cursor = std::min(st.cursor, text.size());
    st.anchor = std::min(st.anchor, text.size());
    if (e.type == InputEvent::Type::delete_selection) {
        if (!st.has_selection()) return false;
        remember(text, st);
        replace_selection(text, st, {});
        st.merge_typing = false;
        return true;
    }
    if (e.type == InputEvent::Type::text) {
        std::string in = clean(e.text);
        if (in.empty()) return false;
        const std::size_t kept = text.size() - (st.sel_end() - st.sel_begin());
        const std::size_t room = kept < kMaxFieldBytes ? kMaxFieldBytes - kept : 0;
        if (in.size() > room) {   // cut at a code point boundary
            std::size_t cut = room;
            while (cut > 0 && continuation(static_cast<unsigned char>(in[cut]))) --cut;
            in.resize(cut);
            if (in.empty()) return false;
        }
        const bool typing = next_cp(in, 0) == in.size() && in != "\n";
        if (!(typing && st.merge_typing && !st.has_selection())) remember(text, st);
        replace_selection(text, st, in);
        st.merge_typing = typing;
        st.preferred_x = -1.0f;
        return true;
    }

    const bool word = mac ? e.alt : e.ctrl;            // by words
    const bool shortcut = mac ? (e.super && !e.ctrl) : (e.ctrl && !e.super);
    const bool whole = mac ? e.super : e.ctrl;         // Home/End: the whole text
    const bool select = e.shift;
    const auto move_to = [&](std::size_t p, bool keep_x = false) {
        st.cursor = std::min(p, text.size());
        if (!select) st.anchor = st.cursor;
        if (!keep_x) st.preferred_x = -1.0f;
        st.merge_typing = false;
    };
    const auto lines = [&] { return wrap_lines(font, text, width); };
    const auto erase = [&](std::size_t a, std::size_t b) {
        if (b <= a) return false;
        remember(text, st);
        text.erase(a, b - a);
        st.cursor = st.anchor = a;
        st.merge_typing = false;
        st.preferred_x = -1.0f;
        return true;
    };
    switch (e.key) {
        case ImGuiKey_LeftArrow:
            if (st.has_selection() && !select) return move_to(st.sel_begin()), false;
            if (mac && e.super) return move_to(lines()[line_of(lines(), st.cursor)].start), false;
            return move_to(word ? word_left(text, st.cursor) : prev_cp(text, st.cursor)), false;
        case ImGuiKey_RightArrow: {
            if (st.has_selection() && !select) return move_to(st.sel_end()), false;
            if (mac && e.super) {
                const auto ls = lines();
                return move_to(ls[line_of(ls, st.cursor)].end), false;
            }
            return move_to(word ? word_right(text, st.cursor) : next_cp(text, st.cursor)), false;
        }
        case ImGuiKey_UpArrow:
        case ImGuiKey_DownArrow:
        case ImGuiKey_PageUp:
        case ImGuiKey_PageDown: {
            const auto ls = lines();
            const std::size_t li = line_of(ls, st.cursor);
            const float x = st.preferred_x >= 0 ? st.preferred_x : advance(font, text, ls[li].start, st.cursor);
            const int step = (e.key == ImGuiKey_PageUp || e.key == ImGuiKey_PageDown) ? 8 : 1;
            const bool up = e.key == ImGuiKey_UpArrow || e.key == ImGuiKey_PageUp;
            if (mac && e.super) return move_to(up ? 0 : text.size()), false;
            const long target = static_cast<long>(li) + (up ? -step : step);
            if (target < 0) return move_to(0), false;
            if (target >= static_cast<long>(ls.size())) return move_to(text.size()), false;
            move_to(pos_in_line(font, text, ls, static_cast<std::size_t>(target), x), true);
            st.preferred_x = x;
            return false;
        }
        case ImGuiKey_Home: {
            if (whole) return move_to(0), false;
            const auto ls = lines();
            return move_to(ls[line_of(ls, st.cursor)].start), false;
        }
        case ImGuiKey_End: {
            if (whole) return move_to(text.size()), false;
            const auto ls = lines();
            const std::size_t li = line_of(ls, st.cursor);
            const bool soft = li + 1 < ls.size() && ls[li + 1].start == ls[li].end;
            return move_to(soft ? prev_cp(text, ls[li].end) : ls[li].end), false;
        }
        case ImGuiKey_Backspace:
            if (st.has_selection()) return erase(st.sel_begin(), st.sel_end());
            return erase(word ? word_left(text, st.cursor) : prev_cp(text, st.cursor), st.cursor);
        case ImGuiKey_Delete:
            if (st.has_selection()) return erase(st.sel_begin(), st.sel_end());
            return erase(st.cursor, word ? word_right(text, st.cursor) : next_cp(text, st.cursor));
        case ImGuiKey_Enter:
        case ImGuiKey_KeyPadEnter: {
            InputEvent nl;
            nl.text = "\n";
            return apply_event(nl, text, st, font, width, mac, clipboard);
        }
        case ImGuiKey_A:
            if (shortcut) st.select_all(text);
            return false;
        case ImGuiKey_C:
        case ImGuiKey_X:
            if (!shortcut || !st.has_selection()) return false;
            if (clipboard) *clipboard = text.substr(st.sel_begin(), st.sel_end() - st.sel_begin());
            return e.key == ImGuiKey_X ? erase(st.sel_begin(), st.sel_end()) : false;
        case ImGuiKey_Z:
        case ImGuiKey_Y: {
            if (!shortcut) return false;
            const bool redo = e.key == ImGuiKey_Y || e.shift;
            auto& from = redo ? st.redo : st.undo;
            auto& to = redo ? st.undo : st.redo;
            if (from.empty()) return false;
            to.emplace_back(text, st.cursor);
            text = std::move(from.back().first);
            st.cursor = st.anchor = std::min(from.back().second, text.size());
            from.pop_back();
            st.merge_typing = false;
            return true;
        }
        default: return false;
    }
}

namespace ui {

namespace {
ImVec2 field_padding(const Ui& ui) { return ImVec2(ui.px(10), ui.px(8)); }
}  // namespace

float text_field_height(const Ui& ui, const std::string& text, float width, int min_lines, int max_lines) {
    const ImVec2 pad = field_padding(ui);
    const int n = static_cast<int>(wrap_lines(*ui.text, text, width - pad.x * 2).size());
    return pad.y * 2 + ui.line_h() * static_cast<float>(std::clamp(n, min_lines, max_lines));
}

TextField text_field(Ui& ui, const char* label, std::string& text, TextEditState& st, float width, int min_lines,
                     int max_lines, const char* placeholder) {
    TextField out;
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    ImGuiContext& g = *GImGui;
    const ImGuiID id = window->GetID(label);
    out.id = id;
    TextPort& font = *ui.text;
    const ImVec2 pad = field_padding(ui);
    const float inner_w = width - pad.x * 2;
    const float line_h = ui.line_h();
    st.cursor = std::min(st.cursor, text.size());
    st.anchor = std::min(st.anchor, text.size());

    if (ui.focus->take_text_activation(id) && ui.editing != id) {
        ui.editing = id;
        st.cursor = st.anchor = text.size();
    }
    bool editing = ui.editing == id;
    if (editing && ui.events && !ui.events->empty()) {
        std::string clip;
        for (const InputEvent& e : *ui.events) out.changed |= apply_event(e, text, st, font, inner_w, ui.mac, &clip);
        ui.events->clear();
        if (!clip.empty()) ImGui::SetClipboardText(clip.c_str());
    }

    auto lines = wrap_lines(font, text, inner_w);
    const int shown = std::clamp(static_cast<int>(lines.size()), min_lines, max_lines);
    const float h = pad.y * 2 + line_h * static_cast<float>(shown);
    out.height = h;
    const ImVec2 pos = window->DC.CursorPos;
    const ImRect bb(pos, ImVec2(pos.x + width, pos.y + h));
    ImGui::ItemSize(bb.GetSize());
    const bool visible = ImGui::ItemAdd(bb, id);

    // Mouse: click places the caret (and starts editing), drag selects, double-click a word.
    const float content_h = line_h * static_cast<float>(lines.size());
    const float view_h = line_h * static_cast<float>(shown);
    const ImVec2 origin(bb.Min.x + pad.x, bb.Min.y + pad.y - st.scroll_y);
    const auto hit = [&](ImVec2 m) {
        const float ly = (m.y - origin.y) / line_h;
        const std::size_t li = ly < 0 ? 0 : std::min(lines.size() - 1, static_cast<std::size_t>(ly));
        return pos_in_line(font, text, lines, li, m.x - origin.x);
    };
    const bool hovered = visible && ImGui::ItemHoverable(bb, id);
    if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_TextInput);
    if (hovered && ImGui::IsMouseClicked(0)) {
        ui.editing = id;
        editing = true;
        ui.edit_clicked = true;
        ui.focus->focus(id, false);
        const std::size_t p = hit(g.IO.MousePos);
        st.cursor = p;
        if (!g.IO.KeyShift) st.anchor = p;
        if (g.IO.MouseDoubleClicked[0]) {
            st.anchor = word_left(text, p);
            st.cursor = word_right(text, st.anchor);
        } else {
            st.dragging = true;
        }
        st.preferred_x = -1.0f;
        st.merge_typing = false;
    } else if (st.dragging) {
        if (ImGui::IsMouseDown(0) && editing) st.cursor = hit(g.IO.MousePos);
        else st.dragging = false;
    }

    // Keep the caret inside the field when the text is taller than it.
    const std::size_t caret_line = line_of(lines, st.cursor);
    if (content_h <= view_h) {
        st.scroll_y = 0;
    } else if (editing) {
        const float cy = line_h * static_cast<float>(caret_line);
        if (cy < st.scroll_y) st.scroll_y = cy;
        if (cy + line_h > st.scroll_y + view_h) st.scroll_y = cy + line_h - view_h;
        st.scroll_y = std::clamp(st.scroll_y, 0.0f, content_h - view_h);
    }

    ui.focus->control(label, ControlKind::text, editing);

    if (editing) {
        ui.editing_rect = ImVec4(bb.Min.x, bb.Min.y, bb.Max.x, bb.Max.y);
        ui.editing_text = &text;
        ui.editing_state = &st;
        ui.editing_width = inner_w;
    }
    if (!visible) return out;

    // Draw: frame, selection, text, caret, placeholder.
    ImDrawList* dl = window->DrawList;
    const float rounding = ui.px(6);
    dl->AddRectFilled(bb.Min, bb.Max, col(ui.pal->surface), rounding);
    if (editing) dl->AddRect(bb.Min, bb.Max, col(ui.pal->focus_ring), rounding, 0, ui.px(2));
    else dl->AddRect(bb.Min, bb.Max, col(hovered ? ui.pal->text_muted : ui.pal->control_border), rounding, 0, ui.px(1));
    ImGui::PushClipRect(ImVec2(bb.Min.x + ui.px(2), bb.Min.y + ui.px(2)), ImVec2(bb.Max.x - ui.px(2), bb.Max.y - ui.px(2)),
                        true);
    // The text as the port laid it out (the lines wrap_lines gave): right-to-left paragraphs
    // aligned right. The caret and selection below measure prefixes, left to right.
    const TextLayout laid = font.layout(kBody, text, inner_w);
    const std::size_t sa = st.sel_begin(), sb = st.sel_end();
    const float view_top = bb.Min.y, view_bottom = bb.Max.y;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const float y = origin.y + line_h * static_cast<float>(i);
        if (y + line_h < view_top || y > view_bottom) continue;
        const WrappedLine& l = lines[i];
        if (editing && sa != sb && sa <= l.end && sb >= l.start) {
            const std::size_t a = std::max(sa, l.start), b = std::min(sb, l.end);
            const float x0 = origin.x + advance(font, text, l.start, a);
            float x1 = origin.x + advance(font, text, l.start, b);
            if (sb > l.end) x1 += ui.em() * 0.3f;   // the selection goes on
            if (x1 > x0) dl->AddRectFilled(ImVec2(x0, y), ImVec2(x1, y + line_h), col(ui.pal->selection, 0.35f));
        }
        if (i < laid.lines.size() && laid.lines[i].end > laid.lines[i].start) {
            const TextLine& tl = laid.lines[i];
            text_at(kBody, ImVec2(origin.x + tl.x, y), text.data() + tl.start, ui.pal->text, text.data() + tl.end);
        }
    }
    if (text.empty() && placeholder) text_at(kBody, origin, placeholder, ui.pal->text_muted);
    if (editing) {
        const WrappedLine& l = lines[caret_line];
        const float x = origin.x + advance(font, text, l.start, std::max(l.start, st.cursor));
        const float y = origin.y + line_h * static_cast<float>(caret_line);
        dl->AddRectFilled(ImVec2(x, y), ImVec2(x + std::max(1.0f, ui.px(1.5f)), y + line_h), col(ui.pal->text));
        ui.caret = ImVec4(x, y, line_h, 1.0f);
    }
    ImGui::PopClipRect();
    return out;
}

}  // namespace ui
}  // namespace grove

#include "ui_kit.hpp"

#include <algorithm>          // std::clamp, std::max, std::min
#include <cmath>              // std::ceil, std::floor
#include <cstring>            // std::strlen
#include <string_view>        // std::string_view

#include <imgui_internal.h>   // ItemAdd, ItemSize, ButtonBehavior

#include "grove/utf8.hpp"         // prefix_code_points
#include "grove/validation.hpp"   // find_links
#include "view_model.hpp"         // initials, stable_hash

namespace grove {

float text_size_for_page(float css_px) {
    if (!(css_px > 0.0f)) return 16.0f;   // also NaN
    return std::clamp(css_px, kMinTextCss, kMaxTextCss);
}

float column_width(float available, float em, float card_pad) {
    return std::min(available, std::floor(kColumnEms * em + card_pad * 2.0f));
}

namespace ui {

namespace {

std::string* g_log = nullptr;   // one frame is built at a time
float g_log_y = 0;
std::vector<ScreenLine>* g_lines = nullptr;
std::vector<SelectLine>* g_select = nullptr;
const std::string* g_select_owner = nullptr;

TextPort* g_text = nullptr;

struct Metrics {
    TextStyle style;
    ImVec2 pad;
    float icon, gap, line;
};

// Padding around one line box (its leading already gives the label some room).
Metrics metrics(const Ui& ui, Size size) {
    if (size == Size::compact)
        return {kSmall, ImVec2(ui.px(8), ui.px(2.5f)), ui.em(kSmall), ui.px(5), ui.line_h(kSmall)};
    return {kBody, ImVec2(ui.px(14), ui.px(5)), ui.em(kBody), ui.px(6), ui.line_h(kBody)};
}

bool is_chip(Tone t) { return t == Tone::chip || t == Tone::chip_on; }

}  // namespace

ImU32 col(unsigned rgb, float alpha) {
    const unsigned a = static_cast<unsigned>(alpha * 255.0f + 0.5f);
    return IM_COL32((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, a);
}

void set_screen_log(std::string* log) {
    g_log = log;
    g_log_y = -1e30f;
    if (log) log->clear();
}

void log_text(const char* text, const char* end, float y) {
    if (!g_log || !text) return;
    if (!end) end = text + std::strlen(text);
    if (end == text) return;
    // Text whose top is within a few pixels of the last is on its line: a badge centred on a
    // taller line of body text starts a little lower than the name beside it.
    if (!g_log->empty()) g_log->push_back(y > g_log_y + 3.0f ? '\n' : ' ');
    g_log_y = y;
    g_log->append(text, end);
}

void set_screen_lines(std::vector<ScreenLine>* lines) {
    g_lines = lines;
    if (lines) lines->clear();
}

void set_select_lines(std::vector<SelectLine>* lines) {
    g_select = lines;
    g_select_owner = nullptr;
    if (lines) lines->clear();
}

Selectable::Selectable(const std::string& owner) { g_select_owner = &owner; }
Selectable::~Selectable() { g_select_owner = nullptr; }

void set_text_port(TextPort* port) { g_text = port; }
TextPort& text_port() { return *g_text; }

namespace {
std::string_view view(const char* text, const char* end) {
    if (!text) return {};
    return std::string_view(text, end ? static_cast<std::size_t>(end - text) : std::strlen(text));
}

void show_tooltip(Ui& ui, const char* text);   // below, with tooltip()

void record_lines(ImVec2 pos, TextStyle style, std::string_view t, const TextLayout& l) {
    if (g_select && g_select_owner) {   // only the lines inside the window's visible area
        const float h = g_text->metrics(style).line_px;
        const ImVec2 clip0 = ImGui::GetWindowDrawList()->GetClipRectMin();
        const ImVec2 clip1 = ImGui::GetWindowDrawList()->GetClipRectMax();
        for (std::size_t i = 0; i < l.lines.size(); ++i) {
            const TextLine& line = l.lines[i];
            const float y = pos.y + h * static_cast<float>(i);
            if (line.end <= line.start || y + h <= clip0.y || y >= clip1.y) continue;
            const bool wraps = i + 1 < l.lines.size() &&
                               t.substr(line.end, l.lines[i + 1].start - line.end).find('\n') == std::string_view::npos;
            g_select->push_back(SelectLine{*g_select_owner + ":" + std::to_string(i),
                                           std::string(t.substr(line.start, line.end - line.start)), pos.x + line.x, y,
                                           line.width, h, style, line.rtl, wraps ? ' ' : '\n'});
        }
    }
    if (!g_lines) return;
    const float h = g_text->metrics(style).line_px;
    for (std::size_t i = 0; i < l.lines.size(); ++i) {
        const TextLine& line = l.lines[i];
        if (line.end <= line.start) continue;
        g_lines->push_back(ScreenLine{std::string(t.substr(line.start, line.end - line.start)), pos.x + line.x,
                                      pos.y + h * static_cast<float>(i), line.width, h, style, line.rtl});
    }
}

}  // namespace

float text_width(TextStyle style, const char* text, const char* end) { return g_text->measure(style, view(text, end)); }

void text_at(TextStyle style, ImVec2 pos, const char* text, unsigned colour, const char* end) {
    const std::string_view t = view(text, end);
    const bool rtl = paragraph_rtl(t);
    g_text->draw_line(ImGui::GetWindowDrawList(), pos, style, t, rtl, col(colour));
    log_text(t.data(), t.data() + t.size(), pos.y);
    if (g_lines && !t.empty())
        g_lines->push_back(ScreenLine{std::string(t), pos.x, pos.y, g_text->measure(style, t),
                                      g_text->metrics(style).line_px, style, rtl});
}

void strong_text_at(TextStyle style, ImVec2 pos, const char* text, unsigned colour, const char* end) {
    text_at(strong(style), pos, text, colour, end);
}

float wrapped_height(TextStyle style, const char* text, float width, const char* end) {
    return g_text->layout(style, view(text, end), width).height;
}

void wrapped_text(Ui&, TextStyle style, const char* text, float width, unsigned colour, const char* end) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const std::string_view t = view(text, end);
    const TextLayout l = g_text->layout(style, t, width);
    g_text->draw(ImGui::GetWindowDrawList(), pos, style, t, l, col(colour));
    log_text(t.data(), t.data() + t.size(), pos.y);
    record_lines(pos, style, t, l);
    ImGui::ItemSize(ImVec2(width, l.height));
}

std::vector<std::uint32_t> link_ids(std::string_view text) {
    std::vector<std::uint32_t> ids;
    const std::size_t n = find_links(text).size();
    for (std::size_t k = 0; k < n; ++k) ids.push_back(ImGui::GetID(("##link" + std::to_string(k)).c_str()));
    return ids;
}

namespace {

// A piece of a link on one line: which link, and its box for hit tests.
struct LinkPiece {
    std::size_t link;
    ImRect bb;
};

// Draws the laid-out text from `pos`, each line in pieces: plain text, then link text, ...
// Right-to-left lines are drawn whole, without links. Returns the links' pieces.
std::vector<LinkPiece> draw_linked_lines(Ui& ui, ImDrawList* dl, ImVec2 pos, TextStyle style, std::string_view t,
                                         const TextLayout& l, const std::vector<TextLink>& links, unsigned colour) {
    const float h = g_text->metrics(style).line_px;
    const unsigned link_colour = ui.pal->link;
    std::vector<LinkPiece> pieces;
    for (std::size_t i = 0; i < l.lines.size(); ++i) {
        const TextLine& line = l.lines[i];
        const float y = pos.y + h * static_cast<float>(i);
        if (line.rtl) {
            g_text->draw_line(dl, ImVec2(pos.x + line.x, y), style, t.substr(line.start, line.end - line.start), true,
                              col(colour));
            continue;
        }
        std::size_t at = line.start;
        float x = pos.x + line.x;
        auto run = [&](std::size_t b, std::size_t e, unsigned c) {
            const std::string_view seg = t.substr(b, e - b);
            g_text->draw_line(dl, ImVec2(x, y), style, seg, false, col(c));
            const float w = g_text->measure(style, seg);
            x += w;
            return w;
        };
        for (std::size_t k = 0; k < links.size(); ++k) {
            const std::size_t b = std::max<std::size_t>(links[k].span.offset, line.start);
            const std::size_t e = std::min<std::size_t>(links[k].span.offset + links[k].span.length, line.end);
            if (b >= e) continue;
            if (b > at) run(at, b, colour);
            const float x0 = x;
            run(b, e, link_colour);
            pieces.push_back(LinkPiece{k, ImRect(x0, y, x, y + h)});
            at = e;
        }
        if (at < line.end) run(at, line.end, colour);
    }
    return pieces;
}

// Link k as one control, however many lines it takes: the item is the piece under the mouse (a
// link broken over lines is one control; two items with one id would each end the other's
// click). Hovered, all its pieces are underlined; pressed or activated, its address opens.
void link_control(Ui& ui, ImDrawList* dl, TextStyle style, const TextLink& link, std::size_t k, std::uint32_t id,
                  const std::vector<LinkPiece>& pieces) {
    const std::string& url = link.url;   // "www.x.example" opens https://www.x.example
    const LinkPiece* hit = nullptr;
    for (const LinkPiece& p : pieces) {
        if (p.link != k) continue;
        if (!hit || ImGui::IsMouseHoveringRect(p.bb.Min, p.bb.Max)) hit = &p;
        if (ImGui::IsMouseHoveringRect(p.bb.Min, p.bb.Max)) break;
    }
    if (!hit) return;   // only on right-to-left lines
    bool hovered = false, held = false, pressed = false;
    if (ImGui::ItemAdd(hit->bb, id)) pressed = ImGui::ButtonBehavior(hit->bb, id, &hovered, &held);
    const bool key = ui.focus->control(url.c_str(), ControlKind::link);
    if (hovered) {
        ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        const float base = std::floor(g_text->metrics(style).baseline + ui.px(2));
        for (const LinkPiece& p : pieces)
            if (p.link == k)
                dl->AddLine(ImVec2(p.bb.Min.x, p.bb.Min.y + base), ImVec2(p.bb.Max.x, p.bb.Min.y + base),
                            col(ui.pal->link), std::max(1.0f, ui.px(1)));
        show_tooltip(ui, url.c_str());
    }
    if (pressed || key) ui.open_url = url;
}

}  // namespace

void linked_text(Ui& ui, TextStyle style, const char* text, float width, unsigned colour, const char* end) {
    const std::string_view t = view(text, end);
    const std::vector<TextLink> links = find_links(t);
    if (links.empty()) {
        wrapped_text(ui, style, text, width, colour, end);
        return;
    }
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const TextLayout l = g_text->layout(style, t, width);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const std::vector<LinkPiece> pieces = draw_linked_lines(ui, dl, pos, style, t, l, links, colour);
    log_text(t.data(), t.data() + t.size(), pos.y);
    record_lines(pos, style, t, l);
    const std::vector<std::uint32_t> ids = link_ids(t);
    for (std::size_t k = 0; k < links.size(); ++k) link_control(ui, dl, style, links[k], k, ids[k], pieces);
    ImGui::SetCursorScreenPos(pos);
    ImGui::ItemSize(ImVec2(width, l.height));
}

std::uint32_t link(Ui& ui, TextStyle style, const char* label, const std::string& url) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float w = g_text->measure(style, label), h = g_text->metrics(style).line_px;
    if (!is_http_url(url)) {
        text_at(style, pos, label, ui.pal->text);
        ImGui::ItemSize(ImVec2(w, h));
        return 0;
    }
    const ImGuiID id = ImGui::GetID(("##link:" + url).c_str());
    const ImRect bb(pos, ImVec2(pos.x + w, pos.y + h));
    ImGui::ItemSize(ImVec2(w, h));
    bool hovered = false, held = false, pressed = false;
    if (ImGui::ItemAdd(bb, id)) pressed = ImGui::ButtonBehavior(bb, id, &hovered, &held);
    text_at(style, pos, label, ui.pal->link);
    const bool key = ui.focus->control(label, ControlKind::link);
    if (hovered) {
        ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        const float base = std::floor(g_text->metrics(style).baseline + ui.px(2));
        ImGui::GetWindowDrawList()->AddLine(ImVec2(bb.Min.x, bb.Min.y + base), ImVec2(bb.Max.x, bb.Min.y + base),
                                            col(ui.pal->link), std::max(1.0f, ui.px(1)));
        show_tooltip(ui, url.c_str());
    }
    if (pressed || key) ui.open_url = url;
    return id;
}

const char* clamp_lines(TextStyle style, const char* text, const char* end, float width, int max_lines) {
    const TextLayout l = g_text->layout(style, view(text, end), width);
    if (max_lines <= 0) return text;
    if (l.lines.size() <= static_cast<std::size_t>(max_lines)) return end;
    return text + l.lines[static_cast<std::size_t>(max_lines) - 1].end;
}

void tooltip(Ui& ui, const char* text) {
    if (!text || !*text || !ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
    show_tooltip(ui, text);
}

namespace {
void show_tooltip(Ui& ui, const char* text) {
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ui.px(10), ui.px(6)));
    ImGui::BeginTooltip();
    const std::string_view t = view(text, nullptr);
    const TextLayout l = g_text->layout(kSmall, t, ui.px(300));
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    g_text->draw(ImGui::GetWindowDrawList(), pos, kSmall, t, l, col(ui.pal->text));
    log_text(text, nullptr, pos.y);
    record_lines(pos, kSmall, t, l);
    ImGui::Dummy(ImVec2(std::ceil(l.width), l.height));
    ImGui::EndTooltip();
    ImGui::PopStyleVar();
}
}  // namespace

ButtonOpts compact(Tone tone, Icon icon) {
    ButtonOpts b;
    b.tone = tone;
    b.size = Size::compact;
    b.icon = icon;
    return b;
}

ImVec2 button_size(const Ui& ui, const char* label, const ButtonOpts& o) {
    const Metrics m = metrics(ui, o.size);
    const char* end = ImGui::FindRenderedTextEnd(label);
    const float text_w = end > label ? text_width(m.style, label, end) : 0.0f;
    float w = text_w;
    if (o.icon != Icon::none) w += m.icon + (text_w > 0 ? m.gap : 0.0f);
    const float pad_x = text_w > 0 ? m.pad.x : m.pad.y + ui.px(3);   // icon-only buttons are square-ish
    float h = m.line + m.pad.y * 2;
    float min_w = 0;
    if (ui.coarse) {   // a fingertip's target (WCAG 2.5.5): 44 CSS px
        h = ImMax(h, ui.px(44));
        min_w = ui.px(44);
    }
    return ImVec2(ImFloor(ImMax(w + pad_x * 2, min_w) + 0.5f), ImFloor(h + 0.5f));
}

namespace {

// A button's colours for its tone and state (hovered, held, disabled); `fill` is false when only
// its text and icon show (a ghost button at rest).
struct ButtonLook {
    unsigned bg = 0, fg = 0, border = 0;
    bool fill = true;
};

ButtonLook button_look(const Ui& ui, const ButtonOpts& o, bool hovered, bool held) {
    const Palette& p = *ui.pal;
    ButtonLook l;
    l.fg = p.text;
    const unsigned shade = p.dark ? 0xffffff : 0x000000;
    switch (o.tone) {
        case Tone::primary: l.bg = mix_rgb(p.accent, shade, held ? 0.24f : hovered ? 0.12f : 0.0f); break;
        case Tone::secondary:
        case Tone::chip:
            l.bg = mix_rgb(p.surface, p.accent, held ? 0.14f : hovered ? 0.07f : 0.0f);
            l.border = hovered ? p.text_muted : p.control_border;
            break;
        case Tone::ghost:
            l.bg = mix_rgb(p.surface, p.accent, held ? 0.14f : 0.08f);
            l.fill = hovered || held;
            break;
        case Tone::chip_on: l.bg = mix_rgb(p.accent, shade, held ? 0.2f : hovered ? 0.1f : 0.0f); break;
        case Tone::toggle_on: l.bg = mix_rgb(p.chip_bg, p.accent, held ? 0.2f : hovered ? 0.1f : 0.0f); break;
        case Tone::danger: l.bg = mix_rgb(p.danger_bg, p.danger_text, held ? 0.16f : hovered ? 0.08f : 0.0f); break;
    }
    if (o.disabled) {
        l.bg = p.disabled_bg;
        l.border = 0;
        l.fill = o.tone != Tone::ghost;
        l.fg = p.disabled_text;
    } else if (o.tone == Tone::primary || o.tone == Tone::chip_on) {
        l.fg = text_on(l.bg);
    } else if (o.tone == Tone::toggle_on) {
        l.fg = ensure_contrast(p.chip_text, l.bg, kTextContrast);
    } else if (o.tone == Tone::danger) {
        l.fg = ensure_contrast(p.danger_text, l.bg, kTextContrast);
    } else {
        l.fg = ensure_contrast(p.text, l.fill ? l.bg : p.surface, kTextContrast);
    }
    return l;
}

// The button in `bb`: its box, then the icon and the label centred on its line (an icon-only
// button logs its accessible name for the screen text instead).
void draw_button(Ui& ui, ImDrawList* dl, const ImRect& bb, ImVec2 size, const char* label, const ButtonOpts& o,
                 bool hovered, bool held) {
    const ButtonLook look = button_look(ui, o, hovered, held);
    const float rounding = is_chip(o.tone) ? size.y * 0.5f : ui.px(6);
    if (look.fill) dl->AddRectFilled(bb.Min, bb.Max, col(look.bg), rounding);
    if (look.border) dl->AddRect(bb.Min, bb.Max, col(look.border), rounding, 0, ui.px(1));

    const Metrics m = metrics(ui, o.size);
    const char* end = ImGui::FindRenderedTextEnd(label);
    const bool has_text = end > label;
    const float pad_y = (size.y - m.line) * 0.5f;   // centred, also in a taller touch target
    float x = bb.Min.x + (has_text ? m.pad.x : (size.x - m.icon) * 0.5f);
    if (o.icon != Icon::none) {
        const bool filled_icon = o.tone == Tone::toggle_on || o.tone == Tone::chip_on;
        draw_icon(dl, o.icon, ImVec2(x + m.icon * 0.5f, bb.Min.y + size.y * 0.5f), m.icon, col(look.fg), filled_icon);
        x += m.icon + m.gap;
    }
    if (has_text) {
        text_at(m.style, ImVec2(x, bb.Min.y + pad_y), label, look.fg, end);
    } else {
        const std::string mark = std::string("[") + (o.accessible ? o.accessible : "") + "]";
        log_text(mark.c_str(), nullptr, bb.Min.y + pad_y);
    }
}

}  // namespace

bool button(Ui& ui, const char* label, const ButtonOpts& o) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    if (window->SkipItems) return false;
    ImGuiContext& g = *GImGui;
    const ImGuiID id = window->GetID(label);
    const ImVec2 size = button_size(ui, label, o);
    const ImVec2 pos(ImFloor(window->DC.CursorPos.x), ImFloor(window->DC.CursorPos.y));
    const ImRect bb(pos, ImVec2(pos.x + size.x, pos.y + size.y));
    ImGui::ItemSize(size);
    ImGui::BeginDisabled(o.disabled);
    const bool visible = ImGui::ItemAdd(bb, id);
    bool hovered = false, held = false, pressed = false;
    if (!o.disabled) pressed = ImGui::ButtonBehavior(bb, id, &hovered, &held);
    else hovered = visible && g.HoveredWindow == window && ImGui::IsMouseHoveringRect(bb.Min, bb.Max);
    ImGui::EndDisabled();

    if (visible) draw_button(ui, window->DrawList, bb, size, label, o, hovered, held);
    const bool checked = o.tone == Tone::chip_on || o.tone == Tone::toggle_on;
    const bool key = ui.focus->control(o.accessible ? o.accessible : label,
                                       o.toggle ? ControlKind::toggle : ControlKind::button, checked, o.disabled);
    describe_button(ui, label, o, id);
    if (hovered && !o.disabled) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    if (o.tooltip) tooltip(ui, o.tooltip);
    return !o.disabled && (pressed || key);
}

int describe_button(Ui& ui, const char* label, const ButtonOpts& o, std::uint32_t id) {
    SemanticView& v = *ui.sem;
    if (!v.on()) return -1;
    const char* end = ImGui::FindRenderedTextEnd(label);
    std::string shown(label, end);
    if (shown.empty() && o.accessible) shown = o.accessible;
    const int n = v.leaf("b" + std::to_string(id), "button", shown);
    v.set_control(n, id);
    v.attr(n, "type", "button");
    if (o.name && shown != o.name) v.attr(n, "aria-label", o.name);
    if (o.toggle) v.attr(n, "aria-pressed", o.tone == Tone::chip_on || o.tone == Tone::toggle_on ? "true" : "false");
    if (o.expanded >= 0) v.attr(n, "aria-expanded", o.expanded ? "true" : "false");
    if (o.tone == Tone::primary) v.attr(n, "class", "grove-primary");
    if (o.disabled) {   // stays focusable, and says why
        v.attr(n, "aria-disabled", "true");
        if (o.tooltip && *o.tooltip) {
            const int why = v.leaf("r" + std::to_string(id), "span", o.tooltip);
            v.attr(why, "hidden", "");
            v.attr(n, "aria-describedby", v.ref(why));
            v.set_last(n);
        }
    }
    return n;
}

ImVec2 badge_size(const Ui& ui, const char* text, Icon icon) {
    float w = text_width(kSmall, text) + ui.px(8) * 2;
    if (icon != Icon::none) w += ui.em(kSmall) * 0.9f + ui.px(4);
    return ImVec2(ImFloor(w + 0.5f), ImFloor(ui.line_h(kSmall) + ui.px(0.5f) * 2 + 0.5f));
}

void badge(Ui& ui, const char* text, unsigned bg, unsigned fg, Icon icon, const unsigned* outline) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const ImVec2 size = badge_size(ui, text, icon);
    const ImVec2 pos = window->DC.CursorPos;
    ImGui::ItemSize(size);
    if (!ImGui::IsRectVisible(pos, ImVec2(pos.x + size.x, pos.y + size.y))) return;
    ImDrawList* dl = window->DrawList;
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), col(bg), size.y * 0.5f);
    if (outline) {
        const float t = ui.px(1);
        dl->AddRect(ImVec2(pos.x + t * 0.5f, pos.y + t * 0.5f), ImVec2(pos.x + size.x - t * 0.5f, pos.y + size.y - t * 0.5f),
                    col(*outline), size.y * 0.5f, 0, t);
    }
    float x = pos.x + ui.px(8);
    if (icon != Icon::none) {
        const float s = ui.em(kSmall) * 0.9f;
        draw_icon(dl, icon, ImVec2(x + s * 0.5f, pos.y + size.y * 0.5f), s, col(fg), true);
        x += s + ui.px(4);
    }
    text_at(kSmall, ImVec2(x, pos.y + ui.px(0.5f)), text, fg);
}

void status_badge(Ui& ui, const char* text, Chip chip, Icon icon) {
    const Palette& p = *ui.pal;
    if (chip == Chip::strong) badge(ui, text, p.accent, p.accent_text, icon);
    else badge(ui, text, p.status_bg, p.status_text, icon, &p.status_outline);
}

void avatar(Ui& ui, const std::string& name, const std::string& author_id, float d) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const ImVec2 pos = window->DC.CursorPos;
    ImGui::ItemSize(ImVec2(d, d));
    if (!ImGui::IsRectVisible(pos, ImVec2(pos.x + d, pos.y + d))) return;
    const AvatarColours c = avatar_colours(*ui.pal, stable_hash(author_id.empty() ? name : author_id));
    const ImVec2 centre(pos.x + d * 0.5f, pos.y + d * 0.5f);
    window->DrawList->AddCircleFilled(centre, d * 0.5f, col(c.bg), 32);
    std::string letters = initials(name);
    if (letters.empty()) return;   // a plain disc: nothing in the name to show
    const TextStyle style = strong(kSmall);
    float w = text_width(style, letters.c_str());
    if (w > d - ui.px(4)) {   // two wide characters do not fit: the first one
        letters = std::string(prefix_code_points(letters, 1));
        w = text_width(style, letters.c_str());
    }
    // Not in the screen text: the name next to it says who it is.
    g_text->draw_line(window->DrawList,
                      ImVec2(std::floor(centre.x - w * 0.5f + 0.5f), std::floor(centre.y - ui.line_h(kSmall) * 0.5f + 0.5f)),
                      style, letters, false, col(c.text));
}

void draw_icon(ImDrawList* dl, Icon icon, ImVec2 c, float size, ImU32 colour, bool filled) {
    const float s = size, t = ImMax(1.0f, s * 0.09f);   // stroke
    const auto P = [&](float x, float y) { return ImVec2(c.x + (x - 0.5f) * s, c.y + (y - 0.5f) * s); };
    switch (icon) {
        case Icon::none: break;
        case Icon::clock:
            dl->AddCircle(c, s * 0.40f, colour, 20, t);
            dl->AddLine(c, P(0.5f, 0.25f), colour, t);
            dl->AddLine(c, P(0.70f, 0.58f), colour, t);
            break;
        case Icon::pin:   // a push pin: head, collar, needle
            dl->AddCircleFilled(P(0.5f, 0.30f), s * 0.20f, colour, 16);
            dl->AddRectFilled(P(0.32f, 0.46f), P(0.68f, 0.54f), colour, s * 0.04f);
            dl->AddLine(P(0.5f, 0.54f), P(0.5f, 0.92f), colour, t);
            break;
        case Icon::check: {
            const ImVec2 pts[] = {P(0.18f, 0.52f), P(0.40f, 0.74f), P(0.82f, 0.28f)};
            dl->AddPolyline(pts, 3, colour, 0, t * 1.3f);
            break;
        }
        case Icon::endorse: {   // an arrow up: "this helped"
            const ImVec2 a = P(0.5f, 0.12f), b = P(0.86f, 0.52f), d = P(0.14f, 0.52f);
            if (filled) dl->AddTriangleFilled(a, b, d, colour);
            else dl->AddTriangle(a, b, d, colour, t);
            if (filled) dl->AddRectFilled(P(0.36f, 0.50f), P(0.64f, 0.88f), colour);
            else dl->AddRect(P(0.36f, 0.52f), P(0.64f, 0.88f), colour, 0, 0, t);
            break;
        }
        case Icon::reply: {
            const ImVec2 shaft[] = {P(0.85f, 0.82f), P(0.85f, 0.55f), P(0.20f, 0.55f)};
            dl->AddPolyline(shaft, 3, colour, 0, t);
            const ImVec2 head[] = {P(0.42f, 0.32f), P(0.18f, 0.55f), P(0.42f, 0.78f)};
            dl->AddPolyline(head, 3, colour, 0, t);
            break;
        }
        case Icon::dots: {   // on pixel centres, whole pixels apart, so the three dots look alike
            const float gap = ImMax(3.0f, ImFloor(s * 0.3f + 0.5f));
            const ImVec2 mid(ImFloor(c.x) + 0.5f, ImFloor(c.y) + 0.5f);
            for (int i = -1; i <= 1; ++i)
                dl->AddCircleFilled(ImVec2(mid.x + gap * static_cast<float>(i), mid.y), ImMax(1.3f, s * 0.09f), colour, 12);
            break;
        }
        case Icon::chevron_down: {
            const ImVec2 pts[] = {P(0.22f, 0.36f), P(0.5f, 0.64f), P(0.78f, 0.36f)};
            dl->AddPolyline(pts, 3, colour, 0, t * 1.2f);
            break;
        }
        case Icon::chevron_right: {
            const ImVec2 pts[] = {P(0.36f, 0.22f), P(0.64f, 0.5f), P(0.36f, 0.78f)};
            dl->AddPolyline(pts, 3, colour, 0, t * 1.2f);
            break;
        }
        case Icon::warning:
            dl->AddTriangle(P(0.5f, 0.10f), P(0.92f, 0.86f), P(0.08f, 0.86f), colour, t);
            dl->AddLine(P(0.5f, 0.38f), P(0.5f, 0.62f), colour, t * 1.2f);
            dl->AddCircleFilled(P(0.5f, 0.74f), t * 0.9f, colour, 8);
            break;
        case Icon::flag:
            dl->AddLine(P(0.24f, 0.10f), P(0.24f, 0.92f), colour, t);
            if (filled) dl->AddRectFilled(P(0.24f, 0.12f), P(0.80f, 0.52f), colour);
            else dl->AddRect(P(0.24f, 0.12f), P(0.80f, 0.52f), colour, 0, 0, t);
            break;
        case Icon::eye_off:
            dl->AddCircle(c, s * 0.30f, colour, 16, t);
            dl->AddLine(P(0.12f, 0.12f), P(0.88f, 0.88f), colour, t);
            break;
        case Icon::star: {
            ImVec2 pts[10];
            for (int i = 0; i < 10; ++i) {
                const float r = (i % 2 ? 0.20f : 0.46f) * s;
                const float a = -IM_PI / 2 + i * IM_PI / 5;
                pts[i] = ImVec2(c.x + ImCos(a) * r, c.y + ImSin(a) * r);   // ImGui's: JS Math on the web
            }
            for (int i = 0; i < 10; ++i) dl->AddTriangleFilled(c, pts[i], pts[(i + 1) % 10], colour);
            break;
        }
    }
}

}  // namespace ui
}  // namespace grove

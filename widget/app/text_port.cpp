// [SECTION] Direction: the first strong character
// [SECTION] Caches: measures and layouts, two generations
// [SECTION] TextPort: configure, measure, layout, draw
#include "text_port.hpp"

#include <algorithm>   // std::max
#include <cmath>       // std::floor
#include <cstring>     // std::memcpy

namespace grove {

// [SECTION] Direction ------------------------------------------------------------------------

namespace {

// Decodes one code point of valid UTF-8 at s[i] and advances i (a broken byte counts as one).
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + static_cast<std::size_t>(n) > s.size()) {
        ++i;
        return 0xFFFD;
    }
    std::uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3Fu);
    i += static_cast<std::size_t>(n);
    return cp;
}

bool in(std::uint32_t c, std::uint32_t lo, std::uint32_t hi) { return c >= lo && c <= hi; }

// Bidi class reduced to what paragraph direction needs: +1 strong left-to-right, -1 strong
// right-to-left, 0 anything else (digits, punctuation, symbols, emoji, marks, spaces). Ranges of
// the Unicode blocks; marks and digits inside right-to-left blocks are not strong.
int strong_direction(std::uint32_t c) {
    if (c < 0x80) return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? 1 : 0;
    if (c == 0xAA || c == 0xB5 || c == 0xBA) return 1;
    if (c < 0xC0) return 0;
    if (c <= 0x2B8) return (c == 0xD7 || c == 0xF7) ? 0 : 1;
    if (c < 0x370) return 0;   // modifier letters, combining marks
    if (c < 0x590) {
        if (in(c, 0x483, 0x489) || c == 0x37E || c == 0x387 || in(c, 0x374, 0x375) || in(c, 0x384, 0x385)) return 0;
        return 1;   // Greek, Cyrillic, Armenian
    }
    if (c < 0x900) {   // Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, Arabic Extended
        if (in(c, 0x591, 0x5BD) || c == 0x5BF || in(c, 0x5C1, 0x5C2) || in(c, 0x5C4, 0x5C5) || c == 0x5C7) return 0;
        if (in(c, 0x600, 0x605) || in(c, 0x610, 0x61A) || in(c, 0x64B, 0x669) || c == 0x670 || in(c, 0x6D6, 0x6ED) ||
            in(c, 0x6F0, 0x6F9) || in(c, 0x711, 0x711) || in(c, 0x730, 0x74A) || in(c, 0x7A6, 0x7B0) ||
            in(c, 0x7EB, 0x7F3) || in(c, 0x816, 0x82D) || in(c, 0x859, 0x85B) || in(c, 0x898, 0x89F) ||
            in(c, 0x8CA, 0x8FF))
            return 0;
        return -1;
    }
    if (c < 0x2000) return (in(c, 0x1AB0, 0x1AFF) || in(c, 0x1DC0, 0x1DFF)) ? 0 : 1;
    if (c < 0x2C00) return 0;   // punctuation, symbols, arrows, box drawing
    if (c < 0x2E00) return in(c, 0x2DE0, 0x2DFF) ? 0 : 1;
    if (c < 0x3040) return 0;   // supplemental punctuation, CJK radicals and symbols
    if (c < 0xD800) return 1;   // kana, CJK, Yi, Hangul
    if (c < 0xF900) return 0;
    if (c < 0xFB1D) return 1;   // CJK compatibility, Latin ligatures
    if (c < 0xFE00) return (c == 0xFB1E || in(c, 0xFD3E, 0xFD3F)) ? 0 : -1;
    if (c < 0xFE70) return 0;   // variation selectors, vertical forms, small forms
    if (c < 0xFF00) return c == 0xFEFF ? 0 : -1;
    if (c < 0xFFF0) return (in(c, 0xFF21, 0xFF3A) || in(c, 0xFF41, 0xFF5A) || in(c, 0xFF66, 0xFFDC)) ? 1 : 0;
    if (c < 0x10000) return 0;
    if (in(c, 0x10800, 0x10FFF) || in(c, 0x1E800, 0x1EFFF)) return -1;
    if (in(c, 0x1F000, 0x1FBFF) || c >= 0xE0000) return 0;   // emoji and symbols; tags, selectors
    return 1;
}

}  // namespace

bool paragraph_rtl(std::string_view p) {
    for (std::size_t i = 0; i < p.size();) {
        const int d = strong_direction(next_code_point(p, i));
        if (d != 0) return d < 0;
    }
    return false;
}

// [SECTION] Caches ---------------------------------------------------------------------------

namespace {
constexpr std::size_t kWidthsKept = 8192, kLayoutsKept = 4096;   // per generation
}

TextPort::Key TextPort::key(std::string_view text, TextStyle style, float width) {
    std::uint64_t h = 1469598103934665603ull;   // FNV-1a
    for (const char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    std::uint32_t w = 0;
    std::memcpy(&w, &width, sizeof w);
    return Key{h, static_cast<std::uint32_t>(text.size()), w, style.bits()};
}

template <class V>
const V* TextPort::Cache<V>::find(const Key& k, std::string_view text) {
    auto it = now.find(k);
    if (it != now.end()) return it->second.text == text ? &it->second.value : nullptr;
    auto o = old.find(k);
    if (o == old.end() || o->second.text != text) return nullptr;
    auto moved = now.emplace(k, std::move(o->second)).first;
    old.erase(o);
    return &moved->second.value;
}

template <class V>
void TextPort::Cache<V>::put(const Key& k, std::string_view text, V value, std::size_t limit) {
    if (now.size() >= limit) {
        old = std::move(now);
        now.clear();
    }
    now[k] = Entry<V>{std::string(text), std::move(value)};
}

// [SECTION] TextPort -------------------------------------------------------------------------

void TextPort::configure(const TextConfig& c) {
    if (configured_ && c == config_) return;
    config_ = c;
    configured_ = true;
    widths_.clear();
    layouts_.clear();
    on_configure();
    for (int s = 0; s < 3; ++s) {
        TextMetrics m = compute_metrics(static_cast<TextSize>(s));
        m.line_px = m.font_px * config_.line_spacing;
        m.baseline = (m.line_px - (m.ascent + m.descent)) * 0.5f + m.ascent;
        metrics_[s] = m;
    }
}

void TextPort::begin_frame() { ++frame_; }

float TextPort::measure(TextStyle style, std::string_view text) {
    if (text.empty()) return 0.0f;
    const Key k = key(text, style, 0.0f);
    if (const float* w = widths_.find(k, text)) return *w;
    const float w = measure_uncached(style, text);
    widths_.put(k, text, w, kWidthsKept);
    return w;
}

TextLayout TextPort::layout(TextStyle style, std::string_view text, float max_width) {
    max_width = std::max(max_width, 1.0f);
    const Key k = key(text, style, max_width);
    if (const TextLayout* l = layouts_.find(k, text)) return *l;
    TextLayout out;
    std::size_t s = 0;
    for (;;) {
        std::size_t nl = text.find('\n', s);
        const bool last = nl == std::string_view::npos;
        if (last) nl = text.size();
        const std::string_view para = text.substr(s, nl - s);
        const bool rtl = paragraph_rtl(para);
        const std::size_t first = out.lines.size();
        if (para.empty()) out.lines.push_back(TextLine{});
        else break_paragraph(style, para, max_width, out.lines);
        for (std::size_t i = first; i < out.lines.size(); ++i) {
            TextLine& l = out.lines[i];
            l.start += static_cast<std::uint32_t>(s);
            l.end += static_cast<std::uint32_t>(s);
            l.next += static_cast<std::uint32_t>(s);
            l.rtl = rtl;
            l.x = rtl ? std::max(0.0f, max_width - l.width) : 0.0f;
            out.width = std::max(out.width, l.width);
        }
        out.lines.back().next = static_cast<std::uint32_t>(last ? nl : nl + 1);
        if (last) break;
        s = nl + 1;
    }
    out.height = static_cast<float>(out.lines.size()) * metrics(style).line_px;
    layouts_.put(k, text, out, kLayoutsKept);
    return out;
}

void TextPort::draw_line(ImDrawList* dl, ImVec2 pos, TextStyle style, std::string_view line, bool rtl, ImU32 colour) {
    if (line.empty() || !dl || !drawing_) return;
    const ImVec2 clip_min = dl->GetClipRectMin(), clip_max = dl->GetClipRectMax();
    const float h = metrics(style).line_px;
    // Lines outside the clip rectangle (rows drawn above or below the visible area) are not
    // measured or rasterized at all.
    if (pos.y > clip_max.y || pos.y + h < clip_min.y || pos.x > clip_max.x) return;
    draw_visible_line(dl, ImVec2(std::floor(pos.x + 0.5f), std::floor(pos.y + 0.5f)), style, line, rtl, colour);
}

void TextPort::draw(ImDrawList* dl, ImVec2 pos, TextStyle style, std::string_view text, const TextLayout& l,
                    ImU32 colour, std::size_t first, std::size_t last) {
    const float h = metrics(style).line_px;
    last = std::min(last, l.lines.size());
    for (std::size_t i = first; i < last; ++i) {
        const TextLine& line = l.lines[i];
        if (line.end <= line.start || line.end > text.size()) continue;
        draw_line(dl, ImVec2(pos.x + line.x, pos.y + h * static_cast<float>(i)), style,
                  text.substr(line.start, line.end - line.start), line.rtl, colour);
    }
}

}  // namespace grove

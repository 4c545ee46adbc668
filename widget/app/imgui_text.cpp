// ImGui's TextPort: one TTF (the DejaVu subset widget/CMakeLists.txt makes) packed into the
// current context's font atlas at the device pixel ratio, drawn glyph by glyph left to right with
// no shaping; lines break at spaces. Headless tests use it, and the browser falls back to it
// where canvas text cannot be read back. A glyph the font lacks draws as `?` and counts as tofu.
#include <algorithm>       // std::max
#include <cfloat>          // FLT_MAX
#include <cmath>           // std::floor
#include <unordered_set>   // std::unordered_set

#include <imgui.h>          // ImFontAtlas, ImFont
#include <imgui_internal.h> // ImTextCharFromUtf8

#include "text_port.hpp"

namespace grove {

namespace {

// From unitsPerEm and the hhea ascender/descender of a TrueType font: ImGui sizes fonts by
// ascender minus descender, the browser (and TextConfig) by the em.
struct VerticalMetrics {
    float height_per_em = 1.0f;    // (ascender - descender) / unitsPerEm
    float ascender_share = 0.8f;   // ascender / (ascender - descender)
};
VerticalMetrics vertical_metrics(const std::vector<unsigned char>& ttf) {
    const auto u16 = [&](std::size_t at) { return at + 2 <= ttf.size() ? (ttf[at] << 8) | ttf[at + 1] : 0; };
    const auto s16 = [&](std::size_t at) { const int v = u16(at); return v >= 0x8000 ? v - 0x10000 : v; };
    const auto u32 = [&](std::size_t at) {
        return at + 4 <= ttf.size() ? (std::size_t(ttf[at]) << 24) | (std::size_t(ttf[at + 1]) << 16) |
                                          (std::size_t(ttf[at + 2]) << 8) | ttf[at + 3]
                                    : 0;
    };
    std::size_t head = 0, hhea = 0;
    const int tables = u16(4);
    for (int i = 0; i < tables; ++i) {
        const std::size_t rec = 12 + static_cast<std::size_t>(i) * 16;
        if (rec + 16 > ttf.size()) break;
        const std::string tag(reinterpret_cast<const char*>(&ttf[rec]), 4);
        if (tag == "head") head = u32(rec + 8);
        if (tag == "hhea") hhea = u32(rec + 8);
    }
    const int upem = head ? u16(head + 18) : 0;
    const int ascender = hhea ? s16(hhea + 4) : 0;
    const int height = hhea ? ascender - s16(hhea + 6) : 0;
    VerticalMetrics m;
    if (upem > 0 && height > 0) {
        m.height_per_em = static_cast<float>(height) / static_cast<float>(upem);
        m.ascender_share = static_cast<float>(ascender) / static_cast<float>(height);
    }
    return m;
}

bool ignorable(unsigned c) {
    return c < 0x20 || c == ' ' || c == 0xA0 || c == 0x3000 || (c >= 0x200B && c <= 0x200F) ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || (c >= 0xFE00 && c <= 0xFE0F) ||
           c == 0xFEFF || (c >= 0x0300 && c <= 0x036F) || c >= 0xE0000;
}

class ImGuiTextPort final : public TextPort {
public:
    explicit ImGuiTextPort(std::shared_ptr<const std::vector<unsigned char>> ttf) : ttf_(std::move(ttf)) {
        if (ttf_ && !ttf_->empty()) vm_ = vertical_metrics(*ttf_);
    }
    const char* mode() const override { return "atlas"; }

    bool prepare() override {
        if (built_) return false;
        ImFontAtlas* atlas = ImGui::GetIO().Fonts;
        atlas->Clear();
        atlas->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;   // a smaller texture at high DPR
        for (int s = 0; s < 3; ++s) {
            const TextSize size = static_cast<TextSize>(s);
            fonts_[s] = add(metrics(TextStyle{size, false}).font_px * vm_.height_per_em, size == TextSize::title);
        }
        ImGui::GetIO().FontDefault = fonts_[0];
        built_ = true;
        return true;
    }

    TextStats stats() const override {
        TextStats s;
        s.mode = mode();
        s.tofu = tofu_;
        s.tofu_chars = tofu_chars_;
        s.lines_drawn = seen_.size();
        return s;
    }

protected:
    void on_configure() override { built_ = false; }

    TextMetrics compute_metrics(TextSize size) override {
        TextMetrics m;
        const float ratio = size == TextSize::small ? kSmallRatio : size == TextSize::title ? kTitleRatio : 1.0f;
        m.font_px = config().base_css_px * ratio * config().scale;
        // ImGui puts the baseline at the ascender; the two heights are in the font's proportion.
        const float px = m.font_px * vm_.height_per_em;
        m.ascent = px * vm_.ascender_share;
        m.descent = px - m.ascent;
        return m;
    }

    float measure_uncached(TextStyle style, std::string_view text) override {
        ImFont* f = font(style);
        if (!f) return 0.0f;
        return f->CalcTextSizeA(f->FontSize, FLT_MAX, 0.0f, text.data(), text.data() + text.size()).x + shift(style);
    }

    void break_paragraph(TextStyle style, std::string_view p, float max_width, std::vector<TextLine>& out) override {
        ImFont* f = font(style);
        const char* const b = p.data();
        const char* const e = b + p.size();
        const char* s = b;
        const auto add_line = [&](const char* a, const char* vis, const char* next) {
            TextLine l;
            l.start = static_cast<std::uint32_t>(a - b);
            l.end = static_cast<std::uint32_t>(vis - b);
            l.next = static_cast<std::uint32_t>(next - b);
            l.width = vis > a && f ? f->CalcTextSizeA(f->FontSize, FLT_MAX, 0.0f, a, vis).x + shift(style) : 0.0f;
            out.push_back(l);
        };
        while (s < e) {
            const char* w = f ? f->CalcWordWrapPositionA(1.0f, s, e, std::max(1.0f, max_width - shift(style))) : e;
            if (w <= s) {   // not even one character fits: one code point
                w = s + 1;
                while (w < e && (static_cast<unsigned char>(*w) & 0xC0) == 0x80) ++w;
            }
            const char* vis = w;
            while (vis > s && vis[-1] == ' ') --vis;
            const char* next = w;
            while (next < e && *next == ' ') ++next;
            if (w >= e || next >= e) {   // the rest fits, or only spaces are left: they hang
                const char* end = e;
                while (end > s && end[-1] == ' ') --end;
                add_line(s, end, e);
                return;
            }
            add_line(s, vis, next);
            s = next;
        }
    }

    void draw_visible_line(ImDrawList* dl, ImVec2 pos, TextStyle style, std::string_view line, bool,
                           ImU32 colour) override {
        ImFont* f = font(style);
        if (!f) return;
        count_tofu(f, style, line);
        const TextMetrics& m = metrics(style);
        // ImGui's glyphs hang from the ascender: the line box's baseline minus the ascent.
        const ImVec2 at(pos.x, std::floor(pos.y + m.baseline - m.ascent + 0.5f));
        dl->AddText(f, f->FontSize, at, colour, line.data(), line.data() + line.size());
        if (style.strong)   // one weight in the file: drawn twice, a device pixel or so apart
            dl->AddText(f, f->FontSize, ImVec2(at.x + shift(style), at.y), colour, line.data(), line.data() + line.size());
    }

private:
    // Headings are Grove's own words: Latin-1 is enough and keeps the atlas small.
    ImFont* add(float px, bool latin1) {
        ImFontAtlas* atlas = ImGui::GetIO().Fonts;
        ImFontConfig cfg;
        cfg.FontDataOwnedByAtlas = false;   // the TTF bytes are shared by every mount
        cfg.OversampleH = 1;                // rasterized at device resolution already
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        static const ImWchar kAll[] = {0x0020, 0xFFFF, 0};   // every code point the subset has
        static const ImWchar kLatin1[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0};
        if (!ttf_ || ttf_->empty()) {
            cfg.SizePixels = px;
            return atlas->AddFontDefault(&cfg);
        }
        return atlas->AddFontFromMemoryTTF(const_cast<unsigned char*>(ttf_->data()), static_cast<int>(ttf_->size()), px,
                                           &cfg, latin1 ? kLatin1 : kAll);
    }

    ImFont* font(TextStyle style) const {
        ImFont* f = fonts_[static_cast<int>(style.size)];
        return f ? f : ImGui::GetFont();
    }
    float shift(TextStyle style) const { return style.strong ? std::max(1.0f, std::floor(config().scale * 0.6f)) : 0.0f; }

    // Each distinct line is counted once, the first time it is drawn.
    void count_tofu(ImFont* f, TextStyle style, std::string_view line) {
        std::uint64_t h = 1469598103934665603ull ^ style.bits();
        for (const char c : line) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        if (!seen_.insert(h).second) return;
        const char* s = line.data();
        const char* const e = s + line.size();
        while (s < e) {
            unsigned c = 0;
            const int n = ImTextCharFromUtf8(&c, s, e);
            s += n > 0 ? n : 1;
            if (ignorable(c) || f->FindGlyphNoFallback(static_cast<ImWchar>(c <= 0xFFFF ? c : 0xFFFD))) continue;
            ++tofu_;
            if (tofu_chars_.size() < 16) tofu_chars_.push_back(c);
        }
    }

    std::shared_ptr<const std::vector<unsigned char>> ttf_;
    VerticalMetrics vm_;
    ImFont* fonts_[3] = {nullptr, nullptr, nullptr};
    bool built_ = false;
    std::unordered_set<std::uint64_t> seen_;
    std::uint64_t tofu_ = 0;
    std::vector<std::uint32_t> tofu_chars_;
};

}  // namespace

std::unique_ptr<TextPort> make_imgui_text_port(std::shared_ptr<const std::vector<unsigned char>> ttf) {
    return std::make_unique<ImGuiTextPort>(std::move(ttf));
}

}  // namespace grove

#include "web_text.hpp"

#include <GLES3/gl3.h>   // textures of the mount's WebGL 2 context

#include <algorithm>     // std::clamp, std::min
#include <cmath>         // std::ceil, std::floor
#include <cstdint>       // std::intptr_t
#include <cstdio>        // std::snprintf
#include <cstring>       // std::memcpy
#include <iterator>      // std::next

#include <imgui.h>
#include <imgui_internal.h>   // ImFontAtlasBuildInit, ImFontAtlasBuildSetupFont, ImFontAtlasBuildFinish

extern "C" {
// Implemented in library_grove_text.js.
void grove_text_font_metrics(const char* font, float* out);
double grove_text_measure(const char* font, const char* text, int len);
int grove_text_break(const char* font, const char* text, int len, float max_width, int* out, int cap);
int grove_text_raster(const char* font, const char* text, int len, int rtl, unsigned rgb, float* out);
void grove_text_upload(unsigned texture, int colour, int x, int y, int src_x, int w, int h);
}

namespace grove {

namespace {

// ImGui's atlas for a widget whose text the browser draws: the custom rectangles ImGui registers
// (white pixel and mouse cursors, baked thick lines) stacked in one column, and each font set up
// with the metrics ImGui 1.86's ProggyClean had at 13 px (ascent 10, descent -4, 7 px advance)
// and a single invisible glyph, the space, so ImGui's layout is what it was with that font.
// The web build's ImGui links no stb_truetype and no built-in font (cmake/grove_deps.cmake).
bool build_shapes_atlas(ImFontAtlas* atlas) {
    ImFontAtlasBuildInit(atlas);
    atlas->TexID = nullptr;
    atlas->ClearTexData();
    int width = 1, height = 0;
    for (ImFontAtlasCustomRect& r : atlas->CustomRects) {
        r.X = static_cast<unsigned short>(atlas->TexGlyphPadding);
        r.Y = static_cast<unsigned short>(height + atlas->TexGlyphPadding);
        height += r.Height + atlas->TexGlyphPadding;
        width = std::max(width, r.Width + 2 * atlas->TexGlyphPadding);
    }
    atlas->TexWidth = ImUpperPowerOfTwo(width);
    atlas->TexHeight = ImUpperPowerOfTwo(height + atlas->TexGlyphPadding);
    atlas->TexUvScale = ImVec2(1.0f / static_cast<float>(atlas->TexWidth), 1.0f / static_cast<float>(atlas->TexHeight));
    const std::size_t bytes = static_cast<std::size_t>(atlas->TexWidth) * static_cast<std::size_t>(atlas->TexHeight);
    atlas->TexPixelsAlpha8 = static_cast<unsigned char*>(IM_ALLOC(bytes));
    std::memset(atlas->TexPixelsAlpha8, 0, bytes);
    for (ImFontConfig& cfg : atlas->ConfigData) {
        const float scale = cfg.SizePixels / 13.0f;
        ImFontAtlasBuildSetupFont(atlas, cfg.DstFont, &cfg, std::floor(10.0f * scale + 0.5f), std::floor(-4.0f * scale + 0.5f));
        cfg.DstFont->AddGlyph(&cfg, ' ', 0, 0, 0, 0, 0, 0, 0, 0, std::floor(7.0f * scale + 0.5f));
    }
    ImFontAtlasBuildFinish(atlas);
    return true;
}

const ImFontBuilderIO kShapesAtlas{build_shapes_atlas};

constexpr std::uint64_t kTexels = std::uint64_t(WebTextPort::kPageSize) * WebTextPort::kPageSize;
constexpr std::uint64_t kMinBudget = 10u << 20, kMaxBudget = 40u << 20;

// Code points that may draw as colour glyphs: emoji and pictographs (and what makes them emoji:
// VS16, the keycap mark, flag letters). Anything else draws in the text colour.
bool may_be_coloured(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const int n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
        if (i + static_cast<std::size_t>(n) > s.size()) break;
        std::uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
        for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3Fu);
        i += static_cast<std::size_t>(n);
        if (cp == 0xA9 || cp == 0xAE || cp == 0x203C || cp == 0x2049 || cp == 0x20E3 || cp == 0x2122 ||
            (cp >= 0x2190 && cp <= 0x2BFF) || cp == 0x3030 || cp == 0x303D || cp == 0x3297 || cp == 0x3299 ||
            cp == 0xFE0F || (cp >= 0x1F000 && cp <= 0x1FAFF))
            return true;
    }
    return false;
}

std::uint64_t hash(std::string_view s, std::uint64_t seed) {
    std::uint64_t h = 1469598103934665603ull ^ (seed * 0x9E3779B97F4A7C15ull);
    for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return h;
}
}  // namespace

namespace {
std::uint64_t page_bytes(bool colour) { return kTexels * (colour ? 4 : 2); }
}  // namespace

WebTextPort::~WebTextPort() {
    for (Page& p : pages_)
        if (p.texture) glDeleteTextures(1, &p.texture);
}

std::uint64_t WebTextPort::used_bytes() const {
    std::uint64_t n = 0;
    for (const Page& p : pages_)
        if (p.texture) n += page_bytes(p.kind == Kind::colour);
    return n;
}

bool WebTextPort::prepare() {
    // The canvas became smaller: pages over the budget go, those drawn from longest ago first.
    while (used_bytes() > budget_) {
        int oldest = -1;
        for (int i = 0; i < static_cast<int>(pages_.size()); ++i)
            if (pages_[static_cast<std::size_t>(i)].texture &&
                (oldest < 0 || pages_[static_cast<std::size_t>(i)].used < pages_[static_cast<std::size_t>(oldest)].used))
                oldest = i;
        free_page(oldest);
    }
    if (atlas_built_) return false;
    // ImGui still needs an atlas for the white pixel, the thick lines and the mouse cursors its
    // shapes are drawn with, and a font of some size for its layout: a font with no glyphs,
    // built by build_shapes_atlas (no TTF, no rasterizer; ImGui's own text is never drawn).
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    atlas->Clear();
    atlas->FontBuilderIO = &kShapesAtlas;
    static const unsigned char kNoFontData[1] = {0};   // AddFont wants bytes; the builder reads none
    ImFontConfig cfg;
    cfg.FontData = const_cast<unsigned char*>(kNoFontData);
    cfg.FontDataSize = 1;
    cfg.FontDataOwnedByAtlas = false;   // the atlas copies them
    cfg.SizePixels = 13.0f;             // the size ImGui's default font had here: the same layout
    atlas->AddFont(&cfg);
    atlas_built_ = true;
    return true;
}

void WebTextPort::set_viewport(int w, int h) {
    // One screen of new text (a wheel jump) can take more texels than the canvas has pixels:
    // lines are boxes with room for tall glyphs. Four screens' worth, in 2-byte texels.
    const std::uint64_t bytes = 4ull * static_cast<std::uint64_t>(w) * static_cast<std::uint64_t>(h) * 2;
    budget_ = std::clamp(bytes, kMinBudget, kMaxBudget);
}

TextStats WebTextPort::stats() const {
    TextStats s;
    s.mode = mode();
    s.tofu = tofu_;
    s.tofu_chars = tofu_chars_;
    s.lines_drawn = lines_drawn_;
    for (const Page& p : pages_) s.pages += p.texture ? 1 : 0;
    s.gpu_bytes = used_bytes();
    s.gpu_budget = budget_;
    s.evictions = evictions_;
    s.dropped = dropped_;
    return s;
}

void WebTextPort::on_configure() {
    // Every line is drawn at a new size: the pages are kept, their contents are not.
    rasters_.clear();
    for (Page& p : pages_) {
        p.shelves.clear();
        p.next_y = 0;
    }
}

std::string css_px(float px) {
    const double v = static_cast<double>(px);
    const long long hundredths = static_cast<long long>((v < 0 ? -v : v) * 100.0 + 0.5);
    char out[32];   // integer conversions only: imgui_format.cpp's snprintf has no floating point
    std::snprintf(out, sizeof out, "%s%lld.%02lldpx", v < 0 && hundredths ? "-" : "", hundredths / 100, hundredths % 100);
    return out;
}

TextMetrics WebTextPort::compute_metrics(TextSize size) {
    const float ratio = size == TextSize::small ? kSmallRatio : size == TextSize::title ? kTitleRatio : 1.0f;
    TextMetrics m;
    m.font_px = config().base_css_px * ratio * config().scale;
    for (const bool heavy : {false, true}) {
        fonts_[TextStyle{size, heavy}.bits()] = (heavy ? "600 " : "400 ") + css_px(m.font_px) + " " + config().family;
    }
    float out[2] = {0, 0};
    grove_text_font_metrics(font(TextStyle{size, false}).c_str(), out);
    m.ascent = out[0];
    m.descent = out[1];
    return m;
}

float WebTextPort::measure_uncached(TextStyle style, std::string_view text) {
    return static_cast<float>(grove_text_measure(font(style).c_str(), text.data(), static_cast<int>(text.size())));
}

void WebTextPort::break_paragraph(TextStyle style, std::string_view p, float max_width, std::vector<TextLine>& out) {
    if (line_buffer_.size() < 64) line_buffer_.resize(64);
    int n = 0;
    for (;;) {
        const int cap = static_cast<int>(line_buffer_.size() / 4);
        n = grove_text_break(font(style).c_str(), p.data(), static_cast<int>(p.size()), max_width, line_buffer_.data(), cap);
        if (n <= cap) break;
        line_buffer_.resize(static_cast<std::size_t>(n) * 4);
    }
    for (int i = 0; i < n; ++i) {
        const int* r = &line_buffer_[static_cast<std::size_t>(i) * 4];
        TextLine l;
        l.start = static_cast<std::uint32_t>(r[0]);
        l.end = static_cast<std::uint32_t>(r[1]);
        l.next = static_cast<std::uint32_t>(r[2]);
        float w = 0;
        std::memcpy(&w, &r[3], sizeof w);
        l.width = w;
        out.push_back(l);
    }
}

void WebTextPort::draw_visible_line(ImDrawList* dl, ImVec2 pos, TextStyle style, std::string_view line, bool rtl,
                                    ImU32 colour) {
    const unsigned rgb = (((colour >> IM_COL32_R_SHIFT) & 0xFF) << 16) | (((colour >> IM_COL32_G_SHIFT) & 0xFF) << 8) |
                         ((colour >> IM_COL32_B_SHIFT) & 0xFF);
    const Kind kind = may_be_coloured(line) ? Kind::colour : Kind::alpha;
    const Raster* r = raster(style, line, rtl, kind == Kind::colour ? rgb : 0xFFFFFF, kind);
    if (!r) return;
    // Plain text is white in its page and takes the vertex colour; colour lines have their colour
    // in the texture (emoji keep theirs) and the vertex colour carries only the alpha.
    const ImU32 tint = kind == Kind::alpha ? colour : IM_COL32(255, 255, 255, (colour >> IM_COL32_A_SHIFT) & 0xFF);
    const float baseline = std::floor(pos.y + metrics(style).baseline + 0.5f);
    float x = pos.x - r->ox;
    const float y = baseline - r->oy;
    const float inv = 1.0f / static_cast<float>(kPageSize);
    for (const Tile& t : r->tiles) {
        pages_[static_cast<std::size_t>(t.page)].used = frame();
        const ImTextureID tex = reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(pages_[static_cast<std::size_t>(t.page)].texture));
        dl->AddImage(tex, ImVec2(x, y), ImVec2(x + static_cast<float>(t.w), y + static_cast<float>(t.h)),
                     ImVec2(static_cast<float>(t.x) * inv, static_cast<float>(t.y) * inv),
                     ImVec2(static_cast<float>(t.x + t.w) * inv, static_cast<float>(t.y + t.h) * inv), tint);
        x += static_cast<float>(t.w);
    }
}

const WebTextPort::Raster* WebTextPort::raster(TextStyle style, std::string_view line, bool rtl, unsigned rgb, Kind kind) {
    const std::uint32_t id = (rgb << 8) | (kind == Kind::colour ? 0x20u : 0u) | (rtl ? 0x10u : 0u) | style.bits();
    const std::uint64_t k = hash(line, id);
    auto it = rasters_.find(k);
    if (it != rasters_.end() && it->second.id == id && it->second.text == line) {
        it->second.used = frame();
        return &it->second;
    }
    float box[12] = {};
    const int tofu = grove_text_raster(font(style).c_str(), line.data(), static_cast<int>(line.size()), rtl ? 1 : 0, rgb, box);
    ++lines_drawn_;
    if (counted_.insert(hash(line, style.bits())).second && tofu > 0) {
        tofu_ += static_cast<std::uint64_t>(tofu);
        for (int i = 4; i < 12 && box[i] > 0 && tofu_chars_.size() < 16; ++i)
            tofu_chars_.push_back(static_cast<std::uint32_t>(box[i]));
    }
    Raster r;
    r.text.assign(line);
    r.id = id;
    r.ox = box[2];
    r.oy = box[3];
    r.used = frame();
    const int w = static_cast<int>(box[0]), h = std::min(static_cast<int>(box[1]), kPageSize);
    for (int sx = 0; sx < w; sx += kPageSize) {
        Tile t;
        const int tw = std::min(kPageSize, w - sx);
        if (!allocate(kind, tw, h, t)) {   // this frame's text alone fills the budget
            ++dropped_;
            return nullptr;
        }
        grove_text_upload(pages_[static_cast<std::size_t>(t.page)].texture, kind == Kind::colour ? 1 : 0, t.x, t.y, sx,
                          tw, h);
        r.tiles.push_back(t);
    }
    Raster& stored = rasters_[k];
    stored = std::move(r);
    return &stored;
}

// Shelves: a line goes on a shelf of its height (or up to a quarter taller) with room left,
// else on a new shelf below the others; one pixel between neighbours.
bool WebTextPort::place_in(int page, int w, int h, Tile& out) {
    Page& p = pages_[static_cast<std::size_t>(page)];
    for (Shelf& s : p.shelves) {
        if (s.h >= h && s.h <= h + h / 4 + 2 && s.x + w <= kPageSize) {
            out = Tile{page, s.x, s.y, w, h};
            s.x += w + 1;
            p.used = frame();
            return true;
        }
    }
    if (p.next_y + h > kPageSize) return false;
    p.shelves.push_back(Shelf{p.next_y, h, w + 1});
    out = Tile{page, 0, p.next_y, w, h};
    p.next_y += h + 1;
    p.used = frame();
    return true;
}

bool WebTextPort::new_page(Kind kind, Tile& out, int w, int h) {
    std::size_t slot = 0;
    while (slot < pages_.size() && pages_[slot].texture) ++slot;
    if (slot == pages_.size()) pages_.emplace_back();
    Page& p = pages_[slot];
    p = Page{};
    p.kind = kind;
    const GLenum format = kind == Kind::colour ? GL_RGBA : GL_LUMINANCE_ALPHA;
    glGenTextures(1, &p.texture);
    glBindTexture(GL_TEXTURE_2D, p.texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, static_cast<GLint>(format), kPageSize, kPageSize, 0, format, GL_UNSIGNED_BYTE, nullptr);
    return place_in(static_cast<int>(slot), w, h, out);
}

bool WebTextPort::allocate(Kind kind, int w, int h, Tile& out) {
    for (int i = 0; i < static_cast<int>(pages_.size()); ++i)
        if (pages_[static_cast<std::size_t>(i)].texture && pages_[static_cast<std::size_t>(i)].kind == kind &&
            place_in(i, w, h, out))
            return true;
    if (used_bytes() + page_bytes(kind == Kind::colour) <= budget_) return new_page(kind, out, w, h);
    // The budget is reached. The page drawn from longest ago (never one this frame uses): emptied
    // when it is of this kind, else freed to make room for a new one.
    for (;;) {
        int oldest = -1;
        for (int i = 0; i < static_cast<int>(pages_.size()); ++i) {
            const Page& p = pages_[static_cast<std::size_t>(i)];
            if (!p.texture || p.used == frame()) continue;
            if (oldest < 0 || p.used < pages_[static_cast<std::size_t>(oldest)].used) oldest = i;
        }
        if (oldest < 0) return false;
        ++evictions_;
        if (pages_[static_cast<std::size_t>(oldest)].kind == kind) {
            empty_page(oldest);
            return place_in(oldest, w, h, out);
        }
        free_page(oldest);
        if (used_bytes() + page_bytes(kind == Kind::colour) <= budget_) return new_page(kind, out, w, h);
    }
}

void WebTextPort::free_page(int page) {
    if (page < 0) return;
    empty_page(page);
    Page& p = pages_[static_cast<std::size_t>(page)];
    glDeleteTextures(1, &p.texture);
    p.texture = 0;
}

void WebTextPort::empty_page(int page) {
    for (auto it = rasters_.begin(); it != rasters_.end();) {
        bool on_page = false;
        for (const Tile& t : it->second.tiles) on_page = on_page || t.page == page;
        it = on_page ? rasters_.erase(it) : std::next(it);
    }
    Page& p = pages_[static_cast<std::size_t>(page)];
    p.shelves.clear();
    p.next_y = 0;
}

}  // namespace grove

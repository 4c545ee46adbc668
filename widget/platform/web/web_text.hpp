// The browser's TextPort: text measured, broken into lines and rasterized by Canvas 2D with the
// reader's own fonts (library_grove_text.js), drawn by ImGui as textured quads.
//
// Lines are rasterized whole at device pixels and kept in texture pages of the mount's WebGL 2
// context: shelves of similar heights in 1024 x 1024 pages, lines wider than a page in several
// tiles. Plain text is rasterized in white into luminance-alpha pages (2 bytes a texel) and
// tinted by the vertex colour; a line that may hold colour glyphs (emoji, pictographs) is
// rasterized in its colour into RGBA pages (4 bytes), drawn untinted so emoji keep their colours.
// The pages are bounded by a byte budget that follows the canvas's size (four times its area in
// luminance-alpha texels, 10 to 40 MiB); when it is reached, the page drawn from longest ago is
// emptied (or freed for a page of the other kind) and its lines are rasterized again when next
// drawn. A page the current frame draws from is never emptied.
#pragma once

#include <cstdint>        // std::uint32_t, std::uint64_t
#include <memory>         // std::unique_ptr
#include <string>         // std::string
#include <unordered_map>  // std::unordered_map
#include <unordered_set>  // std::unordered_set
#include <vector>         // std::vector

#include "text_port.hpp"

namespace grove {

// A CSS length in pixels with two decimals ("12.35px"), formatted without printf's floating
// point, which the web build does not link (imgui_format.cpp).
std::string css_px(float px);

class WebTextPort final : public TextPort {
public:
    static constexpr int kPageSize = 1024;
    WebTextPort() = default;
    // Frees the pages: the mount's GL context must be current.
    ~WebTextPort() override;
    WebTextPort(const WebTextPort&) = delete;
    WebTextPort& operator=(const WebTextPort&) = delete;

    const char* mode() const override { return "canvas"; }
    bool prepare() override;
    // The canvas's size in device pixels: sets the page budget.
    void set_viewport(int width_px, int height_px);
    TextStats stats() const override;
    std::string css_font(TextStyle style) const override { return font(style); }

protected:
    TextMetrics compute_metrics(TextSize size) override;
    void on_configure() override;
    float measure_uncached(TextStyle style, std::string_view text) override;
    void break_paragraph(TextStyle style, std::string_view paragraph, float max_width, std::vector<TextLine>& out) override;
    void draw_visible_line(ImDrawList* dl, ImVec2 pos, TextStyle style, std::string_view line, bool rtl,
                           ImU32 colour) override;

private:
    enum class Kind : std::uint8_t { alpha, colour };
    struct Tile {
        int page;
        int x, y, w, h;   // in the page
    };
    struct Raster {
        std::string text;
        std::uint32_t id;   // style, colour, direction
        float ox, oy;       // the bitmap's left edge and top, from the pen position and the baseline
        std::vector<Tile> tiles;
        std::uint64_t used;
    };
    struct Shelf {
        int y, h, x;
    };
    struct Page {
        unsigned texture = 0;     // 0: a free slot
        Kind kind = Kind::alpha;
        std::vector<Shelf> shelves;
        int next_y = 0;
        std::uint64_t used = 0;   // the last frame that drew from it
    };

    const std::string& font(TextStyle style) const { return fonts_[style.bits()]; }
    const Raster* raster(TextStyle style, std::string_view line, bool rtl, unsigned rgb, Kind kind);
    bool allocate(Kind kind, int w, int h, Tile& out);
    bool place_in(int page, int w, int h, Tile& out);
    bool new_page(Kind kind, Tile& out, int w, int h);
    void empty_page(int page);
    void free_page(int page);
    std::uint64_t used_bytes() const;

    std::string fonts_[6];   // CSS font of each style (size in device px)
    bool atlas_built_ = false;
    std::vector<Page> pages_;
    std::uint64_t budget_ = 6u << 20;
    std::unordered_map<std::uint64_t, Raster> rasters_;
    std::unordered_set<std::uint64_t> counted_;   // lines whose tofu is counted
    std::vector<int> line_buffer_;
    std::uint64_t lines_drawn_ = 0, tofu_ = 0, evictions_ = 0, dropped_ = 0;
    std::vector<std::uint32_t> tofu_chars_;
};

}  // namespace grove

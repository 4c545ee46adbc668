// Text for the widget UI: every measure and every draw of text goes through one TextPort, so the
// layout that decides where a line breaks is the one that draws it and the one the thread uses
// for its row heights. Two implementations, chosen by the platform:
//   - the browser's (platform/web/web_text.*): Canvas 2D shapes and rasterizes whole lines with
//     the reader's own fonts (every script, bidi, joining, colour emoji), breaks lines with
//     Intl.Segmenter, and keeps the lines in GL textures with a bounded GPU budget;
//   - ImGui's (imgui_text.*): one TTF packed into ImGui's font atlas, glyph by glyph, left to
//     right. Headless tests use it, and the browser falls back to it where canvas text cannot be
//     read back (anti-fingerprinting modes).
// Lengths are device pixels; offsets are bytes of the UTF-8 text. Sizes come from TextConfig,
// never constants, so the text can follow the page's font size.
#pragma once

#include <cstddef>       // std::size_t
#include <cstdint>       // std::uint32_t, std::uint64_t
#include <memory>        // std::unique_ptr
#include <string>        // std::string
#include <string_view>   // std::string_view
#include <unordered_map> // std::unordered_map
#include <vector>        // std::vector

#include <imgui.h>       // ImVec2, ImU32, ImDrawList

namespace grove {

enum class TextSize : std::uint8_t { body, small, title };

struct TextStyle {
    TextSize size = TextSize::body;
    bool strong = false;   // names and headings: a heavier weight
    constexpr bool operator==(const TextStyle& o) const { return size == o.size && strong == o.strong; }
    constexpr std::uint8_t bits() const { return static_cast<std::uint8_t>(static_cast<unsigned>(size) * 2u + (strong ? 1u : 0u)); }
};
inline constexpr TextStyle kBody{TextSize::body, false};            // posts, composer, buttons
inline constexpr TextStyle kSmall{TextSize::small, false};          // meta lines, badges, counters
inline constexpr TextStyle kTitle{TextSize::title, false};          // headings
inline constexpr TextStyle strong(TextStyle s) { return TextStyle{s.size, true}; }

struct TextConfig {
    float scale = 1.0f;          // device pixels per CSS pixel
    float base_css_px = 14.0f;   // the body font size; small and title are in proportion to it
    float line_spacing = 1.4f;   // distance between lines over the font size
    // Font families (CSS) for the browser's text; ImGui's uses its one TTF.
    std::string family = "system-ui, -apple-system, \"Segoe UI\", Roboto, \"Noto Sans\", Ubuntu, Cantarell, "
                         "\"Helvetica Neue\", Arial, sans-serif, \"Apple Color Emoji\", \"Segoe UI Emoji\", "
                         "\"Noto Color Emoji\"";
    bool operator==(const TextConfig& o) const {
        return scale == o.scale && base_css_px == o.base_css_px && line_spacing == o.line_spacing && family == o.family;
    }
};
constexpr float kSmallRatio = 13.0f / 15.0f, kTitleRatio = 17.0f / 15.0f;

struct TextMetrics {
    float font_px = 0;    // the font size (an em)
    float line_px = 0;    // the distance between lines, and the height of a one-line text box
    float ascent = 0;     // of the primary font, above the baseline
    float descent = 0;    // below the baseline (positive)
    float baseline = 0;   // from the top of a line box: half the leading, then the ascent
};

// One line of a laid-out text: its bytes, width and place in the box.
struct TextLine {
    std::uint32_t start = 0;   // first byte
    std::uint32_t end = 0;     // end of what is drawn (trailing spaces and the newline excluded)
    std::uint32_t next = 0;    // where the next line starts (after the spaces and the newline)
    float width = 0;           // of [start, end)
    float x = 0;               // from the box's left edge: right-to-left lines are aligned right
    bool rtl = false;          // its paragraph runs right to left (first strong character)
};

struct TextLayout {
    std::vector<TextLine> lines;   // at least one (an empty text is one empty line)
    float width = 0;               // the widest line
    float height = 0;              // lines × line_px
};

struct TextStats {
    const char* mode = "";                    // "canvas" (the reader's fonts) or "atlas" (the TTF)
    std::uint64_t tofu = 0;                   // glyphs drawn with no font for them (boxes, `?`)
    std::vector<std::uint32_t> tofu_chars;    // the first few such code points
    std::uint64_t lines_drawn = 0;            // distinct lines rasterized (canvas) or first drawn
    std::uint64_t gpu_bytes = 0;              // GPU memory the text holds now
    std::uint64_t gpu_budget = 0;             // the most it may hold
    int pages = 0;                            // texture pages in use
    std::uint64_t evictions = 0;              // pages emptied to make room
    std::uint64_t dropped = 0;                // lines not drawn because a frame needed more than the budget
};

// True when the first strong character of `paragraph` is right-to-left (Hebrew, Arabic, Syriac,
// Thaana, N'Ko, ...), as `dir="auto"` decides; digits, punctuation and emoji are not strong.
bool paragraph_rtl(std::string_view paragraph);

class TextPort {
public:
    virtual ~TextPort() = default;
    virtual const char* mode() const = 0;

    // Scale, sizes and families; a change drops every cached measure and layout.
    void configure(const TextConfig& config);
    const TextConfig& config() const { return config_; }
    const TextMetrics& metrics(TextStyle style) const { return metrics_[static_cast<int>(style.size)]; }
    // Makes what the current ImGui context needs (its font atlas). True when the atlas changed,
    // so the renderer must upload its texture again.
    virtual bool prepare() = 0;
    void begin_frame();

    // The width of `text` as one line (newlines are not expected).
    float measure(TextStyle style, std::string_view text);
    // `text` in lines no wider than max_width: breaks where its language allows (never inside a
    // grapheme cluster; a word wider than the line is broken between clusters), a line per '\n',
    // each paragraph's direction from its first strong character.
    TextLayout layout(TextStyle style, std::string_view text, float max_width);

    // One line with its top-left corner at `pos` (the top of its line box), in `colour`.
    void draw_line(ImDrawList* dl, ImVec2 pos, TextStyle style, std::string_view line, bool rtl, ImU32 colour);
    // A laid-out text in a box whose top-left corner is `pos`: lines [first, last).
    void draw(ImDrawList* dl, ImVec2 pos, TextStyle style, std::string_view text, const TextLayout& layout,
              ImU32 colour, std::size_t first = 0, std::size_t last = static_cast<std::size_t>(-1));

    // Off: lines are measured and laid out but never drawn (no canvas to draw on).
    void set_drawing(bool on) { drawing_ = on; }
    bool drawing() const { return drawing_; }

    virtual TextStats stats() const = 0;
    // The CSS font a style is drawn with (device px), or "" when it is not the browser's.
    virtual std::string css_font(TextStyle) const { return {}; }

protected:
    // After configure(): the metrics of each size.
    virtual TextMetrics compute_metrics(TextSize size) = 0;
    virtual void on_configure() {}
    virtual float measure_uncached(TextStyle style, std::string_view text) = 0;
    // Appends the lines of one paragraph (no '\n'), offsets relative to it; start/end/next/width.
    virtual void break_paragraph(TextStyle style, std::string_view paragraph, float max_width,
                                 std::vector<TextLine>& out) = 0;
    // Draws one line whose box's top-left corner is `pos` (whole device pixels).
    virtual void draw_visible_line(ImDrawList* dl, ImVec2 pos, TextStyle style, std::string_view line, bool rtl,
                                   ImU32 colour) = 0;
    std::uint64_t frame() const { return frame_; }

private:
    struct Key {
        std::uint64_t hash;
        std::uint32_t length;
        std::uint32_t width;   // a layout's max width (float bits); 0 for a measure
        std::uint8_t style;
        bool operator==(const Key& o) const {
            return hash == o.hash && length == o.length && width == o.width && style == o.style;
        }
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const {
            return static_cast<std::size_t>(k.hash ^ (std::uint64_t(k.width) * 0x9E3779B97F4A7C15ull) ^ k.style);
        }
    };
    template <class V>
    struct Entry {
        std::string text;   // to tell hash collisions apart
        V value;
    };
    // Two generations: lookups move entries from the old one to the current one; when the
    // current one is full it becomes the old one. What is on screen stays; the rest goes.
    template <class V>
    struct Cache {
        std::unordered_map<Key, Entry<V>, KeyHash> now, old;
        const V* find(const Key& k, std::string_view text);
        void put(const Key& k, std::string_view text, V value, std::size_t limit);
        void clear() { now.clear(); old.clear(); }
    };
    static Key key(std::string_view text, TextStyle style, float width);

    TextConfig config_;
    bool configured_ = false;
    TextMetrics metrics_[3];
    Cache<float> widths_;
    Cache<TextLayout> layouts_;
    std::uint64_t frame_ = 0;
    bool drawing_ = true;
};

// ImGui's implementation: `ttf` packed into the current context's atlas (ImGui's built-in font
// when empty). Glyphs missing from the font draw as `?` and count as tofu.
std::unique_ptr<TextPort> make_imgui_text_port(std::shared_ptr<const std::vector<unsigned char>> ttf);

}  // namespace grove

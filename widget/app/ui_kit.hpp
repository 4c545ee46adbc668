// Grove's controls on top of ImGui: buttons in a few tones, chips, badges, drawn icons, a
// multi-line text field bound to a std::string, wrapped text and tooltips. Every control
// registers with the FocusRing, so Tab reaches it and Enter/Space activate it.
// All sizes are CSS pixels times Ui::scale.
#pragma once

#include <cstdint>      // std::int64_t, std::uint32_t
#include <functional>   // std::function
#include <string>       // std::string
#include <utility>      // std::pair
#include <vector>       // std::vector

#include <imgui.h>   // ImVec2, ImU32

#include "focus_ring.hpp"
#include "semantic_view.hpp"
#include "text_field.hpp"
#include "text_port.hpp"
#include "theme.hpp"

namespace grove {

// What every panel needs to draw one frame. WidgetApp owns it; fields marked "per frame" are
// reset before each frame.
struct Ui {
    const Palette* pal = nullptr;
    TextPort* text = nullptr;                  // every measure and draw of text
    float scale = 1.0f;
    FocusRing* focus = nullptr;
    std::int64_t now_ms = 0;
    int utc_offset_minutes = 0;
    bool mac = false;                          // macOS key conventions (Cmd for shortcuts)

    // Text fields: the platform's fields hold the text (text_field.hpp); one at a time is edited.
    std::uint32_t editing = 0;                 // the field being edited, 0 when none
    std::uint32_t submit_id = 0;               // the field that got Ctrl/Cmd+Enter (per frame)
    bool edit_clicked = false;                 // a click landed in a text field (per frame)
    bool overlay_fields = false;               // the platform shows the edited field's own textarea over it
    std::vector<std::pair<std::uint32_t, FieldInput>>* inputs = nullptr;   // changes waiting for fields
    std::vector<std::pair<std::uint32_t, std::string*>>* fields = nullptr; // every field and its text (per frame)
    std::vector<FieldBox>* field_boxes = nullptr;                           // fields drawn (per frame)

    // The HTML view (semantic_view.hpp): recorded while drawing when on. Never null.
    SemanticView* sem = nullptr;
    bool canvas = true;                        // false: only the HTML view shows (no WebGL 2)
    bool coarse = false;                       // a coarse pointer (touch): targets at least 44 CSS px
    bool narrow = false;                       // a narrow widget (see kNarrowCss): paddings collapse
    bool reduce_motion = false;                // prefers-reduced-motion: no fades or highlights
    std::uint32_t sem_activate = 0;            // a control only the HTML view has, activated (per frame)
    std::string sem_focus;                     // the DOM id of an element the page should focus (per frame)
    bool take_sem_activation(std::uint32_t id) {
        if (id == 0 || sem_activate != id) return false;
        sem_activate = 0;
        return true;
    }
    bool want_frame = false;                   // draw another frame (per frame)
    std::string open_url;                      // a link activated: FrameOutput::open_url (per frame)
    // Changes to the discussion run after the frame is drawn, so rows drawn later in the same
    // frame never see the data change under them (per frame).
    std::vector<std::function<void()>> deferred;
    void defer(std::function<void()> f) { deferred.push_back(std::move(f)); }

    float px(float css) const { return css * scale; }
    // A card's padding and a reply's indent: on a narrow widget they shrink, so the text keeps
    // most of the width instead of four paddings stacking up.
    float card_pad(bool reply) const { return px(narrow ? (reply ? 8.0f : 10.0f) : (reply ? 12.0f : 14.0f)); }
    float reply_indent() const { return px(narrow ? 14.0f : 28.0f); }
    // A style's line height (the distance between lines, the height of one line of text) and its
    // font size, in device px.
    float line_h(TextStyle s = kBody) const { return text->metrics(s).line_px; }
    float em(TextStyle s = kBody) const { return text->metrics(s).font_px; }
    // True (once) when Ctrl/Cmd+Enter was pressed in this text field.
    bool take_submit(std::uint32_t id) {
        if (id == 0 || submit_id != id) return false;
        submit_id = 0;
        return true;
    }
};

// The widget's layout rules, in CSS px and ems of the body text.
constexpr float kNarrowCss = 520.0f;   // a widget narrower than this is narrow (a phone, a sidebar)
constexpr float kColumnEms = 35.0f;    // the widest text column: about 70 characters a line
constexpr float kLineSpacing = 1.45f;  // the distance between lines over the font size
constexpr float kMinTextCss = 10.0f, kMaxTextCss = 48.0f;   // the body size the page may set

// The body text size for the mount element's computed font-size (CSS px): clamped, and the
// default (16 px) when the page gives nothing usable.
float text_size_for_page(float css_px);
// The width panels lay out in (device px) for a window's `available` width: the text column of a
// card (`card_pad` on each side) is at most kColumnEms ems of body text `em` wide.
float column_width(float available, float em, float card_pad);

namespace ui {

ImU32 col(unsigned rgb, float alpha = 1.0f);

enum class Tone {
    primary,     // filled accent: Post
    secondary,   // outlined: Cancel, Retry
    ghost,       // text only until hovered: Reply, menu
    chip,        // outlined pill, off
    chip_on,     // filled pill, on (a selected kind, the active sort)
    toggle_on,   // tinted: Endorsed
    danger,      // tinted red: Delete, Discard
};
enum class Size { regular, compact };
enum class Icon { none, clock, pin, check, endorse, reply, dots, chevron_down, chevron_right, warning, flag, eye_off, star };

struct ButtonOpts {
    Tone tone = Tone::secondary;
    Size size = Size::regular;
    Icon icon = Icon::none;
    bool disabled = false;
    bool toggle = false;            // reported as a toggle (checked = tone is *_on)
    const char* tooltip = nullptr;  // shown on hover (also when disabled: it says why)
    const char* accessible = nullptr;   // label for the focus list when the visible one is short
    // The HTML view: the name with its context ("Endorse Ana's post"; default: the label), and
    // aria-expanded (-1: not a disclosure). A disabled button says why with its tooltip.
    const char* name = nullptr;
    int expanded = -1;
};

// The small buttons of cards, menus and forms.
ButtonOpts compact(Tone tone, Icon icon = Icon::none);

ImVec2 button_size(const Ui& ui, const char* label, const ButtonOpts& opts);
// Draws at the cursor; true when clicked or activated from the keyboard.
bool button(Ui& ui, const char* label, const ButtonOpts& opts);
// Records the button in the HTML view without drawing it (a row shown only there). Returns its node.
int describe_button(Ui& ui, const char* label, const ButtonOpts& opts, std::uint32_t id);

// A small rounded label ("Hidden from learners", "Deleted"), with a hairline when `outline`.
ImVec2 badge_size(const Ui& ui, const char* text, Icon icon = Icon::none);
void badge(Ui& ui, const char* text, unsigned bg, unsigned fg, Icon icon = Icon::none, const unsigned* outline = nullptr);
// The two weights of a card's status chips: quiet (Leader, Pinned, Your post, a kind,
// Unanswered) and strong, filled with the accent (Endorsed by a leader).
enum class Chip { quiet, strong };
void status_badge(Ui& ui, const char* text, Chip chip, Icon icon = Icon::none);
// A circle of `diameter` with an author's initials (view_model's initials) at the cursor; its
// colour comes from the author's id. Decorative: the author's name is next to it.
void avatar(Ui& ui, const std::string& name, const std::string& author_id, float diameter);

void draw_icon(ImDrawList* dl, Icon icon, ImVec2 centre, float size, ImU32 colour, bool filled = false);

// Screen text capture (tests, the page's debug API): every text drawn through this kit is
// appended to `log` in drawing order until it is set back to nullptr.
void set_screen_log(std::string* log);
void log_text(const char* text, const char* end, float y);
// Where each line of text was drawn (device px), recorded while `lines` is set: tests compare
// the pixels of one line with the same text drawn by the browser.
struct ScreenLine {
    std::string text;
    float x, y, w, h;   // the line's box
    TextStyle style;
    bool rtl;
};
void set_screen_lines(std::vector<ScreenLine>* lines);
// The lines of text a reader can select, copy and find (post bodies), recorded while `lines` is
// set: the platform lays a transparent copy of each over the canvas (device px, the screen's
// coordinates; lines outside the window's clip rect are left out). `key` names the line for as
// long as it stays the same: the selectable text's owner and the line's index.
struct SelectLine {
    std::string key;
    std::string text;
    float x, y, w, h;
    TextStyle style;
    bool rtl;
    char end;   // what follows it when copied: ' ' (the text wraps on) or '\n' (a paragraph ends)
    bool operator==(const SelectLine& o) const {
        return key == o.key && text == o.text && x == o.x && y == o.y && w == o.w && h == o.h && style == o.style &&
               rtl == o.rtl && end == o.end;
    }
};
void set_select_lines(std::vector<SelectLine>* lines);
// While one lives, wrapped text drawn through this kit is selectable, its lines keyed `owner`.
struct Selectable {
    explicit Selectable(const std::string& owner);
    ~Selectable();
    Selectable(const Selectable&) = delete;
    Selectable& operator=(const Selectable&) = delete;
};

// The text port every function below measures and draws with (set for each frame).
void set_text_port(TextPort* port);
TextPort& text_port();

// The width of `text` on one line in `style`.
float text_width(TextStyle style, const char* text, const char* end = nullptr);
// One line of text in `style` and `colour`, the top of its line box at `screen_pos`, logged as
// screen text. Not an item: no spacing.
void text_at(TextStyle style, ImVec2 screen_pos, const char* text, unsigned colour, const char* end = nullptr);
// The same in the style's heavier weight (names, headings).
void strong_text_at(TextStyle style, ImVec2 screen_pos, const char* text, unsigned colour, const char* end = nullptr);
// Wrapped text at the cursor, `width` wide, then the cursor moves below it. Right-to-left
// paragraphs are aligned right.
void wrapped_text(Ui& ui, TextStyle style, const char* text, float width, unsigned colour, const char* end = nullptr);
// Wrapped text whose addresses (find_links: http(s) ones and "www." ones, opened as https://) are links: drawn in
// the link colour, underlined while hovered, the full address as a tooltip, each a control (Tab
// reaches it) that sets ui.open_url when clicked or activated. Nothing else in the text is
// active. Links on right-to-left lines are drawn as plain text (bidi reordering decides where
// they are) and stay links in the HTML view. The links' control ids are link_ids(text).
void linked_text(Ui& ui, TextStyle style, const char* text, float width, unsigned colour, const char* end = nullptr);
// One line of link text at the cursor (a resource's title): `label` in the link colour, opening
// `url` (an http(s) address, else drawn as plain text and not a control) like linked_text's
// links. Returns its control id (0 when not a link), for the HTML view's <a>.
std::uint32_t link(Ui& ui, TextStyle style, const char* label, const std::string& url);
// The ImGui ids of the links linked_text makes of `text` here (under the same ID stack), in order:
// the HTML view gives its <a> elements the same controls.
std::vector<std::uint32_t> link_ids(std::string_view text);
// Height wrapped text takes (what wrapped_text draws).
float wrapped_height(TextStyle style, const char* text, float width, const char* end = nullptr);
// The end of the first `max_lines` wrapped lines of `text`; `text_end` when it fits.
const char* clamp_lines(TextStyle style, const char* text, const char* text_end, float width, int max_lines);

// A tooltip for the last item while it is hovered (also when disabled).
void tooltip(Ui& ui, const char* text);

}  // namespace ui
}  // namespace grove

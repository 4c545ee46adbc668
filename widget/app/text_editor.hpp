// A multi-line text field that wraps words, grows with its text, and edits UTF-8 in place.
// ImGui 1.86's InputTextMultiline does not wrap (a long reflection scrolls sideways) and reverts
// the edit on Esc; this one wraps like a browser textarea, keeps the text on Esc, and takes its
// input as an ordered queue of events (typed text, keys, paste), so fast typing and key repeat
// are never lost between on-demand frames.
//
// Keys follow the platform: word moves and deletes with Ctrl (Alt on macOS), shortcuts with Ctrl
// (Cmd on macOS), Home/End per visual line (Ctrl: the whole text), Shift extends the selection,
// Ctrl+A/C/X/Z/Y (Shift+Ctrl+Z redoes). Mouse: click, Shift+click, drag, double-click a word.
#pragma once

#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint32_t
#include <string>    // std::string
#include <utility>   // std::pair
#include <vector>    // std::vector

namespace grove {

struct Ui;
class TextPort;

// One input event, in the order the person made them.
struct InputEvent {
    enum class Type { text, key, delete_selection } type = Type::text;
    std::string text;     // Type::text: UTF-8 (typed, composed by an IME, or pasted)
    int key = -1;         // Type::key: an ImGuiKey_ (1.86 legacy key index)
    bool ctrl = false, shift = false, alt = false, super = false;
};

// What a field remembers between frames (its text lives with its owner).
struct TextEditState {
    std::size_t cursor = 0, anchor = 0;   // byte offsets; the selection is [min, max)
    float preferred_x = -1.0f;            // for Up/Down through lines of different lengths
    float scroll_y = 0.0f;                // when the text is taller than max_lines
    bool dragging = false;
    std::vector<std::pair<std::string, std::size_t>> undo, redo;
    bool merge_typing = false;            // consecutive typed characters undo together

    bool has_selection() const { return cursor != anchor; }
    std::size_t sel_begin() const { return cursor < anchor ? cursor : anchor; }
    std::size_t sel_end() const { return cursor < anchor ? anchor : cursor; }
    void select_all(const std::string& text) { anchor = 0; cursor = text.size(); }
};

constexpr std::size_t kMaxFieldBytes = 16 * 1024;   // far above the 500-character limit

// Visual lines of `text` wrapped at `width` in the body style, as the text port lays it out:
// [start, end) byte ranges (end excludes a '\n'; trailing spaces hang at the end of their line,
// as in a browser).
struct WrappedLine {
    std::size_t start, end;
};
std::vector<WrappedLine> wrap_lines(TextPort& port, const std::string& text, float width);

// Applies one event to a text and its state; `mac` selects macOS key conventions. Returns true
// when the text changed. Copy/cut put the text into *clipboard (when not null).
bool apply_event(const InputEvent& e, std::string& text, TextEditState& st, TextPort& port, float width,
                 bool mac, std::string* clipboard);

namespace ui {

struct TextField {
    bool changed = false;       // the text changed this frame
    bool editing = false;       // the person is typing in it
    std::uint32_t id = 0;
    float height = 0;
};
// Draws the field at the cursor, `width` wide and between min_lines and max_lines tall, and
// edits `text` while it is Ui::editing. A placeholder shows while the text is empty.
TextField text_field(Ui& ui, const char* label, std::string& text, TextEditState& st, float width, int min_lines,
                     int max_lines, const char* placeholder);
// The height text_field takes for `text` (what the thread uses to measure rows).
float text_field_height(const Ui& ui, const std::string& text, float width, int min_lines, int max_lines);

}  // namespace ui
}  // namespace grove

// Text fields. The text of a field lives in the platform's own text field: in the browser a real
// <textarea dir="auto"> of the HTML view (semantic_view.hpp), so the caret, selection, deleting by
// grapheme, IME composition, right-to-left typing, spell checking, undo and the clipboard are
// the browser's. The app keeps a copy of the value (WidgetApp::field_input sends every change),
// and draws the field on the canvas while the person is not typing in it; while they are, the
// platform shows that textarea over the field's box, styled like the widget (Ui::overlay_fields).
// Headless tests edit a field the same way, through WidgetApp::field_input (ui_headless.hpp).
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint32_t
#include <string>       // std::string
#include <string_view>  // std::string_view

namespace grove {

struct Ui;

constexpr std::size_t kMaxFieldBytes = 16 * 1024;   // far above the 500-character limit

// What the platform's field holds after the person changed it (UTF-8; the selection in bytes).
struct FieldInput {
    std::string value;
    std::size_t sel_start = 0, sel_end = 0;
    bool composing = false;   // an IME composition is in progress
};

// Keeps valid UTF-8 without control characters (newlines stay; tabs and carriage returns become
// spaces and newlines), at most kMaxFieldBytes (cut at a code point).
std::string clean_field_text(std::string_view in);

// A field drawn this frame, for the platform: where to show its textarea while it is edited.
struct FieldBox {
    std::uint32_t id = 0;
    float x = 0, y = 0, w = 0, h = 0;   // device px, relative to the canvas
    bool visible = false;               // inside the widget's visible area
};

namespace ui {

struct TextField {
    bool changed = false;       // the text changed since the last frame
    bool editing = false;       // the person is typing in it
    std::uint32_t id = 0;
    float height = 0;
    int sem = -1;               // its node in the HTML view (for aria-describedby), -1 when off
};
// The field at the cursor, `width` wide and between min_lines and max_lines tall, bound to
// `text`. A placeholder shows while the text is empty. With draw=false (a row of the HTML view
// not shown on the canvas) it only takes the platform's changes and records the field.
TextField text_field(Ui& ui, const char* label, std::string& text, float width, int min_lines, int max_lines,
                     const char* placeholder, bool draw = true);
// The height text_field takes for `text` (what the thread uses to measure rows).
float text_field_height(const Ui& ui, const std::string& text, float width, int min_lines, int max_lines);

}  // namespace ui
}  // namespace grove

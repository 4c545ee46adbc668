// Calls from C++ into the page (implemented in library_grove.js).
#pragma once

#include <cstdint>  // std::uint32_t
#include <string>   // std::string

namespace grove {

struct FrameReport {
    float content_height_css = 0;   // height the content wants; the loader sizes the canvas
    std::uint32_t editing = 0;      // the field being edited: its textarea shows over its box
    std::uint32_t focused = 0;      // the focused control: the page's focus goes to its element
    bool ring = false;              // the keyboard moved the focus
    int mouse_cursor = 0;           // ImGuiMouseCursor_
    float scroll_y_css = 0, scroll_max_css = 0;   // at either end the wheel scrolls the page
    std::string announce;           // for the live region (screen readers), usually empty
    std::string fields;             // JSON [[id, x, y, w, h, visible], ...] of the fields drawn, or ""
    std::string view_ops;           // the HTML view's changes (SemanticView::commit), or ""
    std::string view_focus;         // the DOM id of a view element to focus, or ""
    // The selectable lines' text layer, when it changed: JSON [[key, text, x, y (from the
    // content's top), w, h, font px, weight, rtl, paragraph ends], ...] in CSS px; "" when it
    // did not.
    std::string text_layer;
};

void js_frame_done(int mount_id, const FrameReport& report);
// The HTML view's look: CSS custom properties as a JSON object.
void js_view_style(int mount_id, const std::string& vars_json);
// Dispatches a bubbling CustomEvent on the mount element; detail is JSON.
void js_emit(int mount_id, const char* event_name, const std::string& detail_json);
// A startup mark ("grove:" + name, performance.mark) for the benchmark's breakdown.
void js_mark(const char* name);
std::string js_canvas_selector(int mount_id);
bool js_is_apple_platform();
void js_clipboard_write(const char* text);
// Opens an http(s) address in a new tab with noopener and noreferrer (a link in a post).
void js_open_url(const std::string& url);
const char* js_clipboard_read();   // last text pasted into this page's widgets

}  // namespace grove

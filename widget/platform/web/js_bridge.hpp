// Calls from C++ into the page (implemented in library_grove.js).
#pragma once

#include <string>   // std::string

namespace grove {

struct FrameReport {
    float content_height_css = 0;   // height the content wants; the loader sizes the canvas
    bool want_text_input = false;   // a text field is being edited: the text agent takes the keys
    float caret_x_css = 0, caret_y_css = 0, caret_h_css = 0;   // where IME windows should open
    int mouse_cursor = 0;           // ImGuiMouseCursor_
    float scroll_y_css = 0, scroll_max_css = 0;   // at either end the wheel scrolls the page
    std::string announce;           // for the live region (screen readers), usually empty
};

void js_frame_done(int mount_id, const FrameReport& report);
// Dispatches a bubbling CustomEvent on the mount element; detail is JSON.
void js_emit(int mount_id, const char* event_name, const std::string& detail_json);
std::string js_canvas_selector(int mount_id);
bool js_is_apple_platform();
void js_clipboard_write(const char* text);
const char* js_clipboard_read();   // last text pasted into this page's widgets

}  // namespace grove

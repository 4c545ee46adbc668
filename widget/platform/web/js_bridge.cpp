#include "js_bridge.hpp"

#include <cstdlib>   // std::free

extern "C" {
// Implemented in library_grove.js.
void grove_js_frame_done(int id, float content_height, unsigned editing, unsigned focused, int ring, int cursor,
                         float scroll_y, float scroll_max, const char* announce, const char* fields,
                         const char* view_ops, const char* view_focus, const char* text_layer);
void grove_js_view_style(int id, const char* vars_json);
void grove_js_emit(int id, const char* name, const char* detail_json);
void grove_js_mark(const char* name);
int grove_js_is_apple();
void grove_js_clipboard_write(const char* text);
void grove_js_open_url(const char* url);
char* grove_js_clipboard_read();   // malloc'ed UTF-8, caller frees
}

namespace grove {

void js_frame_done(int id, const FrameReport& r) {
    grove_js_frame_done(id, r.content_height_css, r.editing, r.focused, r.ring ? 1 : 0, r.mouse_cursor, r.scroll_y_css,
                        r.scroll_max_css, r.announce.c_str(), r.fields.c_str(), r.view_ops.c_str(),
                        r.view_focus.c_str(), r.text_layer.c_str());
}

void js_view_style(int id, const std::string& vars) { grove_js_view_style(id, vars.c_str()); }

void js_emit(int id, const char* name, const std::string& detail) { grove_js_emit(id, name, detail.c_str()); }
void js_mark(const char* name) { grove_js_mark(name); }

std::string js_canvas_selector(int id) { return "#grove-canvas-" + std::to_string(id); }

bool js_is_apple_platform() { return grove_js_is_apple() != 0; }

void js_clipboard_write(const char* text) { grove_js_clipboard_write(text); }

void js_open_url(const std::string& url) { grove_js_open_url(url.c_str()); }

const char* js_clipboard_read() {
    static std::string last;
    char* text = grove_js_clipboard_read();
    last = text ? text : "";
    std::free(text);
    return last.c_str();
}

}  // namespace grove

// The wasm module's C API, called by platform.js. One module serves every widget on the page;
// each mount is addressed by the id the loader chose for its canvas (#grove-canvas-<id>).
#include <emscripten/emscripten.h>   // EMSCRIPTEN_KEEPALIVE

#include <map>       // std::map
#include <memory>    // std::unique_ptr
#include <string>    // std::string
#include <vector>    // std::vector

#include "js_bridge.hpp"
#include "key_map.hpp"
#include "web_mount.hpp"
#include "grove/wire.hpp"

namespace {

std::map<int, std::unique_ptr<grove::WebMount>>& mounts() {
    static std::map<int, std::unique_ptr<grove::WebMount>> m;
    return m;
}

grove::WebMount* find(int id) {
    const auto it = mounts().find(id);
    return it == mounts().end() ? nullptr : it->second.get();
}

grove::Mods mods_from(int bits) {
    return grove::Mods{(bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0};
}

std::string last_error;
std::string returned;   // the last string handed to JS (valid until the next call)

}  // namespace

extern "C" {

// Returns 1 on success; 0 with grove_last_error() set (bad config, no WebGL2). With canvas = 0
// the widget shows as its HTML view alone (no WebGL 2, or forced colours): no GL context at all.
EMSCRIPTEN_KEEPALIVE int grove_mount(int id, const char* config_json, int canvas) {
    if (find(id)) return 1;
    auto config = grove::parse_widget_config(config_json ? config_json : "");
    if (!config) {
        last_error = grove::dump(grove::to_json(config.error()));
        return 0;
    }
    auto mount = std::make_unique<grove::WebMount>(id, grove::js_canvas_selector(id), std::move(config).value(), canvas != 0);
    if (!mount->ok()) {
        last_error = grove::dump(grove::to_json(
            grove::ApiError{0, "no_webgl2", "This browser cannot show the discussion: WebGL 2 is not available.", {}}));
        return 0;
    }
    mounts()[id] = std::move(mount);
    return 1;
}

EMSCRIPTEN_KEEPALIVE const char* grove_last_error() { return last_error.c_str(); }

EMSCRIPTEN_KEEPALIVE void grove_unmount(int id) { mounts().erase(id); }

EMSCRIPTEN_KEEPALIVE void grove_set_env(int id, int mac, int utc_offset_minutes) {
    if (auto* m = find(id)) m->set_environment(mac != 0, utc_offset_minutes);
}

EMSCRIPTEN_KEEPALIVE void grove_resize(int id, float css_w, float css_h, float dpr) {
    if (auto* m = find(id)) m->resize(css_w, css_h, dpr);
}

EMSCRIPTEN_KEEPALIVE void grove_set_prefers_dark(int id, int dark) {
    if (auto* m = find(id)) m->set_prefers_dark(dark != 0);
}

// On screen and the tab visible: 1; otherwise no frames are drawn.
EMSCRIPTEN_KEEPALIVE void grove_set_visible(int id, int visible) {
    if (auto* m = find(id)) m->set_visible(visible != 0);
}

EMSCRIPTEN_KEEPALIVE void grove_mouse_move(int id, float x, float y) {
    if (auto* m = find(id)) m->mouse_move(x, y);
}

// The pointer left the canvas (once any press and release there has been seen by a frame).
EMSCRIPTEN_KEEPALIVE void grove_mouse_leave(int id) {
    if (auto* m = find(id)) m->mouse_leave();
}

// A coarse pointer (touch screens): controls at least 44 CSS px tall.
EMSCRIPTEN_KEEPALIVE void grove_set_coarse_pointer(int id, int coarse) {
    if (auto* m = find(id)) m->set_coarse_pointer(coarse != 0);
}

// The mount element's computed font-size in CSS px: the widget's body text follows it.
EMSCRIPTEN_KEEPALIVE void grove_set_text_size(int id, float css_px) {
    if (auto* m = find(id)) m->set_text_size(css_px);
}

// prefers-reduced-motion: reduce: no highlight fades.
EMSCRIPTEN_KEEPALIVE void grove_set_reduce_motion(int id, int reduce) {
    if (auto* m = find(id)) m->set_reduce_motion(reduce != 0);
}

// The loader picked this widget (1) or another (0) to show the page's one spotlight line.
EMSCRIPTEN_KEEPALIVE void grove_set_spotlight(int id, int on) {
    if (auto* m = find(id)) m->set_spotlight(on != 0);
}

// mods: bit 0 ctrl, 1 shift, 2 alt, 3 meta.
EMSCRIPTEN_KEEPALIVE void grove_mouse_button(int id, int button, int down, int mods) {
    if (auto* m = find(id)) m->mouse_button(button, down != 0, mods_from(mods));
}

// Returns 1 when the widget scrolled (the page should not).
EMSCRIPTEN_KEEPALIVE int grove_wheel(int id, float dy_css) {
    auto* m = find(id);
    return m && m->wheel(dy_css) ? 1 : 0;
}

// A key press. Returns 0 ignored (the page keeps it), 1 handled (prevent the default), 2/3 leave
// the widget forwards/backwards (the page moves focus to the next/previous element).
EMSCRIPTEN_KEEPALIVE int grove_key(int id, const char* dom_key, int mods) {
    auto* m = find(id);
    if (!m) return 0;
    const int key = grove::imgui_key_from_dom(dom_key ? dom_key : "");
    if (key < 0) return 0;
    switch (m->key(key, mods_from(mods))) {
        case grove::KeyResult::ignored: return 0;
        case grove::KeyResult::handled: return 1;
        case grove::KeyResult::leave_forward: return 2;
        case grove::KeyResult::leave_backward: return 3;
    }
    return 0;
}

// The HTML view's textarea for field `control` changed: its whole value, the selection in UTF-8
// bytes, and whether an IME composition is in progress.
EMSCRIPTEN_KEEPALIVE void grove_field_input(int id, unsigned control, const char* utf8, int sel_start, int sel_end,
                                            int composing) {
    auto* m = find(id);
    if (!m || !utf8) return;
    grove::FieldInput in;
    in.value = utf8;
    in.sel_start = sel_start > 0 ? static_cast<std::size_t>(sel_start) : 0;
    in.sel_end = sel_end > 0 ? static_cast<std::size_t>(sel_end) : 0;
    in.composing = composing != 0;
    m->field_input(control, std::move(in));
}

// The page's focus went to the HTML view's element for `control` (0: not a control; `row` is the
// list item's thread row then, or -1).
EMSCRIPTEN_KEEPALIVE void grove_dom_focus(int id, unsigned control, int row) {
    if (auto* m = find(id)) m->dom_focus(control, row);
}

// The HTML view's element for `control` was clicked or activated.
EMSCRIPTEN_KEEPALIVE void grove_activate(int id, unsigned control) {
    if (auto* m = find(id)) m->activate(control);
}

EMSCRIPTEN_KEEPALIVE void grove_focus(int id, int focused) {
    if (auto* m = find(id)) m->focus(focused != 0);
}

// Focus arrived from the page: into the composer, or (from_end) onto the last control. Returns
// that control, whose element the page focuses at once (0 before the first frame).
EMSCRIPTEN_KEEPALIVE unsigned grove_focus_entry(int id, int from_end) {
    auto* m = find(id);
    return m ? m->focus_entry(from_end != 0) : 0;
}

// What is on screen, as JSON: the controls with their labels, states and boxes (CSS px).
EMSCRIPTEN_KEEPALIVE const char* grove_controls(int id) {
    auto* m = find(id);
    returned = m ? m->controls_json() : std::string("{\"controls\":[]}");
    return returned.c_str();
}

// The text port's counters, as JSON: mode ("canvas": the browser's fonts), tofu (glyphs drawn
// with no font for them), GPU bytes of the text pages and their budget.
EMSCRIPTEN_KEEPALIVE const char* grove_text_stats(int id) {
    auto* m = find(id);
    returned = m ? m->text_stats_json() : std::string("{}");
    return returned.c_str();
}

// Where each line of text was drawn in the last frame, as JSON (recorded with the screen text).
EMSCRIPTEN_KEEPALIVE const char* grove_screen_lines(int id) {
    auto* m = find(id);
    returned = m ? m->screen_lines_json() : std::string("[]");
    return returned.c_str();
}

// The text drawn in the last frame (capture = 1 starts recording it).
EMSCRIPTEN_KEEPALIVE const char* grove_screen_text(int id, int capture) {
    auto* m = find(id);
    returned = m ? m->screen_text(capture != 0) : std::string();
    return returned.c_str();
}

}  // extern "C"

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

grove::FontData& font() {
    static grove::FontData f;
    return f;
}

grove::WebMount* find(int id) {
    const auto it = mounts().find(id);
    return it == mounts().end() ? nullptr : it->second.get();
}

std::string last_error;

}  // namespace

extern "C" {

// Takes a copy of the TTF shared by all mounts; call before grove_mount.
EMSCRIPTEN_KEEPALIVE void grove_set_font(const unsigned char* data, int size) {
    font() = std::make_shared<const std::vector<unsigned char>>(data, data + (size > 0 ? size : 0));
}

// Returns 1 on success; 0 with grove_last_error() set (bad config, no WebGL2).
EMSCRIPTEN_KEEPALIVE int grove_mount(int id, const char* config_json) {
    if (find(id)) return 1;
    auto config = grove::parse_widget_config(config_json ? config_json : "");
    if (!config) {
        last_error = grove::dump(grove::to_json(config.error()));
        return 0;
    }
    auto mount = std::make_unique<grove::WebMount>(id, grove::js_canvas_selector(id), std::move(config).value(), font());
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

EMSCRIPTEN_KEEPALIVE void grove_resize(int id, float css_w, float css_h, float dpr) {
    if (auto* m = find(id)) m->resize(css_w, css_h, dpr);
}

EMSCRIPTEN_KEEPALIVE void grove_set_prefers_dark(int id, int dark) {
    if (auto* m = find(id)) m->set_prefers_dark(dark != 0);
}

EMSCRIPTEN_KEEPALIVE void grove_mouse_move(int id, float x, float y) {
    if (auto* m = find(id)) m->mouse_move(x, y);
}

EMSCRIPTEN_KEEPALIVE void grove_mouse_button(int id, int button, int down) {
    if (auto* m = find(id)) m->mouse_button(button, down != 0);
}

EMSCRIPTEN_KEEPALIVE void grove_mouse_wheel(int id, float dx, float dy) {
    if (auto* m = find(id)) m->mouse_wheel(dx, dy);
}

// Returns 1 when the widget handles the key (the page should not): mods bit 0 ctrl, 1 shift,
// 2 alt, 3 meta.
EMSCRIPTEN_KEEPALIVE int grove_key(int id, const char* dom_key, int down, int mods) {
    auto* m = find(id);
    if (!m) return 0;
    const int key = grove::imgui_key_from_dom(dom_key ? dom_key : "");
    const bool wanted = m->key(key, down != 0, mods & 1, mods & 2, mods & 4, mods & 8);
    return key >= 0 && wanted ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE void grove_text(int id, const char* utf8) {
    if (auto* m = find(id)) m->text(utf8 ? utf8 : "");
}

EMSCRIPTEN_KEEPALIVE void grove_focus(int id, int focused) {
    if (auto* m = find(id)) m->focus(focused != 0);
}

EMSCRIPTEN_KEEPALIVE void grove_focus_composer(int id) {
    if (auto* m = find(id)) m->focus_composer();
}

}  // extern "C"

#include "key_map.hpp"

#include <imgui.h>   // ImGuiKey_

namespace grove {

int imgui_key_from_dom(std::string_view k) {
    struct Entry { std::string_view dom; int key; };
    static const Entry kKeys[] = {
        {"Tab", ImGuiKey_Tab},           {"ArrowLeft", ImGuiKey_LeftArrow}, {"ArrowRight", ImGuiKey_RightArrow},
        {"ArrowUp", ImGuiKey_UpArrow},   {"ArrowDown", ImGuiKey_DownArrow}, {"PageUp", ImGuiKey_PageUp},
        {"PageDown", ImGuiKey_PageDown}, {"Home", ImGuiKey_Home},           {"End", ImGuiKey_End},
        {"Insert", ImGuiKey_Insert},     {"Delete", ImGuiKey_Delete},       {"Backspace", ImGuiKey_Backspace},
        {" ", ImGuiKey_Space},           {"Enter", ImGuiKey_Enter},         {"Escape", ImGuiKey_Escape},
    };
    for (const Entry& e : kKeys)
        if (e.dom == k) return e.key;
    if (k.size() == 1) {
        switch (k[0] | 0x20) {   // letters for Ctrl/Cmd shortcuts, either case
            case 'a': return ImGuiKey_A;
            case 'c': return ImGuiKey_C;
            case 'v': return ImGuiKey_V;
            case 'x': return ImGuiKey_X;
            case 'y': return ImGuiKey_Y;
            case 'z': return ImGuiKey_Z;
            default: break;
        }
    }
    return -1;
}

}  // namespace grove

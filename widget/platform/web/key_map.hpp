// DOM KeyboardEvent.key names -> ImGui 1.86 key indices (io.KeyMap is the identity map).
#pragma once

#include <string_view>

namespace grove {

// Returns the ImGuiKey_ for keys ImGui handles itself (editing, navigation, shortcuts), or -1
// for keys that arrive as text through the text agent instead.
int imgui_key_from_dom(std::string_view key);

}  // namespace grove

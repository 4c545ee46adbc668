// Dear ImGui build options for Grove (IMGUI_USER_CONFIG): the same for the wasm widget and the
// native test build, so headless tests see the UI the browser sees.
#pragma once

#define IMGUI_DISABLE_DEMO_WINDOWS       // not shipped: saves ~400 KB of wasm
#define IMGUI_DISABLE_METRICS_WINDOW     // 1.86's name: no metrics/debugger window, stack tool, item picker
#define IMGUI_DISABLE_DEBUG_TOOLS        // the same from ImGui 1.88 on (1.86 does not read it)
#define IMGUI_DISABLE_FILE_FUNCTIONS     // no file I/O in a browser; fonts come from memory
#define IMGUI_DISABLE_OBSOLETE_FUNCTIONS

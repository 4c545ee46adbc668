// ImGui's string formatting in the web build (IMGUI_DISABLE_DEFAULT_FORMAT_FUNCTIONS, set in
// widget/imgui_config.hpp): musl's integer-only vsniprintf instead of vsnprintf. What the widget
// links of ImGui formats only integers, strings and pointers ("##Popup_%08x", "%s/%s_%08X");
// with no floating-point format left anywhere in the module (the widget's own CSS lengths come
// from css_px in web_text.cpp), printf's floating-point and long double code is not linked.
// ImGui's float formats are all in the metrics window, the demo and the drag and slider
// widgets, none of which the web build links. Should one arrive all the same, the text is left
// empty rather than handed to vsniprintf, which has no float code to call and would stop the
// module.
#include <cstdarg>  // va_list
#include <cstddef>  // std::size_t
#include <cstring>  // std::strchr

#include <imgui_internal.h>   // ImFormatString, ImFormatStringV

extern "C" int vsniprintf(char* buf, std::size_t size, const char* fmt, va_list args);   // musl (Emscripten)

namespace {

// Whether fmt has a floating-point conversion (%e %f %g %a, any case, after flags, width,
// precision and length).
bool has_float_conversion(const char* fmt) {
    for (const char* p = std::strchr(fmt, '%'); p; p = std::strchr(p, '%')) {
        ++p;
        if (*p == '%') {
            ++p;
            continue;
        }
        while (*p && std::strchr("-+ #0'123456789.*$hlLqjzt", *p)) ++p;
        if (*p && std::strchr("eEfFgGaA", *p)) return true;
    }
    return false;
}

// snprintf's contract (the length the whole text needs; at most size - 1 bytes written and
// terminated), integer conversions only.
int format(char* buf, std::size_t size, const char* fmt, va_list args) {
    if (has_float_conversion(fmt)) {
        IM_ASSERT(false && "no floating-point formats in Grove's web build");
        if (buf != nullptr && size > 0) buf[0] = 0;
        return 0;
    }
    return vsniprintf(buf, size, fmt, args);
}

}  // namespace

// snprintf for the whole web build, Grove's own calls included (dates, ids, colours), so that
// nothing references musl's vsnprintf and its float code.
extern "C" int snprintf(char* buf, std::size_t size, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    const int w = format(buf, size, fmt, args);
    va_end(args);
    return w;
}

// ImGui's contract (imgui.cpp): with buf == NULL, the length the text needs; else the text,
// cut to buf_size - 1 bytes and terminated, and its length as written.
int ImFormatStringV(char* buf, std::size_t buf_size, const char* fmt, va_list args) {
    int w = format(buf, buf_size, fmt, args);
    if (buf == nullptr || buf_size == 0) return w;
    if (w == -1 || w >= static_cast<int>(buf_size)) w = static_cast<int>(buf_size) - 1;
    buf[w] = 0;
    return w;
}

int ImFormatString(char* buf, std::size_t buf_size, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    const int w = ImFormatStringV(buf, buf_size, fmt, args);
    va_end(args);
    return w;
}

// pow for the widget's own code: the browser's Math.pow in the web build, where musl's pow would
// link its tables (widget/imgui_config.hpp does the same for ImGui), and libm's natively.
#pragma once

#include <cmath>  // std::pow

#ifdef __EMSCRIPTEN__
#include <emscripten/em_math.h>
#endif

namespace grove {

inline double power(double x, double y) {
#ifdef __EMSCRIPTEN__
    return emscripten_math_pow(x, y);
#else
    return std::pow(x, y);
#endif
}

}  // namespace grove

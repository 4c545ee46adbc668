// Dear ImGui build options for Grove (IMGUI_USER_CONFIG): the same for the wasm widget and the
// native test build, so headless tests see the UI the browser sees.
#pragma once

#define IMGUI_DISABLE_DEMO_WINDOWS       // not shipped: saves ~400 KB of wasm
#define IMGUI_DISABLE_METRICS_WINDOW     // 1.86's name: no metrics/debugger window, stack tool, item picker
#define IMGUI_DISABLE_DEBUG_TOOLS        // the same from ImGui 1.88 on (1.86 does not read it)
#define IMGUI_DISABLE_FILE_FUNCTIONS     // no file I/O in a browser; fonts come from memory
#define IMGUI_DISABLE_OBSOLETE_FUNCTIONS

// The web build takes ImGui's sine, cosine, arc cosine, arc tangent, power and logarithm from
// the browser's Math object (one call into JS each; ImGui calls them a few times per frame, for
// arcs and circles) instead of linking musl's: sinf and cosf bring their argument reduction
// (__rem_pio2f, __rem_pio2_large and its table), pow its tables. The rest are single wasm
// instructions (fabsf, sqrtf, ceilf) or as ImGui has them. ImGui's string formatting has no
// floating point either (imgui_format.cpp). The native build keeps libm's and vsnprintf.
// widget/app/math.hpp does the same for Grove's own pow.
#ifdef __EMSCRIPTEN__
#include <emscripten/em_math.h>
#include <math.h>    // fabsf, sqrtf, fmodf, ceilf
#include <stdlib.h>  // atof
#define IMGUI_DISABLE_DEFAULT_MATH_FUNCTIONS
#define IMGUI_DISABLE_DEFAULT_FORMAT_FUNCTIONS   // integer-only: widget/platform/web/imgui_format.cpp
#define ImFabs(X)           fabsf(X)
#define ImSqrt(X)           sqrtf(X)
#define ImFmod(X, Y)        fmodf((X), (Y))
#define ImCos(X)            ((float)emscripten_math_cos(X))
#define ImSin(X)            ((float)emscripten_math_sin(X))
#define ImAcos(X)           ((float)emscripten_math_acos(X))
#define ImAtan2(Y, X)       ((float)emscripten_math_atan2((Y), (X)))
#define ImAtof(STR)         atof(STR)
#define ImCeil(X)           ceilf(X)
static inline float  ImPow(float x, float y)    { return (float)emscripten_math_pow(x, y); }
static inline double ImPow(double x, double y)  { return emscripten_math_pow(x, y); }
static inline float  ImLog(float x)             { return (float)emscripten_math_log(x); }
static inline double ImLog(double x)            { return emscripten_math_log(x); }
static inline int    ImAbs(int x)               { return x < 0 ? -x : x; }
static inline float  ImAbs(float x)             { return fabsf(x); }
static inline double ImAbs(double x)            { return fabs(x); }
static inline float  ImSign(float x)            { return (x < 0.0f) ? -1.0f : (x > 0.0f) ? 1.0f : 0.0f; }
static inline double ImSign(double x)           { return (x < 0.0) ? -1.0 : (x > 0.0) ? 1.0 : 0.0; }
static inline float  ImRsqrt(float x)           { return 1.0f / sqrtf(x); }
static inline double ImRsqrt(double x)          { return 1.0 / sqrt(x); }
#endif

// require(): the fuzz targets' property check. A failed property aborts, which libFuzzer reports
// as a crash (and saves the input), naming the line of the property that failed.
#pragma once

#include <cstdio>    // std::fprintf
#include <cstdlib>   // std::abort

inline void require(bool ok, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    if (ok) return;
    std::fprintf(stderr, "fuzz property failed: %s:%d\n", file, line);
    std::abort();
}

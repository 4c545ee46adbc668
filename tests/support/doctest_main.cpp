// doctest's main, compiled once and linked by every doctest executable. It adds one thing to
// doctest's own: a test may report itself skipped (test_skip.hpp), and then the run ends with
// kSkipExitCode instead of 0 when nothing failed, which ctest shows as "Skipped" (the test's
// SKIP_RETURN_CODE), never as passed.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>   // std::printf
#include <string>   // std::string
#include <vector>   // std::vector

#include "test_skip.hpp"

namespace {

std::vector<std::string>& skipped() {
    static std::vector<std::string> reasons;
    return reasons;
}

}  // namespace

namespace grove::test {

void skip_test(const std::string& why) {
    std::printf("SKIPPED: %s\n", why.c_str());
    std::fflush(stdout);
    skipped().push_back(why);
}

}  // namespace grove::test

int main(int argc, char** argv) {
    doctest::Context context(argc, argv);
    const int result = context.run();
    if (context.shouldExit() || result != 0 || skipped().empty()) return result;
    std::printf("%zu test(s) skipped, none failed; exit status %d (skipped)\n", skipped().size(),
                grove::test::kSkipExitCode);
    return grove::test::kSkipExitCode;
}

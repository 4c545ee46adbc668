// Skipping a test that cannot run here (missing privileges, say) without reporting it as passed.
// The test calls skip_test(why) and returns; doctest_main.cpp then ends the run with
// kSkipExitCode, which ctest counts as skipped where the test sets SKIP_RETURN_CODE to it.
#pragma once

#include <string>   // std::string

namespace grove::test {

constexpr int kSkipExitCode = 77;   // the autotools convention for "skipped"

void skip_test(const std::string& why);

}  // namespace grove::test

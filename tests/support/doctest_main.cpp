// doctest's main, compiled once and linked by every doctest executable. It adds one thing to
// doctest's own: a test may report itself skipped (test_skip.hpp), and then the run ends with
// kSkipExitCode instead of 0 when nothing failed, which ctest shows as "Skipped" (the test's
// SKIP_RETURN_CODE), never as passed. And a run whose --test-case filter matched no test case
// fails: ctest runs each case by name, so a name ctest cannot carry (CMake splits names at ';')
// would otherwise pass without running anything.
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

unsigned g_cases_run = 0;   // test cases that passed the filters, from the run's statistics

struct CountCases : doctest::IReporter {
    explicit CountCases(const doctest::ContextOptions&) {}
    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats& stats) override { g_cases_run = stats.numTestCasesPassingFilters; }
    void test_case_start(const doctest::TestCaseData&) override {}
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats&) override {}
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
    void test_case_skipped(const doctest::TestCaseData&) override {}
};
REGISTER_LISTENER("grove_count_cases", 1, CountCases);

bool names_test_cases(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        for (const char* p : {"--test-case=", "-tc=", "--dt-test-case=", "--dt-tc="})
            if (a.rfind(p, 0) == 0) return true;
    }
    return false;
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
    if (context.shouldExit() || result != 0) return result;
    if (g_cases_run == 0 && names_test_cases(argc, argv)) {
        std::printf("no test case matched the --test-case filter: the name was not passed whole\n");
        return 1;
    }
    if (skipped().empty()) return result;
    std::printf("%zu test(s) skipped, none failed; exit status %d (skipped)\n", skipped().size(),
                grove::test::kSkipExitCode);
    return grove::test::kSkipExitCode;
}

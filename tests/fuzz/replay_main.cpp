// Replays fuzz inputs (seed corpus and saved crashes) through a fuzz target in the ordinary
// test builds (g++ native, clang ASan), so every input that ever crashed stays a regression test.
// Usage: <target> CORPUS_DIR [REGRESSIONS_DIR]...
//   CORPUS_DIR must exist and hold at least one input: an empty or misspelt corpus would
//   otherwise replay nothing and still pass. A regressions folder may be missing (a target with
//   no saved crash has none). Every input must be readable. A failed property aborts (the
//   target's require()), which fails the test; the last line says what was replayed.
#include <cerrno>       // errno
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t
#include <cstdio>       // std::printf, std::fprintf
#include <cstring>      // std::strerror
#include <filesystem>   // std::filesystem
#include <fstream>      // std::ifstream
#include <iterator>     // std::istreambuf_iterator
#include <string>       // std::string
#include <vector>       // std::vector

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

namespace {

// Replays every input below `dir` (hidden files are not inputs); returns how many, or -1 when
// one could not be read.
long replay_dir(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
    for (const fs::path& file : files) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "replay: cannot read %s: %s\n", file.c_str(), std::strerror(errno));
            return -1;
        }
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (in.bad()) {
            std::fprintf(stderr, "replay: reading %s failed\n", file.c_str());
            return -1;
        }
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    }
    return static_cast<long>(files.size());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR [REGRESSIONS_DIR]...\n", argv[0]);
        return 2;
    }
    std::string summary;
    long total = 0;
    for (int i = 1; i < argc; ++i) {
        const fs::path dir = argv[i];
        const bool corpus = i == 1;
        if (!fs::is_directory(dir)) {
            if (corpus) {
                std::fprintf(stderr, "replay: the corpus %s is not a folder\n", dir.c_str());
                return 1;
            }
            summary += ", none saved in " + dir.parent_path().filename().string() + "/" + dir.filename().string();
            continue;
        }
        const long n = replay_dir(dir);
        if (n < 0) return 1;
        if (corpus && n == 0) {
            std::fprintf(stderr, "replay: the corpus %s holds no inputs\n", dir.c_str());
            return 1;
        }
        total += n;
        summary += std::string(corpus ? "" : ", ") + std::to_string(n) + " from " +
                   dir.parent_path().filename().string() + "/" + dir.filename().string();
    }
    std::printf("replayed %ld inputs (%s); none failed a property\n", total, summary.c_str());
    return 0;
}

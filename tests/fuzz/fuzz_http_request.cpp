// Fuzz target: RequestReader (server-stub/request_reader.hpp), the HTTP front's request parsing
// (line screening, Beast's parser, framing checks), on arbitrary bytes as a connection's stream.
// Properties, beyond not crashing or tripping a sanitizer:
//   - the outcome does not depend on how the bytes arrive: all at once, in two pieces split where
//     the input says, and (for short inputs) one byte at a time give the same requests and the
//     same refusal;
//   - every request read has a body within 64 KiB, a URL within 8 KiB, header names made of token
//     characters and values without CR, LF or NUL, and a method of token characters;
//   - a refusal is 400, 413, 414, 417 or 431 and ends the stream (the connection closes).
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint8_t
#include <string>    // std::string
#include <vector>    // std::vector

#include "fuzz_require.hpp"
#include "request_reader.hpp"

namespace {

struct Seen {
    std::vector<std::string> requests;   // each request, flattened
    int refusal = 0;
    bool operator==(const Seen& o) const { return requests == o.requests && refusal == o.refusal; }
};

bool is_token_char(char c) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return alnum || std::string("!#$%&'*+-.^_`|~").find(c) != std::string::npos;
}

std::string flatten(const grove::HttpRequest& r) {
    require(!r.method.empty());
    for (char c : r.method) require(is_token_char(c));
    require(r.target.size() <= 8 * 1024);
    require(r.body.size() <= grove::kMaxRequestBodyBytes);
    std::string out = r.method + ' ' + r.target + ' ' + std::to_string(r.version) + (r.keep_alive ? " k" : " c") + '\n';
    for (const auto& [name, value] : r.headers) {
        require(!name.empty());
        for (char c : name) require(is_token_char(c));
        for (char c : value) require(c != '\r' && c != '\n' && c != '\0');
        out += name + ':' + value + '\n';
    }
    return out + '\n' + r.body;
}

// Feeds `bytes` in pieces ending at each of `cuts` (ascending), then the rest.
Seen run(const std::string& bytes, const std::vector<std::size_t>& cuts) {
    grove::RequestReader reader;
    Seen seen;
    std::string pending;
    std::size_t offered = 0;
    auto drain = [&] {
        for (;;) {
            const std::size_t used = reader.feed(pending);
            require(used <= pending.size());
            pending.erase(0, used);
            if (reader.state() == grove::RequestReader::State::complete) {
                seen.requests.push_back(flatten(reader.take()));
                continue;
            }
            if (reader.state() == grove::RequestReader::State::refused) {
                const int s = reader.refusal().status;
                require(s == 400 || s == 413 || s == 414 || s == 417 || s == 431);
                seen.refusal = s;
                return false;
            }
            if (reader.state() == grove::RequestReader::State::body && reader.wants_continue()) reader.continue_sent();
            if (used == 0 || pending.empty()) return true;
        }
    };
    for (std::size_t cut : cuts) {
        if (cut <= offered || cut > bytes.size()) continue;
        pending += bytes.substr(offered, cut - offered);
        offered = cut;
        if (!drain()) return seen;
    }
    pending += bytes.substr(offered);
    drain();
    return seen;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2 || size > 200 * 1024) return 0;
    const std::size_t split = (static_cast<std::size_t>(data[0]) << 8 | data[1]) % size;
    const std::string bytes(reinterpret_cast<const char*>(data) + 2, size - 2);

    const Seen whole = run(bytes, {});
    require(run(bytes, {split}) == whole);
    if (bytes.size() <= 2048) {
        std::vector<std::size_t> each;
        for (std::size_t i = 1; i < bytes.size(); ++i) each.push_back(i);
        require(run(bytes, each) == whole);
    }
    return 0;
}

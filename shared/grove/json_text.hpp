// JSON text to and from nlohmann::json values in few bytes of code: the web build's parse_json
// and dump (wire.cpp, when GROVE_SMALL_JSON_TEXT is defined, as cmake/grove_wasm_flags.cmake
// does), in place of nlohmann's lexer, parser and serializer, which weigh ~11 KB of wasm code
// (docs/BENCHMARKS.md "Smaller download, round 7"). Native builds (server, tests) keep
// nlohmann's; tests/unit/json_text_test.cpp and the json_text fuzz target check that both agree.
//
// read() accepts what nlohmann's strict parse without exceptions accepts, and builds the same
// value:
// - one JSON value (RFC 8259) with white space around it; a UTF-8 byte order mark first is
//   skipped;
// - strings of strict UTF-8, control characters escaped, \u escapes with surrogates in pairs;
// - integers as std::uint64_t when not negative, std::int64_t when negative, a double when they
//   do not fit; finite doubles only;
// - the last of repeated object keys wins.
// Two differences, both stricter:
// - a NUL byte outside a string is an error (nlohmann reads it as the end of the text);
// - more than kMaxDepth arrays and objects inside each other is an error (nlohmann has no limit).
//
// write() gives nlohmann's dump(-1, ' ', false, error_handler_t::replace) byte for byte:
// - no white space; object keys in the object's (sorted) order;
// - strings escaped as nlohmann escapes them;
// - doubles by nlohmann's own shortest round-trip printer, and "null" when not finite;
// - each invalid UTF-8 sequence (its longest valid start) becomes one U+FFFD.
#pragma once

#include <string>        // std::string
#include <string_view>   // std::string_view

#include <nlohmann/json.hpp>   // nlohmann::json

namespace grove::json_text {

constexpr int kMaxDepth = 512;

// The value of the text; a discarded value (is_discarded()) when the text is not JSON.
nlohmann::json read(std::string_view text);
std::string write(const nlohmann::json& value);

}  // namespace grove::json_text

// RFC 3339 UTC timestamps with milliseconds ("2026-11-25T22:40:00.123Z"), as the API sends them.
// Pure arithmetic (no timegm/locale), so it behaves the same natively and in wasm.
#pragma once

#include <cstdint>    // std::int64_t
#include <optional>   // std::optional
#include <string>     // std::string
#include <string_view>

namespace grove {

std::string format_rfc3339_ms(std::int64_t unix_ms);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff...](Z|±HH:MM)"; returns Unix ms.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);
// "YYYY-MM-DD" of the UTC day that holds unix_ms.
std::string format_date(std::int64_t unix_ms);

}  // namespace grove

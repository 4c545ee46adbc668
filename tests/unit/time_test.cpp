#include <doctest/doctest.h>

#include "grove/time.hpp"

using namespace grove;

TEST_CASE("time: RFC 3339 with milliseconds round-trips") {
    const std::int64_t t = 1795646400123;   // 2026-11-25T22:40:00.123Z
    CHECK(format_rfc3339_ms(t) == "2026-11-25T22:40:00.123Z");
    CHECK(parse_rfc3339("2026-11-25T22:40:00.123Z") == t);
    CHECK(format_rfc3339_ms(0) == "1970-01-01T00:00:00.000Z");
    CHECK(format_rfc3339_ms(-1) == "1969-12-31T23:59:59.999Z");
    CHECK(format_date(t) == "2026-11-25");
}

TEST_CASE("time: parsing accepts offsets and rejects nonsense") {
    CHECK(parse_rfc3339("2026-11-25T23:40:00+01:00") == parse_rfc3339("2026-11-25T22:40:00Z"));
    CHECK(parse_rfc3339("2024-02-29T00:00:00Z").has_value());
    CHECK_FALSE(parse_rfc3339("2023-02-29T00:00:00Z").has_value());
    CHECK_FALSE(parse_rfc3339("2026-13-01T00:00:00Z").has_value());
    CHECK_FALSE(parse_rfc3339("2026-11-25 22:40:00Z").has_value());
    CHECK_FALSE(parse_rfc3339("2026-11-25T22:40:00").has_value());
    CHECK_FALSE(parse_rfc3339("2026-11-25T22:40:00.Z").has_value());
    CHECK_FALSE(parse_rfc3339("2026-11-25T22:40:00Zjunk").has_value());
    CHECK_FALSE(parse_rfc3339("").has_value());
}

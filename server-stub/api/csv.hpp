// CSV for spreadsheet downloads (RFC 4180): fields quoted when they must be, and text that a
// spreadsheet would run as a formula made inert.
#pragma once

#include <string>   // std::string
#include <string_view>
#include <vector>   // std::vector

namespace grove {

// One text field as it goes into a row: a field starting with '=', '+', '-', '@' (or their
// full-width forms), also after leading blanks, or with a tab or a carriage return gets a
// leading "'" (OWASP's advice against formula injection: spreadsheets show such a field as
// text); a field holding a comma, a quote, a line break, or starting or ending with a space is
// then quoted, with inner quotes doubled.
std::string csv_text(std::string_view text);

// Fields already made safe (csv_text, or numbers) joined with commas, ending with CRLF.
std::string csv_row(const std::vector<std::string>& fields);

}  // namespace grove

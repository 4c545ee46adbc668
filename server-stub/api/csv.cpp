#include "api/csv.hpp"

namespace grove {

namespace {

// Would a spreadsheet read this field as a formula? Spreadsheets start one at '=', '+', '-' or
// '@' (and Excel at their full-width forms, which some input methods type), also after leading
// blanks, which they drop; a leading tab or carriage return is OWASP's list too.
bool could_be_formula(std::string_view text) {
    if (text.empty()) return false;
    if (text[0] == '\t' || text[0] == '\r') return true;
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return false;
    const std::string_view rest = text.substr(first);
    const char c = rest[0];
    if (c == '=' || c == '+' || c == '-' || c == '@') return true;
    // U+FF1D FULLWIDTH EQUALS SIGN, U+FF0B PLUS, U+FF0D HYPHEN-MINUS, U+FF20 COMMERCIAL AT.
    for (std::string_view wide : {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D", "\xEF\xBC\xA0"})
        if (rest.substr(0, wide.size()) == wide) return true;
    return false;
}

}  // namespace

std::string csv_text(std::string_view text) {
    std::string field;
    field.reserve(text.size() + 3);
    if (could_be_formula(text)) field += '\'';
    field += text;
    const bool quote = field.find_first_of(",\"\r\n") != std::string::npos ||
                       (!field.empty() && (field.front() == ' ' || field.back() == ' '));
    if (!quote) return field;
    std::string quoted = "\"";
    for (char c : field) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string csv_row(const std::vector<std::string>& fields) {
    std::string row;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) row += ',';
        row += fields[i];
    }
    row += "\r\n";
    return row;
}

}  // namespace grove

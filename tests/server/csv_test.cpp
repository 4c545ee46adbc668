// The CSV fields of GET /api/v1/stats.csv: RFC 4180 quoting, and text a spreadsheet would run as
// a formula made inert (api/csv.hpp).
#include <doctest/doctest.h>

#include "api/csv.hpp"

using namespace grove;

TEST_CASE("csv: plain text stays as it is") {
    CHECK(csv_text("") == "");
    CHECK(csv_text("fire-safety-101") == "fire-safety-101");
    CHECK(csv_text("Fire safety 101") == "Fire safety 101");
    CHECK(csv_text("Brandschutz für alle") == "Brandschutz für alle");
    CHECK(csv_text("a-b=c") == "a-b=c");   // only a formula's first character matters
}

TEST_CASE("csv: commas, quotes, line breaks and edge spaces are quoted, inner quotes doubled") {
    CHECK(csv_text("a,b") == "\"a,b\"");
    CHECK(csv_text("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_text("two\nlines") == "\"two\nlines\"");
    CHECK(csv_text("cr\rhere") == "\"cr\rhere\"");
    CHECK(csv_text(" padded") == "\" padded\"");
    CHECK(csv_text("padded ") == "\"padded \"");
}

TEST_CASE("csv: a field a spreadsheet would run as a formula gets a leading quote mark") {
    CHECK(csv_text("=1+1") == "'=1+1");
    CHECK(csv_text("+1") == "'+1");
    CHECK(csv_text("-1") == "'-1");
    CHECK(csv_text("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_text("\t=1") == "'\t=1");
    CHECK(csv_text("\rx") == "\"'\rx\"");
    // Spreadsheets drop leading blanks before they look for a formula.
    CHECK(csv_text("  =cmd") == "'  =cmd");   // starts with ' now: no edge space to quote
    CHECK(csv_text("\n=cmd") == "\"'\n=cmd\"");
    // Full-width forms, which Excel also starts formulas with.
    CHECK(csv_text("＝1+1") == "'＝1+1");
    CHECK(csv_text("＋1") == "'＋1");
    CHECK(csv_text("－1") == "'－1");
    CHECK(csv_text("＠x") == "'＠x");
    // Made inert first, then quoted as needed.
    CHECK(csv_text("=HYPERLINK(\"http://evil.example\",\"x\")") == "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"");
}

TEST_CASE("csv: a row joins its fields with commas and ends with CRLF") {
    CHECK(csv_row({"date", "module"}) == "date,module\r\n");
    CHECK(csv_row({csv_text("a,b"), "2"}) == "\"a,b\",2\r\n");
    CHECK(csv_row({}) == "\r\n");
}

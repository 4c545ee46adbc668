// The wasm build's strtod, strtof and sscanf (widget/platform/web/small_scan.hpp) against
// glibc's, which this native build links: the same bits, end pointer, errno and, for sscanf,
// return value, stored values and %n positions, on 40,000 numbers (random and edge cases) and
// on ImGui 1.86's format strings with well- and ill-formed input.
#include <doctest/doctest.h>

#include <algorithm>  // min
#include <cerrno>     // errno, ERANGE
#include <cfloat>     // DBL_MIN, FLT_MIN
#include <cmath>      // nextafter
#include <cstdarg>    // va_list
#include <cstdint>    // uint64_t
#include <cstdio>     // snprintf, sscanf
#include <cstdlib>    // strtod, strtof
#include <cstring>    // memcpy
#include <random>     // mt19937_64
#include <string>     // string
#include <type_traits>  // is_same_v
#include <vector>     // vector

#include "small_scan.hpp"

namespace {

std::uint64_t bits_of(double v) { std::uint64_t b; std::memcpy(&b, &v, 8); return b; }
std::uint32_t bits_of(float v) { std::uint32_t b; std::memcpy(&b, &v, 4); return b; }
double double_of(std::uint64_t b) { double v; std::memcpy(&v, &b, 8); return v; }

std::string format(const char* fmt, ...) {
    char buf[2048];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, args);
    va_end(args);
    return buf;
}

// Exactly halfway between a double and the next one up, as decimal text (x86's long double
// holds the 54 bits exactly), then just above and just below it.
void add_halfway(std::vector<std::string>& out, double x) {
    const double next = std::nextafter(x, HUGE_VAL);
    if (std::isinf(next)) return;
    const long double mid = (static_cast<long double>(x) + static_cast<long double>(next)) / 2;
    const std::string exact = format("%.780Le", mid);
    out.push_back(exact);
    const std::size_t e = exact.find('e');
    std::string mantissa = exact.substr(0, e), exponent = exact.substr(e);
    while (mantissa.back() == '0') mantissa.pop_back();
    out.push_back(mantissa + "0000000000000000000001" + exponent);   // a hair above
    std::string below = mantissa;
    std::size_t i = below.size() - 1;   // minus one unit in the last place, borrowing
    while (below[i] == '0' || below[i] == '.') {
        if (below[i] == '0') below[i] = '9';
        --i;
    }
    below[i] = char(below[i] - 1);
    out.push_back(below + "9999" + exponent);
    out.push_back(format("%.17Le", mid));
    out.push_back(format("%.25Le", mid));
}

std::vector<std::string> number_texts() {
    std::vector<std::string> t = {
        "0", "-0", "+0", "0.0", "-0.0e10", "00", "000.000", "1", "-1", "10", "1e0", "1E5", "1e+5", "1e-5",
        "123456789012345678901234567890", "0.1", "0.2", "0.3", "1.5", "2.5", "3.141592653589793238462643383279",
        "9007199254740992", "9007199254740993", "9007199254740994", "9007199254740995",
        "18446744073709551615", "18446744073709551616", "1e22", "1e23", "1e-22", "1e-23", "123456789e-22",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1.797693134862315807e308",
        "1.7976931348623158079372897140530341507993413271003782693617377898044496829276475094664736e308",
        "1.797693134862315708145274237317043567981e+308", "1e308", "1e309", "1e400", "-1e400", "1e99999999999",
        "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308", "2.225073858507201136057409796709131975934819546351645648e-308",
        "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "2.47032822920623272e-324",
        "4.94065645841246544e-325", "1e-320", "1e-324", "1e-330", "1e-400", "-1e-400", "1e-99999999999",
        "0e99999999999", "0e-99999999999", "3.4028234663852886e38", "3.4028235677973366e38", "3.4028236e38",
        "1.17549435e-38", "1.1754942e-38", "1.4e-45", "7e-46", "7.1e-46", "7.006492321624085e-46",
        "inf", "INF", "-inf", "+Inf", "infinity", "-Infinity", "INFINITYx", "infinit", "infin", "in", "i",
        "nan", "NAN", "-nan", "+NaN", "nan()", "nan(123)", "nan(0x1f)", "nan(0X7fffffffffffffffff)", "nan(077)",
        "nan(08)", "nan(abc)", "nan(_)", "nan(1_2)", "nan(", "nan(12", "nan(1 2)", "-nan(0xffffffffffffffff)",
        "nan(99999999999999999999999)", "na", "n",
        "0x1p0", "0x1P-1074", "0x1p-1075", "0x1.8p-1075", "0x1.0000000000001p-1075", "0x1p-1076", "0x1.fffffffffffff8p1023",
        "0x1.fffffffffffff7ffffp1023", "0x1.fffffffffffffp1023", "0x1p1024", "0x.8", "0x.8p1", "-0x0p0", "0x0",
        "0x", "0X", "-0x", "0x.", "0x.p1", "0xp1", "0xg", "0x1p", "0x1p+", "0x1p-", "0x1P+3", "0x1.", "0x1.8",
        "0xABCDEFabcdef0123456789", "0x123456789abcdef123456789abcdefp-200", "0x1.000000000000080000000000001p0",
        "0x1.00000000000008p0", "0x1.00000000000018p0", "0x1.000001p0", "0x1.0000010000000001p0", "0x1.0000030p0",
        "0x1p-126", "0x1p-149", "0x1p-150", "0x1.000001p-150", "0x1.00000000000008p-1075", "-0x1.000001p-150", "0x1p128", "0x1.ffffffp127", "0x1p99999999999",
        "0x1p-99999999999", "0x0p99999999999", "0x1.fffffep-127",
        "  12", "\t\n\v\f\r-3.5e+2xyz", " +.5", "1e", "1e+", "1e-", "1E+x", "1ex", ".5", "5.", ".", "-.", "+",
        "-", "", "  ", "1..2", "1.2.3", "1e5.5", "1e5e5", "0001.000", "1_000", "1,5", "- 1", "--1", "+-1",
        "0.000000000000000000000000000000000000000000000000000000000000001", ".e1", "0.e1", "e1", "x1",
        "123abc", "4e", "4e-", "1.5E-3g", "0e", "0x1.ep1", "0x1e1", "0x1ep1",
    };
    // 780 digits then one more: digit 769+ decides only through the sticky flag.
    t.push_back("1." + std::string(779, '0') + "1");
    t.push_back("0." + std::string(900, '0') + "1e900");
    t.push_back(std::string(900, '9') + "e-900");
    t.push_back("2." + std::string(799, '0') + "1e-324");
    t.push_back("2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324");
    t.push_back("2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328126e-324");

    std::mt19937_64 rng(20261206);
    auto random_double = [&]() {   // any bit pattern but NaN and infinity
        for (;;) {
            const double v = double_of(rng());
            if (v == v && v - v == 0) return v;
        }
    };
    auto small_double = [&]() {   // a mantissa and a nearby exponent: the fast path's range
        return double(rng() % 100000000) * std::pow(10.0, int(rng() % 40) - 20);
    };
    while (t.size() < 12000) {
        const double x = rng() % 4 ? random_double() : small_double();
        const int digits = 1 + int(rng() % 25);
        switch (rng() % 8) {
            case 0: t.push_back(format("%.17g", x)); break;
            case 1: t.push_back(format("%.*g", digits, x)); break;
            case 2: t.push_back(format("%a", x)); break;
            case 3: t.push_back(format("%.*a", int(rng() % 14), x)); break;
            case 4: t.push_back(format("%.*e", digits + 15, x)); break;
            case 5: t.push_back(format("%.*f", int(rng() % 30), x)); break;
            case 6: t.push_back(format("%.9g", double(float(x)))); break;
            default: t.push_back(format("%a", double(float(x)))); break;
        }
    }
    while (t.size() < 22000) {   // halfway cases, normal and subnormal, double and float
        const int kind = int(rng() % 4);
        const double x = kind == 0 ? double_of(rng() % (std::uint64_t(1) << 52))   // subnormal
                       : kind == 1 ? double(float(random_double()))
                                   : random_double();
        add_halfway(t, std::fabs(x));
        if (kind == 1) {   // halfway between floats
            const float f = float(x);
            const float next = std::nextafter(std::fabs(f), HUGE_VALF);
            if (!std::isinf(next)) t.push_back(format("%.60e", (double(std::fabs(f)) + double(next)) / 2));
        }
    }
    while (t.size() < 32000) {   // long mantissas, any exponent
        std::string s;
        const int n = 1 + int(rng() % 1000);
        for (int i = 0; i < n; ++i) s += char('0' + rng() % 10);
        if (rng() % 2) s.insert(rng() % s.size(), ".");
        s += format("e%d", int(rng() % 800) - 400 - (rng() % 2 ? n : 0));
        t.push_back(s);
    }
    const char* const pieces[] = {" ", "\t", "-", "+", "0", "1", "9", ".", "e", "E", "p", "x", "X", "a", "f",
                                  "i", "n", "(", ")", "_", "5", "0x", "inf", "nan", "e-", "e+"};
    while (t.size() < 40000) {   // random fragments: partial parses and odd prefixes
        std::string s;
        const int n = 1 + int(rng() % 8);
        for (int i = 0; i < n; ++i) s += pieces[rng() % (sizeof pieces / sizeof *pieces)];
        t.push_back(s);
    }
    return t;
}

// glibc's hexadecimal path rounds these wrongly: each is a hair more than half the smallest
// subnormal number (the bit after the mantissa set, nothing below it), so the nearest value is
// that number, not zero. glibc drops that bit when the whole mantissa shifts out (round_and_return,
// shift == MANT_DIG); its decimal path and musl round them right. small_scan must give the
// smallest subnormal number: what the wasm build gave with musl.
bool glibc_misrounds(const std::string& s, bool is_float) {
    if (is_float) return s == "0x1.000001p-150" || s == "-0x1.000001p-150";
    return s == "0x1.00000000000008p-1075";
}

int my_sscanf(const char* input, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    const int n = grove::small_scan::scan(input, fmt, args);
    va_end(args);
    return n;
}

// Parses s with glibc's function and with small_scan's, and counts where they differ: bits, end
// pointer, ERANGE. T is double or float; min_normal its DBL_MIN or FLT_MIN.
template <typename T>
void compare_parse(const std::string& s, const char* name, T (*glibc)(const char*, char**),
                   T (*ours)(const char*, char**), T min_normal, int& mismatches, int& errno_mismatches) {
    const char* text = s.c_str();
    char *want_end, *got_end;
    errno = 0;
    const T want = glibc(text, &want_end);
    const bool want_range = errno == ERANGE;
    errno = 0;
    const T got = ours(text, &got_end);
    const bool got_range = errno == ERANGE;
    if (glibc_misrounds(s, std::is_same_v<T, float>)) {
        CHECK(bits_of(std::fabs(got)) == bits_of(std::nextafter(T(0), T(1))));
        CHECK(got_end == want_end);
    } else if (bits_of(want) != bits_of(got) || want_end != got_end) {
        if (++mismatches <= 10)
            FAIL_CHECK(name << "(\"" << s.substr(0, 120) << "\"): glibc " << format("%a", double(want)) << " end +"
                       << (want_end - text) << ", small_scan " << format("%a", double(got)) << " end +" << (got_end - text));
    } else if (want_range != got_range && std::fabs(want) != min_normal) {
        // glibc decides tininess after rounding: a value rounding up to the smallest normal may differ
        if (++errno_mismatches <= 10)
            FAIL_CHECK(name << "(\"" << s.substr(0, 120) << "\") errno: glibc " << want_range << ", small_scan " << got_range);
    }
}

}   // namespace

TEST_CASE("small_scan: strtod and strtof give glibc's bits, end and errno on 40,000 texts") {
    const std::vector<std::string> texts = number_texts();
    REQUIRE(texts.size() >= 40000);
    int double_mismatches = 0, float_mismatches = 0, errno_mismatches = 0;
    for (const std::string& s : texts) {
        compare_parse<double>(s, "strtod", std::strtod, grove::small_scan::to_double, DBL_MIN, double_mismatches, errno_mismatches);
        compare_parse<float>(s, "strtof", std::strtof, grove::small_scan::to_float, FLT_MIN, float_mismatches, errno_mismatches);
    }
    CHECK(double_mismatches == 0);
    CHECK(float_mismatches == 0);
    CHECK(errno_mismatches == 0);
    // A null end pointer is allowed.
    CHECK(grove::small_scan::to_double("2.5", nullptr) == 2.5);
}

namespace {

// Runs one format with the same input through glibc's sscanf and small_scan and compares the
// return values and every output (each starts from the same sentinel).
struct Outputs {
    int i[4] = {-7, -7, -7, -7};
    unsigned u[4] = {7, 7, 7, 7};
    float f = -7.5f;
    double d = -7.5;
    long long ll = -77;
    unsigned long long ull = 77;
    char c = '?';
    int n = -1;
    int ret = -9;
    bool operator==(const Outputs& o) const {
        for (int k = 0; k < 4; ++k)
            if (i[k] != o.i[k] || u[k] != o.u[k]) return false;
        return bits_of(f) == bits_of(o.f) && bits_of(d) == bits_of(o.d) && ll == o.ll && ull == o.ull && c == o.c &&
               n == o.n && ret == o.ret;
    }
};

int sscanf_glibc(const char* input, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    const int n = std::vsscanf(input, fmt, args);
    va_end(args);
    return n;
}

template <typename Call>
void compare(const char* fmt, const std::string& input, Call call, int& mismatches) {
    Outputs want, got;
    want.ret = call(sscanf_glibc, input.c_str(), fmt, want);
    got.ret = call(my_sscanf, input.c_str(), fmt, got);
    if (!(want == got) && ++mismatches <= 12)
        FAIL_CHECK("sscanf(\"" << input << "\", \"" << fmt << "\"): glibc ret " << want.ret << " i " << want.i[0] << ","
                   << want.i[1] << " u " << want.u[0] << "," << want.u[1] << "," << want.u[2] << "," << want.u[3] << " f "
                   << format("%a", double(want.f)) << " d " << format("%a", want.d) << " ll " << want.ll << " ull " << want.ull
                   << " c " << int(want.c) << " n " << want.n << "; small_scan ret " << got.ret << " i " << got.i[0] << ","
                   << got.i[1] << " u " << got.u[0] << "," << got.u[1] << "," << got.u[2] << "," << got.u[3] << " f "
                   << format("%a", double(got.f)) << " d " << format("%a", got.d) << " ll " << got.ll << " ull " << got.ull
                   << " c " << int(got.c) << " n " << got.n);
}

}   // namespace

TEST_CASE("small_scan: sscanf answers as glibc's for the formats ImGui 1.86 uses") {
    using Fn = int (*)(const char*, const char*, ...);
    // Each ImGui format with the arguments it takes (imgui.cpp, imgui_tables.cpp,
    // imgui_widgets.cpp, backends/imgui_impl_opengl3.cpp), and the plain conversions its
    // DataTypeApplyOpFromText passes for each data type.
    struct Case {
        const char* fmt;
        int (*call)(Fn, const char*, const char*, Outputs&);
    };
    const Case cases[] = {
        {"Pos=%i,%i", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.i[0], &o.i[1]); }},
        {"Size=%i,%i", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.i[0], &o.i[1]); }},
        {"Collapsed=%d", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.i[0]); }},
        {"0x%08X,%d", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.u[0], &o.i[0]); }},
        {"RefScale=%f", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.f); }},
        {"Column %d%n", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.i[0], &o.n); }},
        {"UserID=0x%08X%n", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.u[0], &o.n); }},
        {"Width=%d%n", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.i[0], &o.n); }},
        {"Weight=%f%n", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.f, &o.n); }},
        {"Visible=%d%n", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.i[0], &o.n); }},
        {"Order=%d%n", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.i[0], &o.n); }},
        {"Sort=%d%c%n", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.i[0], &o.c, &o.n); }},
        {"%d.%d", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.i[0], &o.i[1]); }},
        {"#version %d", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.i[0]); }},
        {"%02X%02X%02X%02X", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.u[0], &o.u[1], &o.u[2], &o.u[3]); }},
        {"%02X%02X%02X", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.u[0], &o.u[1], &o.u[2]); }},
        {"%d", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.i[0]); }},
        {"%u", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.u[0]); }},
        {"%lld", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.ll); }},
        {"%llu", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.ull); }},
        {"%f", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.f); }},
        {"%lf", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.d); }},
        // The same conversions with widths, suppression, %n and white space in the format.
        {" %3d %n%*d%2f", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.i[0], &o.n, &o.f); }},
        {"%x%o%%%hhd", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.u[0], &o.u[1], reinterpret_cast<signed char*>(&o.c)); }},
        {"%5lf,%4e %n", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, &o.d, &o.f, &o.n); }},
        {"%3c%i", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, reinterpret_cast<char*>(&o.u[0]), &o.i[0]); }},
        {"%hd|%hu", [](Fn f, const char* s, const char* m, Outputs& o) { return f(s, m, reinterpret_cast<short*>(&o.i[0]), reinterpret_cast<unsigned short*>(&o.u[0])); }},
    };
    const char* const prefixes[] = {"Pos=", "Size=", "Collapsed=", "0x", "RefScale=", "Column ", "UserID=0x", "Width=",
                                    "Weight=", "Visible=", "Order=", "Sort=", "#version ", "", " ", "  Pos=", "pos=",
                                    "Pos", "Column", "Column  ", "Sort=\t", "UserID=0X"};
    const char* const numbers[] = {"0", "1", "-1", "+5", "42", "300", "00", "007", "08", "0x1A", "0X", "0x", "-0x10",
                                   "ff", "FF", "1a2b3c4d", "7fffffff", "80000000", "ffffffff", "100000000", "2147483647",
                                   "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
                                   "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                                   "18446744073709551615", "18446744073709551616", "99999999999999999999999",
                                   "1.5", "-2.25", "1e3", "1e+", "1e-", "1E+5", ".5", "5.", ".", "-", "+", "nan", "NaN",
                                   "-nan", "inf", "-Infinity", "infinit", "infx", "0x1p3", "-0x1.8p-2", "0x.8", "0x1p",
                                   "1e40", "1e-50", "3.4028236e38", "1.0000000596046448", "abc", " 7", "\t-3",
                                   "1,2", "12,34", "5^", "5v", "5.6.7", "100.200", "#version 300 es", "300 es",
                                   "0.5", "1.25e-2", "00ff00ff", "0a0b0c", "A1B2C3D4E5", "12345678", "e5", "0e"};
    const char* const tails[] = {"", " ", ",", ",7", ", 8", ",x", "^", "v", "x", "\n", " rest", ".3", "e2", "%5",
                                 "%", "1", "-", " Width=3", "|4", "|-1"};
    std::mt19937_64 rng(2026);
    int mismatches = 0, runs = 0;
    for (const Case& c : cases) {
        for (int k = 0; k < 1500; ++k) {
            std::string input = prefixes[rng() % (sizeof prefixes / sizeof *prefixes)];
            const int count = int(rng() % 4);
            for (int j = 0; j < count; ++j) {
                input += numbers[rng() % (sizeof numbers / sizeof *numbers)];
                input += tails[rng() % (sizeof tails / sizeof *tails)];
            }
            if (rng() % 5 == 0) {   // a prefix meant for this format
                const std::string fmt = c.fmt;
                const std::size_t pct = fmt.find('%');
                input = fmt.substr(0, pct) + input.substr(std::min(input.size(), std::size_t(rng() % 3)));
            }
            compare(c.fmt, input, c.call, mismatches);
            ++runs;
        }
        for (const char* input : {"", " ", "\t\n", "Pos=", "Pos=1", "Pos=1,", "Pos=1,2", "0x", "#version 300 es", "3.0"})
            compare(c.fmt, input, c.call, mismatches);
    }
    CHECK(runs == 1500 * int(sizeof cases / sizeof *cases));
    CHECK(mismatches == 0);
}

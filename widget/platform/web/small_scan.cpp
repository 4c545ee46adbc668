// strtod, strtof and ImGui's sscanf subset, small (see small_scan.hpp for what they accept).
//
// Decimal text is converted as Go's strconv and Wuffs do it when their fast paths give up
// ("simple decimal conversion", Nigel Tao): the digits (up to 800, with a flag for nonzero ones
// dropped beyond) are shifted by powers of two until the value lies in [0.5, 1), then shifted
// left by the mantissa's width and rounded half to even. That is exact for every input: a
// double's halfway points need at most 768 significant digits. Clinger's fast path comes first
// (at most 19 digits, a mantissa below 2^53, a power of ten up to 10^22: one correctly rounded
// multiplication or division). Hexadecimal text is exact by construction: 60 bits plus a
// sticky bit, rounded once.
//
// The scanner follows glibc's vfscanf step by step (which characters a conversion consumes, when
// a failure is an input failure that returns EOF), so ImGui reads .ini lines and typed numbers
// as it does on a desktop. Float conversions hand the characters they consumed to the parser
// above, as glibc hands its buffer to strtod.
#include "small_scan.hpp"

#include <cerrno>    // errno, ERANGE
#include <cstddef>   // ptrdiff_t, size_t
#include <cstdint>   // uint64_t, intmax_t
#include <cstdio>    // EOF
#include <cstring>   // memcpy, strlen

namespace grove::small_scan {
namespace {

bool is_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool is_digit(int c) { return c >= '0' && c <= '9'; }
int lower(int c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }
// 0-9 for digits, 10-35 for letters of either case, 99 for anything else.
int digit_value(int c) {
    if (is_digit(c)) return c - '0';
    c = lower(c);
    return c >= 'a' && c <= 'z' ? c - 'a' + 10 : 99;
}

// Text with an end: reads at or past it give 0, as a terminating NUL would.
struct Text {
    const char* p;
    const char* end;
    int at(int i = 0) const { return p + i < end ? static_cast<unsigned char>(p[i]) : 0; }
    bool starts_with(const char* word) const {   // case-insensitive, word in lower case
        for (int i = 0; word[i]; ++i)
            if (lower(at(i)) != word[i]) return false;
        return true;
    }
};

struct Format {   // an IEEE 754 binary format
    int mant_bits;
    int exp_bits;
    int bias;
    bool is_double;
};
constexpr Format kDouble{52, 11, -1023, true};
constexpr Format kFloat{23, 8, -127, false};

std::uint64_t one(int bit) { return std::uint64_t(1) << bit; }
int max_biased(const Format& f) { return (1 << f.exp_bits) - 1; }
std::uint64_t infinity_bits(const Format& f) { return std::uint64_t(max_biased(f)) << f.mant_bits; }

// A decimal number 0.d[0]d[1]...d[nd-1] * 10^dp; trunc: nonzero digits were dropped past d[].
struct Decimal {
    static constexpr int kDigits = 800;
    unsigned char d[kDigits];
    int nd = 0;
    int dp = 0;
    bool trunc = false;

    void trim() {
        while (nd > 0 && d[nd - 1] == 0) --nd;
        if (nd == 0) dp = 0;
    }

    // Divides by 2^k (k <= 60), exactly as long as the digits fit.
    void right_shift(unsigned k) {
        int r = 0, w = 0;
        std::uint64_t n = 0;
        for (; (n >> k) == 0; ++r) {
            if (r >= nd) {
                if (n == 0) {
                    nd = 0;
                    return;
                }
                while ((n >> k) == 0) {
                    n *= 10;
                    ++r;
                }
                break;
            }
            n = n * 10 + d[r];
        }
        dp -= r - 1;
        const std::uint64_t mask = one(int(k)) - 1;
        for (; r < nd; ++r) {
            const unsigned digit = unsigned(n >> k);
            n &= mask;
            d[w++] = static_cast<unsigned char>(digit);
            n = n * 10 + d[r];
        }
        while (n > 0) {
            const unsigned digit = unsigned(n >> k);
            n &= mask;
            if (w < kDigits)
                d[w++] = static_cast<unsigned char>(digit);
            else if (digit > 0)
                trunc = true;
            n *= 10;
        }
        nd = w;
        trim();
    }

    // Multiplies by 2^k (k <= 60): digits from the last, the carry moving up (9 * 2^60 plus a
    // carry fits in 64 bits), written right-aligned into a scratch buffer and moved back.
    void left_shift(unsigned k) {
        unsigned char out[kDigits + 24];
        int w = int(sizeof out);
        std::uint64_t n = 0;
        for (int r = nd - 1; r >= 0; --r) {
            n += std::uint64_t(d[r]) << k;
            out[--w] = static_cast<unsigned char>(n % 10);
            n /= 10;
        }
        for (; n > 0; n /= 10) out[--w] = static_cast<unsigned char>(n % 10);
        const int len = int(sizeof out) - w;
        dp += len - nd;
        nd = len < kDigits ? len : kDigits;
        std::memcpy(d, out + w, size_t(nd));
        for (int i = nd; i < len; ++i)
            if (out[w + i]) trunc = true;
        trim();
    }

    void shift(int k) {
        if (nd == 0) return;
        for (; k > 60; k -= 60) left_shift(60);
        for (; k < -60; k += 60) right_shift(60);
        if (k > 0) left_shift(unsigned(k));
        if (k < 0) right_shift(unsigned(-k));
    }

    // The integer part, rounded half to even (a dropped nonzero digit makes a 5 more than half).
    std::uint64_t rounded_integer() const {
        if (dp > 20) return ~std::uint64_t(0);
        std::uint64_t n = 0;
        int i = 0;
        for (; i < dp && i < nd; ++i) n = n * 10 + d[i];
        for (; i < dp; ++i) n *= 10;
        bool up = false;
        if (dp >= 0 && dp < nd) {
            if (d[dp] == 5 && dp + 1 == nd)
                up = trunc || (dp > 0 && (d[dp - 1] & 1));
            else
                up = d[dp] >= 5;
        }
        return n + up;
    }
};

// The bits of the nearest value of format f; range_error: overflow, or inexact below the
// smallest normal number.
std::uint64_t decimal_bits(Decimal& d, const Format& f, bool& range_error) {
    static const unsigned char kPowers[] = {1, 3, 6, 9, 13, 16, 19, 23, 26};   // 10^i < 2^kPowers[i]
    std::uint64_t mant = 0;
    int exp = f.bias;
    if (d.nd == 0) return 0;
    if (d.dp > 310) goto overflow;
    if (d.dp < -330) {
        range_error = true;
        return 0;
    }
    exp = 0;
    while (d.dp > 0) {   // into [0.5, 1)
        const int n = d.dp >= 9 ? 27 : kPowers[d.dp];
        d.shift(-n);
        exp += n;
    }
    while (d.dp < 0 || (d.dp == 0 && d.d[0] < 5)) {
        const int n = -d.dp >= 9 ? 27 : kPowers[-d.dp];
        d.shift(n);
        exp -= n;
    }
    --exp;   // [1, 2) as IEEE counts
    if (exp < f.bias + 1) {   // below the normal range: fewer mantissa bits
        const int n = f.bias + 1 - exp;
        d.shift(-n);
        exp += n;
    }
    if (exp - f.bias >= max_biased(f)) goto overflow;
    d.shift(1 + f.mant_bits);
    {
        const bool inexact = d.nd > d.dp || d.trunc;
        mant = d.rounded_integer();
        if (mant == one(f.mant_bits + 1)) {   // rounding carried into a new bit
            mant >>= 1;
            ++exp;
            if (exp - f.bias >= max_biased(f)) goto overflow;
        }
        if ((mant & one(f.mant_bits)) == 0) {   // subnormal
            exp = f.bias;
            if (inexact) range_error = true;
        }
    }
    return (mant & (one(f.mant_bits) - 1)) | (std::uint64_t(exp - f.bias) << f.mant_bits);
overflow:
    range_error = true;
    return infinity_bits(f);
}

// The bits of the nearest value to (mant + a little if sticky) * 2^exp2, mant != 0.
std::uint64_t binary_bits(std::uint64_t mant, std::int64_t exp2, bool sticky, const Format& f, bool& range_error) {
    while (!(mant >> 63)) {
        mant <<= 1;
        --exp2;
    }
    const std::int64_t e = exp2 + 63;   // exponent of the leading bit
    const int emin = f.bias + 1;
    int keep = f.mant_bits + 1;
    if (e < emin) keep -= e < emin - 64 ? 64 : int(emin - e);
    if (keep < 0) {
        range_error = true;
        return 0;
    }
    const int drop = 64 - keep;
    std::uint64_t kept = drop == 64 ? 0 : mant >> drop;
    const std::uint64_t rest = drop == 64 ? mant : mant & (one(drop) - 1);
    const std::uint64_t half = one(drop - 1);
    if (rest > half || (rest == half && (sticky || (kept & 1)))) ++kept;
    if (e < emin) {   // subnormal; a carry into bit mant_bits gives the smallest normal number
        if ((rest || sticky) && kept < one(f.mant_bits)) range_error = true;
        return kept;
    }
    if (e - f.bias >= max_biased(f)) {
        range_error = true;
        return infinity_bits(f);
    }
    const std::uint64_t bits = (std::uint64_t(e - f.bias - 1) << f.mant_bits) + kept;
    if (bits >= infinity_bits(f)) {
        range_error = true;
        return infinity_bits(f);
    }
    return bits;
}

// glibc's NaN payload: the n-char-sequence read by strtoull(..., 0), used only if it reads all.
// (An overflow leaves errno at ERANGE, as glibc's strtoull does.)
bool nan_payload(const char* s, int len, std::uint64_t& out) {
    int base = 10, i = 0;
    if (len > 0 && s[0] == '0') {
        base = 8;
        if (len > 2 && lower(s[1]) == 'x' && digit_value(s[2]) < 16) {
            base = 16;
            i = 2;
        }
    }
    std::uint64_t v = 0;
    bool over = false;
    for (; i < len; ++i) {
        const int digit = digit_value(s[i]);
        if (digit >= base) return false;
        if (v > (~std::uint64_t(0) - std::uint64_t(digit)) / std::uint64_t(base)) {
            over = true;
            errno = ERANGE;   // as strtoull sets it
        } else {
            v = v * std::uint64_t(base) + std::uint64_t(digit);
        }
    }
    out = over ? ~std::uint64_t(0) : v;
    return true;
}

// strtod/strtof on [t.p, t.end): the bits of the result, *end as strtod sets it.
std::uint64_t parse(Text t, const char** end, const Format& f) {
    const char* const start = t.p;
    while (is_space(t.at())) ++t.p;
    const bool negative = t.at() == '-';
    if (negative || t.at() == '+') ++t.p;
    const std::uint64_t sign = negative ? one(f.mant_bits + f.exp_bits) : 0;
    bool range_error = false;
    std::uint64_t bits;

    if (t.starts_with("inf")) {
        t.p += Text{t.p + 3, t.end}.starts_with("inity") ? 8 : 3;
        *end = t.p;
        return sign | infinity_bits(f);
    }
    if (t.starts_with("nan")) {
        t.p += 3;
        bits = infinity_bits(f) | one(f.mant_bits - 1);   // quiet NaN
        if (t.at() == '(') {
            int i = 1;
            while (digit_value(t.at(i)) < 36 || t.at(i) == '_') ++i;
            if (t.at(i) == ')') {
                std::uint64_t payload;
                if (nan_payload(t.p + 1, i - 1, payload)) bits |= payload & (one(f.mant_bits - 1) - 1);
                t.p += i + 1;
            }
        }
        *end = t.p;
        return sign | bits;
    }

    if (t.at() == '0' && lower(t.at(1)) == 'x' &&
        (digit_value(t.at(2)) < 16 || (t.at(2) == '.' && digit_value(t.at(3)) < 16))) {
        t.p += 2;
        std::uint64_t mant = 0;
        std::int64_t exp2 = 0;
        bool sticky = false, dot = false;
        for (;; ++t.p) {
            const int c = t.at();
            const int v = digit_value(c);
            if (c == '.' && !dot) {
                dot = true;
            } else if (v < 16) {
                if (mant < one(60)) {
                    mant = mant * 16 + std::uint64_t(v);
                    if (dot) exp2 -= 4;
                } else {
                    sticky |= v != 0;
                    if (!dot) exp2 += 4;
                }
            } else {
                break;
            }
        }
        if (lower(t.at()) == 'p') {
            Text q{t.p + 1, t.end};
            const bool neg_exp = q.at() == '-';
            if (neg_exp || q.at() == '+') ++q.p;
            if (is_digit(q.at())) {
                std::int64_t e = 0;
                for (; is_digit(q.at()); ++q.p)
                    if (e < 100000000) e = e * 10 + (q.at() - '0');
                exp2 += neg_exp ? -e : e;
                t.p = q.p;
            }
        }
        *end = t.p;
        bits = mant ? binary_bits(mant, exp2, sticky, f, range_error) : 0;
        if (range_error) errno = ERANGE;
        return sign | bits;
    }

    Decimal d;
    bool digits = false, dot = false;
    for (;; ++t.p) {
        const int c = t.at();
        if (c == '.' && !dot) {
            dot = true;
        } else if (is_digit(c)) {
            digits = true;
            if (c == '0' && d.nd == 0) {   // leading zeros
                if (dot) --d.dp;
                continue;
            }
            if (!dot) ++d.dp;
            if (d.nd < Decimal::kDigits)
                d.d[d.nd++] = static_cast<unsigned char>(c - '0');
            else if (c != '0')
                d.trunc = true;
        } else {
            break;
        }
    }
    if (!digits) {
        *end = start;
        return 0;
    }
    if (lower(t.at()) == 'e') {
        Text q{t.p + 1, t.end};
        const bool neg_exp = q.at() == '-';
        if (neg_exp || q.at() == '+') ++q.p;
        if (is_digit(q.at())) {
            int e = 0;
            for (; is_digit(q.at()); ++q.p)
                if (e < 100000000) e = e * 10 + (q.at() - '0');
            d.dp += neg_exp ? -e : e;
            t.p = q.p;
        }
    }
    *end = t.p;
    d.trim();

    const int e10 = d.dp - d.nd;
    if (f.is_double && d.nd > 0 && d.nd <= 19 && !d.trunc && e10 >= -22 && e10 <= 22) {
        std::uint64_t m = 0;
        for (int i = 0; i < d.nd; ++i) m = m * 10 + d.d[i];
        if (m < one(53)) {   // Clinger: both operands exact, one rounding
            double scale = 1;
            for (int i = 0; i < (e10 < 0 ? -e10 : e10); ++i) scale *= 10;
            const double v = e10 < 0 ? double(m) / scale : double(m) * scale;
            std::memcpy(&bits, &v, sizeof v);
            return sign | bits;
        }
    }
    bits = decimal_bits(d, f, range_error);
    if (range_error) errno = ERANGE;
    return sign | bits;
}

template <typename T>
T parse_as(const char* text, const char* text_end, char** end, const Format& f) {
    const char* stop = text;
    const std::uint64_t bits = parse(Text{text, text_end}, &stop, f);
    if (end) *end = const_cast<char*>(stop);
    T out;
    if constexpr (sizeof(T) == 8) {
        std::memcpy(&out, &bits, 8);
    } else {
        const std::uint32_t b32 = std::uint32_t(bits);
        std::memcpy(&out, &b32, 4);
    }
    return out;
}

}   // namespace

double to_double(const char* text, char** end) { return parse_as<double>(text, text + std::strlen(text), end, kDouble); }
float to_float(const char* text, char** end) { return parse_as<float>(text, text + std::strlen(text), end, kFloat); }

int scan(const char* input, const char* format, va_list args) {
    va_list ap;
    va_copy(ap, args);
    const unsigned char* const s = reinterpret_cast<const unsigned char*>(input);
    const unsigned char* f = reinterpret_cast<const unsigned char*>(format);
    size_t pos = 0;   // characters consumed (what %n reports)
    auto get = [&]() -> int { return s[pos] ? s[pos++] : EOF; };
    auto unget = [&](int ch) {
        if (ch != EOF) --pos;
    };
    int done = 0;
    bool skip_space = false;
    int c = 0;
    // Stores an integer in an argument of `size` bytes (cut as glibc casts).
    auto store = [&](int size, std::uint64_t v) {
        switch (size) {
            case 1: *va_arg(ap, unsigned char*) = static_cast<unsigned char>(v); break;
            case 2: *va_arg(ap, unsigned short*) = static_cast<unsigned short>(v); break;
            case 4: *va_arg(ap, std::uint32_t*) = static_cast<std::uint32_t>(v); break;
            default: *va_arg(ap, std::uint64_t*) = v; break;
        }
    };

    while (*f) {
        unsigned fc = *f++;
        if (fc != '%') {
            if (is_space(int(fc))) {
                skip_space = true;
                continue;
            }
            c = get();
            if (c == EOF) goto input_error;
            if (skip_space) {
                while (is_space(c))
                    if ((c = get()) == EOF) goto input_error;
                skip_space = false;
            }
            if (c != int(fc)) {
                unget(c);
                goto out;
            }
            continue;
        }

        bool suppress = false;
        int width = 0;
        if (is_digit(*f)) {
            for (; is_digit(*f); ++f) width = width * 10 + (*f - '0');
            if (*f == '$') goto out;   // positional arguments: not supported
        } else {
            for (; *f == '*' || *f == '\'' || *f == 'I'; ++f) suppress |= *f == '*';
            for (; is_digit(*f); ++f) width = width * 10 + (*f - '0');
        }
        if (width == 0) width = -1;

        int size = int(sizeof(int));   // integer argument size; 'l' floats are double
        bool long_float = false, long_double = false;
        switch (*f++) {
            case 'h':
                size = *f == 'h' ? 1 : 2;
                if (*f == 'h') ++f;
                break;
            case 'l':
                if (*f == 'l') {
                    ++f;
                    size = 8;
                    long_double = true;
                } else {
                    size = int(sizeof(long));
                    long_float = true;
                }
                break;
            case 'q':
            case 'L': size = 8; long_double = true; break;
            case 'j': size = int(sizeof(std::intmax_t)); break;
            case 'z': size = int(sizeof(size_t)); break;
            case 't': size = int(sizeof(std::ptrdiff_t)); break;
            default: --f; break;
        }
        if (!*f) goto out;
        fc = *f++;
        if (skip_space || (fc != '[' && fc != 'c' && fc != 'C' && fc != 'n')) {
            do
                c = get();
            while (is_space(c));
            unget(c);
            skip_space = false;
        }

        switch (fc) {
            case '%':
                c = get();
                if (c == EOF) goto input_error;
                if (c != '%') {
                    unget(c);
                    goto out;
                }
                break;

            case 'n':
                if (!suppress) store(size, pos);
                break;

            case 'c': {
                if (width == -1) width = 1;
                char* str = suppress ? nullptr : va_arg(ap, char*);
                c = get();
                if (c == EOF) goto input_error;
                do
                    if (str) *str++ = char(c);
                while (--width > 0 && (c = get()) != EOF);
                if (!suppress) ++done;
                break;
            }

            case 'd':
            case 'i':
            case 'o':
            case 'u':
            case 'x':
            case 'X': {
                int base = fc == 'i' ? 0 : fc == 'o' ? 8 : (fc == 'x' || fc == 'X') ? 16 : 10;
                int count = 0;   // characters glibc would hand to strtol
                bool negative = false, sign = false, over = false;
                std::uint64_t mag = 0;
                c = get();
                if (c == EOF) goto input_error;
                if (c == '-' || c == '+') {
                    negative = c == '-';
                    sign = true;
                    ++count;
                    if (width > 0) --width;
                    c = get();
                }
                if (width != 0 && c == '0') {
                    if (width > 0) --width;
                    ++count;
                    c = get();
                    if (width != 0 && lower(c) == 'x') {
                        if (base == 0) base = 16;
                        if (base == 16) {
                            if (width > 0) --width;
                            c = get();
                        }
                    } else if (base == 0) {
                        base = 8;
                    }
                }
                if (base == 0) base = 10;
                while (c != EOF && width != 0) {
                    const int v = digit_value(c);
                    if (v >= base) break;
                    if (mag > (~std::uint64_t(0) - std::uint64_t(v)) / std::uint64_t(base))
                        over = true;
                    else
                        mag = mag * std::uint64_t(base) + std::uint64_t(v);
                    ++count;
                    if (width > 0) --width;
                    c = get();
                }
                unget(c);
                if (count == 0 || (count == 1 && sign)) goto out;
                if (!suppress) {
                    // strtol / strtoul on a 64-bit long: saturating, then cut to the argument.
                    std::uint64_t v;
                    const std::uint64_t int64_max = ~std::uint64_t(0) >> 1;
                    if (fc == 'd' || fc == 'i')
                        v = negative ? (over || mag > int64_max + 1 ? int64_max + 1 : 0 - mag)
                                     : (over || mag > int64_max ? int64_max : mag);
                    else
                        v = over ? ~std::uint64_t(0) : negative ? 0 - mag : mag;
                    store(size, v);
                    ++done;
                }
                break;
            }

            case 'e':
            case 'E':
            case 'f':
            case 'F':
            case 'g':
            case 'G':
            case 'a':
            case 'A': {
                if (long_double) goto out;   // long double: not supported
                const char* const begin = input + pos;
                int len = 0, got_sign = 0, last = 0;   // characters taken; the last one taken
                bool got_digit = false, got_dot = false, got_e = false, hexa = false;
                int exp_char = 'e';
                auto take = [&](int ch) {
                    ++len;
                    last = ch;
                };
                // The next character must be `want` (lower case) within the width.
                auto expect = [&](int want) {
                    if (width == 0 || (c = get()) == EOF || lower(c) != want) return false;
                    if (width > 0) --width;
                    take(c);
                    return true;
                };
                c = get();
                if (width > 0) --width;
                if (c == EOF) goto input_error;
                if (c == '-' || c == '+') {
                    got_sign = 1;
                    take(c);
                    if (width == 0 || (c = get()) == EOF) goto out;
                    if (width > 0) --width;
                }
                if (lower(c) == 'n') {
                    take(c);
                    if (!expect('a') || !expect('n')) goto out;
                    goto convert;
                }
                if (lower(c) == 'i') {
                    take(c);
                    if (!expect('n') || !expect('f')) goto out;
                    if (width != 0 && (c = get()) != EOF) {
                        if (lower(c) == 'i') {
                            if (width > 0) --width;
                            take(c);
                            if (!expect('n') || !expect('i') || !expect('t') || !expect('y')) goto out;
                        } else {
                            unget(c);
                        }
                    }
                    goto convert;
                }
                if (width != 0 && c == '0') {
                    take(c);
                    c = get();
                    if (width > 0) --width;
                    if (width != 0 && lower(c) == 'x') {
                        take(c);
                        hexa = true;
                        exp_char = 'p';
                        c = get();
                        if (width > 0) --width;
                    } else {
                        got_digit = true;
                    }
                }
                for (;;) {
                    if (is_digit(c) || (!got_e && hexa && digit_value(c) < 16)) {
                        take(c);
                        got_digit = true;
                    } else if (got_e && last == exp_char && (c == '-' || c == '+')) {
                        take(c);
                    } else if (got_digit && !got_e && lower(c) == exp_char) {
                        take(exp_char);
                        got_e = got_dot = true;
                    } else if (!got_dot && c == '.') {
                        take(c);
                        got_dot = true;
                    } else {
                        unget(c);
                        break;
                    }
                    if (width == 0 || (c = get()) == EOF) break;
                    if (width > 0) --width;
                }
                if (len == got_sign || (hexa && len == 2 + got_sign)) goto out;
            convert:
                char* stop;
                if (long_float) {
                    const double v = parse_as<double>(begin, begin + len, &stop, kDouble);
                    if (!suppress && stop != begin) *va_arg(ap, double*) = v;
                } else {
                    const float v = parse_as<float>(begin, begin + len, &stop, kFloat);
                    if (!suppress && stop != begin) *va_arg(ap, float*) = v;
                }
                if (stop == begin) goto out;
                if (!suppress) ++done;
                break;
            }

            default:   // %s, %[, %p, %C, %S and anything unknown: not supported
                goto out;
        }
    }
out:
    va_end(ap);
    return done;
input_error:
    va_end(ap);
    return done == 0 ? EOF : done;
}

}   // namespace grove::small_scan

#ifdef __EMSCRIPTEN__
// The C library's names, in the wasm build only: defined here, musl's strtod.o, sscanf.o,
// vsscanf.o, vfscanf.o and floatscan.o are never linked. strtold has to be here too, or the
// linker takes musl's strtod.o for it (libc++'s string.o refers to it for std::stold) and finds
// strtod twice; nothing in the module parses a long double (LTO drops std::stold and this), so
// it stops the module rather than answer with less than long double's precision.
#include <cstdlib>   // strtod, strtof, strtold (their declarations), abort

extern "C" {
double strtod(const char* text, char** end) { return grove::small_scan::to_double(text, end); }
float strtof(const char* text, char** end) { return grove::small_scan::to_float(text, end); }
long double strtold(const char*, char**) { std::abort(); }
int vsscanf(const char* input, const char* format, va_list args) { return grove::small_scan::scan(input, format, args); }
int sscanf(const char* input, const char* format, ...) {
    va_list args;
    va_start(args, format);
    const int n = grove::small_scan::scan(input, format, args);
    va_end(args);
    return n;
}
}
#endif

#include "grove/validation.hpp"

#include <algorithm>   // std::count

#include "grove/utf8.hpp"

namespace grove {

namespace {

bool all_of_charset(std::string_view s, std::size_t max_len, bool (*ok)(char)) {
    if (s.empty() || s.size() > max_len) return false;
    for (char c : s)
        if (!ok(c)) return false;
    return true;
}

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool id_char(char c) { return is_alnum(c) || c == '_' || c == '-'; }
bool module_char(char c) { return id_char(c) || c == '.' || c == ':'; }

// U+0000 is valid UTF-8 but no text a person writes, and PostgreSQL's text cannot hold it: refused
// the same way whichever engine stores the text. (One-line fields refuse every control character.)
std::optional<ApiError> refuse_nul(std::string_view raw, const char* field) {
    if (raw.find('\0') == std::string_view::npos) return std::nullopt;
    return ApiError::invalid_field(field, "The text contains a NUL character (U+0000), which cannot be stored.");
}

bool printable_text(std::string_view s, std::size_t max_code_points) {
    if (s.empty() || !is_valid_utf8(s)) return false;
    const std::size_t n = count_code_points(s);
    if (n > max_code_points) return false;
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7F) return false;
    return true;
}

}  // namespace

bool is_valid_post_id(std::string_view id) { return all_of_charset(id, 64, id_char); }
bool is_valid_module_key(std::string_view key) { return all_of_charset(key, 128, module_char); }
bool is_valid_user_id(std::string_view id) { return printable_text(id, 128); }
bool is_valid_display_name(std::string_view name) { return printable_text(name, 100); }

Expected<std::string> validate_body(std::string_view raw, std::size_t max_code_points) {
    if (!is_valid_utf8(raw)) return ApiError::invalid_utf8("The text is not valid UTF-8.");
    if (auto nul = refuse_nul(raw, "body")) return *nul;
    std::string body = trim(raw);
    if (body.empty()) return ApiError::empty("body", "Write something before posting.");
    const std::size_t n = count_code_points(body);
    if (n > max_code_points)
        return ApiError::too_long("body", "Posts are limited to " + std::to_string(max_code_points) +
                                              " characters; this one has " + std::to_string(n) + ".");
    return body;
}

Expected<Kind> validate_kind(std::string_view text, Role role) {
    const auto kind = kind_from_string(text);
    if (!kind)
        return ApiError::invalid_field("kind",
                                       "The kind must be insight, question, tip, leader_learning, resource or commitment.");
    if (!can_post_kind(role, *kind))
        return ApiError::forbidden("Only leaders can post leader learnings.");
    return *kind;
}

std::optional<ApiError> check_body_for_kind(Kind kind, std::string_view body) {
    if (kind == Kind::resource && find_http_urls(body).empty())
        return ApiError::invalid_field("body", "A suggested resource needs its address: include a link starting with "
                                               "http:// or https://.");
    return std::nullopt;
}

// -- Links ---------------------------------------------------------------------------------

namespace {

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// "http://" or "https://" at the start of s, in any case: the scheme's length with "://", or 0.
std::size_t scheme_length(std::string_view s) {
    auto starts = [&](std::string_view prefix) {
        if (s.size() < prefix.size()) return false;
        for (std::size_t i = 0; i < prefix.size(); ++i)
            if (ascii_lower(s[i]) != prefix[i]) return false;
        return true;
    };
    if (starts("http://")) return 7;
    if (starts("https://")) return 8;
    return 0;
}

// Characters that end an address in text, and that an address may never hold.
bool url_stop(std::uint32_t cp) {
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || is_unicode_space(cp) || cp == '"' || cp == '<' ||
           cp == '>' || cp == '\\' || cp == '`';
}

// The authority after the scheme: [host](:port), no user name. Returns the host, or nothing.
std::optional<std::string_view> parse_authority(std::string_view authority) {
    if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
    std::string_view host = authority, port;
    if (authority[0] == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos || close < 3) return std::nullopt;
        for (char c : authority.substr(1, close - 1))
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.'))
                return std::nullopt;
        host = authority.substr(0, close + 1);
        const std::string_view rest = authority.substr(close + 1);
        if (!rest.empty()) {
            if (rest[0] != ':') return std::nullopt;
            port = rest.substr(1);
            if (port.empty()) return std::nullopt;
        }
    } else {
        const std::size_t colon = authority.find(':');
        if (colon != std::string_view::npos) {
            host = authority.substr(0, colon);
            port = authority.substr(colon + 1);
            if (port.empty()) return std::nullopt;
        }
        // Labels of letters, digits and '-' (non-ASCII letters allowed), separated by single dots.
        if (host.empty() || host.front() == '.' || host.back() == '.') return std::nullopt;
        char previous = '.';
        for (char c : host) {
            const auto u = static_cast<unsigned char>(c);
            const bool label_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                    c == '-' || u >= 0x80;
            if (!label_char && !(c == '.' && previous != '.')) return std::nullopt;
            previous = c;
        }
    }
    if (!port.empty()) {
        if (port.size() > 5) return std::nullopt;
        long n = 0;
        for (char c : port) {
            if (c < '0' || c > '9') return std::nullopt;
            n = n * 10 + (c - '0');
        }
        if (n > 65535) return std::nullopt;
    }
    return host;
}

std::optional<std::string_view> http_url_host(std::string_view text) {
    const std::size_t scheme = scheme_length(text);
    if (scheme == 0 || !is_valid_utf8(text) || count_code_points(text) > kMaxUrlCodePoints) return std::nullopt;
    std::uint32_t cp;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = decode_code_point(text, i, cp);
        if (n == 0 || url_stop(cp)) return std::nullopt;
        i += n;
    }
    std::size_t end = text.find_first_of("/?#", scheme);
    if (end == std::string_view::npos) end = text.size();
    return parse_authority(text.substr(scheme, end - scheme));
}

}  // namespace

bool is_http_url(std::string_view text) { return http_url_host(text).has_value(); }

std::string url_host(std::string_view url) {
    const auto host = http_url_host(url);
    if (!host) return {};
    std::string out(*host);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

namespace {

// "www." at the start of s, in any case.
bool starts_www(std::string_view s) {
    return s.size() >= 4 && ascii_lower(s[0]) == 'w' && ascii_lower(s[1]) == 'w' && ascii_lower(s[2]) == 'w' &&
           s[3] == '.';
}

// The one scanner behind find_http_urls and find_links: http(s) addresses, and with `www` also
// addresses written "www.host.tld..." (opened as https://).
std::vector<TextLink> scan_links(std::string_view text, bool www) {
    std::vector<TextLink> spans;
    if (!is_valid_utf8(text)) return spans;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t at = text.find_first_of(www ? "hHwW" : "hH", i);
        if (at == std::string_view::npos) break;
        const bool boundary = at == 0 || !is_alnum(text[at - 1]);   // "«https://" yes, "xhttps://" no
        const bool scheme = boundary && scheme_length(text.substr(at)) != 0;
        // "www." only where a host can start: not "x.www.", "me@www.", "/www." or "-www.".
        const bool bare = www && boundary && !scheme && starts_www(text.substr(at)) &&
                          (at == 0 || (text[at - 1] != '.' && text[at - 1] != '@' && text[at - 1] != '/' &&
                                       text[at - 1] != '-' && text[at - 1] != '_' && text[at - 1] != ':'));
        if (!scheme && !bare) {
            i = at + 1;
            continue;
        }
        // The run up to white space or a character that cannot be in an address.
        std::size_t end = at;
        std::uint32_t cp;
        while (end < text.size()) {
            const std::size_t n = decode_code_point(text, end, cp);
            if (n == 0 || url_stop(cp)) break;
            end += n;
        }
        // Punctuation that ends the sentence is not part of the address; a closing bracket only
        // when the address has no matching opening one ("(see https://x.example/a_(b))").
        while (end > at) {
            // Closing quotes and full stops of other scripts: », ”, ’, ›, 、, 。, 」, 』, ！, ，, ？
            std::size_t last = end - 1;
            while (last > at && (static_cast<unsigned char>(text[last]) & 0xC0) == 0x80) --last;
            if (decode_code_point(text, last, cp) && last + 1 < end &&
                (cp == 0xBB || cp == 0x201D || cp == 0x2019 || cp == 0x203A || cp == 0x3001 || cp == 0x3002 ||
                 cp == 0x300D || cp == 0x300F || cp == 0xFF01 || cp == 0xFF0C || cp == 0xFF1F)) {
                end = last;
                continue;
            }
            const char c = text[end - 1];
            if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' || c == '*') {
                --end;
                continue;
            }
            if (c == ')' || c == ']' || c == '}') {
                const char open = c == ')' ? '(' : c == ']' ? '[' : '{';
                const std::string_view run = text.substr(at, end - at);
                if (std::count(run.begin(), run.end(), open) < std::count(run.begin(), run.end(), c)) {
                    --end;
                    continue;
                }
            }
            break;
        }
        const std::string_view candidate = text.substr(at, end - at);
        std::string url = scheme ? std::string(candidate) : "https://" + std::string(candidate);
        const auto host = http_url_host(url);
        // A bare "www." needs a name and a top-level domain after it ("www.example.com", not "www.x").
        const bool host_ok = host && (scheme || std::count(host->begin(), host->end(), '.') >= 2);
        if (host_ok) spans.push_back(TextLink{TextSpan{at, candidate.size()}, std::move(url)});
        i = end > at ? end : at + 1;
    }
    return spans;
}

}  // namespace

std::vector<TextSpan> find_http_urls(std::string_view text) {
    std::vector<TextSpan> spans;
    for (TextLink& l : scan_links(text, false)) spans.push_back(l.span);
    return spans;
}

std::vector<TextLink> find_links(std::string_view text) { return scan_links(text, true); }

// -- Single fields ---------------------------------------------------------------------------

namespace {
// "module_title" -> "The module title is", "details" -> "The details are": for messages people read.
std::string the(const char* field) {
    std::string s = std::string("The ") + field;
    for (char& c : s)
        if (c == '_') c = ' ';
    return s;
}
std::string the_is(const char* field) { return the(field) + (the(field).back() == 's' ? " are" : " is"); }
}  // namespace

Expected<std::string> validate_title(std::string_view raw, const char* field, std::size_t max_code_points) {
    if (!is_valid_utf8(raw)) return ApiError::invalid_utf8("The text is not valid UTF-8.");
    std::string text = trim(raw);
    if (text.empty()) return ApiError::empty(field, the(field) + " cannot be empty.");
    const std::size_t n = count_code_points(text);
    if (n > max_code_points)
        return ApiError::too_long(field, the_is(field) + " limited to " +
                                             std::to_string(max_code_points) + " characters; this one has " +
                                             std::to_string(n) + ".");
    for (unsigned char c : text)
        if (c < 0x20 || c == 0x7F)
            return ApiError::invalid_field(field, the(field) + " must be one line of text, without control characters.");
    return text;
}

Expected<std::string> validate_note(std::string_view raw, const char* field, std::size_t max_code_points) {
    if (!is_valid_utf8(raw)) return ApiError::invalid_utf8("The text is not valid UTF-8.");
    if (auto nul = refuse_nul(raw, field)) return *nul;
    std::string text = trim(raw);
    const std::size_t n = count_code_points(text);
    if (n > max_code_points)
        return ApiError::too_long(field, the_is(field) + " limited to " +
                                             std::to_string(max_code_points) + " characters; this one has " +
                                             std::to_string(n) + ".");
    return text;
}

Expected<std::string> validate_url(std::string_view raw) {
    if (!is_valid_utf8(raw)) return ApiError::invalid_utf8("The text is not valid UTF-8.");
    std::string url = trim(raw);
    if (count_code_points(url) > kMaxUrlCodePoints)
        return ApiError::invalid_field("url", "The address is longer than 2048 characters.");
    if (!is_http_url(url))
        return ApiError::invalid_field("url", "The address must be a web address starting with http:// or https:// "
                                              "(with no spaces and no user name before the host).");
    return url;
}

Expected<ResourceFields> validate_resource_fields(std::string_view title, std::string_view url,
                                                  std::string_view note) {
    auto t = validate_title(title, "title", kMaxResourceTitleCodePoints);
    if (!t) return t.error();
    auto u = validate_url(url);
    if (!u) return u.error();
    auto n = validate_note(note, "note", kMaxResourceNoteCodePoints);
    if (!n) return n.error();
    return ResourceFields{std::move(t).value(), std::move(u).value(), std::move(n).value()};
}

Expected<FlagText> validate_flag(std::string_view reason, std::string_view details) {
    auto r = validate_note(reason, "reason", kMaxFlagReasonCodePoints);
    if (!r) return r.error();
    auto d = validate_note(details, "details", kMaxFlagDetailsCodePoints);
    if (!d) return d.error();
    return FlagText{std::move(r).value(), std::move(d).value()};
}

}  // namespace grove

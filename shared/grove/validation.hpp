// Input rules shared by the server (which enforces them) and the widget (which applies them
// before it queues a write, so a person learns at once why a post cannot be sent).
#pragma once

#include <cstddef>   // std::size_t
#include <optional>  // std::optional
#include <string>    // std::string
#include <string_view>
#include <vector>    // std::vector

#include "grove/expected.hpp"
#include "grove/post.hpp"

namespace grove {

bool is_valid_post_id(std::string_view id);        // 1..64 of A-Z a-z 0-9 _ -
bool is_valid_module_key(std::string_view key);    // 1..128 of A-Z a-z 0-9 . _ : -
bool is_valid_user_id(std::string_view id);        // 1..128 code points, valid UTF-8, no control chars
bool is_valid_display_name(std::string_view name); // 1..100 code points, valid UTF-8, no control chars

// Trims the body and checks it holds 1..max_code_points code points. Errors name field "body".
Expected<std::string> validate_body(std::string_view raw, std::size_t max_code_points = kDefaultMaxBodyCodePoints);
// The kind must exist and the role must be allowed to post it. Errors name field "kind".
Expected<Kind> validate_kind(std::string_view kind, Role role);

constexpr std::size_t kMaxFlagReasonCodePoints = 500;
constexpr std::size_t kMaxFlagDetailsCodePoints = 500;   // what else a flagger tells the curators
constexpr std::size_t kMaxModuleTitleCodePoints = 120;
constexpr std::size_t kMaxResourceTitleCodePoints = 120;
constexpr std::size_t kMaxResourceNoteCodePoints = 280;
constexpr std::size_t kMaxUrlCodePoints = 2048;
constexpr std::size_t kMaxOutcomeNoteCodePoints = 280;

// Rules that depend on the kind: a `resource` post's body holds at least one http(s) URL
// (422 invalid_field, field "body"). The body is already trimmed and within its length.
std::optional<ApiError> check_body_for_kind(Kind kind, std::string_view body);

// -- Links ---------------------------------------------------------------------------------
// An http(s) address Grove accepts as a link (a resource's url, a link in a post): the scheme
// http:// or https:// (any case), a host of letters, digits, '-' and '.' (or non-ASCII letters,
// or an [IPv6] literal), an optional :port, then anything but white space, control characters,
// '"', '<', '>', '\' and '`'; at most 2048 code points. Refused on purpose: user names before
// the host ("https://bank.example@evil.example" shows one host and opens another), other schemes.
bool is_http_url(std::string_view text);
// The host of an address is_http_url accepts, lowercased ASCII ("Example.COM" -> "example.com"),
// for showing "the link's domain"; empty for anything else.
std::string url_host(std::string_view url);

struct TextSpan {
    std::size_t offset = 0;   // bytes into the text
    std::size_t length = 0;
};
// Every http(s) address in a text, in order: starting at "http://" or "https://" not right after
// an ASCII letter or digit, ending before white space or '<', '>', '"' (and before trailing punctuation
// such as ".", ",", ")" that closes the sentence rather than the address).
std::vector<TextSpan> find_http_urls(std::string_view text);
// What becomes a link in a post: every find_http_urls address, and addresses written without a
// scheme starting "www." (any case, where a host can start: not after '.', '@', '/', '-', '_',
// ':' or a letter or digit; "www.name.tld" at least, same ending rules). `url` is what opens:
// the text itself, or "https://" + the text for a "www." one.
struct TextLink {
    TextSpan span;
    std::string url;
};
std::vector<TextLink> find_links(std::string_view text);

// -- Single fields ---------------------------------------------------------------------------
// A one-line title: trimmed, 1..max code points, no control characters. Errors name `field`
// (422 empty, too_long, invalid_field; 400 invalid_utf8).
Expected<std::string> validate_title(std::string_view raw, const char* field, std::size_t max_code_points);
// Free text that may be empty: trimmed, at most max code points. Errors name `field`.
Expected<std::string> validate_note(std::string_view raw, const char* field, std::size_t max_code_points);
// A resource's url: trimmed, is_http_url. Errors: 422 invalid_field, field "url".
Expected<std::string> validate_url(std::string_view raw);

// A shelf resource's fields as a curator writes them: title (1..120 code points), url
// (validate_url) and note (0..280), each trimmed. The widget checks with this before it queues
// an add or an edit; the server when a create arrives. Errors name the field.
struct ResourceFields {
    std::string title;
    std::string url;
    std::string note;
};
Expected<ResourceFields> validate_resource_fields(std::string_view title, std::string_view url,
                                                  std::string_view note);

// A flag's words: the reason and the details, each trimmed and at most 500 code points, both
// optional. Errors name "reason" or "details". The widget checks with this before it queues a
// flag; the server with it when one arrives.
struct FlagText {
    std::string reason;
    std::string details;
};
Expected<FlagText> validate_flag(std::string_view reason, std::string_view details);

}  // namespace grove

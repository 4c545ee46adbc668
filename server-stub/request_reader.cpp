#include "request_reader.hpp"

#include <boost/asio/buffer.hpp>             // boost::asio::buffer
#include <boost/beast/http/empty_body.hpp>   // the head, before we know whether a body follows
#include <boost/beast/http/error.hpp>        // http::error::need_more, body_limit, header_limit
#include <boost/beast/http/parser.hpp>       // http::request_parser
#include <boost/beast/http/string_body.hpp>  // the body, up to the limit
#include <boost/optional.hpp>                // boost::optional: Beast's parsers cannot be reassigned

#include <limits>    // std::numeric_limits
#include <utility>   // std::move

namespace grove {

namespace http = boost::beast::http;

struct RequestReader::Parsers {
    boost::optional<http::request_parser<http::empty_body>> head;
    boost::optional<http::request_parser<http::string_body>> body;
};

namespace {

// The method, target and "HTTP/1.1" with its two spaces; any longer request line has a URL
// over the limit (methods are short), so it is 414 before the line has even ended.
constexpr std::size_t kRequestLineSlack = 64;

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool takes_body(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

ApiError bad(std::string message) { return ApiError::bad_request(std::move(message)); }

ApiError uri_too_long() { return ApiError{414, "uri_too_long", "The URL is longer than 8 KiB.", {}}; }

ApiError headers_too_large() {
    return ApiError{431, "headers_too_large", "The request's URL and headers are larger than 64 KiB.", {}};
}

std::string view(boost::beast::string_view s) { return std::string(s.data(), s.size()); }

}  // namespace

RequestReader::RequestReader(RequestLimits limits) : limits_(limits) {}
RequestReader::~RequestReader() = default;
RequestReader::RequestReader(RequestReader&&) noexcept = default;
RequestReader& RequestReader::operator=(RequestReader&&) noexcept = default;

void RequestReader::reset() {
    parsers_.reset();   // an idle connection keeps no parser
    request_ = HttpRequest{};
    state_ = State::idle;
    scanned_ = line_start_ = head_end_ = 0;
    first_line_ = true;
    wants_continue_ = continue_sent_ = false;
}

void RequestReader::refuse(ApiError error) {
    refusal_ = std::move(error);
    state_ = State::refused;
    parsers_.reset();
}

HttpRequest RequestReader::take() {
    HttpRequest r = std::move(request_);
    reset();
    return r;
}

std::size_t RequestReader::feed(std::string_view bytes) {
    switch (state_) {
        case State::idle:
        case State::head: return feed_head(bytes);
        case State::body: return feed_body(bytes);
        case State::complete:
        case State::refused: return 0;
    }
    return 0;
}

bool RequestReader::screen_lines(std::string_view b) {
    for (std::size_t i = scanned_; i < b.size(); ++i) {
        const char c = b[i];
        if (c == '\r') {
            if (i + 1 == b.size()) {   // what follows decides
                scanned_ = i;
                return false;
            }
            if (b[i + 1] != '\n') {
                refuse(bad("A line of the request head ends in a CR without LF."));
                return false;
            }
            continue;
        }
        if (c == '\n') {
            if (i == 0 || b[i - 1] != '\r') {
                refuse(bad("A line of the request head ends in a bare LF; lines must end in CRLF."));
                return false;
            }
            const std::size_t length = i - 1 - line_start_;
            if (first_line_) {
                first_line_ = false;
            } else if (length == 0) {
                head_end_ = i + 1;
                scanned_ = head_end_;
                if (head_end_ > limits_.max_head) {
                    refuse(headers_too_large());
                    return false;
                }
                return true;
            } else if (b[line_start_] == ' ' || b[line_start_] == '\t') {
                refuse(bad("A header line is folded onto the one before (obs-fold); send each header on one line."));
                return false;
            }
            line_start_ = i + 1;
            continue;
        }
        const std::size_t length = i + 1 - line_start_;
        if (first_line_ && length > limits_.max_target + kRequestLineSlack) {
            refuse(uri_too_long());
            return false;
        }
        if (!first_line_ && length > limits_.max_line) {
            refuse(bad("A header line is longer than 8 KiB."));
            return false;
        }
        if (i + 1 > limits_.max_head) {
            refuse(headers_too_large());
            return false;
        }
    }
    scanned_ = b.size();
    return false;
}

std::size_t RequestReader::feed_head(std::string_view b) {
    if (state_ == State::idle) {
        // Empty lines before a request line are ignored (RFC 9112, 2.2).
        if (b.size() >= 2 && b[0] == '\r' && b[1] == '\n') return 2;
        if (b.empty() || (b.size() == 1 && b[0] == '\r')) return 0;
        state_ = State::head;
    }
    if (!screen_lines(b)) return 0;

    if (!parsers_) parsers_ = std::make_unique<Parsers>();
    parsers_->head.emplace();
    auto& head = *parsers_->head;
    head.header_limit(static_cast<std::uint32_t>(limits_.max_head + 1));
    // The limit is ours to answer (413) from the head alone. (Not boost::none: Beast 1.74 then
    // compares every Content-Length as greater than "no limit" and refuses it.)
    head.body_limit(std::numeric_limits<std::uint64_t>::max());
    head.eager(false);
    boost::beast::error_code ec;
    const std::size_t used = head.put(boost::asio::buffer(b.data(), head_end_), ec);
    if (ec == http::error::header_limit) {
        refuse(headers_too_large());
    } else if (ec == http::error::bad_content_length) {
        refuse(bad("The Content-Length header is not one whole number."));
    } else if (ec == http::error::bad_transfer_encoding) {
        refuse(bad("A request cannot have both Content-Length and Transfer-Encoding, or 'chunked' twice."));
    } else if (ec || used != head_end_ || !head.is_header_done()) {
        refuse(bad("The request could not be read (" + (ec ? ec.message() : std::string("incomplete head")) + ")."));
    } else {
        parsed_head();
    }
    return head_end_;
}

void RequestReader::parsed_head() {
    auto& head = *parsers_->head;
    const auto& msg = head.get();
    request_.method = view(msg.method_string());
    request_.target = view(msg.target());
    request_.version = msg.version();
    request_.keep_alive = msg.keep_alive();
    std::size_t hosts = 0, lengths = 0, encodings = 0;
    std::string length_value, encoding_value, expect_value;
    bool expect = false;
    for (const auto& field : msg) {
        std::string name = view(field.name_string());
        std::string value = view(field.value());
        if (iequals(name, "Host")) ++hosts;
        if (iequals(name, "Content-Length")) ++lengths, length_value = value;
        if (iequals(name, "Transfer-Encoding")) ++encodings, encoding_value = value;
        if (iequals(name, "Expect")) expect = true, expect_value = value;
        request_.headers.emplace(std::move(name), std::move(value));
    }

    if (request_.target.size() > limits_.max_target) return refuse(uri_too_long());
    if (hosts > 1) return refuse(bad("The request has more than one Host header."));
    if (hosts == 0 && request_.version >= 11) return refuse(bad("An HTTP/1.1 request needs a Host header."));
    // Request smuggling: only framing every proxy reads the same way.
    if (lengths > 1) return refuse(bad("The request has more than one Content-Length header."));
    if (encodings > 1 || (encodings == 1 && !iequals(trimmed(encoding_value), "chunked")))
        return refuse(bad("The only Transfer-Encoding this server reads is 'chunked'."));
    if (encodings == 1 && lengths == 1) return refuse(bad("A request cannot have both Content-Length and Transfer-Encoding."));
    std::uint64_t length = 0;
    if (lengths == 1) {
        const std::string_view v = trimmed(length_value);
        if (v.empty() || v.size() > 18) return refuse(bad("The Content-Length header is not one whole number."));
        for (char c : v) {
            if (c < '0' || c > '9') return refuse(bad("The Content-Length header is not one whole number."));
            length = length * 10 + static_cast<std::uint64_t>(c - '0');
        }
    }
    if (length > limits_.max_body) return refuse(ApiError::payload_too_large());
    const bool body_follows = encodings == 1 || length > 0;
    // Methods whose bodies nobody reads: one left in the stream would be taken for the next request.
    if (body_follows && !takes_body(request_.method))
        return refuse(bad("A " + request_.method + " request cannot have a body."));
    if (expect) {
        if (!iequals(trimmed(expect_value), "100-continue"))
            return refuse(ApiError{417, "expectation_failed", "The only Expect this server knows is 100-continue.", {}});
        wants_continue_ = body_follows;
    }
    if (!body_follows || head.is_done()) {
        state_ = State::complete;
        parsers_.reset();
        return;
    }
    parsers_->body.emplace(std::move(head));
    parsers_->head.reset();
    parsers_->body->body_limit(limits_.max_body);
    parsers_->body->eager(true);
    state_ = State::body;
}

std::size_t RequestReader::feed_body(std::string_view b) {
    auto& body = *parsers_->body;
    std::size_t total = 0;
    while (total < b.size() && !body.is_done()) {
        boost::beast::error_code ec;
        const std::size_t n = body.put(boost::asio::buffer(b.data() + total, b.size() - total), ec);
        total += n;
        if (ec == http::error::need_more) break;
        if (ec == http::error::body_limit) {
            refuse(ApiError::payload_too_large());
            return total;
        }
        if (ec) {
            refuse(bad("The request body could not be read (" + ec.message() + ")."));
            return total;
        }
        if (n == 0) break;
    }
    if (body.is_done()) {
        request_.body = body.release().body();
        parsers_.reset();
        state_ = State::complete;
    }
    return total;
}

}  // namespace grove

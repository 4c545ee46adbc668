// RequestReader: the bytes of one HTTP/1.1 request in, a request or a refusal out; no sockets.
//
// Boost.Beast's parser does the parsing. Before it sees a request head, the reader screens the
// raw lines for what Beast 1.74 would accept but a proxy in front could read differently, or
// what would only end in a timeout:
//   - a line ending in a bare LF, or a bare CR: 400 (Beast never finds the end of such a head);
//   - an obs-folded header line (starting with a space or tab): 400 (Beast joins it);
//   - a request line longer than the URL limit: 414, as soon as it is that long;
//   - a header line over 8 KiB: 400; the whole head over 64 KiB: 431.
// After Beast has parsed the head, the framing is checked (request smuggling): one
// Content-Length of digits only (Beast takes "5, 5", and refuses "%35"), a Transfer-Encoding of
// exactly "chunked" and not both; a body only on methods that take one; at most one Host, and
// one on every HTTP/1.1 request; Expect only as 100-continue. A Content-Length over the body
// limit is 413 before any byte of the body is read; a chunked body is read up to the limit.
// Every refusal closes the connection: the stream can no longer be trusted.
// The connection (http_connection.cpp) feeds bytes as they arrive; tests/fuzz/fuzz_http_request
// feeds it everything at once and in pieces and checks that both agree.
#pragma once

#include <cstddef>   // std::size_t
#include <memory>    // std::unique_ptr
#include <string>    // std::string
#include <string_view>

#include "api/api_router.hpp"   // ApiHeaders
#include "grove/errors.hpp"     // ApiError

namespace grove {

struct RequestLimits {
    std::size_t max_target = 8 * 1024;     // URL (path and query)
    std::size_t max_line = 8 * 1024;       // one header line
    std::size_t max_head = 64 * 1024;      // request line and headers together
    std::size_t max_body = kMaxRequestBodyBytes;
};

struct HttpRequest {
    std::string method;
    std::string target;        // as sent: path and query, percent-encoded
    unsigned version = 11;     // 10 or 11
    ApiHeaders headers;
    std::string body;
    bool keep_alive = true;
};

class RequestReader {
public:
    enum class State {
        idle,          // no byte of a request yet
        head,          // part of the head has arrived
        body,          // the head is in; the body is being read
        complete,      // take() the request
        refused,       // refusal() says why; close the connection after answering
    };

    explicit RequestReader(RequestLimits limits = {});
    ~RequestReader();
    RequestReader(RequestReader&&) noexcept;
    RequestReader& operator=(RequestReader&&) noexcept;

    // Reads what it can of `bytes` (what arrived and is not consumed yet) and returns how many
    // it consumed. Nothing of the head is consumed until all of it is there, so the caller keeps
    // unconsumed bytes and passes them again with more; bytes after a complete request stay
    // unconsumed (the next request, pipelined).
    std::size_t feed(std::string_view bytes);

    State state() const { return state_; }
    // In state body: the client asked to be told to go on (Expect: 100-continue) and has not been yet.
    bool wants_continue() const { return wants_continue_ && !continue_sent_; }
    void continue_sent() { continue_sent_ = true; }
    // In state refused: the error to answer (status 400, 413, 414, 417 or 431).
    const ApiError& refusal() const { return refusal_; }
    // What is known of the refused or unfinished request, for an answer with the right headers
    // (CORS needs Origin) or a log line; may be partly empty.
    const HttpRequest& partial() const { return request_; }
    // In state complete: the request; the reader is then idle, ready for the next one.
    HttpRequest take();

    const RequestLimits& limits() const { return limits_; }

private:
    std::size_t feed_head(std::string_view bytes);
    std::size_t feed_body(std::string_view bytes);
    bool screen_lines(std::string_view bytes);   // false: refused, or the head is not all there
    void parsed_head();
    void refuse(ApiError error);
    void reset();

    struct Parsers;
    RequestLimits limits_;
    State state_ = State::idle;
    std::unique_ptr<Parsers> parsers_;
    HttpRequest request_;
    ApiError refusal_;
    // Line screening of the unconsumed head (offsets into the bytes passed to feed()).
    std::size_t scanned_ = 0;      // bytes already screened
    std::size_t line_start_ = 0;   // where the line being screened starts
    bool first_line_ = true;
    std::size_t head_end_ = 0;     // just after the empty line; 0 until it has arrived
    bool wants_continue_ = false;
    bool continue_sent_ = false;
};

}  // namespace grove

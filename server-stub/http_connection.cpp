#include "http_connection.hpp"

#include <boost/asio/post.hpp>               // boost::asio::post
#include <boost/asio/write.hpp>              // boost::asio::async_write
#include <boost/beast/core/buffers_range.hpp> // buffers_range_ref
#include <boost/beast/http/chunk_encode.hpp> // make_chunk, make_chunk_last
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>        // http::async_write, async_write_header

#include <algorithm>   // std::min, std::max
#include <cerrno>      // errno
#include <cstdio>      // std::fprintf
#include <optional>    // std::optional

#include <sys/sendfile.h>   // sendfile
#include <sys/socket.h>     // send, MSG_MORE, MSG_NOSIGNAL

#include "compression.hpp"   // gzip_compress, accepts_gzip, compressible
#include "grove/wire.hpp"   // Json, dump

namespace grove {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Clock = HttpConnection::Clock;

namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kReadCap = 128 * 1024;   // unparsed bytes held at most (the head limit is 64 KiB)
constexpr std::chrono::milliseconds kLinger{2000};
constexpr std::size_t kLingerBytes = 256 * 1024;   // a client still sending more than this is cut off
constexpr std::chrono::milliseconds kRefusalWrite{2000};
const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::int64_t unix_ms() { return system_unix_ms(); }

ApiRequest to_api(HttpRequest r) {
    ApiRequest a;
    a.method = std::move(r.method);
    const auto q = r.target.find('?');
    a.path = r.target.substr(0, q);
    if (q != std::string::npos) a.query = r.target.substr(q + 1);
    a.headers = std::move(r.headers);
    a.body = std::move(r.body);
    return a;
}

// "127.0.0.1:8080", "localhost", "[::1]:8080" -> whether it names this machine.
bool loopback_host(std::string host) {
    if (host.empty()) return false;
    if (host.front() == '[') {
        const auto close = host.find(']');
        if (close == std::string::npos) return false;
        host = host.substr(1, close - 1);
    } else if (const auto colon = host.rfind(':'); colon != std::string::npos && host.find(':') == colon) {
        host = host.substr(0, colon);
    }
    for (char& c : host)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (!host.empty() && host.back() == '.') host.pop_back();
    return is_loopback_address(host);
}

template <class Message>
void fill(Message& m, const ApiResponse& res, unsigned version) {
    m.version(version);
    m.result(static_cast<unsigned>(res.status));
    for (const auto& [name, value] : res.headers) m.insert(name, value);
}

// A client that reuses an idle connection at the moment the server closes it sees "other side
// closed" (a request in flight on a dead socket; only some clients retry). Clients that read
// the Keep-Alive hint (undici, Node's fetch) stop reusing a connection a second or two before
// the hinted time, so the hint is the idle timeout minus a margin: they give up well before
// the server does, even on a busy machine. Clients that ignore it (browsers) retry a request
// that failed on a reused connection.
std::string keep_alive_hint(int idle_timeout_s) {
    const int margin = std::max(2, idle_timeout_s / 3);
    return "timeout=" + std::to_string(std::max(1, idle_timeout_s - margin));
}

// The bytes of a header, as Beast writes them.
std::string header_bytes(http::response<http::empty_body>& m) {
    http::response_serializer<http::empty_body> sr(m);
    sr.split(true);
    std::string out;
    boost::system::error_code ec;
    while (!ec && !sr.is_header_done()) {
        sr.next(ec, [&](boost::system::error_code&, const auto& buffers) {
            std::size_t n = 0;
            for (const auto b : boost::beast::buffers_range_ref(buffers)) {
                out.append(static_cast<const char*>(b.data()), b.size());
                n += b.size();
            }
            sr.consume(n);
        });
    }
    return out;
}

// Connection: keep-alive with the Keep-Alive hint, or Connection: close.
template <class Message>
void keep_or_close(Message& m, bool keep, const std::string& hint) {
    m.keep_alive(keep);
    if (keep) m.set(http::field::keep_alive, hint);
}

bool has_no_body(int status) { return status == 204 || status == 304 || (status >= 100 && status < 200); }

// Whether an answer is one that gzip applies to: a body of a compressible type and size, not
// already encoded, not a stream.
bool gzip_applies(const ApiResponse& res) {
    if (res.stream || has_no_body(res.status) || !res.header("Content-Encoding").empty()) return false;
    return compressible(res.header("Content-Type"), res.shared_body ? res.shared_body->bytes().size() : res.body.size());
}

// Whether encode() would compress something now: an answer's own body, or a shared body whose
// gzip form is not made yet.
bool gzip_to_make(const ApiResponse& res, bool gzip_ok) {
    return gzip_ok && !(res.shared_body && res.shared_body->has_gzip()) && gzip_applies(res);
}

// Makes an API answer gzip for a client that takes it, and says that the answer varies with
// Accept-Encoding. An answer's own body is compressed here (called on a worker); a shared body's
// gzip form is made once for every request that shares it, and answer() sends it.
void encode(ApiResponse& res, bool gzip_ok) {
    if (!gzip_applies(res)) return;
    res.headers.emplace("Vary", "Accept-Encoding");
    if (!gzip_ok) return;
    if (res.shared_body) res.shared_body->gzip();
    else res.body = gzip_compress(res.body, kOneOffGzipLevel);
    res.headers.emplace("Content-Encoding", "gzip");
}

}  // namespace

// -- [SECTION] Registry and shared state ------------------------------------------------------

HttpShared::HttpShared(const ServerOptions& o, ApiRouter& a, asio::thread_pool& r, asio::thread_pool& w)
    : options(o),
      api(a),
      readers(r),
      writers(w),
      site{o.widget_dir, o.site_dir},
      request_timeout(std::chrono::seconds(o.request_timeout_s)),
      idle_timeout(std::chrono::seconds(o.idle_timeout_s)),
      ping_interval(std::chrono::seconds(o.ping_interval_s)),
      keep_alive_hint(grove::keep_alive_hint(o.idle_timeout_s)) {}

void ConnectionRegistry::add(const std::shared_ptr<HttpConnection>& c) {
    std::lock_guard lock(mutex_);
    connections_.emplace(c.get(), c);
}

void ConnectionRegistry::remove(HttpConnection* c) {
    std::function<void()> done;
    {
        std::lock_guard lock(mutex_);
        connections_.erase(c);
        if (connections_.empty() && on_empty_) done = std::move(on_empty_);
    }
    if (done) done();
}

std::size_t ConnectionRegistry::size() const {
    std::lock_guard lock(mutex_);
    return connections_.size();
}

std::vector<std::shared_ptr<HttpConnection>> ConnectionRegistry::all() const {
    std::vector<std::shared_ptr<HttpConnection>> out;
    std::lock_guard lock(mutex_);
    out.reserve(connections_.size());
    for (const auto& [raw, weak] : connections_)
        if (auto c = weak.lock()) out.push_back(std::move(c));
    return out;
}

std::shared_ptr<HttpConnection> ConnectionRegistry::eviction_candidate() const {
    std::lock_guard lock(mutex_);
    HttpConnection* idle = nullptr;
    HttpConnection* stream = nullptr;
    for (const auto& [raw, weak] : connections_) {
        if (const auto since = raw->idle_since_ms(); since > 0 && (!idle || since < idle->idle_since_ms())) idle = raw;
        if (const auto since = raw->stream_since_ms(); since > 0 && (!stream || since < stream->stream_since_ms()))
            stream = raw;
    }
    HttpConnection* victim = idle ? idle : stream;
    return victim ? connections_.at(victim).lock() : nullptr;
}

void ConnectionRegistry::stop_when_empty(std::function<void()> done) {
    {
        std::lock_guard lock(mutex_);
        if (!connections_.empty()) {
            on_empty_ = std::move(done);
            return;
        }
    }
    done();
}

// -- [SECTION] The connection ---------------------------------------------------------------------

struct HttpConnection::Outgoing {
    http::response<http::string_body> full;
    // A cached answer's bytes (or their gzip form), written from where the cache keeps them.
    std::shared_ptr<const std::string> shared_body;
    http::response<http::span_body<const char>> shared;
    http::response<http::empty_body> head;   // HEAD answers, and an event stream's header
    std::optional<http::response_serializer<http::empty_body>> header_only;
    // A large shared body or its gzip form: its header's bytes, then that form's file with sendfile.
    int file_fd = -1;   // open while shared_body (which shares the SharedBody's ownership) lives
    std::string file_head;
    std::size_t head_sent = 0;
    off_t file_offset = 0;
};

struct HttpConnection::Stream {
    std::unique_ptr<EventHub::Subscription> subscription;
    Clock::time_point until;          // the token expires
    Clock::time_point next_ping;
    std::string in_flight;            // the text being written
    bool chunked = true;              // HTTP/1.1; HTTP/1.0 streams end with the connection
    bool writing = false;
    Clock::time_point write_started;
    bool ping_due = false;
    bool ending = false;
};

HttpConnection::HttpConnection(Socket socket, HttpShared& shared)
    : shared_(shared),
      executor_(socket.get_executor()),
      socket_(std::move(socket)),
      timer_(executor_),
      reader_(shared.limits) {}

HttpConnection::~HttpConnection() {
    boost::system::error_code ec;
    socket_.close(ec);
    if (stream_) stream_->subscription.reset();
    shared_.registry.remove(this);
}

void HttpConnection::start(bool over_capacity) {
    boost::system::error_code ec;
    socket_.set_option(asio::ip::tcp::no_delay(true), ec);   // headers and body go out at once
    socket_.non_blocking(true, ec);                          // reads after readiness never block
    if (over_capacity) {
        close_after_ = true;
        ApiResponse busy = shared_.api.reject(ApiRequest{},
            ApiError::unavailable("The server has too many open connections right now; try again shortly."));
        busy.headers.emplace("Retry-After", "5");
        return answer(std::move(busy), kRefusalWrite);
    }
    become_waiting();
}

void HttpConnection::stop() {
    stopping_ = true;
    if (closed_) return;
    if (phase_ == Phase::waiting) return close();
    if (phase_ == Phase::streaming) return end_stream();
    // Other phases finish the request in hand; its answer closes the connection.
}

void HttpConnection::evict() {
    if (closed_) return;
    if (phase_ == Phase::waiting) return close();
    if (phase_ == Phase::streaming) return end_stream();
}

// -- [SECTION] Reading --------------------------------------------------------------------------

void HttpConnection::wait_readable() {
    if (reading_ || closed_) return;
    reading_ = true;
    socket_.async_wait(asio::socket_base::wait_read,
                       [self = shared_from_this()](boost::system::error_code ec) { self->on_readable(ec); });
}

void HttpConnection::on_readable(boost::system::error_code ec) {
    reading_ = false;
    if (closed_) return;
    if (ec == asio::error::operation_aborted) {   // cancelled by a deadline that answered 408
        if (phase_ == Phase::closing) wait_readable();
        return;
    }
    if (ec) return close();
    while (buffer_.size() < kReadCap) {
        boost::system::error_code rec;
        const std::size_t n = socket_.read_some(buffer_.prepare(kReadChunk), rec);
        if (rec == asio::error::would_block || rec == asio::error::try_again) break;
        if (rec) {   // end of stream or reset
            peer_closed_ = true;
            break;
        }
        buffer_.commit(n);
        if (n < kReadChunk) break;   // most likely all there is
    }
    switch (phase_) {
        case Phase::closing:
            lingered_ += buffer_.size();
            buffer_.consume(buffer_.size());
            if (peer_closed_ || lingered_ > kLingerBytes) return close();
            return wait_readable();
        case Phase::streaming:   // nothing is read from a stream's client but its going away
            buffer_.consume(buffer_.size());
            if (peer_closed_) return close();
            return wait_readable();
        case Phase::working:
        case Phase::writing:     // not waited for in these phases
            return;
        case Phase::waiting:
        case Phase::head:
        case Phase::body:
            return process();
    }
}

void HttpConnection::process() {
    for (;;) {
        if (closed_) return;
        if (phase_ == Phase::waiting) {
            if (buffer_.size() == 0) break;
            phase_ = Phase::head;   // the first byte of a request: its head has this long
            idle_since_ms_ = 0;
            set_deadline(Clock::now() + shared_.request_timeout);
        }
        const auto data = buffer_.data();
        const std::size_t used = reader_.feed(std::string_view(static_cast<const char*>(data.data()), data.size()));
        buffer_.consume(used);
        const auto state = reader_.state();
        if (state == RequestReader::State::refused) return refuse(reader_.refusal(), reader_.partial());
        if (state == RequestReader::State::complete) return dispatch(reader_.take());
        if (state == RequestReader::State::body && phase_ == Phase::head) {
            phase_ = Phase::body;   // the body has as long again
            set_deadline(Clock::now() + shared_.request_timeout);
        }
        if (state == RequestReader::State::body && reader_.wants_continue()) return send_continue();
        if (used == 0 || buffer_.size() == 0) break;
    }
    if (peer_closed_) return close();   // the client left mid-request: nobody to answer
    wait_readable();
}

void HttpConnection::send_continue() {
    reader_.continue_sent();
    asio::async_write(socket_, asio::buffer(kContinue),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                          if (ec) return self->close();
                          self->process();
                      });
}

// -- [SECTION] Answering --------------------------------------------------------------------------

void HttpConnection::dispatch(HttpRequest request) {
    phase_ = Phase::working;
    clear_deadline();
    version_ = request.version;
    keep_alive_ = request.keep_alive;
    head_request_ = request.method == "HEAD";
    ApiRequest api_request = to_api(std::move(request));
    // DNS rebinding: a page on the internet may resolve its own name to 127.0.0.1; a --dev
    // server answers only requests addressed to this machine by a loopback name.
    if (shared_.options.dev && !loopback_host(api_request.header("Host"))) {
        return answer(shared_.api.reject(api_request,
                                         ApiError::forbidden("This development server only answers requests for "
                                                             "localhost, 127.0.0.1 or [::1].")),
                      shared_.response_timeout);
    }
    const bool is_api = ApiRouter::is_api_path(api_request.path);
    const std::string& m = api_request.method;
    const bool writes = is_api && (m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE");
    const bool gzip_ok = is_api && accepts_gzip(api_request.header("Accept-Encoding"));
    // A cached answer needs no worker: answered here, it saves two thread hand-offs. Unless its
    // gzip form is still to be made: compressing is a worker's job, not the event loop's.
    if (is_api && m == "GET")
        if (auto res = shared_.api.answer_from_memory(api_request); res && !gzip_to_make(*res, gzip_ok)) {
            encode(*res, gzip_ok);
            return answer(std::move(*res), shared_.response_timeout);
        }
    asio::post(writes ? shared_.writers : shared_.readers,
               [self = shared_from_this(), req = std::move(api_request), is_api, gzip_ok]() {
        ApiResponse res;
        try {
            res = is_api ? self->shared_.api.handle(req) : serve_static(req, self->shared_.site);
            if (is_api) encode(res, gzip_ok);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "grove-server: internal error on %s %s: %s\n", req.method.c_str(), req.path.c_str(),
                         e.what());
            res = self->shared_.api.reject(req, ApiError::internal());
        }
        asio::post(self->executor_, [self, res = std::move(res)]() mutable {
            self->answer(std::move(res), self->shared_.response_timeout);
        });
    });
}

void HttpConnection::refuse(const ApiError& error, const HttpRequest& partial) {
    close_after_ = true;
    version_ = 11;
    head_request_ = false;
    ApiRequest request;
    request.method = partial.method;
    request.path = partial.target.substr(0, partial.target.find('?'));
    request.headers = partial.headers;   // Origin: CORS headers, so the widget can read why
    answer(shared_.api.reject(request, error), kRefusalWrite);
}

void HttpConnection::answer(ApiResponse res, std::chrono::milliseconds write_timeout) {
    if (closed_) return;
    if (res.stream && res.status == 200 && !head_request_ && !close_after_ && !stopping_ && !shared_.stopping) {
        outgoing_ = std::make_unique<Outgoing>();
        fill(outgoing_->head, res, version_);
        return start_stream(*res.stream);
    }
    const bool keep = keep_alive_ && !close_after_ && !stopping_ && !shared_.stopping;
    outgoing_ = std::make_unique<Outgoing>();
    phase_ = Phase::writing;
    set_deadline(Clock::now() + write_timeout);
    auto done = [self = shared_from_this(), keep](boost::system::error_code ec, std::size_t) { self->written(ec, keep); };
    if (res.shared_body)   // encode() chose the form; the aliasing pointer keeps the SharedBody alive
        outgoing_->shared_body = res.header("Content-Encoding") == "gzip"
                                     ? res.shared_body->gzip()
                                     : std::shared_ptr<const std::string>(res.shared_body, &res.shared_body->bytes());
    if (head_request_) {   // the same headers as GET, without the body
        auto& m = outgoing_->head;
        fill(m, res, version_);
        if (!has_no_body(res.status)) m.content_length(res.shared_body ? outgoing_->shared_body->size() : res.body.size());
        keep_or_close(m, keep, shared_.keep_alive_hint);
        return http::async_write(socket_, m, std::move(done));
    }
    if (res.shared_body) {
        const int fd = res.header("Content-Encoding") == "gzip" ? res.shared_body->gzip_file() : res.shared_body->file();
        if (fd >= 0) {
            auto& m = outgoing_->head;
            fill(m, res, version_);
            m.content_length(outgoing_->shared_body->size());
            keep_or_close(m, keep, shared_.keep_alive_hint);
            outgoing_->file_head = header_bytes(m);
            outgoing_->file_fd = fd;
            return send_from_file(keep);
        }
    }
    if (res.shared_body) {
        auto& m = outgoing_->shared;
        fill(m, res, version_);
        m.body() = boost::beast::span<const char>(outgoing_->shared_body->data(), outgoing_->shared_body->size());
        m.prepare_payload();
        keep_or_close(m, keep, shared_.keep_alive_hint);
        return http::async_write(socket_, m, std::move(done));
    }
    auto& m = outgoing_->full;
    fill(m, res, version_);
    m.body() = std::move(res.body);
    m.prepare_payload();
    keep_or_close(m, keep, shared_.keep_alive_hint);
    http::async_write(socket_, m, std::move(done));
}

void HttpConnection::written(boost::system::error_code ec, bool keep_alive) {
    outgoing_.reset();
    if (closed_) return;
    if (ec) return close();
    if (!keep_alive) return graceful_close();
    become_waiting();
}

// Writes the header with MSG_MORE (it leaves in the body's first segment), then the body's file
// with sendfile: the socket gets the file's pages, not a copy of them. Both calls are
// non-blocking; a full socket buffer waits for writability and carries on.
void HttpConnection::send_from_file(bool keep_alive) {
    if (closed_) return written(asio::error::operation_aborted, keep_alive);
    Outgoing& o = *outgoing_;
    const std::size_t size = o.shared_body->size();   // the form being sent
    boost::system::error_code ec;
    if (!socket_.native_non_blocking()) socket_.native_non_blocking(true, ec);
    const int s = socket_.native_handle();
    while (!ec) {
        ssize_t n = 0;
        if (o.head_sent < o.file_head.size()) {
            n = ::send(s, o.file_head.data() + o.head_sent, o.file_head.size() - o.head_sent, MSG_MORE | MSG_NOSIGNAL);
            if (n > 0) o.head_sent += static_cast<std::size_t>(n);
        } else if (static_cast<std::size_t>(o.file_offset) < size) {
            n = ::sendfile(s, o.file_fd, &o.file_offset, size - static_cast<std::size_t>(o.file_offset));
            if (n == 0) ec = asio::error::eof;   // the sealed file cannot be shorter: never expected
        } else {
            break;   // all sent
        }
        if (n >= 0) continue;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return socket_.async_wait(Socket::wait_write, [self = shared_from_this(), keep_alive](boost::system::error_code e) {
                if (e) return self->written(e, keep_alive);
                self->send_from_file(keep_alive);
            });
        }
        ec.assign(errno, boost::system::system_category());
    }
    written(ec, keep_alive);
}

void HttpConnection::become_waiting() {
    phase_ = Phase::waiting;
    head_request_ = false;
    if (stopping_ || shared_.stopping) return graceful_close();
    idle_since_ms_ = unix_ms();
    set_deadline(Clock::now() + shared_.idle_timeout);
    if (buffer_.size() > 0) return process();   // pipelined
    if (peer_closed_) return close();
    buffer_.shrink_to_fit();   // an idle connection holds no buffer
    wait_readable();
}

void HttpConnection::graceful_close() {
    if (closed_) return;
    phase_ = Phase::closing;
    idle_since_ms_ = 0;
    stream_since_ms_ = 0;
    boost::system::error_code ec;
    socket_.shutdown(asio::socket_base::shutdown_send, ec);
    buffer_.consume(buffer_.size());
    if (peer_closed_ || ec) return close();
    set_deadline(Clock::now() + kLinger);
    wait_readable();
}

void HttpConnection::close() {
    if (closed_) return;
    closed_ = true;
    idle_since_ms_ = 0;
    stream_since_ms_ = 0;
    boost::system::error_code ec;
    socket_.shutdown(asio::socket_base::shutdown_both, ec);
    socket_.close(ec);
    timer_.cancel();
    if (stream_) stream_->subscription.reset();
}

// -- [SECTION] Event streams ----------------------------------------------------------------------

void HttpConnection::start_stream(const EventStreamRequest& request) {
    stream_ = std::make_unique<Stream>();
    Stream& s = *stream_;
    const auto now = Clock::now();
    s.until = now + std::chrono::milliseconds(std::max<std::int64_t>(0, request.until_ms - unix_ms()));
    s.chunked = version_ >= 11;
    // Subscribed before the header goes out: a client that has the header hears of every later commit.
    s.subscription = shared_.api.events().subscribe(request.modules, std::weak_ptr<EventSink>(shared_from_this()));
    phase_ = Phase::streaming;
    stream_since_ms_ = unix_ms();
    buffer_.consume(buffer_.size());
    buffer_.shrink_to_fit();   // a stream reads nothing more: it holds no buffer
    auto& m = outgoing_->head;
    if (s.chunked) m.chunked(true);
    m.keep_alive(false);   // a stream ends with its connection
    outgoing_->header_only.emplace(m);
    s.writing = true;
    s.write_started = now;
    s.ping_due = true;   // the first line tells the client the stream is live
    http::async_write_header(socket_, *outgoing_->header_only,
                             [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                                 self->outgoing_.reset();
                                 if (ec) return self->close();
                                 self->stream_->writing = false;
                                 self->flush_stream();
                             });
    s.next_ping = now + shared_.ping_interval;
    set_deadline(std::min(s.next_ping, s.until));
    wait_readable();   // to notice the client going away
}

void HttpConnection::changed(const std::string& module, std::int64_t rev) {
    bool post = false;
    {
        std::lock_guard lock(events_mutex_);
        std::int64_t& pending = pending_changes_[module];
        if (rev > pending) pending = rev;
        post = !flush_posted_;
        flush_posted_ = true;
    }
    if (post) asio::post(executor_, [self = shared_from_this()] { self->flush_stream(); });
}

void HttpConnection::spotlight(std::int64_t rev) {
    bool post = false;
    {
        std::lock_guard lock(events_mutex_);
        if (rev > pending_spotlight_) pending_spotlight_ = rev;
        post = !flush_posted_;
        flush_posted_ = true;
    }
    if (post) asio::post(executor_, [self = shared_from_this()] { self->flush_stream(); });
}

// Writes what is due, one write at a time: announcements that arrive meanwhile wait in
// pending_changes_, one per module, so a client that reads slowly costs no more memory.
void HttpConnection::flush_stream() {
    if (closed_ || !stream_ || stream_->writing) return;
    Stream& s = *stream_;
    std::map<std::string, std::int64_t> changes;
    std::int64_t spotlight_rev = 0;
    {
        std::lock_guard lock(events_mutex_);
        changes.swap(pending_changes_);
        spotlight_rev = pending_spotlight_;
        pending_spotlight_ = 0;
        flush_posted_ = false;
    }
    std::string& out = s.in_flight;
    out.clear();
    if (!s.ending) {
        for (const auto& [module, rev] : changes)
            out += "event: changed\ndata: " + dump(Json{{"module", module}, {"rev", rev}}) + "\n\n";
        if (spotlight_rev > 0) out += "event: spotlight\ndata: " + dump(Json{{"rev", spotlight_rev}}) + "\n\n";
        if (s.ping_due) out += ": ping\n\n";
        s.ping_due = false;
    }
    auto done = [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
        if (ec) return self->close();
        self->stream_->writing = false;
        self->flush_stream();
    };
    if (out.empty() && !s.ending) return;
    s.writing = true;
    s.write_started = Clock::now();
    if (!out.empty()) {
        if (s.chunked) return asio::async_write(socket_, http::make_chunk(asio::buffer(out)), std::move(done));
        return asio::async_write(socket_, asio::buffer(out), std::move(done));
    }
    // Ending, and everything before is out: the last chunk, then the connection closes.
    auto last = [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
        if (ec) return self->close();
        self->graceful_close();
    };
    if (s.chunked) return asio::async_write(socket_, http::make_chunk_last(), std::move(last));
    s.writing = false;
    graceful_close();
}

void HttpConnection::end_stream() {
    if (closed_ || !stream_ || stream_->ending) return;
    stream_->ending = true;
    stream_->subscription.reset();
    stream_since_ms_ = 0;
    flush_stream();
}

// -- [SECTION] Deadlines --------------------------------------------------------------------------

void HttpConnection::set_deadline(Clock::time_point when) {
    deadline_ = when;
    if (timer_waiting_ && armed_for_ <= when) return;   // it fires earlier and looks again
    armed_for_ = when;
    timer_waiting_ = true;
    timer_.expires_at(when);
    timer_.async_wait([self = shared_from_this(), generation = ++timer_generation_](boost::system::error_code ec) {
        self->on_timer(ec, generation);
    });
}

void HttpConnection::on_timer(boost::system::error_code ec, std::uint64_t generation) {
    if (generation != timer_generation_) return;   // re-armed since
    timer_waiting_ = false;
    armed_for_ = Clock::time_point::max();
    if (ec || closed_) return;
    if (Clock::now() < deadline_) {
        if (deadline_ != Clock::time_point::max()) set_deadline(deadline_);
        return;
    }
    clear_deadline();
    on_deadline();
}

void HttpConnection::on_deadline() {
    switch (phase_) {
        case Phase::waiting:
        case Phase::writing:   // the client does not take its answer
        case Phase::closing:
            return close();
        case Phase::working:
            return;
        case Phase::head:
        case Phase::body: {
            // The request did not arrive in time: say so, and nothing of it is carried out.
            boost::system::error_code ignored;
            socket_.cancel(ignored);
            close_after_ = true;
            ApiRequest partial;
            partial.headers = reader_.partial().headers;
            return answer(shared_.api.reject(partial, ApiError{408, "request_timeout",
                                                               "The request did not arrive in time; send it again.", {}}),
                          kRefusalWrite);
        }
        case Phase::streaming: {
            Stream& s = *stream_;
            const auto now = Clock::now();
            if (now >= s.until) return end_stream();   // the token expired: the client reconnects with a new one
            if (s.writing && now - s.write_started > shared_.response_timeout) return close();   // not reading
            s.ping_due = true;
            flush_stream();
            s.next_ping = now + shared_.ping_interval;
            return set_deadline(std::min(s.next_ping, s.until));
        }
    }
}

}  // namespace grove

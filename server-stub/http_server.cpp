// The cpp-httplib adapter. What it decides itself, and why:
//   - Worker pool: cpp-httplib gives each connection one worker for its whole keep-alive life, so
//     the pool size bounds open connections, not CPU work (2 cores; SQLite serializes writes).
//     64 workers (or 8 per core) let browsers (6 connections per origin per tab) and wrk's 32
//     connections in at once; idle connections go after --idle-timeout, stalled reads/writes
//     after --request-timeout, and TCP_DEFER_ACCEPT keeps connections that never send a byte
//     (speculative preconnects, port scans) from taking a worker at all.
//   - Body limit: the 64 KiB limit is checked on Content-Length in the pre-routing handler,
//     before any byte of the body is read; the answer (413) is sent with a content provider that
//     then fails on purpose, which makes cpp-httplib 0.11.4 close the connection instead of
//     reading the unread body as the next request. Chunked bodies are read up to the limit.
//     (cpp-httplib's own payload_max_length would read and discard the whole body first.)
//   - Expect: 100-continue with a too-large Content-Length gets 413 instead of 100, so the
//     client never sends the body.
//   - Request framing a proxy in front could read differently (request smuggling) is refused
//     with 400 before anything is read: more than one Content-Length, a Transfer-Encoding other
//     than exactly "chunked", both at once, or a header name with spaces or other characters
//     that are not allowed there (e.g. "Content-Length : 5").
//   - Deadlines and a size budget per request, and room for new clients when every worker is
//     taken, come from a ConnectionGuard (connection_guard.hpp). To watch each connection the
//     guard must see its socket, which cpp-httplib only hands to Server::process_and_close_socket
//     (a private virtual). So two httplib::Server objects work together: `listener_` binds,
//     accepts and overrides that function to put each connection under the guard, then has
//     `http_` (which holds the routes and settings) serve it with cpp-httplib's own code.
//   - Everything else under /api/ goes to ApiRouter; other paths are static files.
#include "http_server.hpp"

#include <httplib.h>       // httplib::Server
#include <netinet/in.h>    // IPPROTO_TCP
#include <netinet/tcp.h>   // TCP_DEFER_ACCEPT
#include <sys/socket.h>    // setsockopt

#include <algorithm>       // std::max
#include <climits>         // INT_MAX
#include <condition_variable>  // std::condition_variable
#include <deque>           // std::deque
#include <thread>          // std::thread::hardware_concurrency

#include "api/api_router.hpp"
#include "connection_guard.hpp"
#include "static_files.hpp"
#include "storage/sqlite_engine.hpp"
#include "grove/wire.hpp"

namespace grove {

namespace {

constexpr const char* kJsonType = "application/json; charset=utf-8";
constexpr int kDeferAcceptSeconds = 5;
constexpr std::size_t kKeepAliveMaxRequests = 1000;

ApiRequest to_api(const httplib::Request& req, std::string body) {
    ApiRequest a;
    a.method = req.method;
    const auto q = req.target.find('?');
    a.path = req.target.substr(0, q);
    if (q != std::string::npos) a.query = req.target.substr(q + 1);
    for (const auto& [name, value] : req.headers) a.headers.emplace(name, value);
    a.body = std::move(body);
    return a;
}

void from_api(ApiResponse api, httplib::Response& res) {
    res.status = api.status;
    for (auto& [name, value] : api.headers) res.headers.emplace(name, value);
    res.body = std::move(api.body);
}

// Sends `api` and then closes the connection without reading what is left of the request.
void answer_and_close(ApiResponse api, httplib::Response& res) {
    res.status = api.status;
    for (auto& [name, value] : api.headers)
        if (name != "Content-Type") res.headers.emplace(name, value);
    res.set_header("Connection", "close");
    auto body = std::make_shared<const std::string>(std::move(api.body));
    res.set_content_provider(body->size(), kJsonType, [body](size_t offset, size_t length, httplib::DataSink& sink) {
        sink.write(body->data() + offset, length);
        return false;   // "failed": cpp-httplib ends the connection after this response
    });
}


char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(const std::string& a, const char* b) {
    std::size_t i = 0;
    for (; i < a.size() && b[i]; ++i)
        if (lower(a[i]) != b[i]) return false;
    return i == a.size() && !b[i];
}

// The framing checks below leave exactly "chunked" as the only Transfer-Encoding, as cpp-httplib reads it.
bool is_chunked(const httplib::Request& req) { return iequals(req.get_header_value("Transfer-Encoding"), "chunked"); }

// RFC 7230 "token" characters: what a header name is made of.
bool is_token(const std::string& name) {
    if (name.empty()) return false;
    for (unsigned char c : name) {
        const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos) return false;
    }
    return true;
}

// Why the request's framing is refused, or "" (see the file comment: request smuggling).
std::string framing_problem(const httplib::Request& req) {
    for (const auto& [name, value] : req.headers)
        if (!is_token(name)) return "A header name is malformed (spaces or other characters not allowed in header names).";
    const std::size_t lengths = req.get_header_value_count("Content-Length");
    const std::size_t encodings = req.get_header_value_count("Transfer-Encoding");
    if (lengths > 1) return "The request has more than one Content-Length header.";
    if (encodings > 1 || (encodings == 1 && !is_chunked(req)))
        return "The only Transfer-Encoding this server reads is 'chunked'.";
    if (encodings == 1 && lengths == 1) return "A request cannot have both Content-Length and Transfer-Encoding.";
    return {};
}

// cpp-httplib keeps its connection loop in a private virtual, Server::process_and_close_socket.
// An explicit instantiation may name private members (C++17 [temp.explicit]/12), which is how
// ListeningServer below gets a pointer to it, to have another Server object run it.
using ServeSocket = bool (httplib::Server::*)(socket_t);
ServeSocket serve_socket_member();
template <ServeSocket Member>
struct ServeSocketAccess {
    friend ServeSocket serve_socket_member() { return Member; }
};
template struct ServeSocketAccess<&httplib::Server::process_and_close_socket>;

// The Server that holds the routes and settings and serves connections the listener accepted.
// Its connection loop runs while svr_sock_ is not INVALID_SOCKET; it never listens itself, so
// that member only says whether the server is serving.
class ServingServer final : public httplib::Server {
public:
    void set_serving(bool on) { svr_sock_ = on ? INT_MAX : INVALID_SOCKET; }
};

// The Server that binds and accepts, and serves each connection through `serving` under the guard.
class ListeningServer final : public httplib::Server {
public:
    ListeningServer(ServingServer& serving, ConnectionGuard& guard) : serving_(serving), guard_(guard) {}

private:
    bool process_and_close_socket(socket_t sock) override {
        ConnectionGuard::Scope watched(guard_, sock);
        // A virtual call on `serving_`, whose class does not override it: cpp-httplib's own loop.
        return (serving_.*serve_socket_member())(sock);
    }
    ServingServer& serving_;
    ConnectionGuard& guard_;
};

// cpp-httplib's ThreadPool, plus the number of accepted connections waiting for a worker (the
// guard closes idle keep-alive connections while there are any).
class WorkerPool final : public httplib::TaskQueue {
public:
    // `waiting` outlives the pool (the guard may read it while the pool shuts down).
    WorkerPool(std::size_t n, std::shared_ptr<std::atomic<std::size_t>> waiting) : waiting_(std::move(waiting)) {
        for (std::size_t i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
    }
    void enqueue(std::function<void()> fn) override {
        {
            std::lock_guard lock(mutex_);
            jobs_.push_back(std::move(fn));
            *waiting_ = jobs_.size();
        }
        cond_.notify_one();
    }
    void shutdown() override {
        {
            std::lock_guard lock(mutex_);
            shutdown_ = true;
        }
        cond_.notify_all();
        for (auto& t : threads_) t.join();
    }
private:
    void work() {
        for (;;) {
            std::function<void()> fn;
            {
                std::unique_lock lock(mutex_);
                cond_.wait(lock, [this] { return !jobs_.empty() || shutdown_; });
                if (shutdown_ && jobs_.empty()) return;
                fn = std::move(jobs_.front());
                jobs_.pop_front();
                *waiting_ = jobs_.size();
            }
            fn();
        }
    }
    std::mutex mutex_;
    std::condition_variable cond_;
    std::deque<std::function<void()>> jobs_;
    std::shared_ptr<std::atomic<std::size_t>> waiting_;
    bool shutdown_ = false;
    std::vector<std::thread> threads_;
};

// Content-Length as a number; -1 when absent; -2 when it is not a number.
long long content_length(const httplib::Request& req) {
    if (!req.has_header("Content-Length")) return -1;
    const std::string v = req.get_header_value("Content-Length");
    if (v.empty() || v.size() > 18) return -2;
    long long n = 0;
    for (char c : v) {
        if (c < '0' || c > '9') return -2;
        n = n * 10 + (c - '0');
    }
    return n;
}

// What the guard answers a request that did not arrive in time (connection_guard.cpp).
ApiError timed_out() { return ApiError{408, "request_timeout", "The request did not arrive in time; send it again.", {}}; }

bool expects_body(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

}  // namespace

HttpServer::HttpServer(ServerOptions options) : options_(std::move(options)) {
    threads_ = options_.threads > 0 ? options_.threads
                                    : static_cast<int>(std::max(64u, std::thread::hardware_concurrency() * 8));
    storage_ = open_sqlite_engine(SqliteOptions{options_.db, options_.sqlite_sync_full});
    api_ = std::make_unique<ApiRouter>(options_, storage_);

    auto waiting = std::make_shared<std::atomic<std::size_t>>(0);
    ConnectionGuard::Limits limits;
    limits.request_timeout = std::chrono::seconds(options_.request_timeout_s);
    guard_ = std::make_unique<ConnectionGuard>(limits, [waiting] { return waiting->load(); });
    auto serving = std::make_unique<ServingServer>();
    listener_ = std::make_unique<ListeningServer>(*serving, *guard_);
    http_ = std::move(serving);

    const int threads = threads_;
    listener_->new_task_queue = [threads, waiting] { return new WorkerPool(static_cast<size_t>(threads), waiting); };
    // cpp-httplib reads these while accepting (the listener: socket timeouts) and while serving.
    for (httplib::Server* s : {listener_.get(), http_.get()}) {
        s->set_keep_alive_max_count(kKeepAliveMaxRequests);
        s->set_keep_alive_timeout(options_.idle_timeout_s);
        s->set_read_timeout(options_.request_timeout_s, 0);
        s->set_write_timeout(options_.request_timeout_s, 0);
        s->set_tcp_nodelay(true);   // headers and body are separate writes: no Nagle stalls
        s->set_payload_max_length(kMaxRequestBodyBytes);   // static routes; the API checks first
    }
    listener_->set_socket_options([](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        int defer = kDeferAcceptSeconds;
        setsockopt(sock, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof defer);
    });
    install_routes();
}

HttpServer::~HttpServer() = default;

void HttpServer::install_routes() {
    // An API-style error (JSON, CORS headers) for errors found here, before ApiRouter.
    auto error_of = [this](const httplib::Request& req, const ApiError& e) { return api_->reject(to_api(req, {}), e); };

    // Before any body is read: reject what must not be read at all.
    http_->set_pre_routing_handler([error_of](const httplib::Request& req, httplib::Response& res) {
        const auto refuse = [&](const ApiError& e) {
            ConnectionGuard::request_parsed(false);
            answer_and_close(error_of(req, e), res);
            return httplib::Server::HandlerResponse::Handled;
        };
        if (const std::string problem = framing_problem(req); !problem.empty()) return refuse(ApiError::bad_request(problem));
        const long long length = content_length(req);
        if (length == -2) return refuse(ApiError::bad_request("The Content-Length header is not a number."));
        if (length > static_cast<long long>(kMaxRequestBodyBytes)) return refuse(ApiError::payload_too_large());
        // cpp-httplib reads no body for these methods; one left in the stream would be taken
        // for the next request.
        if (!expects_body(req.method) && (length > 0 || is_chunked(req)))
            return refuse(ApiError::bad_request("A " + req.method + " request cannot have a body."));
        // Timed out by the guard just as the head arrived: the client was told so; do nothing.
        if (!ConnectionGuard::request_parsed(expects_body(req.method) && (length > 0 || is_chunked(req))))
            return refuse(timed_out());
        return httplib::Server::HandlerResponse::Unhandled;
    });
    // The guard's view of the connection: the answer is being written, then it was.
    http_->set_post_routing_handler([](const httplib::Request&, httplib::Response&) { ConnectionGuard::responding(); });
    http_->set_logger([](const httplib::Request&, const httplib::Response&) { ConnectionGuard::responded(); });

    http_->set_expect_100_continue_handler([error_of](const httplib::Request& req, httplib::Response& res) {
        if (const std::string problem = framing_problem(req); !problem.empty()) {
            answer_and_close(error_of(req, ApiError::bad_request(problem)), res);
            return 400;
        }
        if (content_length(req) > static_cast<long long>(kMaxRequestBodyBytes)) {
            answer_and_close(error_of(req, ApiError::payload_too_large()), res);
            return 413;
        }
        return 100;
    });

    const char* api_paths = R"(/api(/.*)?)";
    auto plain = [this](const httplib::Request& req, httplib::Response& res) {
        from_api(api_->handle(to_api(req, {})), res);
    };
    http_->Get(api_paths, plain);
    http_->Options(api_paths, plain);

    auto with_body = [this, error_of](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        std::string body;
        bool too_large = false;
        if (req.has_header("Content-Length") || is_chunked(req)) {
            const long long length = content_length(req);
            if (length > 0) body.reserve(static_cast<std::size_t>(length));
            const bool complete = reader([&](const char* data, size_t n) {
                if (body.size() + n > kMaxRequestBodyBytes) {
                    too_large = true;
                    return false;
                }
                body.append(data, n);
                return true;
            });
            if (!ConnectionGuard::body_read())   // timed out by the guard: the client was told so
                return answer_and_close(error_of(req, timed_out()), res);
            if (too_large) return answer_and_close(error_of(req, ApiError::payload_too_large()), res);
            if (!complete)
                return answer_and_close(error_of(req, ApiError::bad_request("The request body ended early or timed out.")),
                                        res);
        }
        from_api(api_->handle(to_api(req, std::move(body))), res);
    };
    http_->Post(api_paths, with_body);
    http_->Put(api_paths, with_body);
    http_->Patch(api_paths, with_body);
    http_->Delete(api_paths, with_body);

    install_static_files(*http_, options_);

    // Errors cpp-httplib answers itself (bad request lines, URLs over 8 KiB, unknown methods,
    // unknown static files): JSON under /api/ and for requests whose path was never read, its
    // plain default elsewhere. Our own answers carry a Content-Type.
    http_->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        const bool unread = req.path.empty();
        if (res.has_header("Content-Type") || (!unread && !ApiRouter::is_api_path(req.path))) return;
        ApiError e = res.status == 404   ? ApiError::not_found("There is no such API route: " + req.method + " " + req.path)
                     : res.status == 414 ? ApiError{414, "uri_too_long", "The URL is longer than 8 KiB.", {}}
                     : res.status == 413 ? ApiError::payload_too_large()
                     : res.status >= 500 ? ApiError::internal()
                                         : ApiError{res.status, "bad_request", "The request could not be read.", {}};
        res.set_content(dump(to_json(e)), kJsonType);
    });
    http_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        res.status = 500;
        res.set_content(dump(to_json(ApiError::internal())), kJsonType);
    });
}

int HttpServer::bind() {
    port_ = options_.port == 0 ? listener_->bind_to_any_port(options_.bind.c_str())
                               : (listener_->bind_to_port(options_.bind.c_str(), options_.port) ? options_.port : -1);
    return port_;
}

bool HttpServer::listen() {
    static_cast<ServingServer&>(*http_).set_serving(true);
    const bool ok = listener_->listen_after_bind();
    static_cast<ServingServer&>(*http_).set_serving(false);
    return ok;
}

void HttpServer::stop() {
    // Connections finish the request in hand, then close (their loop checks "serving").
    static_cast<ServingServer&>(*http_).set_serving(false);
    listener_->stop();
}

std::string HttpServer::url() const {
    const bool v6 = options_.bind.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + options_.bind + "]" : options_.bind) + ":" + std::to_string(port_) + "/";
}

}  // namespace grove

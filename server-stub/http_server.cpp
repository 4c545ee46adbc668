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
//   - Everything else under /api/ goes to ApiRouter; other paths are static files.
#include "http_server.hpp"

#include <httplib.h>       // httplib::Server
#include <netinet/in.h>    // IPPROTO_TCP
#include <netinet/tcp.h>   // TCP_DEFER_ACCEPT
#include <sys/socket.h>    // setsockopt

#include <algorithm>       // std::max
#include <thread>          // std::thread::hardware_concurrency

#include "api/api_router.hpp"
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

ApiResponse error_of(const ApiError& e) {
    ApiResponse r;
    r.status = e.status;
    r.headers.emplace("Content-Type", kJsonType);
    r.body = dump(to_json(e));
    return r;
}

bool is_chunked(const httplib::Request& req) {
    const std::string te = req.get_header_value("Transfer-Encoding");
    return te.find("chunked") != std::string::npos;
}

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

bool expects_body(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

}  // namespace

HttpServer::HttpServer(ServerOptions options) : options_(std::move(options)) {
    threads_ = options_.threads > 0 ? options_.threads
                                    : static_cast<int>(std::max(64u, std::thread::hardware_concurrency() * 8));
    storage_ = open_sqlite_engine(SqliteOptions{options_.db, options_.sqlite_sync_full});
    api_ = std::make_unique<ApiRouter>(options_, storage_);
    http_ = std::make_unique<httplib::Server>();
    const int threads = threads_;
    http_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
    http_->set_keep_alive_max_count(kKeepAliveMaxRequests);
    http_->set_keep_alive_timeout(options_.idle_timeout_s);
    http_->set_read_timeout(options_.request_timeout_s, 0);
    http_->set_write_timeout(options_.request_timeout_s, 0);
    http_->set_tcp_nodelay(true);   // headers and body are separate writes: no Nagle stalls
    http_->set_payload_max_length(kMaxRequestBodyBytes);   // static routes; the API checks first
    http_->set_socket_options([](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        int defer = kDeferAcceptSeconds;
        setsockopt(sock, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof defer);
    });
    install_routes();
}

HttpServer::~HttpServer() = default;

void HttpServer::install_routes() {
    // Before any body is read: reject what must not be read at all.
    http_->set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
        const long long length = content_length(req);
        if (length == -2) {
            answer_and_close(error_of(ApiError::bad_request("The Content-Length header is not a number.")), res);
            return httplib::Server::HandlerResponse::Handled;
        }
        if (length > static_cast<long long>(kMaxRequestBodyBytes)) {
            answer_and_close(error_of(ApiError::payload_too_large()), res);
            return httplib::Server::HandlerResponse::Handled;
        }
        // cpp-httplib reads no body for these methods; one left in the stream would be taken
        // for the next request.
        if (!expects_body(req.method) && (length > 0 || is_chunked(req))) {
            answer_and_close(error_of(ApiError::bad_request("A " + req.method + " request cannot have a body.")), res);
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });

    http_->set_expect_100_continue_handler([](const httplib::Request& req, httplib::Response& res) {
        if (content_length(req) > static_cast<long long>(kMaxRequestBodyBytes)) {
            answer_and_close(error_of(ApiError::payload_too_large()), res);
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

    auto with_body = [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
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
            if (too_large) return answer_and_close(error_of(ApiError::payload_too_large()), res);
            if (!complete)
                return answer_and_close(error_of(ApiError::bad_request("The request body ended early or timed out.")), res);
        }
        from_api(api_->handle(to_api(req, std::move(body))), res);
    };
    http_->Post(api_paths, with_body);
    http_->Put(api_paths, with_body);
    http_->Patch(api_paths, with_body);
    http_->Delete(api_paths, with_body);

    install_static_files(*http_, options_);

    // Errors cpp-httplib answers itself (bad request lines, unknown methods, unknown static
    // files): JSON under /api/, its plain default elsewhere. Our own answers carry a Content-Type.
    http_->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (res.has_header("Content-Type") || !ApiRouter::is_api_path(req.path)) return;
        ApiError e = res.status == 404   ? ApiError::not_found("There is no such API route: " + req.method + " " + req.path)
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
    port_ = options_.port == 0 ? http_->bind_to_any_port(options_.bind.c_str())
                               : (http_->bind_to_port(options_.bind.c_str(), options_.port) ? options_.port : -1);
    return port_;
}

bool HttpServer::listen() { return http_->listen_after_bind(); }

void HttpServer::stop() { http_->stop(); }

std::string HttpServer::url() const {
    const bool v6 = options_.bind.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + options_.bind + "]" : options_.bind) + ":" + std::to_string(port_) + "/";
}

}  // namespace grove

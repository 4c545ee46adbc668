#include "http_server.hpp"

#include <httplib.h>   // httplib::Server

#include <thread>      // std::thread::hardware_concurrency

#include "static_files.hpp"
#include "grove/wire.hpp"

namespace grove {

namespace {

void send_json(httplib::Response& res, int status, const Json& body) {
    res.status = status;
    res.set_content(dump(body), "application/json; charset=utf-8");
}

void send_error(httplib::Response& res, const ApiError& e) { send_json(res, e.status, to_json(e)); }

}  // namespace

HttpServer::HttpServer(ServerOptions options) : options_(std::move(options)), http_(std::make_unique<httplib::Server>()) {
    const int threads = options_.threads > 0 ? options_.threads
                                             : static_cast<int>(std::max(4u, std::thread::hardware_concurrency() * 8));
    http_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
    install_routes();
}

HttpServer::~HttpServer() = default;

void HttpServer::install_routes() {
    http_->Get("/api/v1/health", [](const httplib::Request&, httplib::Response& res) {
        send_json(res, 200, Json{{"status", "ok"}, {"version", GROVE_VERSION}});
    });

    install_static_files(*http_, options_);

    // Anything not matched: a JSON 404 for the API, plain for the rest.
    http_->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (res.status == 404 && req.path.rfind("/api/", 0) == 0)
            send_error(res, ApiError::not_found("There is no such API route: " + req.method + " " + req.path));
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

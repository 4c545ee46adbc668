// The HTTP front: cpp-httplib adapting requests to ApiRouter, serving static files, and
// enforcing what only a socket can (body size before reading it, timeouts, the worker pool).
#pragma once

#include <memory>   // std::unique_ptr, std::shared_ptr
#include <string>   // std::string

#include "options.hpp"

namespace httplib { class Server; }

namespace grove {

class ApiRouter;
class ConnectionGuard;
class StorageEngine;

class HttpServer {
public:
    // Opens the database (throws StorageError with a sentence for the operator).
    explicit HttpServer(ServerOptions options);
    ~HttpServer();   // closes the database after the last request

    // Binds the socket (port 0 picks a free one); returns the bound port, or -1.
    int bind();
    // Serves until stop(); returns when every in-flight request has been answered.
    bool listen();
    // Stops accepting and asks listen() to return; safe from another thread.
    void stop();
    std::string url() const;
    int worker_threads() const { return threads_; }

private:
    void install_routes();

    ServerOptions options_;
    int threads_ = 0;
    std::shared_ptr<StorageEngine> storage_;
    std::unique_ptr<ApiRouter> api_;
    std::unique_ptr<ConnectionGuard> guard_;      // outlives both servers (their connections use it)
    std::unique_ptr<httplib::Server> http_;       // routes and settings; serves connections
    std::unique_ptr<httplib::Server> listener_;   // binds and accepts; hands connections to http_
    int port_ = -1;
};

}  // namespace grove

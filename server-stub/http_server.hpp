// The HTTP front: routes, static files, CORS and limits on top of cpp-httplib.
#pragma once

#include <memory>   // std::unique_ptr
#include <string>   // std::string

#include "options.hpp"

namespace httplib { class Server; }

namespace grove {

class HttpServer {
public:
    explicit HttpServer(ServerOptions options);
    ~HttpServer();

    // Binds the socket (port 0 picks a free one); returns the bound port, or -1.
    int bind();
    // Serves until stop(); returns when every in-flight request has been answered.
    bool listen();
    // Stops accepting and asks listen() to return; safe from another thread.
    void stop();
    std::string url() const;

private:
    void install_routes();

    ServerOptions options_;
    std::unique_ptr<httplib::Server> http_;
    int port_ = -1;
};

}  // namespace grove

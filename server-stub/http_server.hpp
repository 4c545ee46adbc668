// The HTTP front: Boost.Beast on Boost.Asio. One io_context owns every connection
// (http_connection.hpp); API requests and files are handled on a small worker pool, whose answers
// are posted back. An open connection costs memory, not a thread: thousands of idle keep-alive
// connections and event streams wait in the io_context at once. Limits only a socket can
// enforce (the body limit before the body is read, request smuggling, deadlines, the connection
// limit) are enforced here and in request_reader.hpp; everything else is ApiRouter's.
#pragma once

#include <memory>   // std::unique_ptr
#include <string>   // std::string

#include "options.hpp"

namespace grove {

class HttpServer {
public:
    // Opens the database (throws StorageError with a sentence for the operator).
    explicit HttpServer(ServerOptions options);
    ~HttpServer();   // closes the database after the last request

    // Binds the socket (port 0 picks a free one); returns the bound port, or -1.
    int bind();
    // Serves until stop(); returns when every request in flight has been answered and every
    // connection is closed.
    bool listen();
    // Stops accepting and asks listen() to return; safe from any thread, any number of times.
    void stop();
    std::string url() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace grove

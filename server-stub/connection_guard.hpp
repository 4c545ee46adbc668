// ConnectionGuard: a deadline and a size budget for every request, enforced from outside
// cpp-httplib, plus room for new clients when every worker is taken.
//
// cpp-httplib 0.11.4 gives each connection one worker thread for its whole keep-alive life and
// times out each read on its own, so by itself:
//   - a client that sends a byte every few seconds (slowloris) holds a worker for ever;
//   - a client may send header lines without end, and the server keeps every one in memory;
//   - idle keep-alive connections hold workers that newly arrived clients wait for.
// The guard watches every connection from one thread (10 times a second) and shuts down the
// socket (shutdown(2): the blocked worker sees the end of the stream and lets go) of a connection
//   - whose request head (request line and headers) has not fully arrived within the request
//     timeout of its first byte: 408;
//   - whose request head grows past max_head_bytes (64 KiB): 431;
//   - whose request body has not fully arrived within the request timeout: 408;
//   - whose response the client has not taken within the response timeout (60 s: answers are at
//     most a few hundred KB, and slow links must still get them);
//   - that sits idle between requests while other connections wait for a worker (HTTP lets a
//     server close an idle keep-alive connection at any time; clients open a new one).
// The 408 and 431 answers are sent only when the socket can take them at once.
//
// The HTTP front tells the guard where each connection is, from the worker thread serving it:
// request_parsed() when the head is read (pre-routing), body_read() when the body is in,
// responding() before the response is written (post-routing), responded() after (the logger).
// Sizes come from the kernel (TCP_INFO bytes received), so they need Linux; elsewhere only the
// deadlines apply.
#pragma once

#include <chrono>       // std::chrono
#include <condition_variable>
#include <cstddef>      // std::size_t
#include <functional>   // std::function
#include <list>         // std::list
#include <mutex>        // std::mutex
#include <thread>       // std::thread

namespace grove {

class ConnectionGuard {
public:
    struct Limits {
        std::chrono::milliseconds request_timeout{5000};
        std::size_t max_head_bytes = 64 * 1024;
        std::chrono::milliseconds response_timeout{60000};
        // An idle connection is closed for a waiting one only after this long idle.
        std::chrono::milliseconds min_idle{100};
    };

    // waiting(): how many accepted connections wait for a worker right now.
    ConnectionGuard(Limits limits, std::function<std::size_t()> waiting);
    ~ConnectionGuard();
    ConnectionGuard(const ConnectionGuard&) = delete;
    ConnectionGuard& operator=(const ConnectionGuard&) = delete;

    struct Watched;

    // Watches a connection while the current thread serves it.
    class Scope {
    public:
        Scope(ConnectionGuard& guard, int socket);
        ~Scope();
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        ConnectionGuard& guard_;
        std::list<Watched>::iterator it_;
    };

    // Where the connection served by the calling thread is; no-ops outside a Scope.
    // request_parsed() and body_read() return false when the guard has already ended the
    // connection (its deadline passed just as the request came in): the request must then not
    // be carried out, since the client was told it timed out.
    static bool request_parsed(bool body_follows);
    static bool body_read();
    static void responding();
    static void responded();

private:
    enum class Phase { head, body, working, responding };
    bool set_phase(Phase phase);   // false: the connection was ended
    void watch();
    void end(Watched& w, int status);

    Limits limits_;
    std::function<std::size_t()> waiting_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::list<Watched> watched_;
    std::thread watcher_;
};

}  // namespace grove

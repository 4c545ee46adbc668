// Kept apart from httplib.h on purpose: <linux/tcp.h> (TCP_INFO with tcpi_bytes_received) and
// <netinet/tcp.h> (which httplib.h includes) cannot be included together.
#include "connection_guard.hpp"

#include <linux/tcp.h>    // TCP_INFO, struct tcp_info
#include <netinet/in.h>   // IPPROTO_TCP
#include <sys/ioctl.h>    // ioctl, FIONREAD
#include <sys/socket.h>   // shutdown, send, getsockopt
#include <unistd.h>       // dup, close

#include <algorithm>      // std::sort
#include <cstddef>        // offsetof
#include <cstdint>        // std::uint64_t
#include <cstdio>         // std::fprintf
#include <string>         // std::string
#include <vector>         // std::vector

namespace grove {

using Clock = std::chrono::steady_clock;

struct ConnectionGuard::Watched {
    int fd = -1;                       // a dup of the socket: stays valid until the Scope ends
    Phase phase = Phase::head;
    Clock::time_point since;           // when the phase began
    std::uint64_t consumed = 0;        // head: bytes the server had read when the phase began
    bool reading = false;              // head: the first byte of the request has arrived
    Clock::time_point reading_since;
    bool ended = false;
};

namespace {

thread_local ConnectionGuard* current_guard = nullptr;
thread_local ConnectionGuard::Watched* current = nullptr;

// Bytes the kernel has received on the socket, and how many of them nobody has read yet.
bool bytes_of(int fd, std::uint64_t& received, std::uint64_t& unread) {
    tcp_info info{};
    socklen_t size = sizeof info;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0 ||
        size < offsetof(tcp_info, tcpi_bytes_received) + sizeof info.tcpi_bytes_received)
        return false;
    int pending = 0;
    if (ioctl(fd, FIONREAD, &pending) != 0) pending = 0;
    received = info.tcpi_bytes_received;
    unread = static_cast<std::uint64_t>(pending);
    return true;
}

std::string answer(int status) {
    const char* reason = status == 431 ? "Request Header Fields Too Large" : "Request Timeout";
    const std::string body =
        status == 431
            ? R"({"error":{"code":"headers_too_large","message":"The request's URL and headers are larger than 64 KiB."}})"
            : R"({"error":{"code":"request_timeout","message":"The request did not arrive in time; send it again."}})";
    return "HTTP/1.1 " + std::to_string(status) + " " + reason +
           "\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

ConnectionGuard::ConnectionGuard(Limits limits, std::function<std::size_t()> waiting)
    : limits_(limits), waiting_(std::move(waiting)), watcher_([this] { watch(); }) {}

ConnectionGuard::~ConnectionGuard() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    watcher_.join();
}

ConnectionGuard::Scope::Scope(ConnectionGuard& guard, int socket) : guard_(guard) {
    Watched w;
    w.fd = ::dup(socket);
    w.since = Clock::now();
    std::lock_guard lock(guard_.mutex_);
    it_ = guard_.watched_.insert(guard_.watched_.end(), w);
    current_guard = &guard_;
    current = &*it_;
}

ConnectionGuard::Scope::~Scope() {
    std::lock_guard lock(guard_.mutex_);
    if (it_->fd >= 0) ::close(it_->fd);
    guard_.watched_.erase(it_);
    current_guard = nullptr;
    current = nullptr;
}

bool ConnectionGuard::set_phase(Phase phase) {
    std::lock_guard lock(mutex_);
    Watched& w = *current;
    if (w.ended) return false;
    w.phase = phase;
    w.since = Clock::now();
    if (phase == Phase::head) {
        // What arrives from now on is the next request.
        std::uint64_t received = 0, unread = 0;
        w.consumed = bytes_of(w.fd, received, unread) ? received - unread : 0;
        w.reading = false;
    }
    return true;
}

bool ConnectionGuard::request_parsed(bool body_follows) {
    return !current_guard || current_guard->set_phase(body_follows ? Phase::body : Phase::working);
}
bool ConnectionGuard::body_read() { return !current_guard || current_guard->set_phase(Phase::working); }
void ConnectionGuard::responding() {
    if (current_guard) current_guard->set_phase(Phase::responding);
}
void ConnectionGuard::responded() {
    if (current_guard) current_guard->set_phase(Phase::head);
}

void ConnectionGuard::end(Watched& w, int status) {
    if (status != 0) {
        const std::string text = answer(status);
        (void)::send(w.fd, text.data(), text.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    }
    ::shutdown(w.fd, SHUT_RDWR);
    w.ended = true;
}

void ConnectionGuard::watch() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, std::chrono::milliseconds(100));
        if (stopping_) break;
        const auto now = Clock::now();
        std::vector<Watched*> idle;   // idle between requests, oldest first below
        for (Watched& w : watched_) {
            if (w.ended || w.fd < 0) continue;
            switch (w.phase) {
                case Phase::head: {
                    std::uint64_t received = 0, unread = 0;
                    if (!bytes_of(w.fd, received, unread)) {
                        // Without byte counts: the idle wait and the head together get both timeouts.
                        if (now - w.since > 2 * limits_.request_timeout) end(w, 408);
                        break;
                    }
                    const std::uint64_t head = received > w.consumed ? received - w.consumed : 0;
                    if (head > 0 && !w.reading) {
                        w.reading = true;
                        w.reading_since = now;
                    }
                    if (head > limits_.max_head_bytes) end(w, 431);
                    else if (w.reading && now - w.reading_since > limits_.request_timeout) end(w, 408);
                    else if (!w.reading && unread == 0 && now - w.since > limits_.min_idle) idle.push_back(&w);
                    break;
                }
                case Phase::body:
                    if (now - w.since > limits_.request_timeout) end(w, 408);
                    break;
                case Phase::responding:
                    if (now - w.since > limits_.response_timeout) end(w, 0);
                    break;
                case Phase::working:
                    break;
            }
        }
        // Make room for connections waiting for a worker: close as many idle ones, oldest first.
        std::size_t waiting = idle.empty() || !waiting_ ? 0 : waiting_();
        if (waiting == 0) continue;
        std::sort(idle.begin(), idle.end(), [](const Watched* a, const Watched* b) { return a->since < b->since; });
        for (Watched* w : idle) {
            if (waiting-- == 0) break;
            end(*w, 0);
        }
    }
}

}  // namespace grove

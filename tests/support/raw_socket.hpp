// A raw TCP connection to a test server on 127.0.0.1, for what an HTTP client library would not
// do: half a request, pipelined requests, conflicting headers, a byte now and then, a small
// receive window, reading slowly. The server tests (tests/server/) and the hardening tests
// (tests/hardening/) both use it; the event stream client connects with connect_loopback().
#pragma once

#include <doctest/doctest.h>

#include <arpa/inet.h>    // inet_pton
#include <netinet/in.h>   // sockaddr_in
#include <poll.h>         // poll
#include <sys/socket.h>   // socket, connect, setsockopt, send, recv
#include <unistd.h>       // close

#include <algorithm>   // std::clamp
#include <cerrno>      // errno
#include <chrono>      // std::chrono
#include <climits>     // INT_MAX
#include <cstdint>     // uint16_t
#include <string>      // std::string
#include <thread>      // std::this_thread

namespace grove::test {

using Clock = std::chrono::steady_clock;
// How long a test waits for something the server is sure to do: far longer than it takes, so
// only a server that never does it fails the test, however loaded the machine.
constexpr auto kPatience = std::chrono::seconds(60);

inline sockaddr_in loopback(int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    return addr;
}

// A socket connected to the port; fails the test when the server does not accept.
// receive_buffer > 0: the socket's receive buffer (SO_RCVBUF, set before connecting, so the
// window the server sees is that small).
inline int connect_loopback(int port, int receive_buffer = 0) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    if (receive_buffer > 0)
        REQUIRE(::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer) == 0);
    const sockaddr_in addr = loopback(port);
    REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
    return fd;
}

// Whether a new connection to the port is accepted (false: refused, nobody listens).
inline bool accepts_connections(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const sockaddr_in addr = loopback(port);
    const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

class RawSocket {
public:
    explicit RawSocket(int port, int receive_buffer = 0) : fd_(connect_loopback(port, receive_buffer)) {}
    ~RawSocket() { ::close(fd_); }
    RawSocket(const RawSocket&) = delete;
    RawSocket& operator=(const RawSocket&) = delete;
    int fd() const { return fd_; }

    // Sends everything; false when the server closed or reset the connection. A server that
    // stops reading but keeps the connection open would block a plain send for ever: after
    // `stall` without room for another byte this gives up too (false).
    bool send_all(const std::string& data, Clock::duration stall = kPatience) {
        std::size_t sent = 0;
        while (sent < data.size()) {
            pollfd p{fd_, POLLOUT, 0};
            if (::poll(&p, 1, poll_ms(stall)) <= 0 || (p.revents & (POLLERR | POLLHUP))) return false;
            const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (n <= 0) return false;
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }
    // Waits up to `wait` for bytes or the end of the connection and appends what one read gives
    // (chunk > 0: at most that many bytes). False once the connection has ended (EOF, or reset
    // by the server); true while it is open, whether bytes came or not.
    bool read_some(std::string& out, Clock::duration wait, std::size_t chunk = 0) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, poll_ms(wait)) <= 0) return true;   // nothing yet, still open
        char buf[8192];
        const std::size_t want = chunk > 0 && chunk < sizeof buf ? chunk : sizeof buf;
        const ssize_t n = ::recv(fd_, buf, want, MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
        if (n <= 0) return false;
        out.append(buf, static_cast<std::size_t>(n));
        return true;
    }
    // Everything until the server closes the connection (EOF or reset), or `limit` passes;
    // `closed` (if given) says which it was.
    std::string read_until_closed(bool* closed = nullptr, Clock::duration limit = kPatience) {
        std::string out;
        const bool ended = read_until(out, [] { return false; }, limit);
        if (closed) *closed = ended;
        return out;
    }
    // Reads until `out` holds `text` (true), or the connection ends or `limit` passes (false).
    bool read_until_text(std::string& out, const std::string& text, Clock::duration limit = kPatience) {
        read_until(out, [&] { return out.find(text) != std::string::npos; }, limit);
        return out.find(text) != std::string::npos;
    }
    // Reads until `out` holds at least `size` bytes (true), or the connection ends or `limit`
    // passes (false). chunk > 0: at most that many bytes per read, with `pause` after each.
    bool read_until_size(std::string& out, std::size_t size, std::size_t chunk = 0,
                         Clock::duration pause = Clock::duration::zero(), Clock::duration limit = kPatience) {
        read_until(out, [&] { return out.size() >= size; }, limit, chunk, pause);
        return out.size() >= size;
    }

private:
    // Appends what arrives until done() (returns false), the end of the connection (true) or
    // `limit` (false).
    template <class Done>
    bool read_until(std::string& out, Done done, Clock::duration limit, std::size_t chunk = 0,
                    Clock::duration pause = Clock::duration::zero()) {
        const auto deadline = Clock::now() + limit;
        while (!done()) {
            const auto left = deadline - Clock::now();
            if (left <= Clock::duration::zero()) return false;
            const std::size_t before = out.size();
            if (!read_some(out, left, chunk)) return true;
            if (out.size() > before && pause > Clock::duration::zero()) std::this_thread::sleep_for(pause);
        }
        return false;
    }
    // poll()'s timeout: whole milliseconds, rounded up so that a wait that is not over yet
    // does not become a busy loop of zero-length polls.
    static int poll_ms(Clock::duration d) {
        const auto ms = std::chrono::ceil<std::chrono::milliseconds>(d).count();
        return static_cast<int>(std::clamp<long long>(ms, 0, INT_MAX));
    }

    int fd_ = -1;
};

}  // namespace grove::test

// A raw TCP connection to a test server, for what an HTTP client library would not do: half a
// request, pipelined requests, a small receive window, reading slowly.
#pragma once

#include <doctest/doctest.h>

#include <arpa/inet.h>    // inet_pton
#include <netinet/in.h>   // sockaddr_in
#include <poll.h>         // poll
#include <sys/socket.h>   // socket, connect, setsockopt
#include <unistd.h>       // close

#include <chrono>    // std::chrono
#include <cstdint>   // uint16_t
#include <string>    // std::string
#include <thread>    // std::this_thread

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
    // receive_buffer > 0: the socket's receive buffer (SO_RCVBUF, set before connecting, so the
    // window the server sees is that small).
    explicit RawSocket(int port, int receive_buffer = 0) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (receive_buffer > 0)
            REQUIRE(::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer) == 0);
        const sockaddr_in addr = loopback(port);
        REQUIRE(::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
    }
    ~RawSocket() { ::close(fd_); }
    RawSocket(const RawSocket&) = delete;
    RawSocket& operator=(const RawSocket&) = delete;
    int fd() const { return fd_; }

    bool send_all(const std::string& data) {
        std::size_t sent = 0;
        while (sent < data.size()) {
            const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return false;
            sent += static_cast<std::size_t>(n);
        }
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
    // Appends what arrives until done() or the end of the connection (returns true) or `limit`.
    template <class Done>
    bool read_until(std::string& out, Done done, Clock::duration limit, std::size_t chunk = 0,
                    Clock::duration pause = Clock::duration::zero()) {
        const auto deadline = Clock::now() + limit;
        char buf[4096];
        const std::size_t want = chunk > 0 && chunk < sizeof buf ? chunk : sizeof buf;
        while (!done()) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            if (left <= 0) return false;
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
            const ssize_t n = ::recv(fd_, buf, want, 0);
            if (n <= 0) return true;   // EOF, or reset by the server
            out.append(buf, static_cast<std::size_t>(n));
            if (pause > Clock::duration::zero()) std::this_thread::sleep_for(pause);
        }
        return false;
    }

    int fd_ = -1;
};

}  // namespace grove::test

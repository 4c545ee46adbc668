// An event stream (GET /api/v1/events) read over a raw socket, as fetch() in the widget would:
// for the real-HTTP tests of live updates.
#pragma once

#include <poll.h>         // poll
#include <sys/socket.h>   // send, recv
#include <unistd.h>       // close

#include <algorithm>      // std::max
#include <chrono>         // std::chrono
#include <string>         // std::string

#include <doctest/doctest.h>

#include "raw_socket.hpp"

namespace grove::test {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

// One event stream read over a raw socket, as fetch() in the widget would.
class EventStream {
public:
    EventStream(int port, const std::string& modules, const std::string& token) {
        fd_ = connect_loopback(port);
        const std::string req = "GET /api/v1/events?modules=" + modules + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                "Authorization: Bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n";
        REQUIRE(::send(fd_, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size()));
    }
    ~EventStream() {
        if (fd_ >= 0) ::close(fd_);
    }
    EventStream(const EventStream&) = delete;
    EventStream& operator=(const EventStream&) = delete;

    // Reads until `text` is in the stream (after the header) or `timeout` passes.
    bool wait_for(const std::string& text, milliseconds timeout = seconds(5)) {
        const auto deadline = steady_clock::now() + timeout;
        while (body().find(text) == std::string::npos) {
            if (steady_clock::now() >= deadline || !read_some(deadline)) return body().find(text) != std::string::npos;
        }
        return true;
    }
    // Reads until the server closes the connection; false if it is still open after `timeout`.
    bool wait_closed(milliseconds timeout) {
        const auto deadline = steady_clock::now() + timeout;
        while (steady_clock::now() < deadline)
            if (!read_some(deadline)) return closed_;
        return false;
    }
    std::string head() const { return raw_.substr(0, raw_.find("\r\n\r\n") + 4); }
    // The stream's text, chunk framing removed (complete chunks only).
    std::string body() const {
        std::string out;
        std::size_t at = raw_.find("\r\n\r\n");
        if (at == std::string::npos) return out;
        at += 4;
        for (;;) {
            const std::size_t eol = raw_.find("\r\n", at);
            if (eol == std::string::npos) return out;
            const std::size_t size = std::stoul(raw_.substr(at, eol - at), nullptr, 16);
            if (size == 0 || raw_.size() < eol + 2 + size + 2) return out;
            out += raw_.substr(eol + 2, size);
            at = eol + 2 + size + 2;
        }
    }
    bool ended_cleanly() const { return raw_.size() >= 5 && raw_.compare(raw_.size() - 5, 5, "0\r\n\r\n") == 0; }
    int count(const std::string& text) const {
        int n = 0;
        const std::string b = body();
        for (auto at = b.find(text); at != std::string::npos; at = b.find(text, at + 1)) ++n;
        return n;
    }

private:
    bool read_some(steady_clock::time_point deadline) {
        const auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now()).count();
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(std::max<long long>(left, 0))) <= 0) return false;
        char buf[16384];
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) {
            closed_ = true;
            return false;
        }
        raw_.append(buf, static_cast<std::size_t>(n));
        return true;
    }
    int fd_ = -1;
    bool closed_ = false;
    std::string raw_;
};

}  // namespace grove::test

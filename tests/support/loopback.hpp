// A TCP connection to 127.0.0.1:port for tests that speak raw HTTP (event streams, requests no
// HTTP library would send).
#pragma once

#include <arpa/inet.h>    // inet_pton
#include <netinet/in.h>   // sockaddr_in
#include <sys/socket.h>   // socket, connect

#include <cstdint>        // uint16_t

#include <doctest/doctest.h>

namespace grove::test {

// The connected socket; fails the test when the server does not accept.
inline int connect_loopback(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    return fd;
}

}  // namespace grove::test

// Large cached answers sent from a file (sendfile) over real sockets: a feed page of 16 KiB and
// more taken as it is goes out whole and byte for byte what a fresh read gives, pipelined, to a
// reader with a tiny window that reads slowly, over HTTP/1.0, and to clients that leave halfway;
// a write makes the next page new. And SharedBody's file itself: its bytes, sealed, only for
// large bodies, and never more than kMaxSendFiles of them.
#include <doctest/doctest.h>

#include <fcntl.h>        // fcntl, F_GET_SEALS
#include <sys/socket.h>   // setsockopt, SO_LINGER
#include <sys/stat.h>     // fstat
#include <unistd.h>       // pread, write

#include <memory>   // std::unique_ptr
#include <string>   // std::string
#include <vector>   // std::vector

#include "compression.hpp"   // SharedBody, kSendFileMinBytes
#include "http_test_support.hpp"
#include "raw_socket.hpp"

using namespace grove;
using namespace grove::test;

namespace {

const std::string kAnn = HttpApi::token("ann");
const std::string kFeed = "/api/v1/modules/m/posts?limit=200";

std::string get_request(const std::string& version = "HTTP/1.1", const std::string& extra = "") {
    return "GET " + kFeed + " " + version + "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kAnn + "\r\n" + extra +
           "\r\n";
}

// One answer off the front of `wire`: its head and its body (Content-Length bytes); false when
// `wire` does not hold a whole answer yet.
struct Answer {
    std::string head;
    std::string body;
};
bool take_answer(std::string& wire, Answer& a) {
    const auto end = wire.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    const std::string head = wire.substr(0, end + 2);
    const auto at = head.find("Content-Length: ");
    REQUIRE_MESSAGE(at != std::string::npos, "no Content-Length in " << head);
    const std::size_t length = std::stoul(head.substr(at + 16));
    if (wire.size() < end + 4 + length) return false;
    a.head = head;
    a.body = wire.substr(end + 4, length);
    wire.erase(0, end + 4 + length);
    return true;
}

// A module with a feed page of about 60 KB (120 posts), and that page as a fresh read gives it
// (the first read builds it and leaves it in the server's cache).
std::string seed_large_feed(HttpApi& api, int posts = 120) {
    for (int i = 0; i < posts; ++i)
        REQUIRE(api.call("POST", "/api/v1/modules/m/posts", kAnn,
                         create_json("p" + std::to_string(i),
                                     "Reflection " + std::to_string(i) +
                                         ": after the module I changed how our team hands over a shift, and the "
                                         "checklist we wrote together is now on the wall next to the door."))
                    .status == 201);
    const auto fresh = api.call("GET", kFeed, kAnn);
    REQUIRE(fresh.status == 200);
    REQUIRE(fresh.body.size() >= kSendFileMinBytes);
    REQUIRE(fresh.json()["posts"].size() == static_cast<std::size_t>(posts));
    return fresh.body;
}

}  // namespace

TEST_CASE("http sendfile: pipelined cached pages reach a slow reader with a tiny window, whole") {
    HttpApi api;
    const std::string fresh = seed_large_feed(api);
    // Three pages asked at once, then a small answer; the client's window is 4 KiB and it reads
    // 1 KiB at a time with pauses, so the server's socket fills and each page goes out in parts.
    RawSocket s(api.port(), 4096);
    REQUIRE(s.send_all(get_request() + get_request() + get_request() +
                       "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    std::string wire;
    REQUIRE(s.read_until_size(wire, 3 * fresh.size(), 1024, std::chrono::microseconds(200)));
    for (int i = 0; i < 3; ++i) {
        Answer a;
        while (!take_answer(wire, a)) REQUIRE(s.read_until_size(wire, wire.size() + 1));
        CAPTURE(i);
        CHECK(a.head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
        CHECK(a.head.find("Content-Encoding") == std::string::npos);
        CHECK(a.head.find("Content-Type: application/json") != std::string::npos);
        CHECK(a.head.find("Cache-Control: no-store") != std::string::npos);
        CHECK(a.body.size() == fresh.size());
        CHECK(a.body == fresh);
    }
    Answer health;
    while (!take_answer(wire, health)) REQUIRE(s.read_until_size(wire, wire.size() + 1));
    CHECK(health.head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(wire.empty());   // nothing after the last answer: no stray bytes between them either
}

TEST_CASE("http sendfile: HTTP/1.0 gets the page whole, then the connection ends") {
    HttpApi api;
    const std::string fresh = seed_large_feed(api);
    RawSocket s(api.port());
    REQUIRE(s.send_all(get_request("HTTP/1.0")));
    bool closed = false;
    std::string wire = s.read_until_closed(&closed);
    CHECK(closed);
    Answer a;
    REQUIRE(take_answer(wire, a));
    CHECK(a.head.rfind("HTTP/1.0 200 OK\r\n", 0) == 0);
    CHECK(a.body == fresh);
    CHECK(wire.empty());
}

TEST_CASE("http sendfile: clients that leave halfway do not disturb the others, and a write renews the page") {
    HttpApi api;
    const std::string fresh = seed_large_feed(api);
    for (int i = 0; i < 8; ++i) {
        RawSocket s(api.port(), 4096);
        REQUIRE(s.send_all(get_request()));
        std::string wire;
        REQUIRE(s.read_until_size(wire, 1000));
        if (i % 2 == 0) {   // a reset (RST) rather than a FIN for half of them
            const linger hard{1, 0};
            REQUIRE(::setsockopt(s.fd(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard) == 0);
        }
    }   // each closes here, its page half sent
    const auto again = api.call("GET", kFeed, kAnn);
    REQUIRE(again.status == 200);
    CHECK(again.body == fresh);

    REQUIRE(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("late", "A late reflection.")).status == 201);
    RawSocket s(api.port());
    REQUIRE(s.send_all(get_request() + get_request()));
    std::string wire;
    Answer first, second;
    while (!take_answer(wire, first)) REQUIRE(s.read_until_size(wire, wire.size() + 1));
    while (!take_answer(wire, second)) REQUIRE(s.read_until_size(wire, wire.size() + 1));
    CHECK(first.body != fresh);
    CHECK(first.body.find("\"id\":\"late\"") != std::string::npos);
    CHECK(second.body == first.body);
    CHECK(Json::parse(second.body)["posts"].size() == 121);
}

TEST_CASE("SharedBody::file: the bytes in a sealed file, made once, only for large bodies") {
    CHECK(SharedBody(std::string(kSendFileMinBytes - 1, 'x')).file() == -1);

    std::string bytes;
    for (int i = 0; bytes.size() < 3 * kSendFileMinBytes + 7; ++i) bytes += std::to_string(i) + ",";
    const SharedBody body(bytes);
    const int fd = body.file();
    REQUIRE(fd >= 0);
    CHECK(body.file() == fd);
    struct stat st{};
    REQUIRE(::fstat(fd, &st) == 0);
    CHECK(static_cast<std::size_t>(st.st_size) == bytes.size());
    std::string back(bytes.size(), '\0');
    CHECK(::pread(fd, back.data(), back.size(), 0) == static_cast<ssize_t>(back.size()));
    CHECK(back == bytes);
    const int seals = ::fcntl(fd, F_GET_SEALS);
    CHECK((seals & F_SEAL_WRITE) != 0);
    CHECK((seals & F_SEAL_GROW) != 0);
    CHECK((seals & F_SEAL_SHRINK) != 0);
    CHECK(::write(fd, "y", 1) == -1);   // sealed: what the cache sends cannot change under it
}

TEST_CASE("SharedBody::file: at most kMaxSendFiles at once, and a body refused for want of room gets one later") {
    const std::string bytes(kSendFileMinBytes, 'z');
    std::vector<std::unique_ptr<SharedBody>> held;
    for (int i = 0; i < kMaxSendFiles; ++i) {
        held.push_back(std::make_unique<SharedBody>(bytes));
        REQUIRE(held.back()->file() >= 0);
    }
    const SharedBody late(bytes);
    CHECK(late.file() == -1);   // sent from memory meanwhile
    held.pop_back();            // the cache dropped one
    CHECK(late.file() >= 0);
}

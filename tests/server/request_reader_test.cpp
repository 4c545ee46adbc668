// RequestReader in process: what the HTTP front reads from the bytes of a request, and what it
// refuses before anything is carried out (request smuggling, ambiguous line endings, sizes).
// The same requests go over real sockets in tests/hardening/security_abuse_test.cpp.
#include <doctest/doctest.h>

#include <string>   // std::string

#include "request_reader.hpp"

using namespace grove;

namespace {

struct ReadOutcome {
    RequestReader::State state;
    int status = 0;            // the refusal's status
    HttpRequest request;       // when complete
    std::size_t consumed = 0;
};

// Feeds `bytes` in pieces of `step` bytes (0: all at once), as a socket might deliver them.
ReadOutcome read(const std::string& bytes, std::size_t step = 0) {
    RequestReader reader;
    std::string pending;
    ReadOutcome o;
    std::size_t offered = 0;
    while (true) {
        const std::size_t n = step == 0 ? bytes.size() - offered : std::min(step, bytes.size() - offered);
        pending += bytes.substr(offered, n);
        offered += n;
        for (;;) {
            const std::size_t used = reader.feed(pending);
            pending.erase(0, used);
            o.consumed += used;
            if (used == 0 || pending.empty() || reader.state() == RequestReader::State::complete ||
                reader.state() == RequestReader::State::refused)
                break;
        }
        if (reader.state() == RequestReader::State::complete || reader.state() == RequestReader::State::refused ||
            offered == bytes.size())
            break;
    }
    o.state = reader.state();
    if (o.state == RequestReader::State::refused) o.status = reader.refusal().status;
    if (o.state == RequestReader::State::complete) o.request = reader.take();
    return o;
}

int refused_with(const std::string& bytes) {
    const ReadOutcome all = read(bytes);
    const ReadOutcome bytewise = read(bytes, 1);
    CHECK(all.status == bytewise.status);   // however the bytes arrive
    return all.state == RequestReader::State::refused ? all.status : 0;
}

const std::string kPost = "POST /api/v1/modules/m/posts HTTP/1.1\r\nHost: x\r\n";

}  // namespace

TEST_CASE("request reader: a GET, a POST with a body and a chunked POST, in one piece and byte by byte") {
    for (std::size_t step : {std::size_t{0}, std::size_t{1}, std::size_t{7}}) {
        CAPTURE(step);
        ReadOutcome get = read("GET /api/v1/health?x=1 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n", step);
        REQUIRE(get.state == RequestReader::State::complete);
        CHECK(get.request.method == "GET");
        CHECK(get.request.target == "/api/v1/health?x=1");
        CHECK(get.request.headers.find("accept")->second == "*/*");
        CHECK(get.request.keep_alive);

        ReadOutcome post = read(kPost + "Content-Length: 5\r\n\r\nhello", step);
        REQUIRE(post.state == RequestReader::State::complete);
        CHECK(post.request.body == "hello");

        ReadOutcome chunked = read(kPost + "Transfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n", step);
        REQUIRE(chunked.state == RequestReader::State::complete);
        CHECK(chunked.request.body == "hello");
    }
    // A second request after the first stays unconsumed (pipelining), and HTTP/1.0 closes.
    const std::string two = "GET /a HTTP/1.0\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n";
    RequestReader reader;
    const std::size_t used = reader.feed(two);
    REQUIRE(reader.state() == RequestReader::State::complete);
    CHECK(two.substr(used).rfind("GET /b", 0) == 0);
    CHECK_FALSE(reader.take().keep_alive);
    CHECK(reader.state() == RequestReader::State::idle);
}

TEST_CASE("request reader: bare LF, bare CR and obs-folded lines are refused with 400") {
    CHECK(refused_with("GET /api/v1/health HTTP/1.1\nHost: x\n\n") == 400);
    CHECK(refused_with("GET /api/v1/health HTTP/1.1\r\nHost: x\n\r\n") == 400);
    CHECK(refused_with("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-A: 1\n\r\n") == 400);
    CHECK(refused_with("GET /api/v1/health HTTP/1.1\r\nHost: x\rX-A: 1\r\n\r\n") == 400);
    CHECK(refused_with("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n") == 400);
    CHECK(refused_with("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n\tfolded\r\n\r\n") == 400);
    CHECK(refused_with("GET /api/v1/health HTTP/1.1\r\n Host: x\r\n\r\n") == 400);
    // Refused as soon as the bare LF arrives, not after waiting for a CRLF CRLF that never comes.
    RequestReader reader;
    reader.feed("GET / HTTP/1.1\n");
    CHECK(reader.state() == RequestReader::State::refused);
}

TEST_CASE("request reader: framing a proxy could read differently is refused with 400") {
    const char* headers[] = {
        "Content-Length: %35\r\n",
        "Content-Length: 5\r\nContent-Length: 5\r\n",
        "Content-Length: 5, 5\r\n",
        "Content-Length: +5\r\n",
        "Content-Length: 0x5\r\n",
        "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
        "Transfer-Encoding: gzip, chunked\r\n",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: %63hunked\r\n",
        "Content-Length : 5\r\n",
        "Content\tLength: 5\r\n",
    };
    for (const char* h : headers) {
        CAPTURE(h);
        CHECK(refused_with(kPost + h + "\r\nhello") == 400);
    }
    CHECK(refused_with("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello") == 400);
    CHECK(refused_with("GET / HTTP/1.1\r\n\r\n") == 400);                          // no Host
    CHECK(refused_with("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400);   // two
    CHECK(refused_with(kPost + "Content-Length: 5\r\nExpect: 200-ok\r\n\r\nhello") == 417);
}

TEST_CASE("request reader: sizes - 413 from the head alone, 414, 400 for a long header line, 431") {
    CHECK(refused_with(kPost + "Content-Length: 65537\r\n\r\n") == 413);
    CHECK(refused_with(kPost + "Content-Length: 99999999999999999999\r\n\r\n") == 400);
    std::string chunked = kPost + "Transfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 5; ++i) chunked += "4000\r\n" + std::string(0x4000, 'x') + "\r\n";
    CHECK(refused_with(chunked) == 413);
    CHECK(refused_with("GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n") == 414);
    CHECK(refused_with("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'b') + "\r\n\r\n") == 400);
    std::string many = "GET / HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; many.size() < 70 * 1024; ++i) many += "X-" + std::to_string(i) + ": " + std::string(100, 'f') + "\r\n";
    CHECK(refused_with(many + "\r\n") == 431);
    // Exactly 64 KiB of body is read.
    const ReadOutcome exact = read(kPost + "Content-Length: 65536\r\n\r\n" + std::string(65536, 'y'));
    REQUIRE(exact.state == RequestReader::State::complete);
    CHECK(exact.request.body.size() == 65536);
}

TEST_CASE("request reader: Expect: 100-continue is asked for before the body") {
    RequestReader reader;
    reader.feed(kPost + "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    REQUIRE(reader.state() == RequestReader::State::body);
    CHECK(reader.wants_continue());
    reader.continue_sent();
    CHECK_FALSE(reader.wants_continue());
    reader.feed("hello");
    REQUIRE(reader.state() == RequestReader::State::complete);
    CHECK(reader.take().body == "hello");
}

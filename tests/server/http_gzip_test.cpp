// gzip for API answers over real HTTP: a client that takes gzip gets JSON of 1 KB and more
// compressed (a feed page from the cache too), the same JSON once inflated; a client that does
// not, or refuses it by q=0, gets the bytes as they are; small answers are never compressed.
#include <doctest/doctest.h>
#include <zlib.h>

#include <cstdint>  // std::uint32_t
#include <string>   // std::string

#include "compression.hpp"   // kSendFileMinBytes
#include "http_test_support.hpp"

using namespace grove;
using namespace grove::test;

namespace {

const std::string kAnn = HttpApi::token("ann");
const std::string kLea = HttpApi::token("lea", Role::leader);

// The answer's bytes as they came over the wire (the client inflates nothing).
HttpAnswer raw_get(const HttpApi& api, const std::string& target, const std::string& token,
                   const std::string& accept_encoding, const std::string& method = "GET") {
    httplib::Client client("127.0.0.1", api.port());
    client.set_decompress(false);
    client.set_read_timeout(30, 0);
    httplib::Request req;
    req.method = method;
    req.path = target;
    req.headers.emplace("Authorization", "Bearer " + token);
    req.headers.emplace("Accept-Encoding", accept_encoding);
    HttpAnswer a;
    auto res = client.send(req);
    REQUIRE(res);
    a.status = res->status;
    a.headers = res->headers;
    a.body = res->body;
    return a;
}

// gzip's member format (RFC 1952), inflated; throws the test on anything else.
std::string gunzip(const std::string& bytes) {
    z_stream z{};
    REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);   // 15 + 16: gzip only, not zlib or raw deflate
    std::string out;
    char chunk[16384];
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    z.avail_in = static_cast<uInt>(bytes.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(chunk);
        z.avail_out = sizeof chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(chunk, sizeof chunk - z.avail_out);
    }
    inflateEnd(&z);
    REQUIRE_MESSAGE(rc == Z_STREAM_END, "not one whole gzip member: " << rc);
    return out;
}

std::string reflection(int i) {
    return "Reflection " + std::to_string(i) +
           ": after the module I changed how our team hands over a shift, and the checklist we wrote "
           "together is now on the wall next to the door.";
}

}  // namespace

TEST_CASE("http gzip: a feed page is gzip for clients that take it, the same JSON, also from the cache") {
    HttpApi api;
    for (int i = 0; i < 30; ++i)
        REQUIRE(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("p" + std::to_string(i), reflection(i)))
                    .status == 201);
    const std::string feed = "/api/v1/modules/m/posts?limit=200";

    const auto plain = raw_get(api, feed, kAnn, "identity");
    REQUIRE(plain.status == 200);
    CHECK(plain.header("Content-Encoding").empty());
    CHECK(plain.header("Vary").find("Accept-Encoding") != std::string::npos);
    REQUIRE(plain.json()["posts"].size() == 30);

    // The first asks a worker to make the gzip form; the second gets it from the cache, as is.
    const auto first = raw_get(api, feed, kAnn, "gzip, deflate, br");
    const auto second = raw_get(api, feed, kAnn, "gzip");
    for (const auto* a : {&first, &second}) {
        REQUIRE(a->status == 200);
        CHECK(a->header("Content-Encoding") == "gzip");
        CHECK(a->header("Vary").find("Accept-Encoding") != std::string::npos);
        CHECK(a->header("Content-Type").rfind("application/json", 0) == 0);
        CHECK(a->header("Content-Length") == std::to_string(a->body.size()));
        CHECK(gunzip(a->body) == plain.body);
    }
    CHECK(second.body == first.body);
    CHECK(first.body.size() * 3 < plain.body.size());   // JSON of similar posts compresses well

    // A HEAD says the length the GET would have.
    const auto head = raw_get(api, feed, kAnn, "gzip", "HEAD");
    CHECK(head.status == 200);
    CHECK(head.header("Content-Encoding") == "gzip");
    CHECK(head.header("Content-Length") == std::to_string(first.body.size()));
    CHECK(head.body.empty());

    // Refused, or not offered: the bytes as they are.
    for (const char* refusing : {"gzip;q=0", "br", "deflate", "identity;q=1, gzip;q=0", ""}) {
        CAPTURE(refusing);
        const auto a = raw_get(api, feed, kAnn, refusing);
        CHECK(a.header("Content-Encoding").empty());
        CHECK(a.body == plain.body);
    }
    for (const char* taking : {"*", "x-gzip", "GZIP;q=0.5", "br;q=1, gzip;q=0.1"}) {
        CAPTURE(taking);
        const auto a = raw_get(api, feed, kAnn, taking);
        CHECK(a.header("Content-Encoding") == "gzip");
        CHECK(gunzip(a.body) == plain.body);
    }

    // A write makes a new page: its gzip form is new too.
    REQUIRE(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("p30", reflection(30))).status == 201);
    const auto after = raw_get(api, feed, kAnn, "gzip");
    CHECK(after.header("Content-Encoding") == "gzip");
    CHECK(Json::parse(gunzip(after.body))["posts"].size() == 31);
}

TEST_CASE("http gzip: a gzip form of 16 KiB and more goes out whole from its file, the same JSON") {
    HttpApi api;
    // Text that compresses as little as letters can (a fixed pseudo-random sequence), so the
    // page's gzip form is past kSendFileMinBytes and is sent with sendfile.
    std::uint32_t seed = 12345;
    for (int i = 0; i < 150; ++i) {
        std::string body;
        while (body.size() < 300) {
            seed = seed * 1664525u + 1013904223u;
            const std::uint32_t r = seed >> 24;
            body += r % 7 == 0 ? ' ' : static_cast<char>('a' + r % 26);
        }
        REQUIRE(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("r" + std::to_string(i), body)).status == 201);
    }
    const std::string feed = "/api/v1/modules/m/posts?limit=200";
    const auto plain = raw_get(api, feed, kAnn, "identity");
    REQUIRE(plain.status == 200);
    const auto first = raw_get(api, feed, kAnn, "gzip");    // a worker makes the gzip form
    const auto second = raw_get(api, feed, kAnn, "gzip");   // from the cache, on the event loop
    REQUIRE(first.body.size() >= kSendFileMinBytes);
    for (const auto* a : {&first, &second}) {
        REQUIRE(a->status == 200);
        CHECK(a->header("Content-Encoding") == "gzip");
        CHECK(a->header("Content-Length") == std::to_string(a->body.size()));
        CHECK(gunzip(a->body) == plain.body);
    }
    CHECK(second.body == first.body);
    CHECK(Json::parse(plain.body)["posts"].size() == 150);
}

TEST_CASE("http gzip: answers made for one request are compressed too, small ones never are") {
    HttpApi api;
    for (int i = 0; i < 10; ++i)
        REQUIRE(api.call("POST", "/api/v1/modules/m/posts", kLea,
                         create_json("l" + std::to_string(i), reflection(i), "leader_learning"))
                    .status == 201);
    const auto plain = raw_get(api, "/api/v1/spotlight?days=7", kAnn, "identity");
    const auto packed = raw_get(api, "/api/v1/spotlight?days=7", kAnn, "gzip");
    REQUIRE(plain.status == 200);
    REQUIRE(packed.status == 200);
    REQUIRE(plain.json()["posts"].size() == 10);
    CHECK(plain.header("Content-Encoding").empty());
    CHECK(packed.header("Content-Encoding") == "gzip");
    CHECK(gunzip(packed.body) == plain.body);

    // Under 1 KB: as it is, and nothing varies.
    const auto me = raw_get(api, "/api/v1/me", kAnn, "gzip");
    CHECK(me.status == 200);
    CHECK(me.header("Content-Encoding").empty());
    CHECK(me.header("Vary").find("Accept-Encoding") == std::string::npos);
    CHECK(me.json()["id"] == "ann");
    // Errors are small JSON: as they are.
    const auto error = raw_get(api, "/api/v1/modules/m/posts?limit=0", kAnn, "gzip");
    CHECK(error.status == 400);
    CHECK(error.header("Content-Encoding").empty());
    CHECK(error.code() == "bad_request");
}

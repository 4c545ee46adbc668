// What each HTTP status means for a queued write, and the backoff between attempts.
#include <doctest/doctest.h>

#include <random>

#include "grove/client/retry_policy.hpp"
#include "grove/client/token_identity.hpp"

using namespace grove;

TEST_CASE("retry policy: statuses") {
    CHECK(classify_status(200) == Answer::ok);
    CHECK(classify_status(201) == Answer::ok);
    CHECK(classify_status(202) == Answer::ok);
    CHECK(classify_status(401) == Answer::unauthorized);
    CHECK(classify_status(429) == Answer::rate_limited);
    for (int s : {400, 403, 404, 409, 413, 422}) CHECK(classify_status(s) == Answer::permanent);
    for (int s : {0, 408, 500, 502, 503, 504, 302}) CHECK(classify_status(s) == Answer::transient);
}

TEST_CASE("retry policy: backoff doubles up to the cap, with jitter in the upper half") {
    Backoff b(1000, 60000);
    std::mt19937_64 rng(42);
    std::int64_t ceiling = 1000;
    for (int i = 0; i < 12; ++i) {
        const std::int64_t d = b.next_delay_ms(rng());
        CHECK(d >= ceiling / 2);
        CHECK(d <= ceiling);
        ceiling = std::min<std::int64_t>(ceiling * 2, 60000);
    }
    CHECK(b.failures() == 12);
    b.reset();
    CHECK(b.next_delay_ms(rng()) <= 1000);

    // Two clients failing together do not retry in lockstep.
    Backoff x(1000, 60000), y(1000, 60000);
    int same = 0;
    for (int i = 0; i < 6; ++i) same += x.next_delay_ms(rng()) == y.next_delay_ms(rng());
    CHECK(same < 3);
}

TEST_CASE("token identity: the payload says who is signed in") {
    // {"alg":"HS256","typ":"JWT"} . {"sub":"u-1","name":"Ann Ö","role":"curator","exp":1790000000} . sig
    const std::string token =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
        "eyJzdWIiOiJ1LTEiLCJuYW1lIjoiQW5uIMOWIiwicm9sZSI6ImN1cmF0b3IiLCJleHAiOjE3OTAwMDAwMDB9."
        "c2ln";
    const auto t = read_token_identity(token);
    REQUIRE(t);
    CHECK(t->identity.id == "u-1");
    CHECK(t->identity.name == "Ann Ö");
    CHECK(t->identity.role == Role::curator);
    CHECK(t->identity.known);
    CHECK(t->exp_ms == std::optional<std::int64_t>(1'790'000'000'000));

    CHECK_FALSE(read_token_identity(""));
    CHECK_FALSE(read_token_identity("opaque-session-token"));
    CHECK_FALSE(read_token_identity("a.!!!.c"));
    CHECK_FALSE(read_token_identity("a.eyJzdWIiOiJ1In0.c"));   // {"sub":"u"}: no name or role
    CHECK(token_base64url_decode("SGk") == std::optional<std::string>("Hi"));
    CHECK(token_base64url_decode("SGk=") == std::optional<std::string>("Hi"));
    CHECK_FALSE(token_base64url_decode("S"));

    const auto me = identity_from_me_response(R"({"id":"u-9","name":"Zed","role":"leader"})");
    REQUIRE(me);
    CHECK(me->role == Role::leader);
    CHECK_FALSE(identity_from_me_response(R"({"id":"u-9","name":"Zed","role":"emperor"})"));
    CHECK_FALSE(identity_from_me_response("<html>"));
}

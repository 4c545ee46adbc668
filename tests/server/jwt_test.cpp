// HS256 token verification: what is accepted and every way a token is refused.
#include <doctest/doctest.h>

#include <vector>

#include "auth/base64url.hpp"
#include "auth/jwt.hpp"
#include "grove/wire.hpp"

using namespace grove;

namespace {
constexpr const char* kSecret = "unit-secret";
constexpr const char* kHeader = R"({"alg":"HS256","typ":"JWT"})";
constexpr std::int64_t kNow = 1'800'000'000;

Json claims() { return Json{{"sub", "u-1"}, {"name", "Ann"}, {"role", "curator"}, {"exp", kNow + 60}}; }

Expected<TokenClaims> verify(const Json& payload, const char* header = kHeader) {
    return verify_token(sign_jws_hs256(header, dump(payload), kSecret), kSecret, kNow);
}
}  // namespace

TEST_CASE("jwt: base64url round-trips and is strict") {
    for (const std::string& s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\xfe", 3)})
        CHECK(base64url_decode(base64url_encode(s)) == s);
    CHECK(base64url_encode("\xfb\xff") == "-_8");
    CHECK_FALSE(base64url_decode("Zm9v="));    // no padding
    CHECK_FALSE(base64url_decode("Zm+v"));     // not the URL alphabet
    CHECK_FALSE(base64url_decode("Zm9vY"));    // impossible length
    CHECK_FALSE(base64url_decode("Zh"));       // stray bits in the last character
}

TEST_CASE("jwt: a token signed by sign_token verifies with every claim") {
    TokenClaims c{"u-1", "Ann Smith", Role::leader, kNow + 10, kNow - 10, std::string("ops")};
    auto v = verify_token(sign_token(c, kSecret), kSecret, kNow);
    REQUIRE(v);
    CHECK(v->sub == "u-1");
    CHECK(v->name == "Ann Smith");
    CHECK(v->role == Role::leader);
    CHECK(v->exp == kNow + 10);
    CHECK(v->nbf == std::optional<std::int64_t>(kNow - 10));
    CHECK(v->team == std::optional<std::string>("ops"));
    CHECK(verify(claims()));
    Json fractional = claims();
    fractional["exp"] = kNow + 0.5 + 30;   // NumericDate may have a fraction
    CHECK(verify(fractional));
}

TEST_CASE("jwt: refused tokens are 401 unauthorized") {
    auto refused = [](const Expected<TokenClaims>& v, const char* what) {
        CAPTURE(what);
        REQUIRE_FALSE(v);
        CHECK(v.error().status == 401);
        CHECK(v.error().code == "unauthorized");
    };
    const std::string good = sign_jws_hs256(kHeader, dump(claims()), kSecret);
    refused(verify_token(good, "other-secret", kNow), "wrong secret");
    refused(verify_token(good, kSecret, kNow + 60), "exp reached");
    refused(verify_token("", kSecret, kNow), "empty");
    refused(verify_token(std::string(9000, 'a'), kSecret, kNow), "huge");
    refused(verify_token("a.b", kSecret, kNow), "two parts");
    refused(verify_token("..", kSecret, kNow), "empty parts");
    refused(verify(claims(), R"({"alg":"none"})"), "alg none");
    refused(verify(claims(), R"({"alg":"hs256"})"), "alg in lower case");
    refused(verify(claims(), R"({"alg":"RS256"})"), "alg RS256");
    refused(verify(claims(), R"({"typ":"JWT"})"), "no alg");
    refused(verify(claims(), R"({"alg":"HS256","crit":["exp"]})"), "critical extension");
    refused(verify(claims(), "not json"), "header not JSON");

    Json c = claims();
    c.erase("exp");
    refused(verify(c), "no exp");
    c = claims();
    c["exp"] = "tomorrow";
    refused(verify(c), "exp a string");
    c = claims();
    c["nbf"] = kNow + 1;
    refused(verify(c), "nbf in the future");
    c = claims();
    c["role"] = "superuser";
    refused(verify(c), "unknown role");
    c = claims();
    c.erase("sub");
    refused(verify(c), "no sub");
    c = claims();
    c["sub"] = "";
    refused(verify(c), "empty sub");
    c = claims();
    c["sub"] = 12;
    refused(verify(c), "sub a number");
    c = claims();
    c["name"] = std::string(101, 'n');
    refused(verify(c), "name too long");
    c = claims();
    c["name"] = "line\nbreak";
    refused(verify(c), "control character in name");
    c = claims();
    c["team"] = 5;
    refused(verify(c), "team a number");

    // A valid signature over a payload that is not JSON, or a signature of the wrong size.
    refused(verify_token(sign_jws_hs256(kHeader, "{", kSecret), kSecret, kNow), "payload not JSON");
    const auto dot = good.rfind('.');
    refused(verify_token(good.substr(0, dot + 1) + base64url_encode("short"), kSecret, kNow), "short signature");
    std::string flipped = good;
    flipped[dot + 3] = flipped[dot + 3] == 'A' ? 'B' : 'A';
    refused(verify_token(flipped, kSecret, kNow), "one signature character changed");
}

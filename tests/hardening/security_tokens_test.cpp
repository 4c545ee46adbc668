// Token tampering. tests/server/jwt_test.cpp and http_input_test.cpp refuse one example of each
// kind of bad token; here the attacks are systematic: every truncation and every one-character
// change of a valid token, headers swapped between tokens, every spelling of "none", expiry and
// not-before at the exact second (with the verified-token cache in the way), tokens smuggled
// through the URL, and forged tokens that try to spend another user's write budget.
#include <doctest/doctest.h>

#include "api_test_support.hpp"
#include "auth/base64url.hpp"
#include "hardening_support.hpp"

using namespace grove;
using namespace grove::test;

namespace {

constexpr const char* kHeader = R"({"alg":"HS256","typ":"JWT"})";

struct Parts {
    std::string header, payload, signature;
};

Parts split(const std::string& token) {
    const auto a = token.find('.'), b = token.rfind('.');
    return {token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
}

std::string claims_json(const std::string& sub, const char* role, std::int64_t exp, const std::string& extra = "") {
    return R"({"sub":")" + sub + R"(","name":"N","role":")" + role + R"(","exp":)" + std::to_string(exp) + extra + "}";
}

// 401 unauthorized with a message, and WWW-Authenticate: Bearer.
void refused(const ApiResponse& res) {
    CHECK(res.status == 401);
    CHECK(error_code(res) == "unauthorized");
    CHECK(!body_of(res)["error"]["message"].get<std::string>().empty());
    CHECK(res.header("WWW-Authenticate") == "Bearer");
}

}  // namespace

TEST_CASE("tokens: every truncation and every one-character change of a valid token is refused") {
    InProcessApi t;
    const std::string good = t.token("ann", Role::admin);
    REQUIRE(t.call("GET", "/api/v1/me", good).status == 200);
    for (std::size_t n = 0; n < good.size(); ++n) {
        CAPTURE(n);
        const auto res = t.call("GET", "/api/v1/me", good.substr(0, n));
        refused(res);
    }
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";
    for (std::size_t i = 0; i < good.size(); ++i) {
        std::string bad = good;
        bad[i] = alphabet[(alphabet.find(good[i]) + 1 + i) % alphabet.size()];
        if (bad == good) continue;
        CAPTURE(i);
        CAPTURE(bad);
        refused(t.call("GET", "/api/v1/me", bad));
    }
    // Appending anything, even what base64url decoders often forgive, is refused too.
    for (const char* tail : {"=", "==", ".", " ", "\t", "A", "%3D"}) refused(t.call("GET", "/api/v1/me", good + tail));
    CHECK(t.call("GET", "/api/v1/me", good).status == 200);   // the real one still works
}

TEST_CASE("tokens: headers and payloads swapped between validly signed tokens are refused") {
    InProcessApi t;
    const std::int64_t exp = t.now_ms / 1000 + 600;
    const Parts learner = split(t.token("ann", Role::learner));
    const Parts admin = split(t.token("adm", Role::admin));
    const Parts with_kid = split(sign_jws_hs256(R"({"alg":"HS256","typ":"JWT","kid":"other-key"})",
                                                claims_json("ann", "learner", exp), t.options.jwt_secret));
    auto token = [](const std::string& h, const std::string& p, const std::string& s) { return h + "." + p + "." + s; };
    refused(t.call("GET", "/api/v1/me", token(learner.header, admin.payload, learner.signature)));   // role escalation
    refused(t.call("GET", "/api/v1/me", token(admin.header, admin.payload, learner.signature)));
    refused(t.call("GET", "/api/v1/me", token(with_kid.header, learner.payload, learner.signature)));   // swapped header
    refused(t.call("GET", "/api/v1/me", token(learner.header, learner.payload, admin.signature)));
    // The same claims re-encoded (key order, spaces): a different signing input, so refused.
    const std::string reordered = base64url_encode(R"({"typ":"JWT","alg":"HS256"})");
    refused(t.call("GET", "/api/v1/me", token(reordered, learner.payload, learner.signature)));
    const std::string spaced = base64url_encode(R"({"alg": "HS256", "typ": "JWT"})");
    refused(t.call("GET", "/api/v1/me", token(spaced, learner.payload, learner.signature)));
}

TEST_CASE("tokens: alg none and every other algorithm is refused, however it is spelled") {
    InProcessApi t;
    const std::int64_t exp = t.now_ms / 1000 + 600;
    const std::string payload = claims_json("adm", "admin", exp);
    const Parts good = split(sign_jws_hs256(kHeader, payload, t.options.jwt_secret));
    for (const char* alg : {R"("none")", R"("None")", R"("NONE")", R"("nOnE")", R"("")", "null", R"(["HS256"])",
                            R"({"name":"HS256"})", R"("HS256 ")", R"(" HS256")", R"("hs256")", R"("HS384")", R"("HS512")",
                            R"("RS256")", R"("ES256")", R"("PS256")", R"("HS256\u0000")", "256"}) {
        CAPTURE(alg);
        const std::string header = std::string(R"({"alg":)") + alg + R"(,"typ":"JWT"})";
        // Unsigned, signed with the server's secret as an HMAC key, and with the original signature.
        refused(t.call("GET", "/api/v1/me", base64url_encode(header) + "." + good.payload + "."));
        refused(t.call("GET", "/api/v1/me", sign_jws_hs256(header, payload, t.options.jwt_secret)));
        refused(t.call("GET", "/api/v1/me", base64url_encode(header) + "." + good.payload + "." + good.signature));
    }
    refused(t.call("GET", "/api/v1/me", base64url_encode(R"({"typ":"JWT"})") + "." + good.payload + "." + good.signature));
    // JSON with bytes after a NUL, even validly signed, is malformed (found by fuzzing).
    refused(t.call("GET", "/api/v1/me", sign_jws_hs256(std::string(kHeader) + std::string(1, '\0') + "junk", payload, t.options.jwt_secret)));
    refused(t.call("GET", "/api/v1/me", sign_jws_hs256(kHeader, payload + std::string(1, '\0') + "}", t.options.jwt_secret)));
    // An empty secret never verifies anything: a token signed with "" is refused.
    refused(t.call("GET", "/api/v1/me", sign_jws_hs256(kHeader, payload, "")));
}

TEST_CASE("tokens: expiry and not-before are exact to the second, also for tokens the server has seen") {
    InProcessApi t;
    const std::int64_t now = t.now_ms / 1000;
    const std::string expiring = mint(t.options.jwt_secret, "ann", Role::learner, now + 2);
    REQUIRE(t.call("GET", "/api/v1/me", expiring).status == 200);   // now verified and remembered
    t.now_ms += 1999;
    CHECK(t.call("GET", "/api/v1/me", expiring).status == 200);
    t.now_ms += 1;   // exactly exp: refused, even though the token is in the cache
    refused(t.call("GET", "/api/v1/me", expiring));
    refused(t.call("POST", "/api/v1/modules/m/posts", expiring, R"({"kind":"tip","body":"late"})"));
    CHECK(body_of(t.call("GET", "/api/v1/modules/m/posts", t.token("bob")))["posts"].empty());

    const std::int64_t later = t.now_ms / 1000;
    const std::string early = sign_token(TokenClaims{"bob", "Bob", Role::curator, later + 600, later + 1, std::nullopt},
                                         t.options.jwt_secret);
    refused(t.call("GET", "/api/v1/me", early));
    t.now_ms += 999;
    refused(t.call("GET", "/api/v1/me", early));
    t.now_ms += 1;   // nbf reached
    CHECK(t.call("GET", "/api/v1/me", early).status == 200);

    // Expired long ago, far in the future, or not numbers at all.
    for (const std::string& exp : {std::string("0"), std::string("-1"), std::to_string(later - 86400 * 365),
                                   std::string("\"9999999999\""), std::string("1e400"), std::string("null"),
                                   std::string("true"), std::string("[9999999999]")}) {
        CAPTURE(exp);
        const std::string payload = R"({"sub":"ann","name":"N","role":"learner","exp":)" + exp + "}";
        refused(t.call("GET", "/api/v1/me", sign_jws_hs256(kHeader, payload, t.options.jwt_secret)));
    }
}

TEST_CASE("tokens: only the Authorization header counts - not the URL, not a cookie, not a second scheme") {
    HttpApi api;
    const std::string good = HttpApi::token("ann");
    for (const std::string& target :
         {"/api/v1/me?access_token=" + good, "/api/v1/me?token=" + good, "/api/v1/me?authorization=Bearer%20" + good}) {
        const auto res = api.call("GET", target);
        CHECK(res.status == 401);
    }
    CHECK(api.call("GET", "/api/v1/me", "", "", {{"Cookie", "token=" + good}}).status == 401);
    CHECK(api.call("GET", "/api/v1/me", "", "", {{"X-Authorization", "Bearer " + good}}).status == 401);
    for (const std::string& value : {"Bearer  " + good, "Bearer\t" + good, "Token " + good, "Bearer " + good + " extra",
                                     good, "Bearer " + good + "," + good}) {
        CAPTURE(value);
        CHECK(api.call("GET", "/api/v1/me", "", "", {{"Authorization", value}}).status == 401);
    }
    CHECK(api.call("GET", "/api/v1/me", "", "", {{"Authorization", "bearer " + good}}).status == 200);
}

TEST_CASE("tokens: forged tokens in someone's name cannot spend their write budget or lock them out") {
    HttpApi api({"--writes-per-minute", "5"});
    const std::int64_t exp = system_unix_ms() / 1000 + 600;
    const std::string forged = sign_jws_hs256(kHeader, claims_json("ann", "learner", exp), "not the server's secret");
    for (int i = 0; i < 50; ++i)
        REQUIRE(api.call("POST", "/api/v1/modules/m/posts", forged, create_json("f" + std::to_string(i), "forged")).status == 401);
    const std::string ann = HttpApi::token("ann");
    for (int i = 0; i < 5; ++i)
        CHECK(api.call("POST", "/api/v1/modules/m/posts", ann, create_json("a" + std::to_string(i), "real")).status == 201);
    CHECK(api.call("GET", "/api/v1/modules/m/posts", ann).json()["posts"].size() == 5);
}

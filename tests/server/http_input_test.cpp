// Bad input over real HTTP: broken JSON, bytes that are not UTF-8, wrong types, lengths counted
// in code points, SQL metacharacters, broken tokens. Every error has api.md's status, code and
// field, and nothing is stored.
#include <doctest/doctest.h>

#include "auth/base64url.hpp"
#include "http_test_support.hpp"

using namespace grove;
using namespace grove::test;

namespace {
const std::string kAnn = HttpApi::token("ann");

// A request body and the error api.md says it gets.
struct Case {
    const char* what;
    std::string body;
    const char* code;
    const char* field;
};

std::string repeat(const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}
}  // namespace

TEST_CASE("http input: unparsable bodies, invalid UTF-8 and wrong types are 400 with the right code") {
    HttpApi api;
    const Case cases[] = {
        {"truncated JSON", R"({"kind":"tip","body":"x")", "invalid_json", ""},
        {"not JSON at all", "kind=tip&body=x", "invalid_json", ""},
        {"empty body", "", "invalid_json", ""},
        {"an array", R"([{"kind":"tip","body":"x"}])", "bad_request", ""},
        {"invalid UTF-8 in a string", "{\"kind\":\"tip\",\"body\":\"caf\xE9\"}", "invalid_utf8", ""},
        {"an overlong encoding", "{\"kind\":\"tip\",\"body\":\"\xC0\xAF\"}", "invalid_utf8", ""},
        {"a UTF-16 surrogate in UTF-8", "{\"kind\":\"tip\",\"body\":\"\xED\xA0\x80\"}", "invalid_utf8", ""},
        {"body is a number", R"({"kind":"tip","body":5})", "bad_request", "body"},
        {"body is missing", R"({"kind":"tip"})", "bad_request", "body"},
        {"kind is null", R"({"kind":null,"body":"x"})", "bad_request", "kind"},
        {"id is a number", R"({"id":12,"kind":"tip","body":"x"})", "bad_request", "id"},
        {"parent_id is an object", R"({"kind":"tip","body":"x","parent_id":{}})", "bad_request", "parent_id"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.what);
        const auto res = api.call("POST", "/api/v1/modules/m/posts", kAnn, c.body);
        CHECK(res.status == 400);
        CHECK(res.code() == c.code);
        CHECK(res.field() == c.field);
        CHECK(!res.json()["error"]["message"].get<std::string>().empty());
    }
    const auto patch = api.call("PATCH", "/api/v1/posts/x", kAnn, R"({"pinned":"yes"})");
    CHECK(patch.status == 400);
    CHECK(patch.field() == "pinned");
    const auto flag = api.call("POST", "/api/v1/posts/x/flags", kAnn, R"({"reason":42})");
    CHECK(flag.status == 400);
    CHECK(flag.field() == "reason");
    CHECK(api.call("GET", "/api/v1/modules/m/posts", kAnn).json()["posts"].empty());
}

TEST_CASE("http input: validation errors are 422 with the field") {
    HttpApi api;
    const Case cases[] = {
        {"blank body", R"({"kind":"tip","body":" \n\t "})", "empty", "body"},
        {"unknown kind", R"({"kind":"rant","body":"x"})", "invalid_field", "kind"},
        {"id with a dot", R"({"id":"a.b","kind":"tip","body":"x"})", "invalid_field", "id"},
        {"id of 65 characters", R"({"id":")" + std::string(65, 'a') + R"(","kind":"tip","body":"x"})", "invalid_field", "id"},
        {"parent id with a space", R"({"kind":"tip","body":"x","parent_id":"a b"})", "invalid_field", "parent_id"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.what);
        const auto res = api.call("POST", "/api/v1/modules/m/posts", kAnn, c.body);
        CHECK(res.status == 422);
        CHECK(res.code() == c.code);
        CHECK(res.field() == c.field);
    }
    CHECK(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json(std::string(64, 'a'), "x")).status == 201);
    const auto bad_module = api.call("POST", "/api/v1/modules/has%20space/posts", kAnn, create_json("z", "x"));
    CHECK(bad_module.status == 400);
    CHECK(bad_module.field() == "module");
    CHECK(api.call("GET", "/api/v1/modules/" + std::string(129, 'm') + "/posts", kAnn).status == 400);
    CHECK(api.call("GET", "/api/v1/modules/" + std::string(128, 'm') + "/posts", kAnn).status == 200);
}

TEST_CASE("http input: 500 multi-byte code points are accepted and 501 rejected, after trimming") {
    HttpApi api;
    const std::string ok = repeat("ж", 250) + repeat("🌳", 250);   // 2- and 4-byte characters
    auto res = api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("five-hundred", "\u3000 " + ok + " \n"));
    REQUIRE(res.status == 201);
    CHECK(res.json()["body"] == ok);
    res = api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("five-hundred-one", ok + "ж"));
    CHECK(res.status == 422);
    CHECK(res.code() == "too_long");
    CHECK(res.field() == "body");
    CHECK(api.call("GET", "/api/v1/posts/five-hundred-one", kAnn).status == 404);
    res = api.call("PATCH", "/api/v1/posts/five-hundred", kAnn, dump(Json{{"body", ok + "!"}}));
    CHECK(res.status == 422);
    CHECK(res.code() == "too_long");
    const auto flag = api.call("POST", "/api/v1/posts/five-hundred/flags", HttpApi::token("bob"),
                               dump(Json{{"reason", std::string(501, 'r')}}));
    CHECK(flag.status == 422);
    CHECK(flag.field() == "reason");
}

TEST_CASE("http input: --max-body changes the post length limit") {
    HttpApi api({"--max-body", "10"});
    CHECK(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("a", "0123456789")).status == 201);
    CHECK(api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("b", "0123456789a")).code() == "too_long");
}

TEST_CASE("http input: SQL metacharacters and JSON escapes are stored verbatim") {
    HttpApi api;
    const std::string nasty = R"('; DROP TABLE posts; -- " \ %_ */ /* ' OR '1'='1)" "\n\ttab\u0001\u2028end";
    auto res = api.call("POST", "/api/v1/modules/m/posts", kAnn, create_json("q", nasty));
    REQUIRE(res.status == 201);
    CHECK(res.json()["body"] == nasty);
    CHECK(api.call("GET", "/api/v1/posts/q", kAnn).json()["body"] == nasty);
    const auto feed = api.call("GET", "/api/v1/modules/m/posts", kAnn).json();
    REQUIRE(feed["posts"].size() == 1);
    CHECK(feed["posts"][0]["body"] == nasty);
    const std::string sneaky_module = "m'--";
    CHECK(api.call("GET", "/api/v1/modules/" + sneaky_module + "/posts", kAnn).status == 400);
    CHECK(api.call("POST", "/api/v1/posts/x'%20OR%20'1'='1/flags", kAnn, "{}").status == 404);
}

TEST_CASE("http input: tokens that are missing, forged, expired, not HS256 or malformed are 401") {
    HttpApi api;
    auto unauthorized = [&](const std::string& authorization, const char* what) {
        CAPTURE(what);
        httplib::Headers h;
        if (!authorization.empty()) h.emplace("Authorization", authorization);
        const auto res = api.call("GET", "/api/v1/me", "", "", h);
        CHECK(res.status == 401);
        CHECK(res.code() == "unauthorized");
    };
    const std::string good = HttpApi::token("ann");
    const auto dot1 = good.find('.'), dot2 = good.rfind('.');
    const std::string header = good.substr(0, dot1), payload = good.substr(dot1 + 1, dot2 - dot1 - 1);
    const std::string signature = good.substr(dot2 + 1);
    auto part = [](const std::string& json) { return base64url_encode(json); };
    const std::string future = std::to_string(system_unix_ms() / 1000 + 3600);

    unauthorized("", "no header");
    unauthorized("Basic YWxhZGRpbjpvcGVuc2VzYW1l", "another scheme");
    unauthorized("Bearer", "no token");
    unauthorized("Bearer " + mint("another secret", "ann", Role::learner, system_unix_ms() / 1000 + 3600), "wrong secret");
    unauthorized("Bearer " + HttpApi::token("ann", Role::learner, -1), "expired");
    unauthorized("Bearer " + header + "." + payload, "two parts");
    unauthorized("Bearer " + header + "." + payload + "." + signature + ".x", "four parts");
    unauthorized("Bearer " + header + "." + payload + "." + signature.substr(0, signature.size() - 2) + "AA", "bad signature");
    unauthorized("Bearer " + header + "." + part(R"({"sub":"ann","name":"A","role":"admin","exp":)" + future + "}") + "." +
                     signature,
                 "payload swapped (role escalation)");
    unauthorized("Bearer " + part(R"({"alg":"none","typ":"JWT"})") + "." + payload + ".", "alg none, no signature");
    unauthorized("Bearer " + part(R"({"alg":"none","typ":"JWT"})") + "." + payload + "." + signature, "alg none");
    unauthorized("Bearer " + part(R"({"alg":"HS512","typ":"JWT"})") + "." + payload + "." + signature, "alg HS512");
    unauthorized("Bearer !!!." + payload + "." + signature, "not base64url");
    unauthorized("Bearer " + part("[1]") + "." + payload + "." + signature, "header not an object");

    // Well-signed tokens with bad claims (the full matrix is in jwt_test.cpp).
    const std::int64_t exp = system_unix_ms() / 1000 + 3600;
    unauthorized("Bearer " + mint(HttpApi::kSecret, std::string(129, 'u'), Role::learner, exp), "sub too long");
    unauthorized("Bearer " + mint(HttpApi::kSecret, "ann", Role::learner, exp, std::string(101, 'n')), "name too long");
    CHECK(api.call("GET", "/api/v1/me", good).status == 200);
}

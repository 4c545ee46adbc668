// Fuzz target: the whole REST API in process (ApiRouter on an in-memory SQLite database):
// routing, percent-decoding, query parameters, CORS, tokens, the write limit, validation, the
// service rules and storage, driven by a sequence of requests.
//
// Input: requests separated by 0x1E; the fields of a request by 0x1F:
//   method  0x1F  target (path?query, as on the wire)  0x1F  who  0x1F  headers  0x1F  body
// `who` is learner | learner2 | curator | leader | admin (a token the target mints), none, or
// anything else (sent as the Authorization header as is); `headers` are "Name: value" lines
// ("+<n>" as a line moves the clock n seconds forward). Missing fields are empty.
// Example (as in tests/fuzz/corpus/api_router/): POST^_/api/v1/modules/m/posts^_learner^_^_{"id":"a",...}
//
// Properties beyond "no crash":
//   - every answer has a status api.md knows, never 5xx (the database is in memory and healthy);
//   - every body is JSON; errors carry the code that belongs to their status and a message;
//     429 carries Retry-After; 401 carries WWW-Authenticate;
//   - Access-Control-Allow-Origin only ever names the one allowed origin;
//   - roles: a learner never reads the flag queue or stats, never pins or hides, never posts a
//     leader_learning; nobody edits another's post but an admin; nobody endorses their own post;
//   - afterwards, every module's changes feed followed in small pages has each post once, revs
//     strictly increasing, and posts that decode and obey the length rules.
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint8_t
#include <map>       // std::map
#include <set>       // std::set
#include <string>
#include <string_view>
#include <vector>

#include "api/api_router.hpp"
#include "auth/jwt.hpp"
#include "grove/utf8.hpp"
#include "grove/validation.hpp"
#include "grove/wire.hpp"
#include "storage/sqlite_engine.hpp"
#include "fuzz_require.hpp"

using namespace grove;

namespace {

constexpr const char* kSecret = "fuzz-router-secret";
constexpr const char* kAllowedOrigin = "https://intranet.example";
constexpr std::int64_t kStartMs = 1'800'000'000'000;

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (;;) {
        const auto end = s.find(sep, start);
        out.push_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) return out;
        start = end + 1;
    }
}

bool error_code_matches(int status, const std::string& code) {
    switch (status) {
        case 400: return code == "invalid_json" || code == "invalid_utf8" || code == "bad_request";
        case 401: return code == "unauthorized";
        case 403: return code == "forbidden" || code == "own_post" || code == "under_review";
        case 404: return code == "not_found";
        case 405: return code == "method_not_allowed";
        case 409: return code == "conflict";
        case 413: return code == "payload_too_large";
        case 422: return code == "too_long" || code == "empty" || code == "invalid_field";
        case 429: return code == "rate_limited";
        default: return false;
    }
}

struct User {
    std::string id;
    Role role;
    std::string token;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 256 * 1024) return 0;
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    ServerOptions options;
    options.dev = true;
    options.jwt_secret = kSecret;
    options.allow_origins = {kAllowedOrigin};
    options.writes_per_minute = 20;   // low enough that a long input meets 429
    options.auto_hide_flags = 2;
    std::int64_t now_ms = kStartMs;
    ApiRouter api(options, open_sqlite_engine(SqliteOptions{":memory:", false}), [&now_ms] { return now_ms; });

    const std::int64_t exp = kStartMs / 1000 + 400 * 86400;   // outlives any clock moves below
    auto user = [&](const std::string& id, Role role) {
        return User{id, role, sign_token(TokenClaims{id, "User " + id, role, exp, std::nullopt, std::nullopt}, kSecret)};
    };
    const std::map<std::string, User, std::less<>> users = {
        {"learner", user("u-learner", Role::learner)}, {"learner2", user("u-learner2", Role::learner)},
        {"curator", user("u-curator", Role::curator)}, {"leader", user("u-leader", Role::leader)},
        {"admin", user("u-admin", Role::admin)}};

    std::map<std::string, std::string> author_of;   // post id -> author id, as the API answered
    std::set<std::string> modules;

    int count = 0;
    for (std::string_view raw : split(input, '\x1e')) {
        if (++count > 64) break;
        auto f = split(raw, '\x1f');
        f.resize(5);
        ApiRequest req;
        req.method = std::string(f[0]);
        const auto q = f[1].find('?');
        req.path = std::string(f[1].substr(0, q));
        if (q != std::string_view::npos) req.query = std::string(f[1].substr(q + 1));
        const auto who = users.find(f[2]);
        if (who != users.end()) req.headers.emplace("Authorization", "Bearer " + who->second.token);
        else if (!f[2].empty() && f[2] != "none") req.headers.emplace("Authorization", std::string(f[2]));
        for (std::string_view line : split(f[3], '\n')) {
            if (line.size() > 1 && line[0] == '+') {
                std::int64_t seconds = 0;
                for (char c : line.substr(1, 7))
                    if (c >= '0' && c <= '9') seconds = seconds * 10 + (c - '0');
                now_ms += seconds * 1000;
                continue;
            }
            const auto colon = line.find(':');
            if (colon == std::string_view::npos || colon == 0) continue;
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && value[0] == ' ') value.remove_prefix(1);
            req.headers.emplace(std::string(line.substr(0, colon)), std::string(value));
        }
        req.body = std::string(f[4]);

        const ApiResponse res = api.handle(req);

        // Status and body.
        require(res.status >= 200 && res.status < 500);
        if (res.status == 204) {
            require(res.body.empty());
        } else {
            const Json body = Json::parse(res.body, nullptr, false);
            require(body.is_object());
            require(res.header("Content-Type") == "application/json; charset=utf-8");
            if (res.status >= 400) {
                require(body.contains("error") && body["error"].is_object());
                const Json& e = body["error"];
                require(e.contains("code") && e["code"].is_string() && e.contains("message") && e["message"].is_string());
                require(error_code_matches(res.status, e["code"].get<std::string>()));
                require(!e["message"].get<std::string>().empty());
            }
            if (res.status == 429) require(!res.header("Retry-After").empty());
            if (res.status == 401) require(res.header("WWW-Authenticate") == "Bearer");
        }
        require(res.header("Cache-Control") == "no-store");

        // CORS: only the allowed origin is ever named.
        const std::string allow = res.header("Access-Control-Allow-Origin");
        if (!allow.empty()) {
            std::string origin = req.header("Origin");
            while (!origin.empty() && origin.back() == '/') origin.pop_back();
            for (char& c : origin) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            require(origin == kAllowedOrigin && allow == req.header("Origin"));
        }

        // Roles. Only the callers this target minted tokens for are judged.
        if (who == users.end() || res.status >= 300) continue;
        const User& u = who->second;
        const auto segments = split(req.path, '/');
        const std::string method = req.method == "HEAD" ? "GET" : req.method;
        const bool posts_route = segments.size() >= 5 && segments[1] == "api" && segments[2] == "v1" && segments[3] == "posts";
        if (method == "GET" && req.path.rfind("/api/v1/flags", 0) == 0) require(can_moderate(u.role));
        if (method == "GET" && segments.size() >= 6 && segments[5] == "stats") require(can_read_stats(u.role));
        if (method == "POST" && segments.size() >= 6 && segments[3] == "modules" && segments[5] == "posts") {
            const Json post = Json::parse(res.body, nullptr, false);
            require(post.is_object() && post.contains("id") && post.contains("author"));
            const std::string id = post["id"].get<std::string>();
            // 201 and 200 (a retry) both answer with a post of this caller, in this module.
            require(post["author"]["id"] == u.id);
            modules.insert(post["module"].get<std::string>());
            if (post["kind"] == "leader_learning") require(u.role == Role::leader || u.role == Role::admin || res.status == 200);
            if (res.status == 201) {
                require(!author_of.count(id));
                author_of[id] = u.id;
            }
        }
        if (posts_route && segments.size() == 5 && method == "PATCH") {
            const Json patch = Json::parse(req.body, nullptr, false);
            const std::string id = std::string(segments[4]);
            const auto a = author_of.find(id);
            if (patch.is_object() && patch.contains("body") && a != author_of.end())
                require(a->second == u.id || u.role == Role::admin);
            if (patch.is_object() && (patch.contains("pinned") || patch.contains("hidden"))) require(can_moderate(u.role));
        }
        if (posts_route && segments.size() == 5 && method == "DELETE") {
            const auto a = author_of.find(std::string(segments[4]));
            if (a != author_of.end()) require(a->second == u.id || can_moderate(u.role));
        }
        if (posts_route && segments.size() == 6 && segments[5] == "endorsement" && method == "PUT") {
            const auto a = author_of.find(std::string(segments[4]));
            if (a != author_of.end()) require(a->second != u.id);
        }
    }

    // The changes feed of every module a post was created in, in small pages, as admin.
    const std::string admin = "Bearer " + users.at("admin").token;
    for (const std::string& module : modules) {
        std::string cursor;
        std::set<std::string> seen;
        std::int64_t last_rev = 0;
        for (int page = 0;; ++page) {
            require(page < 1000);
            ApiRequest feed{"GET", "/api/v1/modules/" + module + "/posts", "limit=3" + (cursor.empty() ? "" : "&since=" + cursor),
                            {{"Authorization", admin}}, ""};
            const ApiResponse res = api.handle(feed);
            require(res.status == 200);
            const Json j = Json::parse(res.body, nullptr, false);
            require(j.is_object() && j["posts"].is_array() && j["cursor"].is_string() && j["has_more"].is_boolean());
            for (const Json& p : j["posts"]) {
                const auto post = post_from_json(p);
                require(bool(post));
                require(post->module == module);
                require(post->rev > last_rev);
                last_rev = post->rev;
                require(seen.insert(post->id).second);
                require(is_valid_utf8(post->body));
                require(count_code_points(post->body) <= kDefaultMaxBodyCodePoints);
                require(!post->deleted || post->body.empty());
                require(post->endorsements >= 0);
            }
            cursor = j["cursor"].get<std::string>();
            if (!j["has_more"].get<bool>()) break;
        }
    }
    return 0;
}

// Real-HTTP test helpers: the real grove-server binary on a free loopback port with a secret the
// test knows (so it can mint any token, expired or forged ones included), and a small client.
#pragma once

#include <doctest/doctest.h>
#include <httplib.h>

#include <algorithm> // std::find
#include <fstream>   // std::ofstream
#include <memory>    // std::unique_ptr
#include <string>    // std::string
#include <vector>    // std::vector

#include "api_test_support.hpp"
#include "server_process.hpp"

namespace grove::test {

struct HttpAnswer {
    int status = 0;                 // 0: no answer (connection error)
    httplib::Headers headers;
    std::string body;

    std::string header(const std::string& name) const {
        const auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
    Json json() const {
        Json j = Json::parse(body, nullptr, false);
        REQUIRE_MESSAGE(!j.is_discarded(), "not JSON (status " << status << "): " << body);
        return j;
    }
    std::string code() const {
        const Json j = json();
        REQUIRE_MESSAGE(j.contains("error"), "not an error body: " << body);
        return j["error"]["code"].get<std::string>();
    }
    std::string field() const {
        const Json j = json();
        return j["error"].contains("field") ? j["error"]["field"].get<std::string>() : std::string();
    }
};

class HttpApi {
public:
    static constexpr const char* kSecret = "http-test-secret-0123456789-abcdefghijklmnop";

    // extra: more grove-server flags; db_path: reuse a database (restart tests). With --dev
    // the server makes up its own secret (it refuses one), so token() is not accepted there.
    explicit HttpApi(std::vector<std::string> extra = {}, std::string db_path = {}) {
        secret_dir_ = make_temp_dir();
        const std::string secret_file = secret_dir_ + "/secret";
        std::ofstream(secret_file) << kSecret << "\n";
        const bool dev = std::find(extra.begin(), extra.end(), "--dev") != extra.end();
        std::vector<std::string> args = {"--writes-per-minute", "1000000"};
        if (!dev) args.insert(args.end(), {"--jwt-secret-file", secret_file});
        args.insert(args.end(), extra.begin(), extra.end());
        server_ = std::make_unique<ServerProcess>(args, db_path);
    }
    ~HttpApi() {
        server_.reset();
        remove_temp_dir(secret_dir_);
    }

    ServerProcess& server() { return *server_; }
    int port() const { return server_->port(); }

    static std::string token(const std::string& sub, Role role = Role::learner, std::int64_t ttl_s = 3600) {
        return mint(kSecret, sub, role, system_unix_ms() / 1000 + ttl_s);
    }

    // One request on a fresh connection; target is sent as is (path and query, percent-encoded).
    HttpAnswer call(const std::string& method, const std::string& target, const std::string& token = "",
                    const std::string& body = "", httplib::Headers headers = {}) const {
        httplib::Client client(server_->host(), server_->port());
        client.set_url_encode(false);
        client.set_read_timeout(30, 0);
        httplib::Request req;
        req.method = method;
        req.path = target;
        req.headers = std::move(headers);
        if (!token.empty()) req.headers.emplace("Authorization", "Bearer " + token);
        if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
            req.body = body;
            if (!req.has_header("Content-Type")) req.headers.emplace("Content-Type", "application/json");
        }
        auto res = client.send(req);
        HttpAnswer a;
        if (!res) return a;
        a.status = res->status;
        a.headers = res->headers;
        a.body = res->body;
        return a;
    }

private:
    std::string secret_dir_;
    std::unique_ptr<ServerProcess> server_;
};

// Every current post of a module, following cursors (as a fresh client would).
inline std::vector<Json> all_posts(const HttpApi& api, const std::string& module, const std::string& token) {
    std::vector<Json> posts;
    std::string cursor;
    for (;;) {
        const auto res = api.call("GET", "/api/v1/modules/" + module + "/posts?limit=1000" +
                                             (cursor.empty() ? "" : "&since=" + cursor), token);
        REQUIRE(res.status == 200);
        const Json page = res.json();
        for (const Json& p : page["posts"])
            if (p["deleted"] == false) posts.push_back(p);
        cursor = page["cursor"].get<std::string>();
        if (page["has_more"] == false) return posts;
    }
}

inline std::string create_json(const std::string& id, const std::string& body, const char* kind = "insight") {
    Json j{{"kind", kind}, {"body", body}};
    if (!id.empty()) j["id"] = id;
    return dump(j);
}

}  // namespace grove::test

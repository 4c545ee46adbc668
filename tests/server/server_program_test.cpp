// The grove-server program itself: flags, readiness line, static files, clean shutdown.
#include <doctest/doctest.h>

#include <httplib.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "server_process.hpp"
#include "grove/wire.hpp"

using grove::test::ServerProcess;

namespace {

std::string run(const std::string& cmd, int& status) {
    std::string out;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[512];
    while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    status = pclose(p);
    return out;
}

}  // namespace

TEST_CASE("server program: --help lists every flag of the contract") {
    int status = 0;
    const std::string help = run(std::string(GROVE_SERVER_BINARY) + " --help", status);
    CHECK(status == 0);
    for (const char* flag : {"--port", "--bind", "--db", "--jwt-secret-file", "--dev", "--allow-origin"})
        CHECK_MESSAGE(help.find(flag) != std::string::npos, flag);
}

TEST_CASE("server program: refuses to start without a secret outside dev mode, and says why") {
    int status = 0;
    const std::string out = run("env -u GROVE_JWT_SECRET " + std::string(GROVE_SERVER_BINARY) + " --port 0 --db /tmp/none.db", status);
    CHECK(status != 0);
    CHECK(out.find("secret") != std::string::npos);
    const std::string bad = run(std::string(GROVE_SERVER_BINARY) + " --dev --port abc", status);
    CHECK(status != 0);
    CHECK(bad.find("--port") != std::string::npos);
    const std::string writers = run(std::string(GROVE_SERVER_BINARY) + " --dev --port 0 --write-threads 0", status);
    CHECK(status != 0);
    CHECK(writers.find("--write-threads needs a number from 1 to 1024") != std::string::npos);
}

TEST_CASE("server program: health answers over real HTTP, unknown API routes are JSON 404") {
    ServerProcess server;
    httplib::Client client(server.host(), server.port());
    auto health = client.Get("/api/v1/health");
    REQUIRE(health);
    CHECK(health->status == 200);
    const auto body = grove::Json::parse(health->body);
    CHECK(body["status"] == "ok");
    CHECK(body["version"].is_string());

    auto missing = client.Get("/api/v1/no-such-thing");
    REQUIRE(missing);
    CHECK(missing->status == 404);
    CHECK(grove::Json::parse(missing->body)["error"]["code"] == "not_found");
}

TEST_CASE("server program: serves the widget with the right types and the site at /") {
    const std::string widget = grove::test::make_temp_dir();
    const std::string site = grove::test::make_temp_dir();
    std::ofstream(widget + "/grove.js") << "/* loader */";
    std::ofstream(widget + "/grove-core.wasm") << std::string("\0asm", 4);
    std::ofstream(site + "/index.html") << "<!doctype html><title>demo</title>";
    ServerProcess server({"--dev", "--widget-dir", widget, "--site-dir", site});
    httplib::Client client(server.host(), server.port());
    auto js = client.Get("/widget/grove.js");
    REQUIRE(js);
    CHECK(js->status == 200);
    CHECK(js->get_header_value("Content-Type").find("javascript") != std::string::npos);
    auto wasm = client.Get("/widget/grove-core.wasm");
    REQUIRE(wasm);
    CHECK(wasm->get_header_value("Content-Type") == "application/wasm");
    auto index = client.Get("/");
    REQUIRE(index);
    CHECK(index->status == 200);
    CHECK(index->body.find("demo") != std::string::npos);
}

TEST_CASE("server program: SIGTERM stops it cleanly with exit status 0") {
    ServerProcess server;
    CHECK(server.stop() == 0);
}

TEST_CASE("server program: refuses to start on a database it cannot open, and says which") {
    int status = 0;
    const std::string out =
        run(std::string(GROVE_SERVER_BINARY) + " --dev --port 0 --db /nonexistent-dir/grove.db", status);
    CHECK(status != 0);
    CHECK(out.find("/nonexistent-dir/grove.db") != std::string::npos);
}

TEST_CASE("server program: a write answered before SIGTERM is there after a restart on the same file") {
    const std::string dir = grove::test::make_temp_dir();
    const std::string db = dir + "/grove.db";
    std::string token;
    {
        ServerProcess server({"--dev"}, db);
        httplib::Client client(server.host(), server.port());
        auto t = client.Post("/api/v1/dev/token", R"({"sub":"u1","name":"Ann","role":"learner"})", "application/json");
        REQUIRE(t);
        REQUIRE(t->status == 200);
        token = grove::Json::parse(t->body)["token"].get<std::string>();
        auto res = client.Post("/api/v1/modules/m/posts", {{"Authorization", "Bearer " + token}},
                               R"({"id":"kept","kind":"tip","body":"still here"})", "application/json");
        REQUIRE(res);
        CHECK(res->status == 201);
        CHECK(server.stop() == 0);
    }
    // A dev server without a secret makes up a new one, so sign in again after the restart.
    ServerProcess server({"--dev"}, db);
    httplib::Client client(server.host(), server.port());
    auto t = client.Post("/api/v1/dev/token", R"({"sub":"u2","name":"Bo","role":"learner"})", "application/json");
    REQUIRE(t);
    token = grove::Json::parse(t->body)["token"].get<std::string>();
    auto res = client.Get("/api/v1/posts/kept", {{"Authorization", "Bearer " + token}});
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(grove::Json::parse(res->body)["body"] == "still here");
    grove::test::remove_temp_dir(dir);
}

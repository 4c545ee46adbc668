// Abuse and privacy at the server, against the real binary: answers amplified by request
// headers (Range), dev tokens next to a real secret or on a public address (and DNS rebinding),
// weak secrets and tokens meant for another application, header lines a proxy would read
// differently, deleted text left on disk, and hidden posts changed before a curator decides.
#include <doctest/doctest.h>

#include <sys/stat.h>   // stat

#include <cstdio>       // popen
#include <fstream>      // std::ofstream
#include <iterator>     // std::istreambuf_iterator

#include "auth/jwt.hpp"
#include "hardening_support.hpp"
#include "raw_socket.hpp"

using namespace grove;
using namespace grove::test;
using namespace std::chrono;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kMemoryIsMeasurable = false;   // ASan's quarantine grows RSS whatever the code does
#else
constexpr bool kMemoryIsMeasurable = true;
#endif

// Runs grove-server with `args` (and `env` in front), expecting it to refuse to start; one that
// starts anyway is stopped after 5 s (and has not printed the reason checked for).
std::string refused_start(const std::string& env, const std::string& args, int& status) {
    const std::string cmd = "timeout 5 env -u GROVE_JWT_SECRET " + env + " " + GROVE_SERVER_BINARY +
                            " --port 0 --db /tmp/grove-never.db " + args + " 2>&1 </dev/null";
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[512];
    while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    status = pclose(p);
    return out;
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

unsigned mode_of(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<unsigned>(st.st_mode & 0777) : 0u;
}

std::string many_ranges(int n) {
    std::string r = "bytes=";
    for (int i = 0; i < n; ++i) r += i ? ",0-" : "0-";
    return r;
}

// A raw request and everything the server sends back before it closes the connection.
std::string raw_exchange(int port, const std::string& request) {
    RawSocket c(port);
    REQUIRE(c.send_all(request));
    return c.read_until_closed(nullptr, seconds(10));
}

std::string sign_with_claims(const Json& extra, std::int64_t ttl_s = 600) {
    Json payload{{"sub", "ann"}, {"name", "Ann"}, {"role", "learner"}, {"exp", system_unix_ms() / 1000 + ttl_s}};
    for (auto it = extra.begin(); it != extra.end(); ++it) payload[it.key()] = it.value();
    return sign_jws_hs256(R"({"alg":"HS256","typ":"JWT"})", dump(payload), HttpApi::kSecret);
}

}  // namespace

TEST_CASE("range: 1,000 ranges on an API route, a 404 and a static file - no answer grows, memory stays flat") {
    const std::string site = make_temp_dir();
    std::ofstream(site + "/page.html") << std::string(20000, 'p');
    HttpApi api({"--site-dir", site});
    const std::string ann = HttpApi::token("ann");
    for (int i = 0; i < 60; ++i)
        REQUIRE(api.call("POST", "/api/v1/modules/m/posts", ann, create_json("p" + std::to_string(i), std::string(300, 'x'))).status == 201);
    const httplib::Headers ranges = {{"Range", many_ranges(1000)}};
    struct Target {
        const char* what;
        std::string path;
        std::string token;
    };
    const Target targets[] = {{"the feed", "/api/v1/modules/m/posts", ann},
                              {"an unauthenticated 404", "/api/v1/no-such-route", ""},
                              {"a static file", "/page.html", ""},
                              {"a missing static file", "/missing.html", ""}};
    for (const Target& t : targets) {
        CAPTURE(t.what);
        const auto plain = api.call("GET", t.path, t.token);
        const auto ranged = api.call("GET", t.path, t.token, "", ranges);
        CHECK(plain.status == ranged.status);
        CHECK(ranged.body.size() <= plain.body.size());
        CHECK(ranged.body.size() > 0);
    }
    // One range: honoured on static files only.
    auto part = api.call("GET", "/page.html", "", "", {{"Range", "bytes=10-19"}});
    CHECK(part.status == 206);
    CHECK(part.body == std::string(10, 'p'));
    CHECK(part.header("Content-Range") == "bytes 10-19/20000");
    CHECK(api.call("GET", "/page.html", "", "", {{"Range", "bytes=20000-"}}).status == 416);
    CHECK(api.call("GET", "/page.html", "", "", {{"Range", "bytes=0-1"}, {"If-Range", "\"other\""}}).status == 200);
    auto feed = api.call("GET", "/api/v1/modules/m/posts", ann, "", {{"Range", "bytes=0-9"}});
    CHECK(feed.status == 200);
    CHECK(feed.json()["posts"].size() == 60);

    const long before = rss_kib(api.server().pid());
    for (int i = 0; i < 60; ++i) REQUIRE(api.call("GET", "/api/v1/modules/m/posts", ann, "", ranges).status == 200);
    const long after = rss_kib(api.server().pid());
    MESSAGE("RSS " << before << " KiB before 60 requests of 1,000 ranges, " << after << " KiB after");
    if (kMemoryIsMeasurable) CHECK(after - before < 16 * 1024);
    remove_temp_dir(site);
}

TEST_CASE("dev mode: refuses a real secret and a public address, and answers only loopback host names") {
    const std::string dir = make_temp_dir();
    std::ofstream(dir + "/secret") << HttpApi::kSecret;
    int status = 0;
    std::string out = refused_start("", "--dev --jwt-secret-file " + dir + "/secret", status);
    CHECK(status != 0);
    CHECK(out.find("--dev") != std::string::npos);
    out = refused_start(std::string("GROVE_JWT_SECRET=") + HttpApi::kSecret, "--dev", status);
    CHECK(status != 0);
    CHECK(out.find("GROVE_JWT_SECRET") != std::string::npos);
    for (const char* bind : {"0.0.0.0", "::", "192.0.2.1"}) {
        CAPTURE(bind);
        out = refused_start("", std::string("--dev --bind ") + bind, status);
        CHECK(status != 0);
        CHECK(out.find("--bind") != std::string::npos);
    }

    ServerProcess dev({"--dev"});
    const std::string port = std::to_string(dev.port());
    auto health = [&](const std::string& host) {
        return raw_exchange(dev.port(), "GET /api/v1/health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    };
    for (const std::string& host : std::vector<std::string>{"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port, "127.0.0.2"}) {
        CAPTURE(host);
        CHECK(health(host).rfind("HTTP/1.1 200", 0) == 0);
    }
    // A page on the internet whose name was made to resolve to 127.0.0.1 (DNS rebinding).
    for (const std::string& host : std::vector<std::string>{"attacker.example:" + port, "attacker.example", "127.0.0.1.attacker.example", "localhost.attacker.example"}) {
        CAPTURE(host);
        const std::string answer = health(host);
        CHECK(answer.rfind("HTTP/1.1 403", 0) == 0);
        CHECK(answer.find("\"forbidden\"") != std::string::npos);
    }
    const std::string token = raw_exchange(dev.port(), "POST /api/v1/dev/token HTTP/1.1\r\nHost: rebound.example\r\n"
                                                       "Content-Type: application/json\r\nContent-Length: 45\r\n\r\n"
                                                       R"({"sub":"x","name":"X","role":"admin","z":"1"})");
    CHECK(token.rfind("HTTP/1.1 403", 0) == 0);
    CHECK(token.find("\"token\"") == std::string::npos);
    remove_temp_dir(dir);
}

TEST_CASE("secrets: shorter than 32 bytes refuse to start - --jwt-audience and --jwt-issuer are checked") {
    const std::string dir = make_temp_dir();
    int status = 0;
    for (const std::size_t length : {std::size_t{1}, std::size_t{31}}) {
        CAPTURE(length);
        std::ofstream(dir + "/secret", std::ios::trunc) << std::string(length, 's');
        const std::string out = refused_start("", "--jwt-secret-file " + dir + "/secret", status);
        CHECK(status != 0);
        CHECK(out.find("at least 32") != std::string::npos);
    }
    CHECK(refused_start("GROVE_JWT_SECRET=short", "", status).find("at least 32") != std::string::npos);
    CHECK(status != 0);
    std::ofstream(dir + "/secret", std::ios::trunc) << std::string(32, 's');
    ServerProcess exactly({"--jwt-secret-file", dir + "/secret"});   // 32 bytes start

    HttpApi api({"--jwt-audience", "grove", "--jwt-issuer", "https://intranet.example"});
    const Json iss = {{"iss", "https://intranet.example"}};
    auto me = [&](const Json& claims) { return api.call("GET", "/api/v1/me", sign_with_claims(claims)).status; };
    CHECK(me({{"aud", "grove"}, {"iss", "https://intranet.example"}}) == 200);
    CHECK(me({{"aud", Json::array({"other", "grove"})}, {"iss", "https://intranet.example"}}) == 200);
    CHECK(me({{"aud", "another-app"}, {"iss", "https://intranet.example"}}) == 401);
    CHECK(me({{"aud", Json::array({"another-app"})}, {"iss", "https://intranet.example"}}) == 401);
    CHECK(me({{"iss", "https://intranet.example"}}) == 401);                       // no aud
    CHECK(me({{"aud", "grove"}, {"iss", "https://evil.example"}}) == 401);
    CHECK(me({{"aud", "grove"}}) == 401);                                           // no iss
    CHECK(me({{"aud", 5}, {"iss", "https://intranet.example"}}) == 401);
    const auto res = api.call("GET", "/api/v1/me", sign_with_claims({{"aud", "another-app"}, {"iss", "https://intranet.example"}}));
    CHECK(res.json()["error"]["message"].get<std::string>().find("aud") != std::string::npos);
    // Without --jwt-audience, aud is not looked at.
    HttpApi open_api;
    CHECK(open_api.call("GET", "/api/v1/me", sign_with_claims({{"aud", "anything"}})).status == 200);
    remove_temp_dir(dir);
}

TEST_CASE("header parsing: bare LF, obs-fold, a bare CR and a percent-encoded length are 400 and close the connection") {
    HttpApi api;
    const std::string ann = HttpApi::token("ann");
    const std::string body = create_json("misread", "x");
    const std::string length = std::to_string(body.size());
    std::string percent;   // Content-Length written as %XX escapes: read as a number by a lenient parser
    for (char c : length) percent += "%3" + std::string(1, c);
    const std::string start = "POST /api/v1/modules/m/posts HTTP/1.1\r\nHost: x\r\n";
    const std::string auth = "Authorization: Bearer " + ann + "\r\n";
    struct Case {
        const char* what;
        std::string request;
    };
    const Case cases[] = {
        {"bare LF after a header", start + auth + "Content-Length: " + length + "\n\r\n" + body},
        {"bare LF everywhere", "POST /api/v1/modules/m/posts HTTP/1.1\nHost: x\n" + auth.substr(0, auth.size() - 2) +
                                   "\nContent-Length: " + length + "\n\n" + body},
        {"obs-fold", start + auth + "Content-Length:\r\n " + length + "\r\n\r\n" + body},
        {"obs-fold with a tab", start + auth + "X-Note: a\r\n\tContent-Length: " + length + "\r\n\r\n" + body},
        {"bare CR", start + auth + "Content-Length: " + length + "\rX-A: 1\r\n\r\n" + body},
        {"Content-Length: %35", start + auth + "Content-Length: " + percent + "\r\n\r\n" + body},
    };
    for (const Case& c : cases) {
        CAPTURE(c.what);
        const auto started = steady_clock::now();
        const std::string answer = raw_exchange(api.port(), c.request);
        CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
        CHECK(answer.find("\"bad_request\"") != std::string::npos);
        CHECK(steady_clock::now() - started < seconds(3));   // at once, not after a timeout
    }
    CHECK(api.call("GET", "/api/v1/posts/misread", ann).status == 404);
}

TEST_CASE("disk: after delete and edit no old text is in grove.db or grove.db-wal - the files are 0600") {
    const std::string dir = make_temp_dir();
    const std::string db = dir + "/grove.db";
    HttpApi api({}, db);
    const std::string ann = HttpApi::token("ann");
    const std::string deleted_text = "Deleted-words-3b9f1c that nobody may read again";
    const std::string edited_text = "First-draft-8e2a47 with a colleague's name in it";
    const std::string new_text = "Second-draft-c51d09 without it";
    REQUIRE(api.call("POST", "/api/v1/modules/m/posts", ann, create_json("gone", deleted_text)).status == 201);
    REQUIRE(api.call("POST", "/api/v1/modules/m/posts", ann, create_json("edited", edited_text)).status == 201);
    for (int i = 0; i < 20; ++i)   // other activity on the same pages
        REQUIRE(api.call("POST", "/api/v1/modules/m/posts", ann, create_json("o" + std::to_string(i), "other words")).status == 201);
    REQUIRE(api.call("DELETE", "/api/v1/posts/gone", ann).status == 200);
    REQUIRE(api.call("PATCH", "/api/v1/posts/edited", ann, dump(Json{{"body", new_text}})).status == 200);

    // Right after the answers, with the server still running.
    const std::string files = file_bytes(db) + file_bytes(db + "-wal");
    CHECK(files.find("Deleted-words-3b9f1c") == std::string::npos);
    CHECK(files.find("First-draft-8e2a47") == std::string::npos);
    CHECK(files.find("Second-draft-c51d09") != std::string::npos);   // the files read are the live ones
    for (const std::string& f : {db, db + "-wal", db + "-shm"}) {
        CAPTURE(f);
        CHECK(mode_of(f) == 0600);
    }
    remove_temp_dir(dir);
}

TEST_CASE("hidden posts: their author cannot edit them, others cannot reply to or endorse them until a curator decides") {
    HttpApi api;
    const std::string ann = HttpApi::token("ann"), bob = HttpApi::token("bob"), lea = HttpApi::token("lea", Role::leader),
                      cat = HttpApi::token("cat", Role::curator), adm = HttpApi::token("adm", Role::admin);
    auto reply = [&](const std::string& token, const std::string& id) {
        return api.call("POST", "/api/v1/modules/m/posts", token, dump(Json{{"id", id}, {"kind", "insight"}, {"body", "re"}, {"parent_id", "p"}}));
    };
    auto refused = [](const HttpAnswer& res) { return res.status == 403 && res.code() == "under_review"; };
    REQUIRE(api.call("POST", "/api/v1/modules/m/posts", ann, create_json("p", "what the curator will read")).status == 201);
    // Hidden by three flags, as by a curator.
    for (const char* who : {"f1", "f2", "f3"}) REQUIRE(api.call("POST", "/api/v1/posts/p/flags", HttpApi::token(who), "{}").status == 202);
    REQUIRE(api.call("GET", "/api/v1/posts/p", cat).json()["hidden"] == true);

    CHECK(refused(api.call("PATCH", "/api/v1/posts/p", ann, R"({"body":"something else entirely"})")));
    CHECK(refused(reply(bob, "r1")));
    CHECK(refused(reply(lea, "r2")));
    CHECK(refused(reply(ann, "r3")));
    CHECK(refused(api.call("PUT", "/api/v1/posts/p/endorsement", bob)));
    CHECK(refused(api.call("PUT", "/api/v1/posts/p/endorsement", lea)));
    const Json seen = api.call("GET", "/api/v1/posts/p", cat).json();
    CHECK(seen["body"] == "what the curator will read");   // the curator reads what was flagged
    CHECK(seen["endorsements"] == 0);
    CHECK(api.call("GET", "/api/v1/posts/r1", cat).status == 404);
    // Withdrawing, deleting and flagging stay open; curators and admins may act.
    CHECK(api.call("DELETE", "/api/v1/posts/p/endorsement", bob).status == 200);
    CHECK(api.call("POST", "/api/v1/posts/p/flags", bob, "{}").status == 202);
    CHECK(api.call("PUT", "/api/v1/posts/p/endorsement", cat).status == 200);
    CHECK(reply(adm, "r4").status == 201);

    // The curator decides to show it: everything is open again.
    REQUIRE(api.call("PATCH", "/api/v1/posts/p", cat, R"({"hidden":false})").status == 200);
    CHECK(api.call("PATCH", "/api/v1/posts/p", ann, R"({"body":"now edited"})").status == 200);
    CHECK(reply(bob, "r5").status == 201);
    CHECK(api.call("PUT", "/api/v1/posts/p/endorsement", bob).status == 200);
}

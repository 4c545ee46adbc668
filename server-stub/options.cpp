#include "options.hpp"

#include <arpa/inet.h>   // inet_pton
#include <netinet/in.h>  // in6_addr, IN6_IS_ADDR_LOOPBACK

#include <cstdlib>    // std::getenv
#include <fstream>    // std::ifstream
#include <random>     // std::random_device
#include <sstream>    // std::ostringstream

#include "grove/utf8.hpp"
#include "storage/postgres_engine.hpp"   // is_postgres_uri, postgres_uri_problem

namespace grove {

namespace {

ApiError usage_error(const std::string& message) { return ApiError::bad_request(message + " (see --help)"); }

bool parse_int(const std::string& text, long min, long max, long& out) {
    if (text.empty() || text.size() > 10) return false;
    long v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    if (v < min || v > max) return false;
    out = v;
    return true;
}

// 32 random bytes as 64 hex digits.
std::string random_secret() {
    std::random_device rd;
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < 2 * kMinSecretBytes; ++i) s += digits[rd() % 16];
    return s;
}

}  // namespace

bool is_loopback_address(const std::string& address) {
    if (address == "localhost") return true;
    in_addr v4{};
    if (inet_pton(AF_INET, address.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
        if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
        return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
    }
    return false;
}

std::string server_usage() {
    return R"(Usage: grove-server [options]

Grove's REST API (see docs/API.md) on SQLite or PostgreSQL, plus the widget at /widget/ and the demo page at /.

Options:
  --port N                TCP port, 0 for any free port                      (default 8080)
  --bind ADDR             address to listen on                               (default 127.0.0.1)
  --db PATH|URI           SQLite database file, created if missing           (default grove.db),
                          or a PostgreSQL connection URI (postgresql://user@host/dbname?...)
                          whose database exists; the schema is created or migrated on start
  --jwt-secret-file PATH  file holding the HS256 secret, at least 32 bytes; GROVE_JWT_SECRET is
                          the alternative (required unless --dev)
  --jwt-audience AUD      accept only tokens whose 'aud' names AUD
  --jwt-issuer ISS        accept only tokens whose 'iss' is ISS
  --dev                   development mode: enables POST /api/v1/dev/token, which hands out
                          tokens for anyone, signed with a random secret of its own, and the
                          test clock (/api/v1/dev/clock); refuses a secret, a --bind other than
                          loopback, and requests for other hosts; SQLite only (several
                          instances on PostgreSQL share one secret: --jwt-secret-file)
  --allow-origin ORIGIN   CORS: an origin allowed to call the API, e.g. https://intranet.example
                          (repeatable; default: same origin only)
  --site-dir DIR          demo intranet served at /                          (default: host-page/)
  --widget-dir DIR        built widget served at /widget/                    (default: build/wasm/dist/widget)
  --max-body N            post length limit in characters (code points)      (default 500)
  --writes-per-minute N   per-user write limit, then 429                     (default 30)
  --auto-hide-flags N     distinct flags that hide a post until a curator decides, 0 = off (default 3)
  --check-in-days N       days until a commitment's author is asked how it went   (default 7)
  --threads N             workers for reads and files        (default: 8, or 2 per core if more)
  --write-threads N       workers for writes; writes that wait together share one commit
                          (default: 32 with SQLite, or --threads' if more; --threads' with PostgreSQL)
  --max-connections N     open connections at once; idle ones make room for new ones
                          (default: what the open file limit allows)
  --ping-interval S       seconds between ': ping' lines on idle event streams   (default 25)
  --sqlite-sync MODE      full: fsync every commit, survives power loss (default);
                          normal: WAL without fsync per commit, survives a crash of this program
  --request-timeout S     seconds a request's head, or its body, may take to arrive (default 5)
  --idle-timeout S        seconds an idle keep-alive connection stays open       (default 15)
  --test-commit-delay-ms N  tests only (PostgreSQL): wait N ms between stamping a write and
                          committing it, to widen commit-order races                 (default 0)
  --help                  show this help
)";
}

Expected<ServerOptions> parse_server_options(int argc, const char* const argv[]) {
    ServerOptions o;
    o.site_dir = GROVE_DEFAULT_SITE_DIR;
    o.widget_dir = GROVE_DEFAULT_WIDGET_DIR;
    std::string secret_file;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&](std::string& out) -> bool {
            if (i + 1 >= argc) return false;
            out = argv[++i];
            return true;
        };
        auto number = [&](long min, long max, long& out) -> bool {
            std::string v;
            return value(v) && parse_int(v, min, max, out);
        };
        long n = 0;
        std::string s;
        if (arg == "--help" || arg == "-h") {
            o.show_help = true;
        } else if (arg == "--dev") {
            o.dev = true;
        } else if (arg == "--port") {
            if (!number(0, 65535, n)) return usage_error("--port needs a number from 0 to 65535");
            o.port = static_cast<int>(n);
        } else if (arg == "--bind") {
            if (!value(o.bind) || o.bind.empty()) return usage_error("--bind needs an address");
        } else if (arg == "--db") {
            if (!value(o.db) || o.db.empty()) return usage_error("--db needs a file path or a PostgreSQL URI");
            if (is_postgres_uri(o.db)) {
                const std::string why = postgres_uri_problem(o.db);
                if (!why.empty()) return usage_error("--db is not a valid PostgreSQL connection URI: " + why);
            }
        } else if (arg == "--jwt-audience") {
            if (!value(o.jwt_audience) || o.jwt_audience.empty()) return usage_error("--jwt-audience needs a value");
        } else if (arg == "--jwt-issuer") {
            if (!value(o.jwt_issuer) || o.jwt_issuer.empty()) return usage_error("--jwt-issuer needs a value");
        } else if (arg == "--jwt-secret-file") {
            if (!value(secret_file) || secret_file.empty()) return usage_error("--jwt-secret-file needs a file path");
        } else if (arg == "--allow-origin") {
            if (!value(s) || s.empty() || s.find("://") == std::string::npos)
                return usage_error("--allow-origin needs an origin like https://intranet.example");
            while (!s.empty() && s.back() == '/') s.pop_back();
            o.allow_origins.push_back(s);
        } else if (arg == "--site-dir") {
            if (!value(o.site_dir)) return usage_error("--site-dir needs a directory");
        } else if (arg == "--widget-dir") {
            if (!value(o.widget_dir)) return usage_error("--widget-dir needs a directory");
        } else if (arg == "--max-body") {
            if (!number(1, 100000, n)) return usage_error("--max-body needs a number from 1 to 100000");
            o.max_body_code_points = static_cast<std::size_t>(n);
        } else if (arg == "--writes-per-minute") {
            if (!number(1, 1000000, n)) return usage_error("--writes-per-minute needs a number from 1 to 1000000");
            o.writes_per_minute = static_cast<int>(n);
        } else if (arg == "--auto-hide-flags") {
            if (!number(0, 1000, n)) return usage_error("--auto-hide-flags needs a number from 0 to 1000");
            o.auto_hide_flags = static_cast<int>(n);
        } else if (arg == "--check-in-days") {
            if (!number(1, 365, n)) return usage_error("--check-in-days needs a number of days from 1 to 365");
            o.check_in_days = static_cast<int>(n);
        } else if (arg == "--sqlite-sync") {
            if (!value(s) || (s != "full" && s != "normal")) return usage_error("--sqlite-sync needs full or normal");
            o.sqlite_sync_full = s == "full";
        } else if (arg == "--request-timeout") {
            if (!number(1, 3600, n)) return usage_error("--request-timeout needs a number of seconds from 1 to 3600");
            o.request_timeout_s = static_cast<int>(n);
        } else if (arg == "--idle-timeout") {
            if (!number(1, 3600, n)) return usage_error("--idle-timeout needs a number of seconds from 1 to 3600");
            o.idle_timeout_s = static_cast<int>(n);
        } else if (arg == "--threads") {
            if (!number(1, 1024, n)) return usage_error("--threads needs a number from 1 to 1024");
            o.threads = static_cast<int>(n);
        } else if (arg == "--write-threads") {
            if (!number(1, 1024, n)) return usage_error("--write-threads needs a number from 1 to 1024");
            o.write_threads = static_cast<int>(n);
        } else if (arg == "--max-connections") {
            if (!number(1, 10000000, n)) return usage_error("--max-connections needs a number from 1 to 10000000");
            o.max_connections = static_cast<int>(n);
        } else if (arg == "--ping-interval") {
            if (!number(1, 3600, n)) return usage_error("--ping-interval needs a number of seconds from 1 to 3600");
            o.ping_interval_s = static_cast<int>(n);
        } else if (arg == "--test-commit-delay-ms") {
            if (!number(0, 10000, n)) return usage_error("--test-commit-delay-ms needs a number from 0 to 10000");
            o.test_commit_delay_ms = static_cast<int>(n);
        } else {
            return usage_error("unknown option '" + arg + "'");
        }
    }
    if (o.show_help) return o;

    const char* env_secret = std::getenv("GROVE_JWT_SECRET");
    const bool secret_given = !secret_file.empty() || (env_secret && *env_secret);
    if (o.dev && is_postgres_uri(o.db))
        // Dev mode keeps its secret and its test clock in the process: two instances on one
        // database would each refuse the other's tokens and disagree on the time.
        return usage_error("--dev works with a SQLite --db only: instances on PostgreSQL share one secret, so pass "
                           "--jwt-secret-file (or set GROVE_JWT_SECRET) and drop --dev");
    if (o.dev) {
        // Dev tokens are handed to anyone who asks: they must never be signed with a real secret,
        // nor be reachable from other machines.
        if (secret_given)
            return usage_error("--dev mints tokens for anyone with any role, so it uses a secret of its own: drop "
                               "--jwt-secret-file and unset GROVE_JWT_SECRET, or drop --dev");
        if (!is_loopback_address(o.bind))
            return usage_error("--dev only listens on this machine (--bind 127.0.0.1, ::1 or localhost), not on " + o.bind);
        o.jwt_secret = random_secret();
        return o;
    }
    if (!secret_file.empty()) {
        std::ifstream in(secret_file, std::ios::binary);
        if (!in) return usage_error("cannot read the secret file '" + secret_file + "'");
        std::ostringstream buf;
        buf << in.rdbuf();
        o.jwt_secret = trim(buf.str());
        if (o.jwt_secret.empty()) return usage_error("the secret file '" + secret_file + "' is empty");
    } else if (env_secret && *env_secret) {
        o.jwt_secret = env_secret;
    } else {
        return usage_error("a JWT secret is required: pass --jwt-secret-file PATH, set GROVE_JWT_SECRET, or use --dev");
    }
    // HS256 with a short secret can be brute-forced offline from one token.
    if (o.jwt_secret.size() < kMinSecretBytes)
        return usage_error("the JWT secret is " + std::to_string(o.jwt_secret.size()) + " bytes long; it must have at least " +
                           std::to_string(kMinSecretBytes) + " (for example: openssl rand -base64 48 > secret)");
    return o;
}

}  // namespace grove

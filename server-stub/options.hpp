// grove-server's command line: the flags of api.md ("The server program") plus Grove's own.
#pragma once

#include <cstddef>   // std::size_t
#include <string>    // std::string
#include <vector>    // std::vector

#include "grove/expected.hpp"

namespace grove {

struct ServerOptions {
    int port = 8080;                       // 0: any free port (printed when ready)
    std::string bind = "127.0.0.1";
    std::string db = "grove.db";
    std::string jwt_secret;                // from --jwt-secret-file or GROVE_JWT_SECRET, >= 32 bytes
    std::string jwt_audience;              // tokens must name it in `aud` when set
    std::string jwt_issuer;                // tokens must carry it as `iss` when set
    bool dev = false;                      // loopback only, with a secret of its own
    std::vector<std::string> allow_origins;
    std::string site_dir;                  // served at /
    std::string widget_dir;                // served at /widget/
    std::size_t max_body_code_points = 500;
    int writes_per_minute = 30;
    int auto_hide_flags = 3;               // distinct flaggers that hide a post until reviewed
    int check_in_days = 7;                 // a commitment's author is asked how it went this much later
    int threads = 0;                       // read workers; 0: from the cores
    int write_threads = 0;                 // write workers; 0: 32 on SQLite (or reads' if more), reads' on PostgreSQL
    int max_connections = 0;               // open connections at once; 0: from the file descriptor limit
    int ping_interval_s = 25;              // ": ping" on idle event streams
    bool sqlite_sync_full = true;          // fsync every commit (--sqlite-sync full|normal)
    int test_commit_delay_ms = 0;          // tests only, PostgreSQL: a pause before each write's COMMIT
    int request_timeout_s = 5;             // a stalled read or write of a request ends the connection
    int idle_timeout_s = 15;               // an idle keep-alive connection is closed after this
    bool show_help = false;
};

// Parses argv and the environment (GROVE_JWT_SECRET). Errors are sentences for the operator.
Expected<ServerOptions> parse_server_options(int argc, const char* const argv[]);
std::string server_usage();

// Whether an address given to --bind only listens on this machine (127.0.0.0/8, ::1, localhost).
bool is_loopback_address(const std::string& address);

constexpr std::size_t kMinSecretBytes = 32;

}  // namespace grove

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
    std::string jwt_secret;                // from --jwt-secret-file or GROVE_JWT_SECRET
    bool dev = false;
    std::vector<std::string> allow_origins;
    std::string site_dir;                  // served at /
    std::string widget_dir;                // served at /widget/
    std::size_t max_body_code_points = 500;
    int writes_per_minute = 30;
    int auto_hide_flags = 3;               // distinct flaggers that hide a post until reviewed
    int check_in_days = 7;                 // a commitment's author is asked how it went this much later
    int threads = 0;                       // 0: chosen from the core count
    bool sqlite_sync_full = true;          // fsync every commit (--sqlite-sync full|normal)
    int request_timeout_s = 5;             // a stalled read or write of a request ends the connection
    int idle_timeout_s = 5;                // an idle keep-alive connection is closed after this
    bool show_help = false;
};

// Parses argv and the environment (GROVE_JWT_SECRET). Errors are sentences for the operator.
Expected<ServerOptions> parse_server_options(int argc, const char* const argv[]);
std::string server_usage();

}  // namespace grove

// Runs the real grove-server binary for a test: on a free loopback port, with a fresh database
// in a temporary folder; stopped by PID (SIGTERM, then SIGKILL) when the object goes away.
#pragma once

#include <sys/types.h>   // pid_t

#include <string>   // std::string
#include <vector>   // std::vector

namespace grove::test {

class ServerProcess {
public:
    // Extra flags are appended to: --port 0 --db <tmp>/grove.db
    explicit ServerProcess(std::vector<std::string> extra_args = {"--dev"}, std::string db_path = {});
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    const std::string& host() const { return host_; }   // "127.0.0.1"
    int port() const { return port_; }
    const std::string& db_path() const { return db_path_; }
    pid_t pid() const { return pid_; }

    // Sends SIGTERM and waits; returns the exit status (or -1).
    int stop();
    // SIGKILL, no cleanup: for crash tests.
    void kill_hard();
    // What the server wrote to stderr so far.
    std::string log() const;

private:
    pid_t pid_ = -1;
    std::string host_ = "127.0.0.1";
    int port_ = 0;
    std::string dir_;
    std::string db_path_;
    std::string log_path_;
};

// Where a test binary runs the contract tests on another storage engine (the PostgreSQL variant,
// tests/server/postgres_variant.cpp): maps the database path a test asked for to the --db value
// the server gets. Unset: the path itself (SQLite).
using DatabaseOverride = std::string (*)(const std::string& db_path);
extern DatabaseOverride server_database_override;

// A new empty temporary directory (removed by the caller or left for inspection on failure).
std::string make_temp_dir();
// Removes a directory made by make_temp_dir, with everything in it.
void remove_temp_dir(const std::string& dir);

}  // namespace grove::test

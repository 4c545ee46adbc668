// A real PostgreSQL server for tests: a cluster in a temporary folder (initdb as the postgres
// user when the tests run as root, which initdb refuses), listening only on a Unix socket in that
// folder, fsync off. One per test process, started on first use and stopped by its PID when the
// process ends; a guard process stops it too if the test process dies without cleaning up.
#pragma once

#include <string>   // std::string

namespace grove::test {

class PostgresCluster {
public:
    // The process's cluster, started on first use. nullptr when PostgreSQL's programs are not
    // installed (then `why_not` says so and the caller skips: test_skip.hpp); throws if they are
    // installed but the cluster does not start.
    static PostgresCluster* shared(std::string& why_not);

    // A libpq URI for `database` on this cluster (user grove, a superuser).
    std::string uri(const std::string& database) const;
    // Creates the database (UTF8) unless it exists.
    void create_database(const std::string& database);
    // Runs SQL as the superuser on `database`; the first column of the first row, or "".
    std::string query(const std::string& database, const std::string& sql);
    const std::string& dir() const { return dir_; }

    ~PostgresCluster();
    PostgresCluster(const PostgresCluster&) = delete;
    PostgresCluster& operator=(const PostgresCluster&) = delete;

private:
    PostgresCluster() = default;
    void start(const std::string& bin_dir);
    void stop();

    std::string dir_;       // data/, the socket, logs
    int postmaster_pid_ = -1;
    int guard_pid_ = -1;
    int guard_pipe_ = -1;   // the write end; closing it tells the guard to clean up
};

// A database name for a test's temporary folder (the same folder always gives the same name).
std::string database_name_for(const std::string& dir);

}  // namespace grove::test

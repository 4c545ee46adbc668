#include "postgres_cluster.hpp"

#include <fcntl.h>      // O_CLOEXEC, O_RDONLY, O_WRONLY
#include <libpq-fe.h>   // the PostgreSQL client library
#include <pwd.h>        // getpwnam
#include <signal.h>     // kill
#include <spawn.h>      // posix_spawnp
#include <sys/stat.h>   // stat
#include <sys/wait.h>   // waitpid
#include <unistd.h>     // geteuid, chown, pipe2, close

#include <cctype>      // std::isalnum
#include <cerrno>      // errno, EINTR, EPERM
#include <chrono>      // std::chrono
#include <cstdlib>     // std::getenv
#include <fstream>     // std::ifstream
#include <memory>      // std::unique_ptr
#include <stdexcept>   // std::runtime_error
#include <thread>      // std::this_thread
#include <vector>      // std::vector

extern char** environ;

namespace grove::test {

namespace {

bool is_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Where initdb, pg_ctl and postgres are: GROVE_PG_BINDIR, else Debian's versioned folders
// (the newest), else pg_config's answer. Empty when they are not installed.
std::string find_bin_dir() {
    auto complete = [](const std::string& dir) {
        return is_file(dir + "/initdb") && is_file(dir + "/pg_ctl") && is_file(dir + "/postgres");
    };
    if (const char* env = std::getenv("GROVE_PG_BINDIR")) return complete(env) ? env : "";
    for (int version = 30; version >= 12; --version) {
        const std::string dir = "/usr/lib/postgresql/" + std::to_string(version) + "/bin";
        if (complete(dir)) return dir;
    }
    for (const char* dir : {"/usr/local/pgsql/bin", "/usr/bin"})
        if (complete(dir)) return dir;
    return "";
}

// Runs a program (found on PATH) with stdout and stderr appended to `log`; its exit status.
int run(const std::vector<std::string>& args, const std::string& log) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return -1;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// As the postgres user when running as root (initdb and postgres refuse root).
std::vector<std::string> as_owner(std::vector<std::string> args) {
    if (geteuid() != 0) return args;
    const char* runuser = is_file("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser";   // not on every PATH
    args.insert(args.begin(), {runuser, "-u", "postgres", "--"});
    return args;
}

bool alive(int pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

std::string quote_ident(const std::string& name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

struct Conn {
    explicit Conn(const std::string& uri) : c(PQconnectdb(uri.c_str())) {
        if (PQstatus(c) != CONNECTION_OK) {
            const std::string why = PQerrorMessage(c);
            PQfinish(c);
            throw std::runtime_error("test cluster: cannot connect: " + why);
        }
    }
    ~Conn() { PQfinish(c); }
    PGconn* c;
};

constexpr const char* kPort = "5432";   // the socket lives in the cluster's own folder: no clash

}  // namespace

std::string database_name_for(const std::string& dir) {
    std::string name = "grove_";
    for (char c : dir.substr(dir.find_last_of('/') + 1))
        name += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
    return name;
}

PostgresCluster* PostgresCluster::shared(std::string& why_not) {
    static std::unique_ptr<PostgresCluster> cluster;
    if (cluster) return cluster.get();
    const std::string bin = find_bin_dir();
    if (bin.empty()) {
        why_not = "PostgreSQL's server programs (initdb, pg_ctl, postgres) are not installed; "
                  "./grove setup installs them, GROVE_PG_BINDIR points at another installation";
        return nullptr;
    }
    cluster.reset(new PostgresCluster());
    try {
        cluster->start(bin);
    } catch (...) {
        cluster.reset();   // stops whatever started
        throw;
    }
    return cluster.get();
}

void PostgresCluster::start(const std::string& bin) {
    std::string templ = "/tmp/grove-pg-XXXXXX";   // short: a socket path has at most 107 bytes
    if (!mkdtemp(templ.data())) throw std::runtime_error("test cluster: mkdtemp failed");
    dir_ = templ;
    if (geteuid() == 0) {
        const passwd* pg = getpwnam("postgres");
        if (!pg) throw std::runtime_error("test cluster: running as root needs a 'postgres' user to run initdb as");
        if (::chown(dir_.c_str(), pg->pw_uid, pg->pw_gid) != 0) throw std::runtime_error("test cluster: chown failed");
    }
    const std::string log = dir_ + "/setup.log";
    if (run(as_owner({bin + "/initdb", "-D", dir_ + "/data", "-A", "trust", "-U", "grove", "--no-sync", "-E", "UTF8",
                      "--locale=C"}),
            log) != 0)
        throw std::runtime_error("test cluster: initdb failed:\n" + read_file(log));
    const std::string server_options = "-k " + dir_ + " -c listen_addresses='' -p " + kPort +
                                       " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                                       " -c max_connections=200";
    if (run(as_owner({bin + "/pg_ctl", "-D", dir_ + "/data", "-l", dir_ + "/server.log", "-w", "-t", "60", "-o",
                      server_options, "start"}),
            log) != 0)
        throw std::runtime_error("test cluster: pg_ctl start failed:\n" + read_file(log) + read_file(dir_ + "/server.log"));
    postmaster_pid_ = std::atoi(read_file(dir_ + "/data/postmaster.pid").c_str());
    if (postmaster_pid_ <= 0) throw std::runtime_error("test cluster: no postmaster.pid after start");

    // The guard: when this process ends without stop() (a crash, a timeout's SIGKILL), the pipe
    // closes, and the guard stops the server by its PID and removes the folder.
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("test cluster: pipe failed");
    const std::string pid = std::to_string(postmaster_pid_);
    const std::string script = "cat >/dev/null; kill -INT " + pid + " 2>/dev/null; i=0; while kill -0 " + pid +
                               " 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; kill -KILL " + pid +
                               " 2>/dev/null; rm -rf '" + dir_ + "'";
    std::vector<char*> argv = {const_cast<char*>("/bin/sh"), const_cast<char*>("-c"), const_cast<char*>(script.c_str()),
                               nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t guard = -1;
    const int rc = posix_spawn(&guard, "/bin/sh", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[0]);
    if (rc != 0) {
        ::close(fds[1]);
        stop();
        throw std::runtime_error("test cluster: starting the guard failed");
    }
    guard_pid_ = guard;
    guard_pipe_ = fds[1];
}

void PostgresCluster::stop() {
    if (alive(postmaster_pid_)) {
        ::kill(postmaster_pid_, SIGINT);   // "fast" shutdown: roll back sessions, stop cleanly
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (alive(postmaster_pid_) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (alive(postmaster_pid_)) ::kill(postmaster_pid_, SIGKILL);
    }
    postmaster_pid_ = -1;
    if (guard_pipe_ >= 0) {
        ::close(guard_pipe_);   // the guard removes the folder and ends
        guard_pipe_ = -1;
        int status = 0;
        while (waitpid(guard_pid_, &status, 0) < 0 && errno == EINTR) {
        }
    } else if (!dir_.empty() && dir_.rfind("/tmp/grove-pg-", 0) == 0) {
        run({"rm", "-rf", dir_}, "/dev/null");
    }
}

PostgresCluster::~PostgresCluster() { stop(); }

std::string PostgresCluster::uri(const std::string& database) const {
    return "postgresql://grove@/" + database + "?host=" + dir_ + "&port=" + kPort;
}

std::string PostgresCluster::query(const std::string& database, const std::string& sql) {
    Conn conn(uri(database));
    PGresult* res = PQexec(conn.c, sql.c_str());
    const auto status = PQresultStatus(res);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        const std::string why = PQresultErrorMessage(res);
        PQclear(res);
        throw std::runtime_error("test cluster: " + sql + ": " + why);
    }
    std::string out = PQntuples(res) > 0 && PQnfields(res) > 0 ? PQgetvalue(res, 0, 0) : "";
    PQclear(res);
    return out;
}

void PostgresCluster::create_database(const std::string& database) {
    std::string literal = "'";
    for (char c : database) literal += c == '\'' ? std::string("''") : std::string(1, c);
    literal += "'";
    if (query("postgres", "SELECT 1 FROM pg_database WHERE datname = " + literal) == "1") return;
    query("postgres", "CREATE DATABASE " + quote_ident(database) + " ENCODING 'UTF8' TEMPLATE template0");
}

}  // namespace grove::test

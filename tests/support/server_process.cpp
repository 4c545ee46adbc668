#include "server_process.hpp"

#include <fcntl.h>      // open
#include <poll.h>       // poll
#include <signal.h>     // kill
#include <spawn.h>      // posix_spawn
#include <sys/wait.h>   // waitpid
#include <unistd.h>     // pipe, read, close

#include <chrono>       // std::chrono
#include <cstdlib>      // mkdtemp
#include <fstream>      // std::ifstream
#include <sstream>      // std::ostringstream
#include <stdexcept>    // std::runtime_error
#include <thread>       // std::this_thread

extern char** environ;

namespace grove::test {

std::string make_temp_dir() {
    std::string templ = "/tmp/grove-test-XXXXXX";
    if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
    return templ;
}

void remove_temp_dir(const std::string& dir) {
    if (dir.rfind("/tmp/grove-test-", 0) != 0) return;   // never anything else
    const std::string cmd = "rm -rf '" + dir + "'";
    if (std::system(cmd.c_str()) != 0) { /* leftovers in /tmp are harmless */ }
}

DatabaseOverride server_database_override = nullptr;

ServerProcess::ServerProcess(std::vector<std::string> extra, std::string db_path) {
    dir_ = make_temp_dir();
    db_path_ = db_path.empty() ? dir_ + "/grove.db" : db_path;
    const std::string db = server_database_override ? server_database_override(db_path_) : db_path_;
    std::vector<std::string> args = {GROVE_SERVER_BINARY, "--port", "0", "--db", db};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    // stderr (request errors, "stopping") goes to a log next to the database, shown on failure.
    log_path_ = dir_ + "/server.log";
    posix_spawn_file_actions_addopen(&actions, 2, log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (rc != 0) {
        close(out[0]);
        throw std::runtime_error(std::string("cannot start ") + argv[0]);
    }

    // The server prints "Grove listening on http://127.0.0.1:PORT/" when ready.
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        pollfd p{out[0], POLLIN, 0};
        if (poll(&p, 1, 200) <= 0) continue;
        char buf[256];
        const ssize_t n = read(out[0], buf, sizeof buf);
        if (n <= 0) break;
        line.append(buf, static_cast<size_t>(n));
    }
    close(out[0]);   // the server ignores SIGPIPE; later output is dropped
    const auto colon = line.rfind(':');
    if (line.find("listening on http://") == std::string::npos || colon == std::string::npos) {
        kill_hard();
        throw std::runtime_error("grove-server did not print its URL; got: " + line + "\nlog: " + log());
    }
    port_ = std::atoi(line.c_str() + colon + 1);
}

ServerProcess::~ServerProcess() {
    stop();
    remove_temp_dir(dir_);
}

int ServerProcess::stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 200; ++i) {   // 10 s, then force
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill_hard();
    return -1;
}

std::string ServerProcess::log() const {
    std::ifstream in(log_path_);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void ServerProcess::kill_hard() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

}  // namespace grove::test

// grove-server: parses flags, binds, prints its URL, serves until SIGTERM/SIGINT.
#include <atomic>     // std::atomic
#include <chrono>     // std::chrono::milliseconds
#include <csignal>    // sigset_t, sigwait
#include <memory>     // std::unique_ptr
#include <cstdio>     // std::printf
#include <pthread.h>  // pthread_sigmask
#include <thread>     // std::thread
#if defined(__GLIBC__)
#include <malloc.h>   // mallopt, M_TRIM_THRESHOLD
#endif

#include "http_server.hpp"
#include "storage/storage_engine.hpp"

namespace {

// glibc gives memory at the top of a thread's heap back to the kernel as soon as more than
// M_TRIM_THRESHOLD (128 KiB by default) is free there. SQLite's page cache and savepoint
// journals on the writer connection, used by whichever write worker holds the writer, free
// that much after almost every transaction, so each write shrank a heap (madvise, a TLB
// flush on every core) and the next one grew it again (page faults): POST create ran at about
// half the rate it reaches with the memory kept (docs/BENCHMARKS.md, "Keeping freed memory").
// Up to 64 MiB free at a heap's top now stays with the process.
void keep_freed_memory() {
#if defined(__GLIBC__)
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
}

}  // namespace

int main(int argc, char** argv) {
    keep_freed_memory();
    auto options = grove::parse_server_options(argc, argv);
    if (!options) {
        std::fprintf(stderr, "grove-server: %s\n", options.error().message.c_str());
        return 2;
    }
    if (options->show_help) {
        std::fputs(grove::server_usage().c_str(), stdout);
        return 0;
    }

    // Signals go to one thread that waits for them, so stopping never runs in a signal handler.
    // A parent may have started us with them ignored; a stop request must never be lost.
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGINT, SIG_DFL);
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    // A file size limit (ulimit -f, systemd's LimitFSIZE) must fail the write, which SQLite
    // reports and the API answers with 503, instead of killing the server with SIGXFSZ.
    std::signal(SIGXFSZ, SIG_IGN);

    std::unique_ptr<grove::HttpServer> server_ptr;
    try {
        server_ptr = std::make_unique<grove::HttpServer>(std::move(options).value());
    } catch (const grove::StorageError& e) {
        std::fprintf(stderr, "grove-server: %s\n", e.what());
        return 1;
    }
    grove::HttpServer& server = *server_ptr;
    if (server.bind() < 0) {
        std::fprintf(stderr, "grove-server: cannot listen on the requested address and port (in use?)\n");
        return 1;
    }
    // A signal may arrive before listen() has started, when stop() alone would be lost: keep
    // asking until listen() has returned.
    std::atomic<bool> listening_done{false};
    std::thread waiter([&server, &listening_done, stop_signals] {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        if (!listening_done) std::fprintf(stderr, "grove-server: stopping (signal %d)\n", sig);
        while (!listening_done) {
            server.stop();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    std::printf("Grove listening on %s\n", server.url().c_str());
    std::fflush(stdout);
    const bool ok = server.listen();
    listening_done = true;
    // listen() returned: either a signal stopped it, or it failed; wake the waiter either way.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    server_ptr.reset();   // in-flight requests are answered; now the database closes
    std::fprintf(stderr, "grove-server: stopped\n");
    return ok ? 0 : 1;
}

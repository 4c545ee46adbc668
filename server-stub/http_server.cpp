// The HTTP front on Boost.Asio. What it decides itself, and why:
//   - Threads: the io_context runs on one thread per core, up to four, and every connection
//     lives on its own strand of it (reading, screening, writing, event streams: little CPU each).
//     One io thread was enough for requests, but one write fanned out to thousands of event
//     streams is thousands of socket writes, and on one thread they queue behind each other
//     (docs/BENCHMARKS.md, "Fan-out on two io threads"). Two worker pools run ApiRouter and
//     file reads: --threads for reads, --write-threads for writes. Writes wait for SQLite's one
//     writer (and an fsync), so in one shared pool a burst of writes would hold every worker and
//     reads would queue behind them. A GET whose answer is already in memory (a cached feed
//     page) is answered on the io thread itself: handing it to a worker and back cost more
//     than the answer. A
//     connection waiting for its next request, or holding an event stream, is a socket and a
//     few hundred bytes.
//   - Connections: at most --max-connections (by default what the open file limit allows, which
//     is raised to its hard limit at start). A new client beyond that takes the place of the
//     longest idle keep-alive connection (HTTP lets a server close those at any time; clients
//     reconnect), else of the oldest event stream (clients reconnect); with neither, it is told 503.
//   - TCP_DEFER_ACCEPT: connections that never send a byte (speculative preconnects, port scans)
//     are not even accepted for a few seconds.
//   - Stopping (SIGTERM): no new connections; idle ones close, event streams end, and every
//     request in hand is carried out and answered (with Connection: close) before listen()
//     returns, so no write answered 2xx is lost and none is cut off half way.
#include "http_server.hpp"

#include <boost/asio/dispatch.hpp>       // boost::asio::dispatch
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>         // acceptor, resolver
#include <boost/asio/post.hpp>           // boost::asio::post
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>         // make_strand
#include <boost/asio/thread_pool.hpp>
#include <boost/version.hpp>             // BOOST_VERSION
#include <netinet/in.h>                  // IPPROTO_TCP
#include <netinet/tcp.h>                 // TCP_DEFER_ACCEPT
#include <sys/resource.h>                // getrlimit, setrlimit (open files)
#include <sys/socket.h>                  // setsockopt

#include <algorithm>   // std::clamp, std::max
#include <atomic>      // std::atomic
#include <optional>    // std::optional
#include <thread>      // std::thread
#include <vector>      // std::vector

#include "api/api_router.hpp"
#include "compression.hpp"   // kMaxSendFiles
#include "http_connection.hpp"
#include "storage/open_engine.hpp"
#include "storage/postgres_engine.hpp"   // is_postgres_uri

// Beast's parser limits and request_parser conversion, and Asio's strand and thread_pool, as
// used here and in http_connection.cpp / request_reader.cpp (CMake checks this too).
static_assert(BOOST_VERSION >= 107400, "grove-server needs Boost 1.74 or newer");

namespace grove {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr int kDeferAcceptSeconds = 5;
// Connections taken from the listen backlog at once when one arrives (see Impl::accept).
constexpr int kAcceptBurst = 64;
// The database, its WAL, logs, accept retries; and large cached pages' files (SharedBody::file).
constexpr rlim_t kReservedFiles = 64 + kMaxSendFiles;

int io_thread_count() {
    return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
}

int worker_count(const ServerOptions& o) {
    if (o.threads > 0) return o.threads;
    return static_cast<int>(std::max(8u, 2 * std::thread::hardware_concurrency()));
}

// A write worker waits for SQLite's one writer, and writes that wait together commit as one
// group with one fsync (storage/commit_group.hpp): a group cannot have more members than there
// are write workers, so they are many (docs/BENCHMARKS.md, "Keeping freed memory, and 32 write
// workers"). Waiting costs a thread little. On PostgreSQL each write worker may hold a pooled
// connection of its own (write budgets), so there they stay as many as the read workers.
constexpr int kSqliteWriteWorkers = 32;   // the clients of `./grove bench`'s POST rows

int write_worker_count(const ServerOptions& o) {
    if (o.write_threads > 0) return o.write_threads;
    if (is_postgres_uri(o.db)) return worker_count(o);
    return std::max(kSqliteWriteWorkers, worker_count(o));
}

// Raises the soft limit of open files to the hard one; returns how many connections fit.
std::size_t connection_limit(const ServerOptions& o) {
    rlimit files{};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
        getrlimit(RLIMIT_NOFILE, &files);
    }
    const rlim_t fit = files.rlim_cur > kReservedFiles + 16 ? files.rlim_cur - kReservedFiles : 16;
    if (o.max_connections > 0) return static_cast<std::size_t>(std::min<rlim_t>(fit, static_cast<rlim_t>(o.max_connections)));
    return static_cast<std::size_t>(fit);
}

}  // namespace

struct HttpServer::Impl {
    explicit Impl(ServerOptions o)
        : options(std::move(o)),
          storage(open_storage_engine(EngineChoice{options.db, options.sqlite_sync_full, options.test_commit_delay_ms})),
          api(std::make_unique<ApiRouter>(options, storage)),
          readers(static_cast<std::size_t>(worker_count(options))),
          writers(static_cast<std::size_t>(write_worker_count(options))),
          shared(options, *api, readers, writers),
          acceptor(io),
          accept_retry(io),
          max_connections(connection_limit(options)) {}

    ~Impl() {
        readers.join();   // their answers are posted to io, whose destruction drops them
        writers.join();
    }

    void accept();
    void accept_waiting();
    void admit(HttpConnection::Socket socket);

    // Destroyed in reverse: io (and any connection still in a handler) before `shared` and
    // the router, which connections use.
    ServerOptions options;
    std::shared_ptr<StorageEngine> storage;
    std::unique_ptr<ApiRouter> api;
    asio::thread_pool readers;
    asio::thread_pool writers;
    HttpShared shared;
    const int io_threads = io_thread_count();
    asio::io_context io{io_threads};
    tcp::acceptor acceptor;
    asio::steady_timer accept_retry;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> running;
    std::size_t max_connections;
    int port = -1;
    std::atomic<bool> stop_requested{false};
};

HttpServer::HttpServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpServer::~HttpServer() = default;

int HttpServer::bind() {
    Impl& s = *impl_;
    boost::system::error_code ec;
    tcp::resolver resolver(s.io);
    const auto found = resolver.resolve(s.options.bind, std::to_string(s.options.port),
                                        tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || found.empty()) return -1;
    const tcp::endpoint endpoint = found.begin()->endpoint();
    s.acceptor.open(endpoint.protocol(), ec);
    if (ec) return -1;
    s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    s.acceptor.bind(endpoint, ec);
    if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) s.acceptor.non_blocking(true, ec);   // accept_waiting() drains the backlog without waiting
    if (ec) {
        s.acceptor.close(ec);
        return -1;
    }
    int defer = kDeferAcceptSeconds;
    setsockopt(s.acceptor.native_handle(), IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof defer);
    s.port = s.acceptor.local_endpoint(ec).port();
    return ec ? -1 : s.port;
}

void HttpServer::Impl::accept() {
    acceptor.async_accept(asio::make_strand(io), [this](boost::system::error_code ec, HttpConnection::Socket socket) {
        if (ec == asio::error::operation_aborted || shared.stopping) return;
        if (ec) {   // out of file descriptors, most likely: wait a moment instead of spinning
            accept_retry.expires_after(std::chrono::milliseconds(100));
            accept_retry.async_wait([this](boost::system::error_code wait) {
                if (!wait && !shared.stopping) accept();
            });
            return;
        }
        admit(std::move(socket));
        accept_waiting();
        accept();
    });
}

// Each completion of async_accept queues behind every other ready handler, so with thousands of
// busy connections a crowd arriving at once (the end of a live training) would be let in one per
// trip through that queue, its first requests waiting in the backlog meanwhile. So whoever else
// is already waiting is accepted here, up to kAcceptBurst; errors (EAGAIN: nobody left; EMFILE)
// are left to the next async_accept, which knows how to wait.
void HttpServer::Impl::accept_waiting() {
    for (int i = 0; i < kAcceptBurst && !shared.stopping; ++i) {
        HttpConnection::Socket socket(asio::make_strand(io));
        boost::system::error_code ec;
        acceptor.accept(socket, ec);
        if (ec) return;
        admit(std::move(socket));
    }
}

void HttpServer::Impl::admit(HttpConnection::Socket socket) {
    bool over_capacity = false;
    if (shared.registry.size() >= max_connections) {
        if (auto victim = shared.registry.eviction_candidate())
            asio::post(victim->executor(), [victim] { victim->evict(); });
        else
            over_capacity = true;
    }
    auto connection = std::make_shared<HttpConnection>(std::move(socket), shared);
    shared.registry.add(connection);
    asio::dispatch(connection->executor(), [connection, over_capacity] { connection->start(over_capacity); });
}

bool HttpServer::listen() {
    Impl& s = *impl_;
    if (s.port < 0) return false;
    s.running.emplace(s.io.get_executor());
    s.accept();
    std::vector<std::thread> more;
    for (int i = 1; i < s.io_threads; ++i) more.emplace_back([&s] { s.io.run(); });
    s.io.run();
    for (auto& t : more) t.join();
    return true;
}

void HttpServer::stop() {
    Impl& s = *impl_;
    if (s.stop_requested.exchange(true)) return;
    asio::post(s.io, [&s] {
        s.shared.stopping = true;
        boost::system::error_code ec;
        s.acceptor.close(ec);
        s.accept_retry.cancel();
        for (auto& c : s.shared.registry.all()) asio::post(c->executor(), [c] { c->stop(); });
        s.shared.registry.stop_when_empty([&s] { asio::post(s.io, [&s] { s.running.reset(); }); });
    });
}

std::string HttpServer::url() const {
    const std::string& bind = impl_->options.bind;
    const bool v6 = bind.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + bind + "]" : bind) + ":" + std::to_string(impl_->port) + "/";
}

}  // namespace grove

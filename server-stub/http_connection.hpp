// One client connection of the HTTP front (http_server.hpp), on Boost.Asio with Boost.Beast.
//
// Everything a connection does runs on its own strand of the server's io_context: reading and
// screening the request (request_reader.hpp), deadlines, writing answers, and event streams.
// API and file work goes to one of the server's worker pools (reads and writes apart, so reads
// never queue behind writes waiting for the database's one writer), whose answer is posted back. A connection
// waiting for its next request holds no read buffer and no thread: it waits for readability
// (async_wait) and reads only what has arrived.
//
// Phases and their deadlines (one timer per connection; a later deadline just moves a value):
//   waiting     no byte of a request yet: closed after --idle-timeout
//   head, body  the request is arriving: 408 and closed unless the head arrives within
//               --request-timeout of its first byte, and the body within as long again
//   working     a worker has the request: no deadline
//   writing     the answer is going out: closed if the client has not taken it within 60 s
//   streaming   an event stream: ": ping" every --ping-interval, ended when the token expires
//   closing     an answer that ends the connection was sent: what the client still sends is
//               read and dropped for up to 2 s and 256 KiB (so the answer is not lost to a
//               reset), then closed
#pragma once

#include <boost/asio/ip/tcp.hpp>        // tcp::socket
#include <boost/asio/steady_timer.hpp>  // the deadline
#include <boost/asio/strand.hpp>        // one strand per connection
#include <boost/asio/thread_pool.hpp>   // the workers
#include <boost/beast/core/flat_buffer.hpp>

#include <atomic>       // std::atomic
#include <chrono>       // std::chrono
#include <map>          // std::map
#include <memory>       // std::shared_ptr, std::enable_shared_from_this
#include <mutex>        // std::mutex
#include <string>       // std::string
#include <unordered_map>
#include <vector>       // std::vector

#include "api/api_router.hpp"
#include "options.hpp"
#include "request_reader.hpp"
#include "static_files.hpp"

namespace grove {

class HttpConnection;

// Every open connection: to make room for new ones (oldest idle first), and to stop them all.
class ConnectionRegistry {
public:
    void add(const std::shared_ptr<HttpConnection>& connection);
    void remove(HttpConnection* connection);   // from ~HttpConnection
    std::size_t size() const;
    std::vector<std::shared_ptr<HttpConnection>> all() const;
    // The connection to close for a new one: the longest idle, else the oldest event stream.
    std::shared_ptr<HttpConnection> eviction_candidate() const;
    // Called (once) when the registry becomes empty after stop_when_empty().
    void stop_when_empty(std::function<void()> done);

private:
    mutable std::mutex mutex_;
    std::unordered_map<HttpConnection*, std::weak_ptr<HttpConnection>> connections_;
    std::function<void()> on_empty_;
};

// What all connections share; owned by the server.
struct HttpShared {
    HttpShared(const ServerOptions& o, ApiRouter& a, boost::asio::thread_pool& r, boost::asio::thread_pool& w);

    const ServerOptions& options;
    ApiRouter& api;
    boost::asio::thread_pool& readers;   // GET, HEAD, OPTIONS and files
    boost::asio::thread_pool& writers;   // POST, PUT, PATCH, DELETE: they take turns at the database
    StaticSite site;
    RequestLimits limits;
    std::chrono::milliseconds request_timeout, idle_timeout, ping_interval;
    // "timeout=N" for the Keep-Alive header of answers that keep the connection open.
    std::string keep_alive_hint;
    std::chrono::milliseconds response_timeout{60000};
    ConnectionRegistry registry;
    std::atomic<bool> stopping{false};
};

class HttpConnection final : public std::enable_shared_from_this<HttpConnection>, public EventSink {
public:
    using Executor = boost::asio::strand<boost::asio::io_context::executor_type>;
    using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;
    using Clock = std::chrono::steady_clock;

    HttpConnection(Socket socket, HttpShared& shared);
    ~HttpConnection() override;

    // On the connection's strand (use dispatch/post with executor()).
    void start(bool over_capacity);   // over_capacity: answer 503 and close
    void stop();                      // the server stops: finish the request in hand, then close
    void evict();                     // make room: close when idle, end an event stream
    Executor executor() const { return executor_; }

    // From any thread: for choosing whom to evict.
    std::int64_t idle_since_ms() const { return idle_since_ms_.load(std::memory_order_relaxed); }
    std::int64_t stream_since_ms() const { return stream_since_ms_.load(std::memory_order_relaxed); }

    // EventSink, from the hub's thread.
    void changed(const std::string& module, std::int64_t rev) override;
    void spotlight(std::int64_t rev) override;

private:
    enum class Phase { waiting, head, body, working, writing, streaming, closing };

    void wait_readable();
    void on_readable(boost::system::error_code ec);
    void process();
    void send_continue();
    void dispatch(HttpRequest request);
    void answer(ApiResponse response, std::chrono::milliseconds write_timeout);
    void written(boost::system::error_code ec, bool keep_alive);
    void send_from_file(bool keep_alive);
    void refuse(const ApiError& error, const HttpRequest& partial);
    void become_waiting();
    void graceful_close();
    void close();

    void start_stream(const EventStreamRequest& stream);
    void flush_stream();
    void end_stream();

    void set_deadline(Clock::time_point when);
    void clear_deadline() { deadline_ = Clock::time_point::max(); }
    void on_timer(boost::system::error_code ec, std::uint64_t generation);
    void on_deadline();

    HttpShared& shared_;
    Executor executor_;
    Socket socket_;
    boost::asio::steady_timer timer_;
    boost::beast::flat_buffer buffer_;
    RequestReader reader_;
    Phase phase_ = Phase::waiting;
    bool closed_ = false;
    bool reading_ = false;       // an async_wait for readability is pending
    bool peer_closed_ = false;
    bool stopping_ = false;
    bool close_after_ = false;   // the answer in hand ends the connection
    std::size_t lingered_ = 0;   // bytes read and dropped while closing
    bool head_request_ = false;
    bool keep_alive_ = true;
    unsigned version_ = 11;
    std::atomic<std::int64_t> idle_since_ms_{0};
    std::atomic<std::int64_t> stream_since_ms_{0};

    // Deadlines: the timer is armed for `armed_for_`; a later `deadline_` re-arms when it fires.
    Clock::time_point deadline_ = Clock::time_point::max();
    Clock::time_point armed_for_ = Clock::time_point::max();
    bool timer_waiting_ = false;
    std::uint64_t timer_generation_ = 0;

    // The answer being written (Beast needs the message alive until the write completes).
    struct Outgoing;
    std::unique_ptr<Outgoing> outgoing_;

    // Event stream state (on the strand, except what the mutex guards).
    struct Stream;
    std::unique_ptr<Stream> stream_;
    std::mutex events_mutex_;
    std::map<std::string, std::int64_t> pending_changes_;   // guarded; module -> highest rev
    std::int64_t pending_spotlight_ = 0;                     // guarded
    bool flush_posted_ = false;                              // guarded
};

}  // namespace grove

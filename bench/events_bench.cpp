// grove_events_bench: event streams (GET /api/v1/events) against a running grove-server, for
// bench/transport_bench.sh. Prints one JSON object.
//   --idle N --seconds S     open N streams on one module, then measure the server's resident
//                            memory and CPU time while they sit idle for S seconds
//     --keepalive 1          the same with N idle keep-alive connections instead of streams
//                            (each made one GET /api/v1/health); at most --open-limit S seconds
//                            to get every answer (a server that gives each connection a thread
//                            answers only as many as it has threads)
//   --fanout N --writes W    open N streams on one module, then make W writes into it, one every
//                            --gap-ms, and time each write from its sending to its event at
//                            every stream (p50, p99, max over all N x W deliveries); with
//                            --write-port P2 the writes go to another instance on the same
//                            database (cross-instance delivery, bench/pg_bench.sh)
//   --paced N --rate R --path P --seconds S
//                            hold N keep-alive connections that together send R GET P
//                            requests a second, evenly spread (an open loop: each connection
//                            sends on its own schedule, as N learners' pages would); the
//                            latency of each request counts from when it was due, so an answer
//                            that comes late also delays the requests queued behind it in the
//                            figure (no coordinated omission). Prints p50/p99/max, errors and
//                            the rate reached. wrk's closed loop can't show this: with N
//                            connections each waiting for its answer, mean latency is N divided
//                            by the requests/s (Little's law), whatever the server does.
// Common: --port P --token T --pid PID (the server's, for /proc) [--module M]
// The streams live on one Boost.Asio event loop; the writes go out from a second thread over a
// plain blocking socket, so a slow write never holds up the reading.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <unistd.h>   // sysconf

#include <algorithm>  // std::sort
#include <cctype>     // std::tolower
#include <atomic>     // std::atomic
#include <chrono>     // std::chrono
#include <cstdio>     // std::printf
#include <cstdlib>    // std::atoi, std::strtoull
#include <fstream>    // std::ifstream
#include <functional> // std::function
#include <iterator>   // std::istreambuf_iterator
#include <memory>     // std::shared_ptr
#include <mutex>      // std::mutex
#include <sstream>    // std::istringstream
#include <string>     // std::string
#include <thread>     // std::thread
#include <vector>     // std::vector

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    int port = 0;
    int write_port = 0;   // the writes' instance (another one on the same database); 0: --port
    std::string token;
    int pid = 0;
    std::string module = "bench-events";
    int idle = 0;
    int seconds = 30;
    int fanout = 0;
    int writes = 20;
    int gap_ms = 300;
    bool keepalive = false;
    int open_limit_s = 60;
    int paced = 0;
    int rate = 0;
    std::string path;
};

long rss_kib(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return -1;
}

// utime + stime of a process, in seconds.
double cpu_seconds(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    std::getline(in, stat);
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string f;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; fields >> f; ++i) {
        if (i == 14) utime = std::stoull(f);
        if (i == 15) {
            stime = std::stoull(f);
            break;
        }
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// One event stream: connects, asks, and records when each announced rev arrived.
struct Stream : std::enable_shared_from_this<Stream> {
    Stream(asio::io_context& io, const Options& o) : socket(io), options(o) {}
    tcp::socket socket;
    const Options& options;
    std::string pending;
    char buf[4096];
    bool open = false;   // the first ": ping" arrived
    bool failed = false;
    std::vector<std::pair<long long, Clock::time_point>> revs;   // rev, arrival

    void start(const tcp::endpoint& server, std::function<void()> opened) {
        socket.async_connect(server, [self = shared_from_this(), opened](boost::system::error_code ec) {
            if (ec) {
                self->failed = true;
                return opened();
            }
            const std::string target = self->options.keepalive ? "/api/v1/health" : "/api/v1/events?modules=" + self->options.module;
            auto req = std::make_shared<std::string>("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                                                     self->options.token + "\r\n\r\n");
            asio::async_write(self->socket, asio::buffer(*req), [self, req, opened](boost::system::error_code wec, std::size_t) {
                if (wec) {
                    self->failed = true;
                    return opened();
                }
                self->read(opened);
            });
        });
    }

    void read(std::function<void()> opened) {
        socket.async_read_some(asio::buffer(buf), [self = shared_from_this(), opened](boost::system::error_code ec, std::size_t n) {
            if (ec) {
                if (!self->open) opened();
                self->failed = true;
                return;
            }
            const auto now = Clock::now();
            self->pending.append(self->buf, n);
            const char* ready = self->options.keepalive ? "\r\n\r\n" : ": ping";
            if (!self->open && self->pending.find(ready) != std::string::npos) {
                self->open = true;
                opened();
            }
            for (std::size_t at; (at = self->pending.find("event: changed\ndata: ")) != std::string::npos;) {
                const std::size_t end = self->pending.find("\n\n", at);
                if (end == std::string::npos) break;
                const std::size_t rev = self->pending.find("\"rev\":", at);
                if (rev != std::string::npos && rev < end) self->revs.emplace_back(std::atoll(self->pending.c_str() + rev + 6), now);
                self->pending.erase(0, end + 2);
            }
            if (self->pending.size() > 65536) self->pending.erase(0, self->pending.size() - 1024);
            self->read(opened);
        });
    }
};

// Opens `n` streams, at most 256 connecting at once; returns when all are open (or failed), or
// after --open-limit seconds. The counters outlive the call: late answers still reach them.
std::vector<std::shared_ptr<Stream>> open_streams(asio::io_context& io, const Options& o, int n, const tcp::endpoint& server) {
    struct State {
        std::vector<std::shared_ptr<Stream>> streams;
        int started = 0, settled = 0;
        std::function<void()> next;
    };
    auto state = std::make_shared<State>();
    std::weak_ptr<State> weak = state;
    state->next = [&io, &o, n, server, weak] {
        const auto st = weak.lock();
        if (!st) return;
        while (st->started < n && st->started - st->settled < 256) {
            st->streams.push_back(std::make_shared<Stream>(io, o));
            ++st->started;
            st->streams.back()->start(server, [weak] {
                if (const auto s = weak.lock()) {
                    ++s->settled;
                    s->next();
                }
            });
        }
    };
    state->next();
    const auto until = Clock::now() + std::chrono::seconds(o.open_limit_s);
    while (state->settled < n && Clock::now() < until) io.run_one_for(std::chrono::milliseconds(100));
    auto streams = state->streams;
    state->next = nullptr;
    return streams;
}

// One keep-alive connection sending GET --path on its own schedule (run_paced).
struct Paced : std::enable_shared_from_this<Paced> {
    struct Results {
        std::vector<double> latencies_ms;
        long sent = 0, answered = 0, non200 = 0, errors = 0;
    };
    Paced(asio::io_context& io, const Options& o, Results& r) : socket(io), timer(io), options(o), results(r) {}
    tcp::socket socket;
    asio::steady_timer timer;
    const Options& options;
    Results& results;
    std::string request;
    std::string in;
    char buf[65536];
    Clock::time_point next, due, measure_from, end;
    Clock::duration period{};

    void start(const tcp::endpoint& server) {
        request = "GET " + options.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + options.token + "\r\n\r\n";
        socket.async_connect(server, [self = shared_from_this()](boost::system::error_code ec) {
            if (ec) {
                ++self->results.errors;
                return;
            }
            self->socket.set_option(tcp::no_delay(true), ec);
            self->schedule();
        });
    }

    void schedule() {
        if (next >= end) {
            boost::system::error_code ignored;
            socket.close(ignored);
            return;
        }
        timer.expires_at(next);
        timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (!ec) self->send();
        });
    }

    void send() {
        due = next;
        next += period;
        ++results.sent;
        asio::async_write(socket, asio::buffer(request), [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
            if (ec) {
                ++self->results.errors;
                return;
            }
            self->read();
        });
    }

    // Reads until one whole answer (headers and Content-Length bytes of body) is in.
    void read() {
        socket.async_read_some(asio::buffer(buf), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
            if (ec) {
                ++self->results.errors;
                return;
            }
            self->in.append(self->buf, n);
            const std::size_t head_end = self->in.find("\r\n\r\n");
            if (head_end == std::string::npos) return self->read();
            std::string head = self->in.substr(0, head_end);
            for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            const std::size_t length_at = head.find("\r\ncontent-length:");
            if (length_at == std::string::npos) {   // chunked or no body length: not what grove-server sends
                ++self->results.errors;
                return;
            }
            const std::size_t total = head_end + 4 + std::strtoull(head.c_str() + length_at + 17, nullptr, 10);
            if (self->in.size() < total) return self->read();
            const auto now = Clock::now();
            ++self->results.answered;
            if (head.rfind("http/1.1 200", 0) != 0) ++self->results.non200;
            if (self->due >= self->measure_from)
                self->results.latencies_ms.push_back(std::chrono::duration<double, std::milli>(now - self->due).count());
            self->in.erase(0, total);
            self->schedule();
        });
    }
};

// POSTs one post over a fresh blocking connection; returns its rev (-1 on failure).
long long write_post(const Options& o, const tcp::endpoint& server, int i) {
    asio::io_context io;
    tcp::socket s(io);
    boost::system::error_code ec;
    s.connect(server, ec);
    if (ec) return -1;
    const std::string body = "{\"id\":\"fan-" + std::to_string(::getpid()) + "-" + std::to_string(i) +
                             "\",\"kind\":\"insight\",\"body\":\"fan-out write " + std::to_string(i) + "\"}";
    const std::string req = "POST /api/v1/modules/" + o.module + "/posts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                            o.token + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body;
    asio::write(s, asio::buffer(req), ec);
    asio::streambuf answer;
    asio::read(s, answer, ec);   // until the server closes
    const std::string text((std::istreambuf_iterator<char>(&answer)), std::istreambuf_iterator<char>());
    const auto rev = text.find("\"rev\":");
    return text.rfind("HTTP/1.1 201", 0) == 0 && rev != std::string::npos ? std::atoll(text.c_str() + rev + 6) : -1;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return -1;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5)];
}

int run_idle(const Options& o, const tcp::endpoint& server) {
    asio::io_context io;
    const long rss_before = rss_kib(o.pid);
    const auto start = Clock::now();
    auto streams = open_streams(io, o, o.idle, server);
    const double opened_s = std::chrono::duration<double>(Clock::now() - start).count();
    int open = 0;
    for (auto& s : streams) open += s->open ? 1 : 0;
    // Let the server settle, then measure while the streams only get their pings.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const double cpu_start = cpu_seconds(o.pid);
    const auto window_start = Clock::now();
    long rss_peak = rss_kib(o.pid);
    while (Clock::now() - window_start < std::chrono::seconds(o.seconds)) {
        io.run_for(std::chrono::milliseconds(500));
        rss_peak = std::max(rss_peak, rss_kib(o.pid));
    }
    const double window = std::chrono::duration<double>(Clock::now() - window_start).count();
    const double cpu = cpu_seconds(o.pid) - cpu_start;
    int still_open = 0;
    for (auto& s : streams) still_open += s->open && !s->failed ? 1 : 0;
    std::printf("{\"%s\": %d, \"open\": %d, \"still_open\": %d, \"open_s\": %.1f, \"rss_before_mb\": %.1f, "
                "\"rss_mb\": %.1f, \"per_connection_kb\": %.2f, \"cpu_percent\": %.2f, \"window_s\": %.0f}\n",
                o.keepalive ? "keepalive" : "streams", o.idle, open, still_open, opened_s, rss_before / 1024.0, rss_peak / 1024.0,
                open ? static_cast<double>(rss_peak - rss_before) / open : 0.0, 100.0 * cpu / window, window);
    return open == o.idle && still_open == o.idle ? 0 : 1;
}

int run_fanout(const Options& o, const tcp::endpoint& server) {
    asio::io_context io;
    auto streams = open_streams(io, o, o.fanout, server);
    int open = 0;
    for (auto& s : streams) open += s->open ? 1 : 0;
    std::mutex mutex;
    std::vector<std::pair<long long, Clock::time_point>> sent;   // rev, when the write was sent
    std::atomic<bool> done{false};
    const tcp::endpoint write_to(server.address(), static_cast<unsigned short>(o.write_port > 0 ? o.write_port : o.port));
    std::thread writer([&] {
        for (int i = 0; i < o.writes; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(o.gap_ms));
            const auto at = Clock::now();
            const long long rev = write_post(o, write_to, i);
            std::lock_guard lock(mutex);
            sent.emplace_back(rev, at);
        }
        std::this_thread::sleep_for(std::chrono::seconds(2));   // the last events' time to arrive
        done = true;
    });
    while (!done) io.run_for(std::chrono::milliseconds(50));
    writer.join();
    // Each write's delivery at each stream: the first event announcing its rev or a later one.
    std::vector<double> latencies;
    int missed = 0, failed_writes = 0;
    for (const auto& [rev, at] : sent) {
        if (rev < 0) {
            ++failed_writes;
            continue;
        }
        for (auto& s : streams) {
            const auto it = std::find_if(s->revs.begin(), s->revs.end(), [rev = rev](const auto& r) { return r.first >= rev; });
            if (it == s->revs.end()) ++missed;
            else latencies.push_back(std::chrono::duration<double, std::milli>(it->second - at).count());
        }
    }
    std::printf("{\"listeners\": %d, \"open\": %d, \"writes\": %d, \"failed_writes\": %d, \"deliveries\": %zu, "
                "\"missed\": %d, \"p50_ms\": %.1f, \"p99_ms\": %.1f, \"max_ms\": %.1f}\n",
                o.fanout, open, o.writes, failed_writes, latencies.size(), missed, percentile(latencies, 0.5),
                percentile(latencies, 0.99), percentile(latencies, 1.0));
    return missed == 0 && failed_writes == 0 && open == o.fanout ? 0 : 1;
}

int run_paced(const Options& o, const tcp::endpoint& server) {
    asio::io_context io;
    Paced::Results results;
    // Each connection's first request (which also opens it) and at least a second of warm-up
    // are not counted; then --seconds measured.
    std::vector<std::shared_ptr<Paced>> conns;
    const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(static_cast<double>(o.paced) / o.rate));
    const auto begin = Clock::now() + std::chrono::milliseconds(200) + std::chrono::microseconds(o.paced * 50);
    const auto measure_from = begin + std::max<Clock::duration>(std::chrono::seconds(1), period);
    const auto end = measure_from + std::chrono::seconds(o.seconds);
    for (int i = 0; i < o.paced; ++i) {
        auto c = std::make_shared<Paced>(io, o, results);
        c->period = period;
        c->next = begin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(static_cast<double>(i) / o.rate));
        c->measure_from = measure_from;
        c->end = end;
        c->start(server);
        conns.push_back(c);
    }
    io.run_until(end + std::chrono::seconds(10));   // late answers still count
    const double window = static_cast<double>(o.seconds);
    long measured_sent = static_cast<long>(results.latencies_ms.size());
    std::printf("{\"paced\": %d, \"rate\": %d, \"sent\": %ld, \"answered\": %ld, \"non200\": %ld, \"errors\": %ld, "
                "\"rps\": %.0f, \"p50_ms\": %.1f, \"p99_ms\": %.1f, \"max_ms\": %.1f}\n",
                o.paced, o.rate, results.sent, results.answered, results.non200, results.errors, measured_sent / window,
                percentile(results.latencies_ms, 0.5), percentile(results.latencies_ms, 0.99), percentile(results.latencies_ms, 1.0));
    return results.errors == 0 && results.non200 == 0 && results.answered == results.sent ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--port") o.port = std::atoi(v.c_str());
        else if (a == "--write-port") o.write_port = std::atoi(v.c_str());
        else if (a == "--token") o.token = v;
        else if (a == "--pid") o.pid = std::atoi(v.c_str());
        else if (a == "--module") o.module = v;
        else if (a == "--idle") o.idle = std::atoi(v.c_str());
        else if (a == "--seconds") o.seconds = std::atoi(v.c_str());
        else if (a == "--fanout") o.fanout = std::atoi(v.c_str());
        else if (a == "--writes") o.writes = std::atoi(v.c_str());
        else if (a == "--gap-ms") o.gap_ms = std::atoi(v.c_str());
        else if (a == "--keepalive") o.keepalive = v == "1";
        else if (a == "--open-limit") o.open_limit_s = std::atoi(v.c_str());
        else if (a == "--paced") o.paced = std::atoi(v.c_str());
        else if (a == "--rate") o.rate = std::atoi(v.c_str());
        else if (a == "--path") o.path = v;
    }
    const int modes = (o.idle > 0) + (o.fanout > 0) + (o.paced > 0);
    if (o.port <= 0 || o.token.empty() || o.pid <= 0 || modes != 1 || (o.paced > 0 && (o.rate <= 0 || o.path.empty()))) {
        std::fprintf(stderr, "usage: grove_events_bench --port P --token T --pid PID (--idle N [--seconds S] [--keepalive 1] | "
                             "--fanout N [--writes W] [--gap-ms G] [--write-port P2] | --paced N --rate R --path P "
                             "[--seconds S]) [--module M]\n");
        return 2;
    }
    const tcp::endpoint server(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(o.port));
    if (o.paced > 0) return run_paced(o, server);
    return o.idle > 0 ? run_idle(o, server) : run_fanout(o, server);
}

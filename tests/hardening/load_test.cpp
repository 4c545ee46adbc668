// grove_load: N simulated widgets syncing and writing against a real grove-server on loopback.
//
//   grove_load [--clients 200] [--seconds 60] [--modules 10] [--server-arg ARG]...
//
// Each client is one person with one browser: a keep-alive connection, its own token (most are
// learners; some curators and leaders), a module. It loops like the sync engine does, only much
// faster (a think time of 0.1 to 0.6 s instead of a 20 s poll): pull the changes feed from its
// cursor (following has_more), then maybe write: a post, a reply, an edit of its own post, an
// endorsement toggle, a flag. Writes carry client ids and are resent after a lost answer (as the
// outbox does); 429 is honoured by waiting Retry-After. The server runs with its defaults
// (30 writes a minute per user; 3 flags hide a post), so 429s are expected, and so are 403
// under_review for edits, replies and endorsements of posts the flags hid; every other failure
// is an error.
// Afterwards every module is read from scratch and checked against what the clients were told:
// every acknowledged post present exactly once, with its author and its last acknowledged body,
// endorsement counts equal to the acknowledged endorsements. The server's memory (RSS) is sampled
// ten times a second with the number of requests served so far; it must level off: the peak while
// the second half of the requests was served may not exceed the peak of the first half by more
// than a quarter. Halves of the work, not of the time: a loaded machine serves fewer requests in
// the same seconds, and memory follows the work. The exit status is 0 only when all of that holds;
// the last line is a summary.
#include <signal.h>    // kill

#include <algorithm>   // std::sort
#include <atomic>      // std::atomic
#include <chrono>      // std::chrono
#include <cstdio>      // std::printf
#include <cstdlib>     // std::atoi
#include <fstream>     // std::ifstream, std::ofstream
#include <map>         // std::map
#include <mutex>       // std::mutex
#include <random>      // std::mt19937
#include <set>         // std::set
#include <sstream>     // std::istringstream
#include <string>
#include <thread>      // std::thread
#include <vector>

#include <httplib.h>   // httplib::Client

#include "auth/jwt.hpp"         // sign_token
#include "grove/wire.hpp"       // Json, dump
#include "server_process.hpp"   // ServerProcess, make_temp_dir

using namespace grove;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kSecret = "load-test-secret-0123456789-abcdefghijklmnop";

struct Options {
    int clients = 200;
    int seconds = 60;
    int modules = 10;
    std::vector<std::string> server_args;
};

long rss_kib(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return -1;
}

// Counters shared by all clients.
struct Totals {
    std::atomic<long> requests{0}, pulls{0}, writes{0}, acknowledged{0}, rate_limited{0}, under_review{0}, resent{0},
        errors{0};
    std::mutex mutex;
    std::vector<std::string> error_samples;
    std::vector<double> latencies_ms;
    std::vector<double> read_latencies_ms, write_latencies_ms;   // the same, by kind

    void error(const std::string& what) {
        errors++;
        std::lock_guard lock(mutex);
        if (error_samples.size() < 10) error_samples.push_back(what);
    }
};

// What one client was told, for the final check.
struct ClientRecord {
    std::string user;
    std::string module;
    std::map<std::string, std::string> body;          // own post -> last acknowledged body
    std::set<std::string> uncertain;                  // own posts whose last edit got no answer
    std::map<std::string, bool> endorsed;             // post -> last acknowledged state
    std::set<std::string> endorsement_uncertain;
};

// Posts known per module, for replies and endorsements (what the clients' feeds showed them).
struct Board {
    std::mutex mutex;
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> top_level;   // module -> (id, author)
};

class Widget {
public:
    Widget(int index, const Options& o, int port, Totals& totals, Board& board, ClientRecord& record, Clock::time_point end)
        : index_(index), port_(port), totals_(totals), board_(board), record_(record), end_(end),
          rng_(static_cast<unsigned>(index) * 2654435761u + 17u) {
        const Role role = index % 20 == 0 ? Role::curator : index % 20 == 1 ? Role::leader : Role::learner;
        record_.user = "user-" + std::to_string(index);
        record_.module = "load-" + std::to_string(index % o.modules);
        const std::int64_t exp = std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch()).count() + 3600;
        token_ = sign_token(TokenClaims{record_.user, "Load " + std::to_string(index), role, exp, {}, {}}, kSecret);
        client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
        client_->set_keep_alive(true);
        // Browsers send a request's headers and body without waiting (no Nagle's algorithm).
        // cpp-httplib writes them separately, so without this every POST would wait for the
        // server's delayed ACK (40 ms) before its body went out.
        client_->set_tcp_nodelay(true);
        client_->set_connection_timeout(5, 0);
        client_->set_read_timeout(15, 0);   // the sync engine's request timeout
        client_->set_write_timeout(15, 0);
    }

    void run() {
        // Start spread over the first second, as page loads would be.
        std::this_thread::sleep_for(std::chrono::milliseconds(rng_() % 1000));
        while (Clock::now() < end_) {
            pull();
            if (Clock::now() >= write_after_ && rng_() % 10 < 6) write();
            std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng_() % 500));
        }
    }

private:
    // One request; a lost answer (no response at all) is resent up to 3 times, like the outbox.
    httplib::Result send(const std::string& method, const std::string& path, const std::string& body = "") {
        const httplib::Headers auth = {{"Authorization", "Bearer " + token_}};
        for (int attempt = 0;; ++attempt) {
            const auto start = Clock::now();
            totals_.requests++;
            httplib::Result res = method == "GET"      ? client_->Get(path.c_str(), auth)
                                  : method == "POST"   ? client_->Post(path.c_str(), auth, body, "application/json")
                                  : method == "PATCH"  ? client_->Patch(path.c_str(), auth, body, "application/json")
                                  : method == "PUT"    ? client_->Put(path.c_str(), auth, body, "application/json")
                                                       : client_->Delete(path.c_str(), auth);
            const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
            if (res || attempt == 3) {
                std::lock_guard lock(totals_.mutex);
                totals_.latencies_ms.push_back(ms);
                (method == "GET" ? totals_.read_latencies_ms : totals_.write_latencies_ms).push_back(ms);
                return res;
            }
            totals_.resent++;
            std::this_thread::sleep_for(std::chrono::milliseconds(100 * (attempt + 1)));
        }
    }

    void pull() {
        for (int page = 0; page < 100; ++page) {
            std::string path = "/api/v1/modules/" + record_.module + "/posts?limit=500";
            if (!cursor_.empty()) path += "&since=" + cursor_;
            totals_.pulls++;
            auto res = send("GET", path);
            if (!res) return totals_.error("pull: no answer (" + httplib::to_string(res.error()) + ")");
            if (res->status != 200) return totals_.error("pull: " + std::to_string(res->status) + " " + res->body);
            const Json j = Json::parse(res->body, nullptr, false);
            if (!j.is_object() || !j["posts"].is_array()) return totals_.error("pull: not a feed page");
            std::int64_t last = 0;
            std::lock_guard lock(board_.mutex);
            for (const Json& p : j["posts"]) {
                const std::int64_t rev = p["rev"].get<std::int64_t>();
                if (rev <= last) totals_.error("pull: revs out of order");
                last = rev;
                if (p["parent_id"].is_null() && !p["deleted"].get<bool>() && known_.insert(p["id"].get<std::string>()).second)
                    board_.top_level[record_.module].emplace_back(p["id"].get<std::string>(), p["author"]["id"].get<std::string>());
            }
            cursor_ = j["cursor"].get<std::string>();
            if (!j["has_more"].get<bool>()) return;
        }
    }

    // The outcome of one write: true when acknowledged; false when refused by the limit.
    // `lost` is set when no answer came at all (the write may or may not have happened).
    bool outcome(const httplib::Result& res, int ok, const char* what, bool& lost) {
        totals_.writes++;
        lost = !res;
        if (!res) {
            totals_.error(std::string(what) + ": no answer (" + httplib::to_string(res.error()) + ")");
            return false;
        }
        if (res->status == ok || (ok == 201 && res->status == 200)) {
            totals_.acknowledged++;
            return true;
        }
        if (res->status == 429) {
            totals_.rate_limited++;
            const int wait = std::max(1, std::atoi(res->get_header_value("Retry-After").c_str()));
            write_after_ = Clock::now() + std::chrono::seconds(wait);
            return false;
        }
        if (res->status == 403 && res->body.find("\"under_review\"") != std::string::npos) {
            totals_.under_review++;   // hidden by the other clients' flags: refused, as it should be
            return false;
        }
        totals_.error(std::string(what) + ": " + std::to_string(res->status) + " " + res->body);
        return false;
    }

    void write() {
        std::pair<std::string, std::string> other;
        {
            std::lock_guard lock(board_.mutex);
            auto& list = board_.top_level[record_.module];
            if (!list.empty()) other = list[rng_() % list.size()];
        }
        const bool others = !other.first.empty() && other.second != record_.user;
        const int pick = static_cast<int>(rng_() % 100);
        bool lost = false;
        if (pick < 35 || (!others && record_.body.empty())) {
            const std::string id = "L" + std::to_string(index_) + "-" + std::to_string(++serial_);
            const std::string text = "Post " + id + ": what I took from this module.";
            Json body{{"id", id}, {"kind", pick % 7 == 0 ? "tip" : "insight"}, {"body", text}};
            const bool reply = others && pick % 3 == 0;
            if (reply) body["parent_id"] = other.first;
            if (outcome(send("POST", "/api/v1/modules/" + record_.module + "/posts", dump(body)), 201, "create", lost))
                record_.body[id] = text;
        } else if (pick < 55 && !record_.body.empty()) {
            auto it = record_.body.begin();
            std::advance(it, static_cast<long>(rng_() % record_.body.size()));
            const std::string id = it->first;
            const std::string text = "Edited " + std::to_string(++serial_) + " of " + id;
            const bool ok = outcome(send("PATCH", "/api/v1/posts/" + id, dump(Json{{"body", text}})), 200, "edit", lost);
            if (ok) {
                record_.body[id] = text;
                record_.uncertain.erase(id);
            } else if (lost) {
                record_.uncertain.insert(id);
            }
        } else if (pick < 92 && others) {
            const bool on = !record_.endorsed[other.first];
            const std::string path = "/api/v1/posts/" + other.first + "/endorsement";
            const bool ok = outcome(send(on ? "PUT" : "DELETE", path), 200, "endorse", lost);
            if (ok) {
                record_.endorsed[other.first] = on;
                record_.endorsement_uncertain.erase(other.first);
            } else if (lost) {
                record_.endorsement_uncertain.insert(other.first);
            }
        } else if (others) {
            outcome(send("POST", "/api/v1/posts/" + other.first + "/flags", R"({"reason":"load test"})"), 202, "flag", lost);
        }
    }

    int index_;
    int port_;
    Totals& totals_;
    Board& board_;
    ClientRecord& record_;
    Clock::time_point end_;
    std::mt19937 rng_;
    std::string token_;
    std::unique_ptr<httplib::Client> client_;
    std::string cursor_;
    std::set<std::string> known_;
    Clock::time_point write_after_{};
    int serial_ = 0;
};

// Every post of a module, read from scratch by an admin.
std::vector<Json> read_module(int port, const std::string& module, const std::string& token, std::string& problem) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30, 0);
    std::vector<Json> posts;
    std::string cursor;
    for (int page = 0; page < 10000; ++page) {
        std::string path = "/api/v1/modules/" + module + "/posts?limit=1000";
        if (!cursor.empty()) path += "&since=" + cursor;
        auto res = client.Get(path.c_str(), {{"Authorization", "Bearer " + token}});
        if (!res || res->status != 200) {
            problem = "reading " + module + " failed";
            return posts;
        }
        const Json j = Json::parse(res->body);
        for (const Json& p : j["posts"]) posts.push_back(p);
        cursor = j["cursor"].get<std::string>();
        if (!j["has_more"].get<bool>()) return posts;
    }
    problem = "the feed of " + module + " never ended";
    return posts;
}

int usage() {
    std::fprintf(stderr, "usage: grove_load [--clients N] [--seconds S] [--modules M] [--server-arg ARG]...\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) return usage();
        if (a == "--clients") o.clients = std::atoi(argv[++i]);
        else if (a == "--seconds") o.seconds = std::atoi(argv[++i]);
        else if (a == "--modules") o.modules = std::atoi(argv[++i]);
        else if (a == "--server-arg") o.server_args.push_back(argv[++i]);
        else return usage();
    }
    if (o.clients < 1 || o.seconds < 1 || o.modules < 1) return usage();
    signal(SIGPIPE, SIG_IGN);

    const std::string dir = test::make_temp_dir();
    std::ofstream(dir + "/secret") << kSecret << "\n";
    std::vector<std::string> args = {"--jwt-secret-file", dir + "/secret"};
    args.insert(args.end(), o.server_args.begin(), o.server_args.end());
    auto server = std::make_unique<test::ServerProcess>(args);
    const int pid = server->pid();
    const int port = server->port();
    std::printf("grove_load: %d clients, %d modules, %d s against grove-server (pid %d, port %d, defaults: 30 writes a "
                "minute per user, 64 workers)\n",
                o.clients, o.modules, o.seconds, pid, port);
    std::fflush(stdout);

    Totals totals;
    Board board;
    std::vector<ClientRecord> records(static_cast<std::size_t>(o.clients));
    const long rss_start = rss_kib(pid);
    const auto start = Clock::now();
    const auto end = start + std::chrono::seconds(o.seconds);
    struct RssSample {
        long requests;   // served so far
        long kib;
    };
    std::vector<RssSample> rss_samples;
    std::atomic<bool> done{false};
    std::thread sampler([&] {
        while (!done) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            const long served = totals.requests;
            rss_samples.push_back({served, rss_kib(pid)});
        }
    });
    {
        std::vector<std::thread> threads;
        std::vector<std::unique_ptr<Widget>> widgets;
        for (int i = 0; i < o.clients; ++i)
            widgets.push_back(std::make_unique<Widget>(i, o, port, totals, board, records[static_cast<std::size_t>(i)], end));
        for (auto& w : widgets) threads.emplace_back([&w] { w->run(); });
        for (auto& t : threads) t.join();
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    done = true;
    sampler.join();
    const long rss_end = rss_kib(pid);

    // Check what the server holds against what the clients were told.
    const std::string admin = sign_token(TokenClaims{"load-auditor", "Auditor", Role::admin,
                                                     std::chrono::duration_cast<std::chrono::seconds>(
                                                         std::chrono::system_clock::now().time_since_epoch()).count() + 3600,
                                                     {}, {}},
                                         kSecret);
    std::vector<std::string> problems;
    long checked_posts = 0, checked_endorsements = 0;
    std::map<std::string, Json> stored;
    std::map<std::string, int> seen;
    for (int m = 0; m < o.modules; ++m) {
        std::string problem;
        for (const Json& p : read_module(port, "load-" + std::to_string(m), admin, problem)) {
            const std::string id = p["id"].get<std::string>();
            if (++seen[id] > 1) problems.push_back("post " + id + " appears twice");
            stored[id] = p;
        }
        if (!problem.empty()) problems.push_back(problem);
    }
    std::map<std::string, long> expected_endorsements;
    std::map<std::string, long> uncertain_endorsements;
    for (const ClientRecord& r : records) {
        for (const auto& [id, body] : r.body) {
            ++checked_posts;
            const auto it = stored.find(id);
            if (it == stored.end()) {
                problems.push_back("acknowledged post " + id + " is missing");
                continue;
            }
            if (it->second["author"]["id"] != r.user) problems.push_back("post " + id + " has the wrong author");
            if (it->second["module"] != r.module) problems.push_back("post " + id + " is in the wrong module");
            if (!r.uncertain.count(id) && it->second["body"] != body)
                problems.push_back("post " + id + " lost its acknowledged edit");
        }
        for (const auto& [id, on] : r.endorsed) {
            ++checked_endorsements;
            if (r.endorsement_uncertain.count(id)) uncertain_endorsements[id]++;
            else if (on) expected_endorsements[id]++;
        }
    }
    for (const auto& [id, p] : stored) {
        const long have = p["endorsements"].get<long>();
        const long want = expected_endorsements.count(id) ? expected_endorsements[id] : 0;
        const long slack = uncertain_endorsements.count(id) ? uncertain_endorsements[id] : 0;
        if (have < want || have > want + slack)
            problems.push_back("post " + id + " has " + std::to_string(have) + " endorsements, acknowledged " + std::to_string(want));
    }

    // Memory: serving the second half of the requests may not add more than a quarter to the
    // peak of the first half. Each half must have been sampled often enough to judge.
    const long half = totals.requests / 2;
    long first_half_peak = rss_start, second_half_peak = rss_start;
    int first_half_samples = 0, second_half_samples = 0;
    for (const RssSample& r : rss_samples) {
        const bool first = r.requests <= half;
        (first ? first_half_peak : second_half_peak) = std::max(first ? first_half_peak : second_half_peak, r.kib);
        ++(first ? first_half_samples : second_half_samples);
    }
    const bool rss_judged = first_half_samples >= 10 && second_half_samples >= 10;
    const bool rss_stable = rss_judged && second_half_peak <= first_half_peak + first_half_peak / 4 + 8 * 1024;

    auto sorted = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v;
    };
    const std::vector<double> lat = sorted(totals.latencies_ms), reads = sorted(totals.read_latencies_ms),
                              writes = sorted(totals.write_latencies_ms);
    auto pct_of = [](const std::vector<double>& v, double q) { return v.empty() ? 0.0 : v[static_cast<std::size_t>(q * (v.size() - 1))]; };
    auto pct = [&](double q) { return pct_of(lat, q); };
    const int stop_status = server->stop();

    std::printf("requests: %ld (%.0f/s); pulls %ld; writes %ld: %ld acknowledged, %ld rate-limited (429), %ld on "
                "hidden posts (403 under_review), %ld resent after a lost answer\n",
                totals.requests.load(), totals.requests / elapsed, totals.pulls.load(), totals.writes.load(),
                totals.acknowledged.load(), totals.rate_limited.load(), totals.under_review.load(), totals.resent.load());
    std::printf("latency ms: p50 %.1f  p99 %.1f  max %.1f\n", pct(0.5), pct(0.99), pct(1.0));
    std::printf("latency ms by kind: reads p50 %.1f p99 %.1f; writes p50 %.1f p99 %.1f\n", pct_of(reads, 0.5),
                pct_of(reads, 0.99), pct_of(writes, 0.5), pct_of(writes, 0.99));
    std::printf("server RSS KiB: start %ld, peak while the first half of the requests was served %ld (%d samples), "
                "the second half %ld (%d samples), end %ld (%s); requests served: RSS KiB:",
                rss_start, first_half_peak, first_half_samples, second_half_peak, second_half_samples, rss_end,
                rss_stable ? "stable" : rss_judged ? "GROWING" : "too few samples to judge");
    const std::size_t step = std::max<std::size_t>(1, rss_samples.size() / 20);
    for (std::size_t i = 0; i < rss_samples.size(); i += step)
        std::printf(" %ld:%ld", rss_samples[i].requests, rss_samples[i].kib);
    std::printf("\nchecked against %zu stored posts: %ld acknowledged posts (present once, author, module, last "
                "acknowledged body) and %ld endorsement states (counts per post); server stopped with status %d\n",
                stored.size(), checked_posts, checked_endorsements, stop_status);
    for (const std::string& e : totals.error_samples) std::printf("error: %s\n", e.c_str());
    for (std::size_t i = 0; i < problems.size() && i < 20; ++i) std::printf("problem: %s\n", problems[i].c_str());
    const bool ok = totals.errors == 0 && problems.empty() && rss_stable && stop_status == 0 && checked_posts > 0;
    std::printf("grove_load: %d clients, %.0f s, %ld requests, %ld 429s, %ld errors, %ld acknowledged writes (%ld posts "
                "and %ld endorsement states checked), %zu problems, RSS %ld -> %ld KiB: %s\n",
                o.clients, elapsed, totals.requests.load(), totals.rate_limited.load(), totals.errors.load(),
                totals.acknowledged.load(), checked_posts, checked_endorsements, problems.size(), rss_start, rss_end,
                ok ? "passed" : "FAILED");
    server.reset();
    if (std::system(("rm -rf '" + dir + "'").c_str()) != 0) std::fprintf(stderr, "grove_load: could not remove %s\n", dir.c_str());
    return ok ? 0 : 1;
}

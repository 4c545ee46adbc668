// Native implementations of the sync engine's ports (shared/grove/client/ports.hpp) on a simulated
// clock: the whole client runs deterministically in one thread, like Couchbase Lite's loopback
// tests. Storage keeps its records in memory with the same layout and transaction rules as the
// IndexedDB port; several "tabs" share one storage, one lock table and one broadcast bus.
#pragma once

#include <cstdint>      // std::int64_t, std::uint64_t
#include <deque>        // std::deque
#include <functional>   // std::function
#include <map>          // std::map
#include <memory>       // std::shared_ptr
#include <optional>     // std::optional
#include <random>       // std::mt19937_64
#include <set>          // std::set
#include <string>       // std::string
#include <vector>       // std::vector

#include "grove/client/ports.hpp"
#include "grove/client/sync_engine.hpp"

namespace grove::sim {

// Tasks ordered by (time, order of scheduling). Nothing runs until run_* is called.
class Loop {
public:
    explicit Loop(std::int64_t start_ms = 1'790'000'000'000) : now_(start_ms) {}
    std::int64_t now() const { return now_; }
    std::uint64_t at(std::int64_t delay_ms, std::function<void()> task);
    void post(std::function<void()> task) { at(0, std::move(task)); }
    void cancel(std::uint64_t id);
    // Runs tasks due up to now + ms, advancing the clock; returns the number run.
    std::size_t advance(std::int64_t ms);
    // Runs everything due now (no clock change).
    std::size_t run_ready() { return advance(0); }
    // Runs until `done()` or the clock passed now + max_ms; returns whether done() held.
    bool run_until(const std::function<bool()>& done, std::int64_t max_ms);
    std::size_t scheduled() const { return tasks_.size(); }

private:
    struct Key {
        std::int64_t time;
        std::uint64_t seq;
        bool operator<(const Key& o) const { return time != o.time ? time < o.time : seq < o.seq; }
    };
    std::int64_t now_;
    std::uint64_t seq_ = 0;
    std::map<Key, std::function<void()>> tasks_;
    std::map<std::uint64_t, Key> by_id_;
};

// The browser's IndexedDB for one origin: posts, outbox, meta per module.
class MemoryStorage : public StoragePort {
public:
    explicit MemoryStorage(Loop& loop) : loop_(loop) {}
    void load(const std::string& module, std::function<void(StoredModule)> done) override;
    void load_posts(const std::string& module, std::vector<std::string> ids, std::function<void(StoredPosts)> done) override;
    int post_reads = 0;   // post records read (the packed copy spares them)
    void load_outbox(const std::string& module, std::function<void(StoredOutbox)> done) override;
    void write(StorageBatch batch, std::function<void(std::string)> done) override;

    // Test controls.
    bool fail_open = false;        // load answers ok = false
    bool fail_writes = false;      // write answers an error and changes nothing
    int writes = 0;                // batches written
    int last_batch_records = 0;    // records touched by the last batch
    struct Module {
        std::map<std::string, std::string> posts, outbox, meta;
    };
    std::map<std::string, Module> modules;

private:
    Loop& loop_;
};

class Timers : public TimerPort {
public:
    explicit Timers(Loop& loop) : loop_(loop) {}
    std::int64_t now_ms() override { return loop_.now(); }
    std::uint64_t set_timeout(std::int64_t delay_ms, std::function<void()> fire) override;
    void cancel(std::uint64_t id) override;
    std::set<std::uint64_t> live;   // timers set and not yet fired or cancelled

private:
    Loop& loop_;
};

// Web Locks: one holder per name; the others wait in order.
class Locks {
public:
    explicit Locks(Loop& loop) : loop_(loop) {}
    void acquire(const std::string& name, std::function<void(std::function<void()>)> granted);
    bool held(const std::string& name) const;
    int grants = 0;

private:
    void grant_next(const std::string& name);
    Loop& loop_;
    struct State {
        bool held = false;
        std::deque<std::function<void(std::function<void()>)>> waiting;
        std::uint64_t generation = 0;
    };
    std::map<std::string, State> names_;
};

class LockHandle : public LockPort {
public:
    explicit LockHandle(Locks& locks) : locks_(locks) {}
    void acquire(const std::string& name, std::function<void(std::function<void()>)> granted) override {
        locks_.acquire(name, std::move(granted));
    }

private:
    Locks& locks_;
};

// BroadcastChannel: a message reaches every other member, asynchronously.
class Bus;
class Channel : public BroadcastPort {
public:
    Channel(Loop& loop, Bus& bus);
    ~Channel() override;
    void post(const std::string& message) override;
    void on_message(std::function<void(const std::string&)> receive) override { receive_ = std::move(receive); }
    void deliver(const std::string& message);

private:
    Loop& loop_;
    Bus& bus_;
    std::function<void(const std::string&)> receive_;
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

class Bus {
public:
    std::set<Channel*> members;
    int messages = 0, dropped = 0;
    // Messages a tab never gets (it was loading, frozen, closing): the engine must not depend on them.
    double drop_probability = 0;
    std::mt19937_64 rng{99};
};

class Page : public PageEvents {
public:
    struct Event {
        std::string name;
        std::string detail;
    };
    void emit(const std::string& name, const std::string& detail_json) override { events.push_back({name, detail_json}); }
    void warn(const std::string& message) override { warnings.push_back(message); }
    void changed() override { ++changes; }
    std::vector<Event> events;
    std::vector<std::string> warnings;
    int changes = 0;
    std::vector<Event> named(const std::string& name) const;
};

// GroveConfig.getToken: returns whatever `mint` returns at the time it is asked.
class Token : public TokenPort {
public:
    Token(Loop& loop, std::function<std::string(bool force)> mint) : loop_(loop), mint_(std::move(mint)) {}
    void get(bool force, std::function<void(std::optional<std::string>, std::string)> done) override;
    int calls = 0, forced = 0;

private:
    Loop& loop_;
    std::function<std::string(bool)> mint_;
};

// HTTP answered by a function the test provides (a scripted server or the real ApiRouter), after
// `latency_ms`. Requests are recorded.
class Http : public HttpPort {
public:
    using Handler = std::function<HttpResponse(const HttpRequest&)>;
    Http(Loop& loop, Handler handler, std::int64_t latency_ms = 5)
        : loop_(loop), handler_(std::move(handler)), latency_ms_(latency_ms) {}
    void send(HttpRequest request, std::function<void(HttpResponse)> done) override;
    std::vector<HttpRequest> requests;
    void set_handler(Handler h) { handler_ = std::move(h); }

private:
    Loop& loop_;
    Handler handler_;
    std::int64_t latency_ms_;
};

// One browser tab showing one module: its ports and its engine. Tabs of one browser share the
// storage, locks and bus given to them.
struct Tab {
    Tab(Loop& loop, MemoryStorage& storage, Locks& locks, Bus& bus, Http::Handler http,
        std::function<std::string(bool)> mint, SyncOptions options, std::uint64_t seed);
    ~Tab();
    void reload();   // a page reload: a new engine on the same storage

    Loop& loop;
    MemoryStorage& storage;
    Timers timers;
    LockHandle lock;
    Channel channel;
    Page page;
    Token token;
    Http http;
    SyncOptions options;
    std::mt19937_64 random;
    std::unique_ptr<SyncEngine> engine;

private:
    void make_engine();
};

// A JWT-shaped token whose payload the client can read (the signature is not checked client-side).
std::string unsigned_token(const std::string& sub, const std::string& name, const std::string& role,
                           std::int64_t exp_s);
std::string base64url(const std::string& bytes);

}  // namespace grove::sim

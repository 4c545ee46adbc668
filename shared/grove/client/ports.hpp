// Ports: the small interfaces through which the sync engine touches the outside world (storage,
// HTTP, time, the token, other tabs, the page). The browser implements them in
// widget/platform/web/ (IndexedDB, fetch, setTimeout, Web Locks, BroadcastChannel); tests implement
// them in tests/support/ on a simulated clock, so the whole engine runs natively and deterministically.
//
// Every port calls back asynchronously (never from inside the call that started the work), and
// exactly once, unless the engine was destroyed first.
#pragma once

#include <cstdint>      // std::int64_t, std::uint64_t
#include <functional>   // std::function
#include <memory>       // std::shared_ptr
#include <optional>     // std::optional
#include <string>       // std::string
#include <utility>      // std::pair
#include <vector>       // std::vector

namespace grove {

// ---- HTTP ----------------------------------------------------------------------------------------
struct HttpRequest {
    std::string method;                                       // GET, POST, PATCH, PUT, DELETE
    std::string url;                                          // absolute
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;                                         // empty: none
    int timeout_ms = 15000;                                   // the port aborts after this long
};

struct HttpResponse {
    int status = 0;                      // 0: no answer (network error, CORS, timeout, offline)
    std::string body;
    std::optional<int> retry_after_s;    // Retry-After, in seconds, when the server sent one
    std::string transport_error;         // why status is 0, for the console
};

class HttpPort {
public:
    virtual ~HttpPort() = default;
    virtual void send(HttpRequest request, std::function<void(HttpResponse)> done) = 0;
};

// ---- Storage: one atomic transaction per batch ------------------------------------------------
// Three stores per database: posts (key module + post id), outbox (key module + write key, which
// sorts in queue order) and meta (key module + name). Values are the strings cache_format.hpp
// writes; the port never interprets them.
struct StoredRecord {
    std::string key;
    std::string value;
};

// What opening a module reads: small (queued writes and the meta records, which include the
// packed copy of the posts; see cache_format.hpp).
struct StoredModule {
    bool ok = true;                      // false: the storage could not be read (error says why)
    std::string error;
    std::vector<StoredRecord> outbox;    // in key order = queue order
    std::vector<StoredRecord> meta;
};

struct StoredPosts {
    bool ok = true;
    std::string error;
    std::vector<std::string> records;    // values, in key order; unknown ids are left out
};

struct StoredOutbox {
    bool ok = true;
    std::string error;
    std::vector<StoredRecord> outbox;
    std::optional<std::string> sync_meta;   // the meta record "sync", when there is one
};

struct StorageBatch {
    std::string module;
    bool clear_posts = false;                  // applied first: forget every cached post of the module
    std::vector<StoredRecord> put_posts;       // key: post id
    std::vector<std::string> delete_posts;
    std::vector<StoredRecord> put_outbox;      // key: write key
    std::vector<std::string> delete_outbox;
    std::vector<StoredRecord> put_meta;        // key: meta name
    std::vector<std::string> delete_meta;
    bool empty() const {
        return !clear_posts && put_posts.empty() && delete_posts.empty() && put_outbox.empty() &&
               delete_outbox.empty() && put_meta.empty() && delete_meta.empty();
    }
};

class StoragePort {
public:
    virtual ~StoragePort() = default;
    // The outbox and every meta record of the module.
    virtual void load(const std::string& module, std::function<void(StoredModule)> done) = 0;
    // The posts with these ids; every post of the module when `ids` is empty.
    virtual void load_posts(const std::string& module, std::vector<std::string> ids,
                            std::function<void(StoredPosts)> done) = 0;
    // The outbox and the sync record only: cheap, read at the start of every sync.
    virtual void load_outbox(const std::string& module, std::function<void(StoredOutbox)> done) = 0;
    // All of the batch or none of it. `error` is empty on success.
    virtual void write(StorageBatch batch, std::function<void(std::string error)> done) = 0;
};

// ---- Time -----------------------------------------------------------------------------------------
class TimerPort {
public:
    virtual ~TimerPort() = default;
    virtual std::int64_t now_ms() = 0;                 // Unix ms (wall clock)
    // Returns an id for cancel(); ids are never 0.
    virtual std::uint64_t set_timeout(std::int64_t delay_ms, std::function<void()> fire) = 0;
    virtual void cancel(std::uint64_t id) = 0;
};

// ---- The person's token (GroveConfig.getToken) ----------------------------------------------------
class TokenPort {
public:
    virtual ~TokenPort() = default;
    // force_refresh: the API rejected the last token (401); ask the host page for a new one.
    // An empty token means the page gave none.
    virtual void get(bool force_refresh, std::function<void(std::optional<std::string> token, std::string error)> done) = 0;
};

// ---- Other tabs showing the same module -------------------------------------------------------------
class LockPort {
public:
    virtual ~LockPort() = default;
    // Waits until no other tab holds `name`, then calls `granted` with the function that releases it.
    virtual void acquire(const std::string& name, std::function<void(std::function<void()> release)> granted) = 0;
};

class BroadcastPort {
public:
    virtual ~BroadcastPort() = default;
    virtual void post(const std::string& message) = 0;                          // to the other tabs
    virtual void on_message(std::function<void(const std::string&)> receive) = 0;   // from them
};

// ---- The page -------------------------------------------------------------------------------------
class PageEvents {
public:
    virtual ~PageEvents() = default;
    // grove:post, grove:sync, grove:error (embed.md "Events"); detail is a JSON object.
    virtual void emit(const std::string& name, const std::string& detail_json) = 0;
    virtual void warn(const std::string& message) = 0;   // console.warn
    virtual void changed() = 0;                          // revision() changed: draw a frame
};

struct ClientPorts {
    std::shared_ptr<void> owner;   // keeps the objects below alive as long as the engine
    StoragePort* storage = nullptr;
    HttpPort* http = nullptr;
    TimerPort* timers = nullptr;
    TokenPort* token = nullptr;
    LockPort* locks = nullptr;
    BroadcastPort* broadcast = nullptr;
    PageEvents* page = nullptr;
    std::function<std::uint64_t()> random;   // uniformly random 64 bits (crypto in the browser)
};

}  // namespace grove

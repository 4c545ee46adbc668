// The browser implementations of the sync engine's ports (shared/grove/client/ports.hpp), on top
// of library_grove_sync.js. Each call registers its callback under an id; the JS side answers
// through an exported grove_port_* function with that id. A port forgets its ids when destroyed,
// so answers that arrive after a widget was unmounted are dropped (a granted lock is released).
//   [X] storage: IndexedDB, one transaction per batch    [X] HTTP: fetch, timeout, no cache
//   [X] timers: setTimeout, Date.now                      [X] token: the loader's getToken hook
//   [X] locks: Web Locks (in-page queue without them)     [X] broadcast: BroadcastChannel
//   [X] page: online/offline, visibilitychange, focus     [X] random: crypto.getRandomValues
#pragma once

#include <cstdint>      // std::uint64_t
#include <functional>   // std::function
#include <set>          // std::set
#include <string>       // std::string

#include "grove/client/ports.hpp"

namespace grove {

class SyncEngine;

class WebStorage final : public StoragePort {
public:
    explicit WebStorage(std::string db_name) : db_(std::move(db_name)) {}
    ~WebStorage() override;
    void load(const std::string& module, std::function<void(StoredModule)> done) override;
    void load_posts(const std::string& module, std::vector<std::string> ids,
                    std::function<void(StoredPosts)> done) override;
    void load_outbox(const std::string& module, std::function<void(StoredOutbox)> done) override;
    void write(StorageBatch batch, std::function<void(std::string)> done) override;

private:
    std::string db_;
    std::set<int> pending_;
};

class WebHttp final : public HttpPort {
public:
    ~WebHttp() override;
    void send(HttpRequest request, std::function<void(HttpResponse)> done) override;

private:
    std::set<int> pending_;
};

class WebTimers final : public TimerPort {
public:
    ~WebTimers() override;
    std::int64_t now_ms() override;
    std::uint64_t set_timeout(std::int64_t delay_ms, std::function<void()> fire) override;
    void cancel(std::uint64_t id) override;

private:
    std::set<int> pending_;
};

class WebToken final : public TokenPort {
public:
    explicit WebToken(int mount_id) : mount_(mount_id) {}
    ~WebToken() override;
    void get(bool force_refresh, std::function<void(std::optional<std::string>, std::string)> done) override;

private:
    int mount_;
    std::set<int> pending_;
};

class WebLocks final : public LockPort {
public:
    ~WebLocks() override;
    void acquire(const std::string& name, std::function<void(std::function<void()>)> granted) override;

private:
    std::set<int> pending_;
};

class WebChannel final : public BroadcastPort {
public:
    explicit WebChannel(const std::string& name);
    ~WebChannel() override;
    void post(const std::string& message) override;
    void on_message(std::function<void(const std::string&)> receive) override;

private:
    int id_;
};

// The page's events for one engine: online/offline, visibility, focus.
class WebPageWatch {
public:
    WebPageWatch() = default;
    ~WebPageWatch();
    void start(SyncEngine* engine);   // tells the engine the current state, then every change

private:
    int id_ = 0;
};

class WebPage final : public PageEvents {
public:
    WebPage(int mount_id, std::function<void()> on_change) : mount_(mount_id), on_change_(std::move(on_change)) {}
    void emit(const std::string& name, const std::string& detail_json) override;
    void warn(const std::string& message) override;
    void changed() override;

private:
    int mount_;
    std::function<void()> on_change_;
};

std::uint64_t web_random64();

}  // namespace grove

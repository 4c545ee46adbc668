// make_web_discussion: the sync engine (shared/grove/client) with the browser's ports.
#include "web_discussion.hpp"

#include <emscripten/emscripten.h>   // EMSCRIPTEN_KEEPALIVE

#include <cstdint>         // std::int64_t, std::uint64_t
#include <cstdlib>         // std::malloc
#include <cstring>         // std::memcpy
#include <optional>        // std::optional
#include <unordered_map>   // std::unordered_map

#include "grove/client/sync_engine.hpp"
#include "grove/time.hpp"
#include "grove/wire.hpp"
#include "web_ports.hpp"

extern "C" void grove_js_expose_state(int mount_id, int engine_id, int expose);

namespace grove {

namespace {

// How long the last create took from the call until storage confirmed it, and how many were
// confirmed: groveSyncState() reports them for the benchmark (bench/sync_cache.mjs).
struct CreateTimes final : SyncObserver {
    std::int64_t started_ms = 0;
    std::optional<std::int64_t> last_persist_ms;
    std::uint64_t persisted = 0;
    void create_started(std::int64_t now_ms) override { started_ms = now_ms; }
    void create_saved(bool stored, std::int64_t now_ms) override {
        if (!stored) return;
        last_persist_ms = now_ms - started_ms;
        ++persisted;
    }
};

struct Exposed {
    const SyncEngine* engine = nullptr;
    const CreateTimes* times = nullptr;
};

std::unordered_map<int, Exposed>& engines() {
    static std::unordered_map<int, Exposed> m;
    return m;
}

// mount element.groveSyncState(): what the sync engine holds, for support and browser tests.
struct StateHook {
    int mount = 0, id = 0;
    void expose(int mount_id, const SyncEngine* engine, const CreateTimes* times) {
        static int next = 0;
        mount = mount_id;
        id = ++next;
        engines()[id] = Exposed{engine, times};
        grove_js_expose_state(mount, id, 1);
    }
    ~StateHook() {
        if (!id) return;
        engines().erase(id);
        grove_js_expose_state(mount, id, 0);
    }
};

// The engine of each mounted widget, by mount id, for the loader's event stream (grove_live).
std::unordered_map<int, SyncEngine*>& live_engines() {
    static std::unordered_map<int, SyncEngine*> m;
    return m;
}

struct LiveHook {
    int mount = 0;
    SyncEngine* engine = nullptr;
    void attach(int mount_id, SyncEngine* e) {
        mount = mount_id;
        engine = e;
        live_engines()[mount] = e;
    }
    ~LiveHook() {
        const auto it = live_engines().find(mount);
        if (it != live_engines().end() && it->second == engine) live_engines().erase(it);
    }
};

// Everything one mounted widget's engine talks to; owned by the engine (ClientPorts::owner), so
// it outlives every use the engine makes of it.
struct WebPorts {
    WebPorts(int mount_id, const WidgetConfig& config, std::function<void()> on_change)
        : storage("grove-cache:" + config.api),
          token(mount_id),
          channel("grove:" + config.api + "|" + config.module),
          page(mount_id, std::move(on_change)) {}
    WebStorage storage;
    WebHttp http;
    WebTimers timers;
    WebToken token;
    WebLocks locks;
    WebChannel channel;
    WebPage page;
    WebPageWatch watch;
    CreateTimes times;
    StateHook hook;
    LiveHook live;
};

}  // namespace

std::unique_ptr<Discussion> make_web_discussion(int mount_id, const WidgetConfig& config,
                                                std::function<void()> on_change) {
    auto ports = std::make_shared<WebPorts>(mount_id, config, std::move(on_change));
    ClientPorts p;
    p.owner = ports;
    p.storage = &ports->storage;
    p.http = &ports->http;
    p.timers = &ports->timers;
    p.token = &ports->token;
    p.locks = &ports->locks;
    p.broadcast = &ports->channel;
    p.page = &ports->page;
    p.random = web_random64;
    SyncOptions options;
    options.api = config.api;
    options.module = config.module;
    options.module_title = config.title;
    options.spotlight = config.spotlight;
    auto engine = std::make_unique<SyncEngine>(std::move(options), std::move(p));
    ports->watch.start(engine.get());   // online and visible before the first cycle
    engine->set_observer(&ports->times);
    ports->hook.expose(mount_id, engine.get(), &ports->times);
    ports->live.attach(mount_id, engine.get());
    engine->start();
    return engine;
}

}  // namespace grove

extern "C" {

// The page's event stream (the loader, grove.js "Live"), for the widget mounted as `mount_id`:
// 1 its module changed (pull now), 2 the spotlight changed, 3 the stream is held (poll rarely),
// 4 it is not (poll as usual).
EMSCRIPTEN_KEEPALIVE void grove_live(int mount_id, int kind) {
    using namespace grove;
    const auto it = live_engines().find(mount_id);
    if (it == live_engines().end()) return;
    SyncEngine& e = *it->second;
    switch (kind) {
        case 1: e.pull_now(false); break;
        case 2: e.pull_now(true); break;
        case 3: e.set_live(true); break;
        case 4: e.set_live(false); break;
        default: break;
    }
}

// JSON of the engine's status, draft and view (the view only when with_posts: with 10,000 posts it
// is megabytes, and a benchmark polling the status must not hold the main thread); malloc'ed, the
// caller frees it.
EMSCRIPTEN_KEEPALIVE char* grove_sync_state(int engine_id, int with_posts) {
    using namespace grove;
    Json out = Json::object();
    const auto it = engines().find(engine_id);
    if (it != engines().end()) {
        const SyncEngine& e = *it->second.engine;
        const CreateTimes& times = *it->second.times;
        const SyncStatus st = e.status();
        Json posts = Json::array();
        if (with_posts) {
            for (const ShownPost& p : e.posts()) {
                Json j = to_json(p.post());
                j["state"] = p.state == LocalState::synced ? "synced" : p.state == LocalState::pending ? "pending" : "failed";
                if (!p.error.empty()) j["error"] = p.error;
                posts.push_back(std::move(j));
            }
        }
        out = Json{{"module", e.module()},
                   {"me", e.me().known ? Json{{"id", e.me().id}, {"name", e.me().name}, {"role", to_string(e.me().role)}}
                                       : Json(nullptr)},
                   {"loaded", st.loaded},
                   {"online", st.online},
                   {"pending", st.pending},
                   {"failed", st.failed},
                   {"last_sync", st.last_sync_ms ? Json(format_rfc3339_ms(*st.last_sync_ms)) : Json(nullptr)},
                   {"notice", st.notice},
                   {"held_work", st.held_work},
                   {"draft", e.draft()},
                   {"creates_persisted", times.persisted},
                   {"last_create_persist_ms", times.last_persist_ms ? Json(*times.last_persist_ms) : Json(nullptr)},
                   {"posts", std::move(posts)}};
    }
    const std::string text = dump(out);
    char* p = static_cast<char*>(std::malloc(text.size() + 1));
    std::memcpy(p, text.c_str(), text.size() + 1);
    return p;
}

}  // extern "C"

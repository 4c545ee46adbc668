#include "web_ports.hpp"

#include <emscripten/emscripten.h>   // EMSCRIPTEN_KEEPALIVE

#include <cstdint>         // std::uintptr_t
#include <cstdlib>         // std::free
#include <memory>          // std::unique_ptr
#include <unordered_map>   // std::unordered_map
#include <utility>         // std::move

#include "js_bridge.hpp"                  // js_emit
#include "grove/client/sync_engine.hpp"   // SyncEngine (page events)
#include "grove/wire.hpp"                 // Json, dump

extern "C" {
// Implemented in library_grove_sync.js.
void grove_js_storage_load(const char* db, const char* module, int cb);
void grove_js_storage_load_outbox(const char* db, const char* module, int cb);
void grove_js_storage_load_posts(const char* db, const char* module, const char* ids_json, int cb);
void grove_js_storage_write(const char* db, const char* batch_json, int cb, const int* blobs, int blob_count);
void grove_js_http_send(const char* request_json, int id);
void grove_js_http_cancel(int id);
void grove_js_timer_set(int id, double delay_ms);
void grove_js_timer_cancel(int id);
double grove_js_now_ms();
unsigned grove_js_random32();
void grove_js_console_warn(const char* text);
void grove_js_lock_acquire(const char* name, int cb);
void grove_js_lock_release(int lock_id);
void grove_js_channel_open(int id, const char* name);
void grove_js_channel_post(int id, const char* message);
void grove_js_channel_close(int id);
int grove_js_page_watch(int id);
void grove_js_page_unwatch(int id);
void grove_js_token_get(int mount_id, int force, int cb);
}

namespace grove {

namespace {

constexpr std::size_t kBlobBytes = 32 * 1024;   // meta values at least this big are stored as bytes

int next_id() {
    static int n = 0;
    return ++n;
}

// Callbacks waiting for JS, by id, whatever their type: one id counter for all of them, so an id
// names one callback. One map holds them all (a map per callback type put another ~1 KB of hash
// table code per type into the wasm); each entry knows its type, and asking for an id with
// another type finds nothing.
using Erased = std::unique_ptr<void, void (*)(void*)>;
struct Waiting {
    const void* type;
    Erased f;
};

std::unordered_map<int, Waiting>& waiting() {
    static std::unordered_map<int, Waiting> m;
    return m;
}

template <class F>
const void* type_of() {
    static char tag;   // one per F: its address names the type
    return &tag;
}

template <class F>
void wait(int id, F f) {
    waiting().insert_or_assign(id, Waiting{type_of<F>(), Erased(new F(std::move(f)), [](void* p) { delete static_cast<F*>(p); })});
}

// The entry for id if it holds an F, else the map's end.
template <class F>
std::unordered_map<int, Waiting>::iterator find_waiting(int id) {
    const auto it = waiting().find(id);
    return it != waiting().end() && it->second.type == type_of<F>() ? it : waiting().end();
}

template <class F>
F* waiting_as(int id) {
    const auto it = find_waiting<F>(id);
    return it == waiting().end() ? nullptr : static_cast<F*>(it->second.f.get());
}

// Each callback is taken out before it runs.
template <class F>
F take(int id) {
    const auto it = find_waiting<F>(id);
    if (it == waiting().end()) return nullptr;
    F out = std::move(*static_cast<F*>(it->second.f.get()));
    waiting().erase(it);
    return out;
}

void forget(std::set<int>& ids) {
    for (int id : ids) waiting().erase(id);
    ids.clear();
}

// Takes ownership of a malloc'ed string from JS.
std::string adopt(char* s) {
    if (!s) return {};
    std::string out(s);
    std::free(s);
    return out;
}

// Takes a malloc'ed "a\0b\0c\0" buffer from JS apart (and frees it).
std::vector<std::string> adopt_parts(char* buffer, int length) {
    std::vector<std::string> parts;
    if (!buffer) return parts;
    std::size_t start = 0;
    const std::size_t n = length > 0 ? static_cast<std::size_t>(length) : 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (buffer[i] != '\0') continue;
        parts.emplace_back(buffer + start, i - start);
        start = i + 1;
    }
    std::free(buffer);
    return parts;
}

std::vector<StoredRecord> adopt_pairs(char* buffer, int length) {
    std::vector<std::string> parts = adopt_parts(buffer, length);
    std::vector<StoredRecord> out;
    out.reserve(parts.size() / 2);
    for (std::size_t i = 0; i + 1 < parts.size(); i += 2) out.push_back({std::move(parts[i]), std::move(parts[i + 1])});
    return out;
}

Json pairs_json(const std::vector<StoredRecord>& records) {
    Json out = Json::array();
    for (const StoredRecord& r : records) out.push_back(Json::array({r.key, r.value}));
    return out;
}

using LoadDone = std::function<void(StoredModule)>;
using PostsDone = std::function<void(StoredPosts)>;
using OutboxDone = std::function<void(StoredOutbox)>;
using WriteDone = std::function<void(std::string)>;
using HttpDone = std::function<void(HttpResponse)>;
using TimerFire = std::function<void()>;
using TokenDone = std::function<void(std::optional<std::string>, std::string)>;
using LockGranted = std::function<void(std::function<void()>)>;
using ChannelReceive = std::function<void(const std::string&)>;

std::unordered_map<int, SyncEngine*>& watched() {
    static std::unordered_map<int, SyncEngine*> m;
    return m;
}

}  // namespace

// ---- storage ------------------------------------------------------------------------------------

WebStorage::~WebStorage() {
    forget(pending_);
}

void WebStorage::load(const std::string& module, LoadDone done) {
    const int id = next_id();
    pending_.insert(id);
    wait<LoadDone>(id, [this, id, done = std::move(done)](StoredModule m) {
        pending_.erase(id);
        done(std::move(m));
    });
    grove_js_storage_load(db_.c_str(), module.c_str(), id);
}

void WebStorage::load_posts(const std::string& module, std::vector<std::string> ids, PostsDone done) {
    const int id = next_id();
    pending_.insert(id);
    wait<PostsDone>(id, [this, id, done = std::move(done)](StoredPosts p) {
        pending_.erase(id);
        done(std::move(p));
    });
    grove_js_storage_load_posts(db_.c_str(), module.c_str(), dump(Json(ids)).c_str(), id);
}

void WebStorage::load_outbox(const std::string& module, OutboxDone done) {
    const int id = next_id();
    pending_.insert(id);
    wait<OutboxDone>(id, [this, id, done = std::move(done)](StoredOutbox o) {
        pending_.erase(id);
        done(std::move(o));
    });
    grove_js_storage_load_outbox(db_.c_str(), module.c_str(), id);
}

void WebStorage::write(StorageBatch b, WriteDone done) {
    const int id = next_id();
    pending_.insert(id);
    wait<WriteDone>(id, [this, id, done = std::move(done)](std::string error) {
        pending_.erase(id);
        done(std::move(error));
    });
    // Large meta values (the packed posts) are stored as bytes: handed over by pointer, not JSON.
    std::vector<int> blobs;
    Json meta = Json::array();
    for (const StoredRecord& r : b.put_meta) {
        if (r.value.size() < kBlobBytes) {
            meta.push_back(Json::array({r.key, r.value}));
            continue;
        }
        meta.push_back(Json::array({r.key, Json{{"blob", blobs.size() / 2}}}));
        blobs.push_back(static_cast<int>(reinterpret_cast<std::uintptr_t>(r.value.data())));
        blobs.push_back(static_cast<int>(r.value.size()));
    }
    Json batch{{"module", b.module},
               {"clear_posts", b.clear_posts},
               {"put_posts", pairs_json(b.put_posts)},
               {"delete_posts", b.delete_posts},
               {"put_outbox", pairs_json(b.put_outbox)},
               {"delete_outbox", b.delete_outbox},
               {"put_meta", std::move(meta)},
               {"delete_meta", b.delete_meta}};
    grove_js_storage_write(db_.c_str(), dump(batch).c_str(), id, blobs.data(), static_cast<int>(blobs.size() / 2));
}

// ---- HTTP ---------------------------------------------------------------------------------------

WebHttp::~WebHttp() {
    for (int id : pending_) grove_js_http_cancel(id);
    forget(pending_);
}

void WebHttp::send(HttpRequest r, HttpDone done) {
    const int id = next_id();
    pending_.insert(id);
    wait<HttpDone>(id, [this, id, done = std::move(done)](HttpResponse resp) {
        pending_.erase(id);
        done(std::move(resp));
    });
    Json headers = Json::array();
    for (const auto& [k, v] : r.headers) headers.push_back(Json::array({k, v}));
    const Json request{{"method", r.method}, {"url", r.url}, {"headers", headers}, {"body", r.body},
                       {"timeout_ms", r.timeout_ms}};
    grove_js_http_send(dump(request).c_str(), id);
}

// ---- time ---------------------------------------------------------------------------------------

WebTimers::~WebTimers() {
    for (int id : pending_) grove_js_timer_cancel(id);
    forget(pending_);
}

std::int64_t WebTimers::now_ms() { return static_cast<std::int64_t>(grove_js_now_ms()); }

std::uint64_t WebTimers::set_timeout(std::int64_t delay_ms, TimerFire fire) {
    const int id = next_id();
    pending_.insert(id);
    wait<TimerFire>(id, [this, id, fire = std::move(fire)] {
        pending_.erase(id);
        fire();
    });
    grove_js_timer_set(id, static_cast<double>(delay_ms));
    return static_cast<std::uint64_t>(id);
}

void WebTimers::cancel(std::uint64_t id) {
    const int i = static_cast<int>(id);
    grove_js_timer_cancel(i);
    pending_.erase(i);
    waiting().erase(i);
}

std::uint64_t web_random64() {
    return (static_cast<std::uint64_t>(grove_js_random32()) << 32) | grove_js_random32();
}

// ---- token --------------------------------------------------------------------------------------

WebToken::~WebToken() { forget(pending_); }

void WebToken::get(bool force, TokenDone done) {
    const int id = next_id();
    pending_.insert(id);
    wait<TokenDone>(id, [this, id, done = std::move(done)](std::optional<std::string> t, std::string e) {
        pending_.erase(id);
        done(std::move(t), std::move(e));
    });
    grove_js_token_get(mount_, force ? 1 : 0, id);
}

// ---- locks and broadcast ------------------------------------------------------------------------

WebLocks::~WebLocks() { forget(pending_); }   // a late grant is released at once

void WebLocks::acquire(const std::string& name, LockGranted granted) {
    const int id = next_id();
    pending_.insert(id);
    wait<LockGranted>(id, [this, id, granted = std::move(granted)](std::function<void()> release) {
        pending_.erase(id);
        granted(std::move(release));
    });
    grove_js_lock_acquire(name.c_str(), id);
}

WebChannel::WebChannel(const std::string& name) : id_(next_id()) { grove_js_channel_open(id_, name.c_str()); }

WebChannel::~WebChannel() {
    grove_js_channel_close(id_);
    waiting().erase(id_);
}

void WebChannel::post(const std::string& message) { grove_js_channel_post(id_, message.c_str()); }

void WebChannel::on_message(ChannelReceive receive) {
    if (receive) {
        wait<ChannelReceive>(id_, std::move(receive));
    } else {
        waiting().erase(id_);
    }
}

// ---- the page -----------------------------------------------------------------------------------

WebPageWatch::~WebPageWatch() {
    if (!id_) return;
    grove_js_page_unwatch(id_);
    watched().erase(id_);
}

void WebPageWatch::start(SyncEngine* engine) {
    id_ = next_id();
    watched()[id_] = engine;
    const int state = grove_js_page_watch(id_);
    engine->set_browser_online(state & 1);
    engine->set_visible(state & 2);
}

void WebPage::emit(const std::string& name, const std::string& detail_json) { js_emit(mount_, name.c_str(), detail_json); }

void WebPage::warn(const std::string& message) { grove_js_console_warn(message.c_str()); }

void WebPage::changed() {
    if (on_change_) on_change_();
}

}  // namespace grove

// ---- answers from library_grove_sync.js ---------------------------------------------------------
using namespace grove;

extern "C" {

EMSCRIPTEN_KEEPALIVE void grove_port_storage_loaded(int cb, int ok, char* error, char* outbox, int outbox_len,
                                                    char* meta, int meta_len, char* blob_key, char* blob,
                                                    int blob_len) {
    StoredModule m;
    m.ok = ok != 0;
    m.error = adopt(error);
    m.outbox = adopt_pairs(outbox, outbox_len);
    m.meta = adopt_pairs(meta, meta_len);
    if (blob_key && blob) {   // a meta value stored as bytes (the packed posts)
        m.meta.push_back({adopt(blob_key), std::string(blob, static_cast<std::size_t>(blob_len > 0 ? blob_len : 0))});
        std::free(blob);
    } else {
        std::free(blob_key);
        std::free(blob);
    }
    if (auto done = take<LoadDone>(cb)) done(std::move(m));
}

EMSCRIPTEN_KEEPALIVE void grove_port_posts_loaded(int cb, int ok, char* error, char* records, int length) {
    StoredPosts p;
    p.ok = ok != 0;
    p.error = adopt(error);
    p.records = adopt_parts(records, length);
    if (auto done = take<PostsDone>(cb)) done(std::move(p));
}

EMSCRIPTEN_KEEPALIVE void grove_port_outbox_loaded(int cb, int ok, char* error, char* outbox, int outbox_len, char* sync) {
    StoredOutbox o;
    o.ok = ok != 0;
    o.error = adopt(error);
    o.outbox = adopt_pairs(outbox, outbox_len);
    if (sync) o.sync_meta = adopt(sync);
    if (auto done = take<OutboxDone>(cb)) done(std::move(o));
}

EMSCRIPTEN_KEEPALIVE void grove_port_storage_written(int cb, char* error) {
    std::string e = adopt(error);
    if (auto done = take<WriteDone>(cb)) done(std::move(e));
}

EMSCRIPTEN_KEEPALIVE void grove_port_http_done(int id, int status, char* body, int retry_after, char* error) {
    HttpResponse r;
    r.status = status;
    r.body = adopt(body);
    if (retry_after >= 0) r.retry_after_s = retry_after;
    r.transport_error = adopt(error);
    if (auto done = take<HttpDone>(id)) done(std::move(r));
}

EMSCRIPTEN_KEEPALIVE void grove_port_timer_fired(int id) {
    if (auto fire = take<TimerFire>(id)) fire();
}

EMSCRIPTEN_KEEPALIVE void grove_port_token(int cb, int ok, char* token, char* error) {
    std::string t = adopt(token), e = adopt(error);
    if (auto done = take<TokenDone>(cb)) done(ok ? std::optional<std::string>(t) : std::nullopt, std::move(e));
}

EMSCRIPTEN_KEEPALIVE void grove_port_lock_granted(int cb, int lock_id) {
    auto granted = take<LockGranted>(cb);
    if (!granted) {   // the widget is gone: let the next tab in
        grove_js_lock_release(lock_id);
        return;
    }
    granted([lock_id] { grove_js_lock_release(lock_id); });
}

EMSCRIPTEN_KEEPALIVE void grove_port_channel_message(int id, char* message) {
    const std::string m = adopt(message);
    const ChannelReceive* receiver = waiting_as<ChannelReceive>(id);
    if (!receiver) return;
    ChannelReceive receive = *receiver;   // a copy: the receiver may replace itself
    receive(m);
}

EMSCRIPTEN_KEEPALIVE void grove_port_page_event(int id, int kind) {
    const auto it = watched().find(id);
    if (it == watched().end()) return;
    SyncEngine* e = it->second;
    switch (kind) {
        case 1: e->set_browser_online(true); break;
        case 2: e->set_browser_online(false); break;
        case 3: e->set_visible(true); break;
        case 4: e->set_visible(false); break;
        case 5: e->focused(); break;
        default: break;
    }
}

}  // extern "C"

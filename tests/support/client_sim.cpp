#include "client_sim.hpp"

#include <nlohmann/json.hpp>   // token payloads

namespace grove::sim {

// ---- Loop -----------------------------------------------------------------------------------------

std::uint64_t Loop::at(std::int64_t delay_ms, std::function<void()> task) {
    const Key key{now_ + (delay_ms < 0 ? 0 : delay_ms), ++seq_};
    tasks_.emplace(key, std::move(task));
    by_id_.emplace(key.seq, key);
    return key.seq;
}

void Loop::cancel(std::uint64_t id) {
    const auto it = by_id_.find(id);
    if (it == by_id_.end()) return;
    tasks_.erase(it->second);
    by_id_.erase(it);
}

std::size_t Loop::advance(std::int64_t ms) {
    const std::int64_t until = now_ + ms;
    std::size_t n = 0;
    while (!tasks_.empty() && tasks_.begin()->first.time <= until) {
        auto it = tasks_.begin();
        now_ = it->first.time;
        auto task = std::move(it->second);
        by_id_.erase(it->first.seq);
        tasks_.erase(it);
        task();
        ++n;
    }
    now_ = until;
    return n;
}

bool Loop::run_until(const std::function<bool()>& done, std::int64_t max_ms) {
    const std::int64_t until = now_ + max_ms;
    while (!done()) {
        if (tasks_.empty() || tasks_.begin()->first.time > until) {
            now_ = until;
            return done();
        }
        auto it = tasks_.begin();
        now_ = it->first.time;
        auto task = std::move(it->second);
        by_id_.erase(it->first.seq);
        tasks_.erase(it);
        task();
    }
    return true;
}

// ---- Storage --------------------------------------------------------------------------------------

namespace {
// A storage that could not be opened (fail_open) answers every read the same way.
template <typename Read>
bool refuse_when_closed(bool fail_open, Read& out) {
    if (!fail_open) return false;
    out.ok = false;
    out.error = "simulated: IndexedDB is not available";
    return true;
}
}  // namespace

void MemoryStorage::load(const std::string& module, std::function<void(StoredModule)> done) {
    // The read happens when the task runs, like an IndexedDB transaction queued behind earlier ones.
    loop_.post([this, module, done] {
        StoredModule out;
        if (refuse_when_closed(fail_open, out)) {
            done(std::move(out));
            return;
        }
        const Module& m = modules[module];
        for (const auto& [k, v] : m.outbox) out.outbox.push_back({k, v});
        for (const auto& [k, v] : m.meta) out.meta.push_back({k, v});
        done(std::move(out));
    });
}

void MemoryStorage::load_posts(const std::string& module, std::vector<std::string> ids,
                               std::function<void(StoredPosts)> done) {
    loop_.post([this, module, ids, done] {
        StoredPosts out;
        if (refuse_when_closed(fail_open, out)) {
            done(std::move(out));
            return;
        }
        const Module& m = modules[module];
        if (ids.empty()) {
            for (const auto& [k, v] : m.posts) out.records.push_back(v);
        } else {
            for (const std::string& id : ids)
                if (const auto it = m.posts.find(id); it != m.posts.end()) out.records.push_back(it->second);
        }
        post_reads += static_cast<int>(out.records.size());
        done(std::move(out));
    });
}

void MemoryStorage::load_outbox(const std::string& module, std::function<void(StoredOutbox)> done) {
    loop_.post([this, module, done] {
        StoredOutbox out;
        if (!refuse_when_closed(fail_open, out)) {
            const Module& m = modules[module];
            for (const auto& [k, v] : m.outbox) out.outbox.push_back({k, v});
            if (const auto it = m.meta.find("sync"); it != m.meta.end()) out.sync_meta = it->second;
        }
        done(std::move(out));
    });
}

void MemoryStorage::write(StorageBatch batch, std::function<void(std::string)> done) {
    loop_.post([this, batch = std::move(batch), done] {
        if (fail_writes || fail_open) {
            done("simulated: QuotaExceededError");
            return;
        }
        Module& m = modules[batch.module];
        if (batch.clear_posts) m.posts.clear();
        for (const auto& r : batch.put_posts) m.posts[r.key] = r.value;
        for (const auto& k : batch.delete_posts) m.posts.erase(k);
        for (const auto& r : batch.put_outbox) m.outbox[r.key] = r.value;
        for (const auto& k : batch.delete_outbox) m.outbox.erase(k);
        for (const auto& r : batch.put_meta) m.meta[r.key] = r.value;
        for (const auto& k : batch.delete_meta) m.meta.erase(k);
        ++writes;
        last_batch_records = static_cast<int>(batch.put_posts.size() + batch.delete_posts.size() +
                                              batch.put_outbox.size() + batch.delete_outbox.size() +
                                              batch.put_meta.size() + batch.delete_meta.size()) +
                             (batch.clear_posts ? 1 : 0);
        done({});
    });
}

// ---- Timers, locks, broadcast ---------------------------------------------------------------------

std::uint64_t Timers::set_timeout(std::int64_t delay_ms, std::function<void()> fire) {
    auto id = std::make_shared<std::uint64_t>(0);
    *id = loop_.at(delay_ms, [this, id, fire] {
        live.erase(*id);
        fire();
    });
    live.insert(*id);
    return *id;
}

void Timers::cancel(std::uint64_t id) {
    live.erase(id);
    loop_.cancel(id);
}

void Locks::acquire(const std::string& name, std::function<void(std::function<void()>)> granted) {
    names_[name].waiting.push_back(std::move(granted));
    if (!names_[name].held) grant_next(name);
}

bool Locks::held(const std::string& name) const {
    const auto it = names_.find(name);
    return it != names_.end() && it->second.held;
}

void Locks::grant_next(const std::string& name) {
    State& s = names_[name];
    if (s.held || s.waiting.empty()) return;
    s.held = true;
    auto granted = std::move(s.waiting.front());
    s.waiting.pop_front();
    const std::uint64_t generation = ++s.generation;
    ++grants;
    loop_.post([this, name, granted, generation] {
        granted([this, name, generation] {
            State& st = names_[name];
            if (!st.held || st.generation != generation) return;   // released twice
            st.held = false;
            loop_.post([this, name] { grant_next(name); });
        });
    });
}

Channel::Channel(Loop& loop, Bus& bus) : loop_(loop), bus_(bus) { bus_.members.insert(this); }
Channel::~Channel() { bus_.members.erase(this); }

void Channel::post(const std::string& message) {
    ++bus_.messages;
    for (Channel* c : bus_.members) {
        if (c == this) continue;
        if (bus_.drop_probability > 0 && std::uniform_real_distribution<double>(0, 1)(bus_.rng) < bus_.drop_probability) {
            ++bus_.dropped;
            continue;
        }
        std::weak_ptr<int> weak = c->alive_;
        loop_.post([c, weak, message] {
            if (!weak.expired()) c->deliver(message);
        });
    }
}

void Channel::deliver(const std::string& message) {
    if (receive_) receive_(message);
}

std::vector<Page::Event> Page::named(const std::string& name) const {
    std::vector<Event> out;
    for (const Event& e : events)
        if (e.name == name) out.push_back(e);
    return out;
}

void Token::get(bool force, std::function<void(std::optional<std::string>, std::string)> done) {
    ++calls;
    if (force) ++forced;
    const std::string token = mint_(force);
    loop_.post([done, token] { done(token, {}); });
}

void Http::send(HttpRequest request, std::function<void(HttpResponse)> done) {
    requests.push_back(request);
    // The server handles the request after half the latency, the answer arrives after the rest.
    loop_.at(latency_ms_ / 2, [this, request, done] {
        HttpResponse r = handler_(request);
        loop_.at(latency_ms_ - latency_ms_ / 2, [done, r] { done(r); });
    });
}

// ---- Tab ------------------------------------------------------------------------------------------

Tab::Tab(Loop& l, MemoryStorage& s, Locks& locks, Bus& bus, Http::Handler handler,
         std::function<std::string(bool)> mint, SyncOptions o, std::uint64_t seed)
    : loop(l), storage(s), timers(l), lock(locks), channel(l, bus), token(l, std::move(mint)),
      http(l, std::move(handler)), options(std::move(o)), random(seed) {
    make_engine();
}

Tab::~Tab() { engine.reset(); }

void Tab::make_engine() {
    ClientPorts ports;
    ports.storage = &storage;
    ports.http = &http;
    ports.timers = &timers;
    ports.token = &token;
    ports.locks = &lock;
    ports.broadcast = &channel;
    ports.page = &page;
    ports.random = [this] { return random(); };
    engine = std::make_unique<SyncEngine>(options, std::move(ports));
    engine->start();
}

void Tab::reload() {
    engine.reset();
    channel.on_message(nullptr);
    make_engine();
}

// ---- tokens ---------------------------------------------------------------------------------------

std::string base64url(const std::string& in) {
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char c : in) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kAlphabet[(buffer >> bits) & 63];
        }
    }
    if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 63];
    return out;
}

std::string unsigned_token(const std::string& sub, const std::string& name, const std::string& role,
                           std::int64_t exp_s) {
    const nlohmann::json header{{"alg", "HS256"}, {"typ", "JWT"}};
    const nlohmann::json payload{{"sub", sub}, {"name", name}, {"role", role}, {"exp", exp_s}};
    return base64url(header.dump()) + "." + base64url(payload.dump()) + ".c2lnbmF0dXJl";
}

}  // namespace grove::sim

// Randomized convergence: several people, some with two tabs, make random writes against the real
// server logic (ApiRouter on SQLite, in process) through a network that loses requests, loses
// answers after the server applied them, answers 503 and 429, while tokens expire or are refused,
// tabs reload from their persisted state, go hidden and offline, and the server restarts. Then the
// network heals, and:
//   - every tab's view equals what the server holds for that person, field by field, all synced;
//   - every write the widget accepted was applied exactly once (final bodies, endorsements, pins,
//     hides and deletes match each person's last intent; no post exists that nobody created), or
//     was refused by the server for a reason the person saw (state failed, with its message) and
//     the refusal was legitimate (the post had been deleted);
//   - no outbox holds anything.
//
// CI runs fixed seeds. Many seeds locally:
//   GROVE_CONVERGENCE_SEEDS=1-500 build/native/tests/grove_client_tests -tc='convergence*'
// (also "7" or "3,9,12"); GROVE_CONVERGENCE_STEPS=<n> makes each run longer (default 240);
// GROVE_CONVERGENCE_TRACE=<post id> prints every request and answer that mentions that post.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <unistd.h>   // getpid: one database file per test process

#include "sync_world.hpp"

using namespace grove;
using namespace grove::sim;

namespace {

std::vector<std::uint64_t> seeds_from_env() {
    const char* env = std::getenv("GROVE_CONVERGENCE_SEEDS");
    std::string spec = env && *env ? env : "1-6";
    std::vector<std::uint64_t> out;
    std::stringstream ss(spec);
    std::string part;
    while (std::getline(ss, part, ',')) {
        const auto dash = part.find('-');
        if (dash == std::string::npos) {
            out.push_back(std::stoull(part));
        } else {
            for (auto s = std::stoull(part.substr(0, dash)); s <= std::stoull(part.substr(dash + 1)); ++s) out.push_back(s);
        }
    }
    return out;
}

int steps_from_env() {
    const char* env = std::getenv("GROVE_CONVERGENCE_STEPS");
    return env && *env ? std::atoi(env) : 240;
}

struct Intent {
    std::string person;
    WriteOp op;
    std::string post;
    std::string key;      // the outbox entry it made
    std::string body;     // create, edit
    bool value = false;   // endorse, pin, hide
    std::string parent;   // a reply's parent
};

struct Actor {
    Person who;
    World::Browser* browser = nullptr;
    std::vector<std::unique_ptr<Tab>> tabs;
    bool tokens_refused = false;   // the page hands out a token the server rejects, until asked again
};

class Convergence {
public:
    Convergence(std::uint64_t seed, int steps) : seed_(seed), steps_(steps), rng_(seed) {
        db_ = (std::filesystem::temp_directory_path() /
               ("grove-convergence-" + std::to_string(::getpid()) + "-" + std::to_string(seed) + ".db"))
                  .string();
        world_ = std::make_unique<World>(/*writes_per_minute=*/30, db_);
        world_->rng.seed(seed * 7919 + 1);
        actors_.reserve(8);   // tabs keep pointers to their actor
    }
    ~Convergence() {
        for (Actor& a : actors_) a.tabs.clear();
        world_.reset();
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_ + suffix);
    }

    void run() {
        add_actor({"u-ann", "Ann", Role::learner}, 2);
        add_actor({"u-bob", "Bob", Role::learner}, 2);
        add_actor({"u-cem", "Cem Yılmaz", Role::leader}, 1);
        add_actor({"u-cora", "Cora", Role::curator}, 2);
        world_->loop.advance(200);

        World& w = *world_;
        w.server.faults_on = true;
        w.server.faults.lose_request = 0.08;
        w.server.faults.lose_response = 0.08;
        w.server.faults.server_error = 0.06;
        w.server.faults.rate_limit = 0.03;

        for (int step = 0; step < steps_; ++step) {
            w.loop.advance(uniform(0, 2500));
            Actor& a = actors_[uniform(0, static_cast<int>(actors_.size()) - 1)];
            Tab& t = *a.tabs[uniform(0, static_cast<int>(a.tabs.size()) - 1)];
            act(a, t);
        }

        // Heal: a working network, visible tabs, tokens accepted; the people deal with refusals.
        w.server.faults_on = false;
        for (Actor& a : actors_) {
            a.tokens_refused = false;
            for (auto& t : a.tabs) {
                t->engine->set_visible(true);
                t->engine->set_browser_online(true);
            }
        }
        for (int round = 0; round < 4; ++round) {
            for (Actor& a : actors_)
                for (auto& t : a.tabs) t->engine->sync_now();
            const bool ok = w.loop.run_until([&] { return all_settled(); }, 15 * 60'000);
            INFO(trace());
            REQUIRE_MESSAGE(ok, "the tabs did not settle after the network healed");
            w.loop.advance(1'000);
            for (Actor& a : actors_) handle_refusals(a);
        }
        check();
    }

private:
    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

    void add_actor(Person who, int tabs) {
        actors_.push_back(Actor{who, &world_->browser(), {}, false});
        Actor& a = actors_.back();
        a.browser->bus.drop_probability = 0.2;
        a.browser->bus.rng.seed(seed_ + actors_.size());
        for (int i = 0; i < tabs; ++i) a.tabs.push_back(make_tab(a));
    }

    std::unique_ptr<Tab> make_tab(Actor& a) {
        World& w = *world_;
        SyncOptions o = w.options();
        o.page_limit = uniform(2, 40);                             // many small pages too
        o.token_refresh_margin_ms = chance(0.5) ? 0 : 30'000;      // some tabs let tokens expire
        const std::int64_t token_ms = uniform(60, 600) * 1000LL;
        Actor* actor = &a;
        auto mint = [&w, actor, token_ms](bool force) {
            if (force) actor->tokens_refused = false;
            if (actor->tokens_refused) return unsigned_token(actor->who.id, actor->who.name, std::string(to_string(actor->who.role)), 4'000'000'000);
            return w.server.token(actor->who.id, actor->who.name, actor->who.role, token_ms);
        };
        const char* watch = std::getenv("GROVE_CONVERGENCE_TRACE");   // a post id to follow
        std::string who = a.who.id;
        auto handler = [&w, watch, who](const HttpRequest& r) {
            HttpResponse out = w.server.handler(w.rng)(r);
            if (watch && (r.url.find(watch) != std::string::npos || r.body.find(watch) != std::string::npos ||
                          out.body.find(watch) != std::string::npos))
                std::fprintf(stderr, "[%lld] %s %s %s -> %d %s\n", static_cast<long long>(w.loop.now()), who.c_str(),
                             r.method.c_str(), r.url.c_str(), out.status, out.body.substr(0, 200).c_str());
            return out;
        };
        return std::make_unique<Tab>(w.loop, a.browser->storage, a.browser->locks, a.browser->bus, handler, mint, o,
                                     rng_());
    }

    // The keys of the outbox entries this call added. A refused write the call replaced (a new
    // edit or endorsement of a post supersedes the refused one) is recorded as refused: the
    // person saw it fail and tried again.
    template <class F>
    std::string capture_key(Tab& t, F&& call) {
        std::set<std::string> before;
        std::map<std::string, int> failed_before;
        for (const QueuedWrite& w : t.engine->store().outbox()) {
            before.insert(w.entry.key);
            if (w.entry.failed) failed_before[w.entry.key] = w.entry.error_status;
        }
        call();
        std::string key;
        std::set<std::string> after;
        for (const QueuedWrite& w : t.engine->store().outbox()) {
            after.insert(w.entry.key);
            if (!before.count(w.entry.key)) key = w.entry.key;
        }
        for (const auto& [k, status] : failed_before)
            if (!after.count(k)) refused_.emplace(k, status);
        return key;
    }

    const ShownPost* pick(Tab& t, const std::function<bool(const ShownPost&)>& ok) {
        std::vector<const ShownPost*> candidates;
        for (const ShownPost& p : t.engine->posts())
            if (!p.post().deleted && ok(p)) candidates.push_back(&p);
        if (candidates.empty()) return nullptr;
        return candidates[uniform(0, static_cast<int>(candidates.size()) - 1)];
    }

    void record(const Actor& a, WriteOp op, const std::string& post, const std::string& key, std::string body = {},
                bool value = false, std::string parent = {}) {
        if (key.empty()) return;   // a no-op (already in that state)
        intents_.push_back(Intent{a.who.id, op, post, key, std::move(body), value, std::move(parent)});
    }

    void act(Actor& a, Tab& t) {
        const int roll = uniform(0, 99);
        SyncEngine& e = *t.engine;
        const std::string me = a.who.id;
        auto text = [&](const char* what) { return std::string(what) + " " + std::to_string(++texts_) + " ✓"; };
        if (roll < 22) {
            std::string body = text("post");
            Kind kind = a.who.role == Role::leader && chance(0.3) ? Kind::leader_learning : Kind::insight;
            std::string id;
            const std::string key = capture_key(t, [&] {
                auto p = e.create(kind, body, std::nullopt);
                REQUIRE(p.ok());
                id = p->id;
            });
            record(a, WriteOp::create, id, key, body);
        } else if (roll < 34) {
            const ShownPost* parent = pick(t, [](const ShownPost& p) { return !p.post().parent_id; });
            if (!parent) return;
            std::string body = text("reply");
            const std::string parent_id = parent->post().id;
            std::string id;
            const std::string key = capture_key(t, [&] {
                auto p = e.create(Kind::question, body, parent_id);
                REQUIRE(p.ok());
                id = p->id;
            });
            record(a, WriteOp::create, id, key, body, false, parent_id);
        } else if (roll < 44) {
            const ShownPost* p = pick(t, [&](const ShownPost& s) { return s.post().author.id == me; });
            if (!p) return;
            const std::string id = p->post().id;
            std::string body = text("edit");
            const std::string key = capture_key(t, [&] { REQUIRE_FALSE(e.edit(id, body)); });
            record(a, WriteOp::edit, id, key, body);
        } else if (roll < 49) {
            const ShownPost* p = pick(t, [&](const ShownPost& s) {
                return s.post().author.id == me || can_moderate(a.who.role);
            });
            if (!p) return;
            const std::string id = p->post().id;
            // Deleting a post whose create the server refused just forgets it (the person saw why).
            for (const QueuedWrite& w : e.store().outbox())
                if (w.entry.op == WriteOp::create && w.entry.post_id == id && w.entry.failed) {
                    refused_creates_.insert(id);
                    refused_[w.entry.key] = w.entry.error_status;
                }
            const std::string key = capture_key(t, [&] { REQUIRE_FALSE(e.remove(id)); });
            record(a, WriteOp::remove, id, key);
        } else if (roll < 66) {
            const ShownPost* p = pick(t, [&](const ShownPost& s) { return s.post().author.id != me; });
            if (!p) return;
            const std::string id = p->post().id;
            const bool value = !p->post().endorsed_by_me;
            const std::string key = capture_key(t, [&] { REQUIRE_FALSE(e.endorse(id, value)); });
            record(a, WriteOp::endorse, id, key, {}, value);
        } else if (roll < 70) {
            const ShownPost* p = pick(t, [](const ShownPost&) { return true; });
            if (!p) return;
            const std::string id = p->post().id;
            const std::string key = capture_key(t, [&] { REQUIRE_FALSE(e.flag(id, "looks off")); });
            record(a, WriteOp::flag, id, key);
        } else if (roll < 76) {
            if (!can_moderate(a.who.role)) return;
            const ShownPost* p = pick(t, [](const ShownPost&) { return true; });
            if (!p) return;
            const std::string id = p->post().id;
            if (chance(0.5)) {
                const bool value = !p->post().pinned;
                record(a, WriteOp::pin, id, capture_key(t, [&] { REQUIRE_FALSE(e.pin(id, value)); }), {}, value);
            } else {
                const bool value = !p->post().hidden;
                record(a, WriteOp::hide, id, capture_key(t, [&] { REQUIRE_FALSE(e.hide(id, value)); }), {}, value);
            }
        } else if (roll < 82) {
            handle_refusals(a);
        } else if (roll < 87) {
            ++reloads_;
            t.reload();
        } else if (roll < 90) {
            t.engine->set_visible(chance(0.5));
        } else if (roll < 93) {
            const bool online = chance(0.5);
            for (auto& tab : a.tabs) tab->engine->set_browser_online(online);
        } else if (roll < 95) {
            a.tokens_refused = true;   // e.g. the intranet rotated its signing key: the next token is refused
        } else if (roll < 96) {
            ++restarts_;
            world_->server.restart();
        } else {
            t.engine->sync_now();
        }
    }

    // The person reads each refused post and discards it (recording why); retrying would fail the
    // same way, since every legitimate refusal here is about a deleted post or a hidden one. Discard drops every
    // refused write of the post, and with a refused create, all of that post's writes.
    void handle_refusals(Actor& a) {
        for (auto& t : a.tabs) {
            std::vector<std::pair<std::uint64_t, std::string>> refused;
            for (const ShownPost& p : t->engine->posts())
                if (p.state == LocalState::failed) refused.emplace_back(p.failed_write, p.post().id);
            for (const auto& [handle, post] : refused) {
                bool create = false;
                for (const QueuedWrite& w : t->engine->store().outbox()) {
                    if (w.entry.post_id != post || !w.entry.failed) continue;
                    refused_[w.entry.key] = w.entry.error_status;
                    create = create || w.entry.op == WriteOp::create;
                }
                if (create) {
                    refused_creates_.insert(post);
                    for (const QueuedWrite& w : t->engine->store().outbox())
                        if (w.entry.post_id == post) refused_.emplace(w.entry.key, 0);
                }
                t->engine->discard(handle);
            }
        }
    }

    bool all_settled() const {
        for (const Actor& a : actors_)
            for (const auto& t : a.tabs)
                if (!t->engine->settled()) return false;
        return true;
    }

    std::string trace() const {
        const FaultCounts& c = world_->server.counts;
        std::ostringstream out;
        out << "seed " << seed_ << ": " << intents_.size() << " writes, " << refused_.size() << " refused, "
            << reloads_ << " reloads, " << restarts_ << " server restarts; faults: " << c.lost_requests
            << " lost requests, " << c.lost_responses << " lost answers, " << c.server_errors << " 503, "
            << c.rate_limited << " proxy 429, " << c.server_429 << " server 429, " << c.rejected_401
            << " 401; reproduce with GROVE_CONVERGENCE_SEEDS=" << seed_;
        return out.str();
    }

    // Whether the server holds no such post, or only its tombstone.
    bool gone(const std::string& id, const std::string& admin_token) {
        const HttpResponse a = world_->server.handle(HttpRequest{
            "GET", std::string(RouterServer::kApi) + "/posts/" + id, {{"Authorization", "Bearer " + admin_token}}, {}, 0});
        if (a.status == 404) return true;
        REQUIRE(a.status == 200);
        return post_from_json(Json::parse(a.body)).value().deleted;
    }

    void check() {
        INFO(trace());
        World& w = *world_;
        // What the server holds for every post anyone created, tombstones included, read as an admin.
        const Person admin{"u-admin", "Admin", Role::admin};
        const std::string admin_token = w.server.token(admin.id, admin.name, admin.role, 3600'000);
        std::map<std::string, const Intent*> creates;
        for (const Intent& i : intents_)
            if (i.op == WriteOp::create) creates[i.post] = &i;
        std::map<std::string, Post> all;
        for (const auto& [id, intent] : creates) {
            const HttpResponse a = w.server.handle(HttpRequest{
                "GET", std::string(RouterServer::kApi) + "/posts/" + id, {{"Authorization", "Bearer " + admin_token}}, {}, 0});
            if (a.status == 404) continue;
            REQUIRE(a.status == 200);
            all[id] = post_from_json(Json::parse(a.body)).value();
        }
        // Every post on the server was created by someone through the widget, exactly once.
        // Plain variables, not structured bindings, in CAPTURE: its lambda cannot capture those in clang 14.
        for (const auto& entry : w.server_posts(admin)) {
            const std::string& id = entry.first;
            CAPTURE(id);
            CHECK(creates.count(id) == 1);
        }
        for (const auto& entry : all) {
            const std::string& id = entry.first;
            const Post& p = entry.second;
            CAPTURE(id);
            CHECK(creates[id]->person == p.author.id);
            CHECK_FALSE(refused_creates_.count(id));
        }

        // Nothing left to send anywhere.
        for (const Actor& a : actors_) {
            for (const auto& t : a.tabs) {
                for (const QueuedWrite& q : t->engine->store().outbox())
                    MESSAGE(a.who.id << " left: " << q.entry.key << " " << to_string(q.entry.op) << " " << q.entry.post_id
                                     << " failed=" << q.entry.failed << " user=" << q.entry.user << " persisted=" << q.persisted
                                     << " shown=" << (t->engine->store().shown(q.entry.post_id) != nullptr));
                CHECK(t->engine->status().pending == 0);
                CHECK(t->engine->status().failed == 0);
            }
            CHECK(a.browser->storage.modules["m1"].outbox.empty());
        }

        // Each accepted intent: applied, or refused legitimately.
        std::map<std::string, std::string> body;               // post -> last accepted body
        std::map<std::string, bool> deleted, pinned, hidden;   // post -> last accepted value
        std::map<std::string, std::map<std::string, bool>> endorsed;   // post -> person -> value
        std::set<std::string> ever_hidden;   // posts a curator hid at some point
        for (const Intent& i : intents_)
            if (i.op == WriteOp::hide && i.value) ever_hidden.insert(i.post);
        for (const Intent& i : intents_) {
            CAPTURE(i.key);
            if (refused_.count(i.key) || (i.op == WriteOp::create && refused_creates_.count(i.post))) {
                // Legitimate refusals concern posts that were deleted (or replies to them): the
                // server said 404 (no such post) or 422 (the parent was deleted); or a post a
                // curator hid (403: edits, replies and endorsements wait for a decision). A write
                // that was never refused itself (status 0) went with its post's refused create.
                const auto status = refused_.find(i.key);
                CAPTURE(to_string(i.op));
                CAPTURE(i.post);
                const bool under_review = status != refused_.end() && status->second == 403 &&
                                          (ever_hidden.count(i.post) ||
                                           (i.op == WriteOp::create && ever_hidden.count(i.parent)));
                if (under_review) continue;
                if (status != refused_.end() && status->second != 0) CHECK((status->second == 404 || status->second == 422));
                else CHECK(refused_creates_.count(i.post) == 1);
                const auto it = all.find(i.post);
                CHECK((it == all.end() || it->second.deleted));
                if (i.op == WriteOp::create) {
                    // Only a reply's create is refused, and only when its parent is gone.
                    CHECK_FALSE(i.parent.empty());
                    if (!i.parent.empty()) CHECK(gone(i.parent, admin_token));
                }
                continue;
            }
            switch (i.op) {
                case WriteOp::create: {
                    CAPTURE(i.post);
                    CAPTURE(i.person);
                    REQUIRE(all.count(i.post));
                    body[i.post] = i.body;
                    break;
                }
                case WriteOp::edit: body[i.post] = i.body; break;
                case WriteOp::remove: deleted[i.post] = true; break;
                case WriteOp::endorse: endorsed[i.post][i.person] = i.value; break;
                case WriteOp::pin: pinned[i.post] = i.value; break;
                case WriteOp::hide: hidden[i.post] = i.value; break;
                case WriteOp::flag: break;
                case WriteOp::outcome:
                case WriteOp::resource_add:
                case WriteOp::resource_edit:
                case WriteOp::resource_remove:
                case WriteOp::dismiss_flags: break;   // not among the writes this test makes
            }
        }
        for (const auto& entry : all) {
            const std::string& id = entry.first;
            const Post& p = entry.second;
            CAPTURE(id);
            CHECK(p.deleted == deleted[id]);
            if (p.deleted) continue;
            CHECK(p.body == body[id]);
            CHECK(p.pinned == pinned[id]);
            CHECK(p.hidden == hidden[id]);
            int count = 0;
            for (const auto& [person, value] : endorsed[id]) count += value ? 1 : 0;
            CHECK(p.endorsements == count);
        }

        // Every tab shows exactly the server's state for its person.
        for (const Actor& a : actors_) {
            const auto expected = w.server_posts(a.who);
            for (const auto& t : a.tabs) {
                CAPTURE(a.who.id);
                std::map<std::string, const ShownPost*> view;
                for (const ShownPost& p : t->engine->posts()) view[p.post().id] = &p;
                for (const auto& entry : view) {
                    const std::string& id = entry.first;
                    const ShownPost* p = entry.second;
                    CAPTURE(id);
                    CAPTURE(static_cast<int>(p->state));
                    CAPTURE(p->error);
                    CHECK(expected.count(id) == 1);
                }
                for (const auto& entry : expected) {
                    const std::string& id = entry.first;
                    const Post& p = entry.second;
                    CAPTURE(id);
                    REQUIRE(view.count(id));
                    CHECK(view[id]->state == LocalState::synced);
                    CHECK(view[id]->post() == p);
                    const auto e = endorsed[id].find(a.who.id);
                    CHECK(p.endorsed_by_me == (e != endorsed[id].end() && e->second));
                }
            }
        }
        // The cache itself holds the server's state: a reload with the network down shows it all,
        // except the text of hidden posts, which is never stored (curators get it back online).
        w.server.faults_on = true;
        w.server.faults = Faults{1.0, 0, 0, 0};
        for (Actor& a : actors_) {
            CAPTURE(a.who.id);
            const auto expected = w.server_posts(a.who);
            Tab& t = *a.tabs.front();
            t.reload();
            w.loop.advance(200);
            std::map<std::string, const ShownPost*> view;
            for (const ShownPost& p : t.engine->posts()) view[p.post().id] = &p;
            CHECK(view.size() == expected.size());
            for (const auto& entry : expected) {
                const std::string& id = entry.first;
                const Post& p = entry.second;
                CAPTURE(id);
                REQUIRE(view.count(id));
                CHECK(view[id]->state == LocalState::synced);
                Post at_rest = p;
                if (at_rest.hidden) at_rest.body.clear();
                CHECK(view[id]->post() == at_rest);
            }
        }
        w.server.faults_on = false;
        for (Actor& a : actors_) a.tabs.front()->engine->sync_now();
        REQUIRE(w.loop.run_until([&] { return all_settled(); }, 600'000));
        w.loop.advance(5'000);
        for (Actor& a : actors_) {
            CAPTURE(a.who.id);
            std::map<std::string, Post> view;
            for (const ShownPost& p : a.tabs.front()->engine->posts()) view[p.post().id] = p.post();
            for (const auto& entry : w.server_posts(a.who)) {
                const std::string& id = entry.first;
                const Post& p = entry.second;
                CAPTURE(id);
                CHECK(view[id] == p);
            }
        }
        MESSAGE(trace());
    }

    std::uint64_t seed_;
    int steps_;
    std::mt19937_64 rng_;
    std::string db_;
    std::unique_ptr<World> world_;
    std::vector<Actor> actors_;
    std::vector<Intent> intents_;
    std::map<std::string, int> refused_;   // outbox key -> status
    std::set<std::string> refused_creates_;   // posts whose create the server refused
    int texts_ = 0, reloads_ = 0, restarts_ = 0;
};

}  // namespace

TEST_CASE("convergence: random writes through a faulty network end in the server's state, each once") {
    const int steps = steps_from_env();
    for (std::uint64_t seed : seeds_from_env()) {
        CAPTURE(seed);
        Convergence(seed, steps).run();
    }
}

// A small world for sync tests: the real server logic (ApiRouter + SQLite) on a simulated clock,
// one browser's storage, locks and tabs, and switches to cut the network.
#pragma once

#include <memory>   // std::unique_ptr
#include <random>   // std::mt19937_64
#include <string>   // std::string
#include <vector>   // std::vector

#include "client_sim.hpp"
#include "router_http.hpp"
#include "grove/wire.hpp"

namespace grove::sim {

struct Person {
    std::string id, name;
    Role role = Role::learner;
};

class World {
public:
    explicit World(int writes_per_minute = 1000000, std::string db = ":memory:")
        : server(loop, std::move(db), writes_per_minute) {}

    Loop loop;
    RouterServer server;
    std::mt19937_64 rng{12345};
    bool api_down = false;   // every request fails as if the network were gone

    struct Browser {
        explicit Browser(Loop& loop) : storage(loop), locks(loop) {}
        MemoryStorage storage;
        Locks locks;
        Bus bus;
    };
    std::vector<std::unique_ptr<Browser>> browsers;

    Browser& browser() {
        browsers.push_back(std::make_unique<Browser>(loop));
        return *browsers.back();
    }

    SyncOptions options(const std::string& module = "m1") {
        SyncOptions o;
        o.api = RouterServer::kApi;
        o.module = module;
        return o;
    }

    // A tab of `b` signed in as `who` with tokens valid for token_ms.
    std::unique_ptr<Tab> tab(Browser& b, const Person& who, SyncOptions o, std::int64_t token_ms = 3600'000) {
        auto handler = [this](const HttpRequest& r) {
            if (api_down) return HttpResponse{0, {}, {}, "simulated: network unreachable"};
            return server.handler(rng)(r);
        };
        auto mint = [this, who, token_ms](bool) { return server.token(who.id, who.name, who.role, token_ms); };
        return std::make_unique<Tab>(loop, b.storage, b.locks, b.bus, handler, mint, std::move(o), rng());
    }

    // Everything the server holds for the module, as `who` sees it (not deleted), by id.
    std::map<std::string, Post> server_posts(const Person& who, const std::string& module = "m1") {
        std::map<std::string, Post> out;
        const std::string token = server.token(who.id, who.name, who.role, 3600'000);
        std::string cursor;
        for (;;) {
            HttpRequest r{"GET", std::string(RouterServer::kApi) + "/modules/" + module + "/posts?limit=1000" +
                                     (cursor.empty() ? "" : "&since=" + cursor),
                          {{"Authorization", "Bearer " + token}}, {}, 0};
            const HttpResponse a = server.handle(r);
            if (a.status != 200) throw std::runtime_error("feed answered " + std::to_string(a.status) + ": " + a.body);
            const Json j = Json::parse(a.body);
            for (const Json& item : j["posts"]) {
                Post p = post_from_json(item).value();
                if (!p.deleted) out[p.id] = p;
            }
            if (!j["has_more"].get<bool>()) break;
            cursor = j["cursor"].get<std::string>();
        }
        return out;
    }
};

}  // namespace grove::sim

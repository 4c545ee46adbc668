// kill -9 under concurrent writes of every kind, three times in a row on the same database.
// tests/server/http_concurrency_test.cpp kills the server once during creates and endorsements;
// this goes further: keep-alive clients (as browsers), replies, edits, deletes, flags and
// endorsement toggles, alternating sync modes, and after each crash a look inside the file
// itself: integrity, counters in step with the endorsement rows, and every acknowledged write in
// its acknowledged state (or, for the one write per client whose answer the crash swallowed, in
// one of the two states it could have).
#include <doctest/doctest.h>

#include <algorithm>   // std::find
#include <atomic>   // std::atomic
#include <map>      // std::map
#include <mutex>    // std::mutex
#include <random>   // std::mt19937
#include <set>      // std::set
#include <thread>   // std::thread

#include "hardening_support.hpp"

using namespace grove;
using namespace grove::test;

namespace {

constexpr int kClients = 6;

// What one client knows about its own writes.
struct ClientLog {
    std::string user;
    std::vector<std::string> created;                    // acknowledged creates (own posts)
    std::map<std::string, std::string> body;             // own post -> last acknowledged body
    std::map<std::string, std::vector<std::string>> maybe_body;   // own post -> unanswered edits
    std::set<std::string> deleted;                       // acknowledged deletes
    std::set<std::string> maybe_deleted;
    std::map<std::string, bool> endorsed;                // others' post -> acknowledged state
    std::set<std::string> maybe_endorsed;                // unanswered toggle
    std::set<std::string> maybe_created;
    int unexpected = 0;
    std::string first_unexpected;
};

struct SharedPosts {
    std::mutex mutex;
    std::vector<std::pair<std::string, std::string>> top_level;   // (post id, author)
    std::atomic<int> acknowledged{0};                              // writes answered 2xx, all rounds
};

// Enough clients flagged the post that it is hidden until a curator looks: edits, endorsements
// and replies to it are refused, a correct answer under this load.
bool hidden_by_flags(const httplib::Response& res) {
    return res.status == 403 && res.body.find("\"under_review\"") != std::string::npos;
}

void run_client(int port, int round, int index, ClientLog& log, SharedPosts& shared, const std::atomic<bool>& stop) {
    const std::string token = HttpApi::token(log.user, index % 3 == 0 ? Role::leader : Role::learner);
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    client.set_read_timeout(10, 0);
    const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
    std::mt19937 rng(static_cast<unsigned>(round * 100 + index));
    auto unexpected = [&](const std::string& what) {
        if (log.unexpected++ == 0) log.first_unexpected = what;
    };
    for (int i = 0; !stop; ++i) {
        const int op = static_cast<int>(rng() % 10);
        std::pair<std::string, std::string> other;
        {
            std::lock_guard lock(shared.mutex);
            if (!shared.top_level.empty()) other = shared.top_level[rng() % shared.top_level.size()];
        }
        const bool others = !other.first.empty() && other.second != log.user;
        std::vector<std::string> mine;
        for (const auto& id : log.created)
            if (!log.deleted.count(id) && !log.maybe_deleted.count(id)) mine.push_back(id);

        if (op <= 3 || (op >= 7 && mine.empty()) || ((op == 5 || op == 6) && !others)) {
            // Create a post; every third one is a reply to someone's top-level post.
            const std::string id = "r" + std::to_string(round) + "-" + log.user + "-" + std::to_string(i);
            Json body{{"id", id}, {"kind", "insight"}, {"body", "v0-" + id}};
            const bool reply = others && i % 3 == 0;
            if (reply) body["parent_id"] = other.first;
            auto res = client.Post("/api/v1/modules/crash/posts", auth, dump(body), "application/json");
            if (!res) {
                log.maybe_created.insert(id);
                return;
            }
            if (res->status == 201) {
                ++shared.acknowledged;
                log.created.push_back(id);
                log.body[id] = "v0-" + id;
                if (!reply) {
                    std::lock_guard lock(shared.mutex);
                    shared.top_level.emplace_back(id, log.user);
                }
            } else if (!(reply && (res->status == 422 || hidden_by_flags(*res)))) {
                // A reply's parent may have been deleted (422) or hidden by flags (403) meanwhile.
                unexpected("create " + std::to_string(res->status) + " " + res->body);
            }
        } else if (op == 4 && !mine.empty()) {
            const std::string& id = mine[rng() % mine.size()];
            const std::string text = "v" + std::to_string(i) + "-" + id;
            auto res = client.Patch(("/api/v1/posts/" + id).c_str(), auth, dump(Json{{"body", text}}), "application/json");
            if (!res) {
                log.maybe_body[id].push_back(text);
                return;
            }
            if (res->status == 200) log.body[id] = text, ++shared.acknowledged;
            else if (!hidden_by_flags(*res)) unexpected("edit " + std::to_string(res->status) + " " + res->body);
        } else if (op == 5 || op == 6) {
            // Toggle an endorsement of someone else's post.
            const std::string& id = other.first;
            const bool on = !log.endorsed[id];
            const std::string path = "/api/v1/posts/" + id + "/endorsement";
            auto res = on ? client.Put(path.c_str(), auth, "", "application/json") : client.Delete(path.c_str(), auth);
            if (!res) {
                log.maybe_endorsed.insert(id);
                return;
            }
            if (res->status == 200) log.endorsed[id] = on, ++shared.acknowledged;
            else if (res->status != 404 && !hidden_by_flags(*res))   // 404: deleted meanwhile
                unexpected("endorse " + std::to_string(res->status) + " " + res->body);
        } else if (op == 7 && others) {
            auto res = client.Post(("/api/v1/posts/" + other.first + "/flags").c_str(), auth, R"({"reason":"crash test"})",
                                   "application/json");
            if (!res) return;
            if (res->status != 202 && res->status != 404) unexpected("flag " + std::to_string(res->status) + " " + res->body);
        } else if (!mine.empty() && rng() % 3 == 0) {
            const std::string& id = mine[rng() % mine.size()];
            auto res = client.Delete(("/api/v1/posts/" + id).c_str(), auth);
            if (!res) {
                log.maybe_deleted.insert(id);
                return;
            }
            if (res->status == 200) log.deleted.insert(id), ++shared.acknowledged;
            else unexpected("delete " + std::to_string(res->status) + " " + res->body);
        }
    }
}

// After a crash: the file is sound and holds every acknowledged write.
void check_after_crash(const std::string& db, const std::vector<ClientLog>& logs) {
    const DatabaseAudit a = audit_database(db);
    CHECK(a.integrity == "ok");
    for (const std::string& p : a.problems) FAIL_CHECK(p);
    for (const ClientLog& log : logs) {
        CAPTURE(log.user);
        for (const std::string& id : log.created) {
            REQUIRE_MESSAGE(a.post_count.count(id) == 1, "lost acknowledged post " << id);
            if (log.deleted.count(id)) {
                CHECK_MESSAGE(a.deleted.at(id), "acknowledged delete lost: " << id);
                continue;
            }
            if (log.maybe_deleted.count(id) && a.deleted.at(id)) continue;
            CHECK_MESSAGE(!a.deleted.at(id), "deleted without being asked: " << id);
            const std::string& stored = a.body.at(id);
            const auto maybe = log.maybe_body.find(id);
            const bool ok = stored == log.body.at(id) ||
                            (maybe != log.maybe_body.end() &&
                             std::find(maybe->second.begin(), maybe->second.end(), stored) != maybe->second.end());
            CHECK_MESSAGE(ok, "post " << id << " has body '" << stored << "', acknowledged '" << log.body.at(id) << "'");
        }
        // Plain variables, not structured bindings, in *_MESSAGE: clang 14 cannot capture those in its lambda.
        for (const auto& entry : log.endorsed) {
            const std::string& id = entry.first;
            const bool on = entry.second;
            if (log.maybe_endorsed.count(id)) continue;
            const bool stored = a.endorsement.count({id, log.user}) > 0;
            CHECK_MESSAGE(stored == on, "endorsement of " << id << " by " << log.user << " is " << stored);
        }
    }
}

}  // namespace

TEST_CASE("crash faults: three kill -9 in a row under mixed keep-alive writes lose nothing acknowledged") {
    const std::string dir = make_temp_dir();
    const std::string db = dir + "/grove.db";
    std::vector<ClientLog> logs(kClients);
    for (int t = 0; t < kClients; ++t) logs[static_cast<std::size_t>(t)].user = "c" + std::to_string(t);
    SharedPosts shared;
    std::size_t acknowledged_before = 0;
    for (int round = 0; round < 3; ++round) {
        CAPTURE(round);
        HttpApi api(round == 1 ? std::vector<std::string>{"--sqlite-sync", "normal"} : std::vector<std::string>{}, db);
        std::atomic<bool> stop{false};
        std::vector<std::thread> threads;
        for (int t = 0; t < kClients; ++t)
            threads.emplace_back([&, t] {
                ClientLog& log = logs[static_cast<std::size_t>(t)];
                log.maybe_body.clear();   // a new round: earlier ambiguity was settled by the check
                log.maybe_deleted.clear();
                log.maybe_endorsed.clear();
                log.maybe_created.clear();
                run_client(api.port(), round, t, log, shared, stop);
            });
        // Crash once this round has written a good deal (more in each round, so the crashes come
        // at different points), however long that takes on a loaded machine.
        const int target = shared.acknowledged + 40 + 20 * round;
        for (const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
             shared.acknowledged < target && std::chrono::steady_clock::now() < until;)
            pause_ms(10);
        CHECK(shared.acknowledged >= target);
        api.server().kill_hard();
        stop = true;
        for (auto& th : threads) th.join();

        std::size_t acknowledged = 0;
        for (const ClientLog& log : logs) {
            CHECK_MESSAGE(log.unexpected == 0, log.user << ": " << log.first_unexpected);
            acknowledged += log.created.size();
        }
        CHECK(acknowledged > acknowledged_before);   // every round wrote something
        acknowledged_before = acknowledged;
        check_after_crash(db, logs);
        // Settle the ambiguous writes as the database has them, for the next round's checks.
        const DatabaseAudit a = audit_database(db);
        for (ClientLog& log : logs) {
            for (const auto& [id, bodies] : log.maybe_body)
                if (a.body.count(id)) log.body[id] = a.body.at(id);
            for (const std::string& id : log.maybe_deleted)
                if (a.deleted.count(id) && a.deleted.at(id)) log.deleted.insert(id);
            for (const std::string& id : log.maybe_endorsed) log.endorsed[id] = a.endorsement.count({id, log.user}) > 0;
            for (const std::string& id : log.maybe_created)
                if (a.post_count.count(id)) {
                    log.created.push_back(id);
                    log.body[id] = a.body.at(id);
                }
        }
    }
    // A server on the crashed file serves everything and takes writes.
    HttpApi again({}, db);
    std::size_t alive = 0;
    for (const ClientLog& log : logs)
        for (const std::string& id : log.created) alive += log.deleted.count(id) ? 0 : 1;
    CHECK(all_posts(again, "crash", HttpApi::token("auditor")).size() == alive);
    CHECK(again.call("POST", "/api/v1/modules/crash/posts", HttpApi::token("after"), create_json("after", "x")).status == 201);
    remove_temp_dir(dir);
}

// Group commit: with --sqlite-sync full, posts that arrive together share one COMMIT, and none
// may be answered before that COMMIT. 32 keep-alive clients post as fast as they can, and kill -9
// lands while groups are open, ten times on the same file; every post answered 201 must be there.
TEST_CASE("crash faults: kill -9 while 32 clients post loses no acknowledged post (group commit)") {
    constexpr int kPosters = 32;
    const std::string dir = make_temp_dir();
    const std::string db = dir + "/grove.db";
    std::vector<std::vector<std::string>> acked(kPosters);
    std::atomic<int> total{0};
    std::atomic<int> odd{0};
    for (int round = 0; round < 10; ++round) {
        HttpApi api({"--sqlite-sync", "full"}, db);
        std::atomic<bool> stop{false};
        std::vector<std::thread> threads;
        for (int t = 0; t < kPosters; ++t)
            threads.emplace_back([&, t, round] {
                httplib::Client client("127.0.0.1", api.port());
                client.set_keep_alive(true);
                client.set_read_timeout(10, 0);
                const httplib::Headers auth = {{"Authorization", "Bearer " + HttpApi::token("p" + std::to_string(t))}};
                for (int i = 0; !stop; ++i) {
                    const std::string id = "g" + std::to_string(round) + "-" + std::to_string(t) + "-" + std::to_string(i);
                    auto res = client.Post("/api/v1/modules/group/posts", auth,
                                           dump(Json{{"id", id}, {"kind", "insight"}, {"body", "grouped " + id}}),
                                           "application/json");
                    if (!res) return;   // the server is gone
                    if (res->status == 201) {
                        acked[static_cast<std::size_t>(t)].push_back(id);
                        ++total;
                    } else {
                        ++odd;
                    }
                }
            });
        const int target = total + 100;
        for (const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
             total < target && std::chrono::steady_clock::now() < until;)
            pause_ms(2);
        CHECK(total >= target);
        api.server().kill_hard();
        stop = true;
        for (auto& th : threads) th.join();
    }
    CHECK(odd == 0);
    const DatabaseAudit a = audit_database(db);
    CHECK(a.integrity == "ok");
    int lost = 0;
    std::string first_lost;
    for (const auto& ids : acked)
        for (const std::string& id : ids)
            if (a.post_count.count(id) != 1 && lost++ == 0) first_lost = id;
    CHECK_MESSAGE(lost == 0, lost << " acknowledged posts lost, e.g. " << first_lost);
    remove_temp_dir(dir);
}

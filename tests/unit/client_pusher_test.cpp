// The pusher on its own, against a host that records what it is asked and answers by hand: writes
// go oldest first and one at a time, a 429 stops the pushing until Retry-After is over, a refusal
// lets the next write go, and a failure ends the cycle with the host's retry policy.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "client_sim.hpp"
#include "grove/client/pusher.hpp"

using namespace grove;
using State = Pusher::State;

namespace {

OutboxEntry write(const std::string& key, WriteOp op = WriteOp::create) {
    OutboxEntry e;
    e.key = key;
    e.op = op;
    e.post_id = "p-" + key;
    return e;
}

struct Host final : PushHost {
    std::vector<OutboxEntry> outbox;                     // sendable, in queue order
    std::vector<OutboxEntry> sent;
    std::function<void(HttpResponse)> answer;            // the write that is out
    std::vector<std::string> log;
    bool readable = true;                                // take_answer: the API's answer

    void reload_outbox(std::function<void()> then) override {
        log.push_back("reload");
        then();
    }
    std::optional<OutboxEntry> next_write() override {
        if (outbox.empty()) return std::nullopt;
        return outbox.front();
    }
    void send_write(const OutboxEntry& e, std::function<void(HttpResponse)> done) override {
        REQUIRE_FALSE(answer);   // one in flight
        sent.push_back(e);
        answer = std::move(done);
    }
    bool take_answer(const OutboxEntry& e, const HttpResponse&) override {
        log.push_back("taken " + e.key);
        if (readable) outbox.erase(outbox.begin());
        return readable;
    }
    void refused(const OutboxEntry& e, const HttpResponse& r) override {
        log.push_back("refused " + e.key + " " + std::to_string(r.status));
        outbox.erase(outbox.begin());   // kept as refused: no longer sendable
    }
    std::int64_t retry_delay_ms(Answer why) override { return why == Answer::unauthorized ? 20'000 : 1'000; }
    void cycle_failed(std::int64_t retry_in_ms) override { log.push_back("failed " + std::to_string(retry_in_ms)); }
    void pushed() override { log.push_back("pushed"); }
    void retry_due() override { log.push_back("retry due"); }

    void reply(int status, std::optional<int> retry_after_s = std::nullopt) {
        REQUIRE(answer);
        auto done = std::move(answer);
        answer = nullptr;
        HttpResponse r;
        r.status = status;
        r.retry_after_s = retry_after_s;
        done(std::move(r));
    }
    bool logged(const std::string& what) const { return std::find(log.begin(), log.end(), what) != log.end(); }
};

struct Rig {
    sim::Loop loop;
    sim::Timers timers{loop};
    Host host;
    Pusher pusher{timers, host};
};

}  // namespace

TEST_CASE("pusher: sends the queue oldest first, one write at a time, then the host pulls") {
    Rig r;
    r.host.outbox = {write("a"), write("b"), write("c")};
    r.pusher.start();
    CHECK(r.pusher.state() == State::sending);
    REQUIRE(r.host.sent.size() == 1);
    CHECK(r.host.sent[0].key == "a");
    CHECK(r.host.sent[0].attempts == 1);   // counted before it goes
    r.host.reply(201);
    REQUIRE(r.host.sent.size() == 2);
    CHECK(r.host.sent[1].key == "b");
    r.host.reply(200);
    CHECK(r.host.sent.back().key == "c");
    CHECK_FALSE(r.host.logged("pushed"));   // not while a write is out
    r.host.reply(200);
    CHECK(r.host.sent.size() == 3);
    CHECK(r.host.log.back() == "pushed");
    CHECK(r.pusher.state() == State::idle);
}

TEST_CASE("pusher: an empty queue - the host pulls at once") {
    Rig r;
    r.pusher.start();
    CHECK(r.host.sent.empty());
    CHECK(r.host.log == std::vector<std::string>{"reload", "pushed"});
    CHECK(r.pusher.state() == State::idle);
}

TEST_CASE("pusher: a 429 waits for Retry-After - reads go on, writes wait, a cycle is asked for") {
    Rig r;
    r.host.outbox = {write("a"), write("b")};
    r.pusher.start();
    r.host.reply(429, 30);
    CHECK(r.pusher.state() == State::rate_limited);
    CHECK(r.pusher.retry_waiting());
    CHECK(r.host.log.back() == "pushed");   // the host pulls: reads are not limited
    r.host.log.clear();
    r.loop.advance(10'000);
    r.pusher.start();                        // a cycle within the wait sends nothing
    CHECK(r.host.sent.size() == 1);
    CHECK(r.host.log == std::vector<std::string>{"pushed"});
    r.loop.advance(19'999);
    CHECK_FALSE(r.host.logged("retry due"));
    r.loop.advance(1);
    CHECK(r.host.logged("retry due"));
    CHECK(r.pusher.state() == State::idle);
    CHECK_FALSE(r.pusher.retry_waiting());
    r.pusher.start();
    REQUIRE(r.host.sent.size() == 2);
    CHECK(r.host.sent[1].key == "a");   // the limited write goes again, first
    CHECK(r.host.sent[1].attempts == 1);
}

TEST_CASE("pusher: a 429 without Retry-After waits 5 s") {
    Rig r;
    r.host.outbox = {write("a")};
    r.pusher.start();
    r.host.reply(429);
    r.loop.advance(4'999);
    CHECK_FALSE(r.host.logged("retry due"));
    r.loop.advance(1);
    CHECK(r.host.logged("retry due"));
}

TEST_CASE("pusher: a failure ends the cycle by the host's retry policy, the write stays queued") {
    Rig r;
    r.host.outbox = {write("a"), write("b")};
    r.pusher.start();
    r.host.reply(0);   // no answer
    CHECK(r.host.log.back() == "failed 1000");
    CHECK(r.pusher.state() == State::idle);
    CHECK(r.host.outbox.size() == 2);
    r.pusher.start();
    r.host.reply(503);
    CHECK(r.host.log.back() == "failed 1000");
    r.pusher.start();
    r.host.reply(401);   // even a fresh token was refused
    CHECK(r.host.log.back() == "failed 20000");
    r.pusher.start();
    r.host.readable = false;   // a 2xx that is not the API's (a captive portal)
    r.host.reply(200);
    CHECK(r.host.log.back() == "failed 1000");
    CHECK(r.host.outbox.size() == 2);
    CHECK(r.host.sent.size() == 4);
    for (const OutboxEntry& e : r.host.sent) CHECK(e.key == "a");
    CHECK_FALSE(r.host.logged("pushed"));
}

TEST_CASE("pusher: a refusal is kept by the host and the next write goes") {
    Rig r;
    r.host.outbox = {write("a"), write("b")};
    r.pusher.start();
    r.host.reply(422);
    CHECK(r.host.logged("refused a 422"));
    REQUIRE(r.host.sent.size() == 2);
    CHECK(r.host.sent[1].key == "b");
    r.host.reply(201);
    CHECK(r.host.log.back() == "pushed");
}

TEST_CASE("pusher: deleting what is already gone (404) reached its goal") {
    CHECK(Pusher::classify(write("a", WriteOp::remove), 404) == Answer::ok);
    CHECK(Pusher::classify(write("a", WriteOp::resource_remove), 404) == Answer::ok);
    OutboxEntry unendorse = write("a", WriteOp::endorse);
    unendorse.value = false;
    CHECK(Pusher::classify(unendorse, 404) == Answer::ok);
    OutboxEntry endorse = unendorse;
    endorse.value = true;
    CHECK(Pusher::classify(endorse, 404) == Answer::permanent);
    CHECK(Pusher::classify(write("a", WriteOp::edit), 404) == Answer::permanent);

    Rig r;
    r.host.outbox = {write("a", WriteOp::remove)};
    r.pusher.start();
    r.host.reply(404);
    CHECK(r.host.logged("taken a"));
    CHECK(r.host.log.back() == "pushed");
}

TEST_CASE("pusher: abandoned while a write is out - idle, and the next cycle sends it again") {
    Rig r;
    r.host.outbox = {write("a")};
    r.pusher.start();
    r.pusher.abandon();
    CHECK(r.pusher.state() == State::idle);
    r.host.answer = nullptr;   // its answer never comes
    r.pusher.start();
    CHECK(r.host.sent.size() == 2);
}

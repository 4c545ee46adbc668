// The puller on its own, against a host that records what it is asked and answers by hand: it
// follows the feed from the cursor page by page, collects every page before a full replace, starts
// over once when the server forgets the cursor, and fails the cycle with the host's retry policy.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "grove/client/puller.hpp"
#include "grove/wire.hpp"

using namespace grove;
using State = Puller::State;

namespace {

Post post(const std::string& id, const std::string& module = "m1") {
    Post p;
    p.id = id;
    p.module = module;
    p.kind = Kind::insight;
    p.body = "Body of " + id;
    p.author = Author{"u-ann", "Ann", Role::learner};
    p.rev = 1;
    return p;
}

HttpResponse page(const std::vector<Post>& posts, const std::string& cursor, bool has_more) {
    HttpResponse r;
    r.status = 200;
    r.body = dump(feed_page_json(posts, cursor, has_more));
    return r;
}

struct Stored {
    std::vector<std::string> ids;
    std::string cursor;
    bool full = false, last = false;
};

struct Host final : PullHost {
    std::string module = "m1";
    Puller puller{module, *this};
    std::vector<std::optional<std::string>> asked;   // the `since` of each page asked for
    std::function<void(HttpResponse)> answer;
    std::vector<Stored> stored;
    std::vector<std::string> log;
    std::optional<std::string> cursor;               // the saved one
    bool owned = true;

    void fetch_page(const std::optional<std::string>& since, std::function<void(HttpResponse)> done) override {
        REQUIRE_FALSE(answer);   // one page at a time
        asked.push_back(since);
        answer = std::move(done);
    }
    void warn(const std::string& message) override { log.push_back("warn " + message); }
    void store_page(std::vector<Post> posts, const std::string& at, bool full, bool last) override {
        Stored s{{}, at, full, last};
        for (const Post& p : posts) s.ids.push_back(p.id);
        stored.push_back(std::move(s));
        cursor = at;
    }
    void cursor_refused() override {
        log.push_back("cursor refused");
        cursor.reset();
        puller.start(cursor, owned);
    }
    void feed_refused(const ApiError& e) override { log.push_back("refused " + e.code); }
    std::int64_t retry_delay_ms(Answer why) override { return why == Answer::unauthorized ? 20'000 : 1'000; }
    void cycle_failed(std::int64_t retry_in_ms) override { log.push_back("failed " + std::to_string(retry_in_ms)); }
    void pulled() override { log.push_back("pulled"); }

    void reply(HttpResponse r) {
        REQUIRE(answer);
        auto done = std::move(answer);
        answer = nullptr;
        done(std::move(r));
    }
    void reply(int status, const std::string& body = {}, std::optional<int> retry_after_s = std::nullopt) {
        HttpResponse r;
        r.status = status;
        r.body = body;
        r.retry_after_s = retry_after_s;
        reply(std::move(r));
    }
    void start() { puller.start(cursor, owned); }
};

}  // namespace

TEST_CASE("puller: follows the feed from the cursor, storing each page with its cursor") {
    Host h;
    h.cursor = "c0";
    h.start();
    CHECK(h.puller.state() == State::following);
    REQUIRE(h.asked.size() == 1);
    CHECK(h.asked[0] == std::optional<std::string>("c0"));
    h.reply(page({post("a"), post("b")}, "c1", true));
    REQUIRE(h.stored.size() == 1);   // stored at once, not held for the last page
    CHECK(h.stored[0].ids == std::vector<std::string>{"a", "b"});
    CHECK(h.stored[0].cursor == "c1");
    CHECK_FALSE(h.stored[0].full);
    CHECK_FALSE(h.stored[0].last);
    REQUIRE(h.asked.size() == 2);
    CHECK(h.asked[1] == std::optional<std::string>("c1"));
    h.reply(page({post("c")}, "c2", false));
    REQUIRE(h.stored.size() == 2);
    CHECK(h.stored[1].last);
    CHECK(h.log == std::vector<std::string>{"pulled"});
    CHECK(h.puller.state() == State::idle);
}

TEST_CASE("puller: without a cursor, another person's view, or asked to, it collects every page first") {
    for (int why = 0; why < 3; ++why) {
        Host h;
        h.cursor = "c0";
        if (why == 0) h.cursor.reset();
        if (why == 1) h.owned = false;
        if (why == 2) h.puller.want_full();
        h.start();
        CHECK(h.puller.state() == State::collecting);
        CHECK_FALSE(h.asked[0]);   // from the start
        h.reply(page({post("a")}, "c1", true));
        CHECK(h.stored.empty());   // nothing replaced until the last page
        CHECK(h.asked[1] == std::optional<std::string>("c1"));
        h.reply(page({post("b"), post("x", "m2")}, "c2", false));   // another module's is left out
        REQUIRE(h.stored.size() == 1);
        CHECK(h.stored[0].full);
        CHECK(h.stored[0].ids == std::vector<std::string>{"a", "b"});
        CHECK(h.stored[0].cursor == "c2");
        CHECK_FALSE(h.puller.full_wanted());
        CHECK(h.log.back() == "pulled");
        CHECK(h.puller.state() == State::idle);
    }
}

TEST_CASE("puller: a cursor the server forgot starts over once, collecting, a second refusal fails") {
    Host h;
    h.cursor = "old";
    h.start();
    const std::string refusal = R"({"error":{"code":"invalid_field","field":"since","message":"Unknown cursor."}})";
    h.reply(400, refusal);
    CHECK(h.puller.full_wanted());
    CHECK(std::find(h.log.begin(), h.log.end(), "cursor refused") != h.log.end());
    CHECK(h.puller.state() == State::collecting);
    CHECK_FALSE(h.asked.back());
    h.reply(400, refusal);   // again, before any page was taken: the person is told, the cycle fails
    CHECK(h.log.back() == "failed 1000");
    CHECK(h.log[h.log.size() - 2] == "refused invalid_field");
    CHECK(h.puller.state() == State::idle);
}

TEST_CASE("puller: failures end the cycle by the retry policy, 429 waits Retry-After") {
    Host h;
    h.cursor = "c0";
    h.start();
    h.reply(0);
    CHECK(h.log.back() == "failed 1000");
    h.start();
    h.reply(503);
    CHECK(h.log.back() == "failed 1000");
    h.start();
    h.reply(401);
    CHECK(h.log.back() == "failed 20000");
    h.start();
    h.reply(429, {}, 12);
    CHECK(h.log.back() == "failed 12000");
    h.start();
    h.reply(429);
    CHECK(h.log.back() == "failed 5000");
    h.start();
    h.reply(200, "<html>captive portal</html>");
    CHECK(h.log.back() == "failed 1000");
    CHECK(h.log[h.log.size() - 2].rfind("warn ", 0) == 0);
    CHECK(h.stored.empty());
    CHECK(h.puller.state() == State::idle);
}

TEST_CASE("puller: abandoned while collecting - what was collected goes, the next pull starts over") {
    Host h;
    h.start();   // no cursor: collecting
    h.reply(page({post("a")}, "c1", true));
    h.puller.abandon();
    CHECK(h.puller.state() == State::idle);
    h.answer = nullptr;   // its answer never comes
    h.start();
    CHECK_FALSE(h.asked.back());
    h.reply(page({post("b")}, "c2", false));
    REQUIRE(h.stored.size() == 1);
    CHECK(h.stored[0].ids == std::vector<std::string>{"b"});
}

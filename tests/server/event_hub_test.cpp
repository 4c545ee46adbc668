// EventHub in process: who hears of which commit, coalescing, and commits reaching the hub from
// the real service and SQLite engine (through ApiRouter). The streams over HTTP are in
// http_events_test.cpp.
#include <doctest/doctest.h>

#include <algorithm>            // std::sort
#include <chrono>               // std::chrono
#include <condition_variable>   // std::condition_variable
#include <map>                  // std::map
#include <mutex>                // std::mutex

#include "api_test_support.hpp"
#include "service/event_hub.hpp"

using namespace grove;
using namespace grove::test;

namespace {

std::string post_body(const std::string& id, const std::string& body, const char* kind = "insight") {
    return dump(Json{{"id", id}, {"kind", kind}, {"body", body}});
}

// A sink that records what it hears and lets a test wait for it.
class Recorder final : public EventSink {
public:
    void changed(const std::string& module, std::int64_t rev) override {
        std::lock_guard lock(mutex_);
        changes_[module].push_back(rev);
        cv_.notify_all();
    }
    void spotlight(std::int64_t rev) override {
        std::lock_guard lock(mutex_);
        spotlights_.push_back(rev);
        cv_.notify_all();
    }
    // Waits until `module` has been announced at `rev` or later; false after 2 s.
    bool wait_for(const std::string& module, std::int64_t rev) {
        std::unique_lock lock(mutex_);
        return cv_.wait_for(lock, std::chrono::seconds(2), [&] {
            const auto it = changes_.find(module);
            return it != changes_.end() && !it->second.empty() && it->second.back() >= rev;
        });
    }
    bool wait_for_spotlight(std::int64_t rev) {
        std::unique_lock lock(mutex_);
        return cv_.wait_for(lock, std::chrono::seconds(2),
                            [&] { return !spotlights_.empty() && spotlights_.back() >= rev; });
    }
    std::vector<std::int64_t> changes(const std::string& module) {
        std::lock_guard lock(mutex_);
        return changes_[module];
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::map<std::string, std::vector<std::int64_t>> changes_;
    std::vector<std::int64_t> spotlights_;
};

}  // namespace

TEST_CASE("event hub: streams hear of their modules only, spotlight changes reach every stream") {
    EventHub hub;
    auto a = std::make_shared<Recorder>(), ab = std::make_shared<Recorder>();
    auto sub_a = hub.subscribe({"a"}, a);
    auto sub_ab = hub.subscribe({"a", "b"}, ab);
    CHECK(hub.subscribers() == 2);
    hub.publish({{"b", 5, false}});
    REQUIRE(ab->wait_for("b", 5));
    hub.publish({{"a", 6, false}, {"c", 7, true}});
    REQUIRE(a->wait_for("a", 6));
    REQUIRE(a->wait_for_spotlight(7));
    REQUIRE(ab->wait_for_spotlight(7));
    CHECK(a->changes("b").empty());
    CHECK(a->changes("c").empty());
    // Announced revs are not announced again (the same write from a second source, a re-check).
    hub.publish({{"b", 5, false}, {"b", 4, false}});
    hub.publish({{"b", 8, false}});
    REQUIRE(ab->wait_for("b", 8));
    CHECK(ab->changes("b") == std::vector<std::int64_t>{5, 8});
    auto followed = hub.followed();
    std::sort(followed.begin(), followed.end());
    CHECK(followed == std::vector<std::pair<std::string, std::int64_t>>{{"a", 6}, {"b", 8}});
    sub_a.reset();
    CHECK(hub.subscribers() == 1);
    hub.publish({{"a", 9, false}});
    REQUIRE(ab->wait_for("a", 9));
    CHECK(a->changes("a") == std::vector<std::int64_t>{6});
}

TEST_CASE("event hub: a burst of commits is announced as fewer events, ending with the last rev") {
    EventHub hub;
    auto r = std::make_shared<Recorder>();
    auto sub = hub.subscribe({"m"}, r);
    for (int rev = 1; rev <= 2000; ++rev) hub.publish({{"m", rev, false}});
    REQUIRE(r->wait_for("m", 2000));
    const auto heard = r->changes("m");
    CHECK(heard.size() < 2000);
    for (std::size_t i = 1; i < heard.size(); ++i) CHECK(heard[i] > heard[i - 1]);
    MESSAGE("2000 commits announced as " << heard.size() << " events");
}

TEST_CASE("event hub: a stream that went away is skipped, and nothing is kept for modules nobody follows") {
    EventHub hub;
    auto gone = std::make_shared<Recorder>();
    auto sub = hub.subscribe({"m"}, gone);
    gone.reset();   // the connection closed without unsubscribing yet
    hub.publish({{"m", 1, true}});
    auto later = std::make_shared<Recorder>();
    auto sub2 = hub.subscribe({"n"}, later);
    hub.publish({{"n", 2, false}});
    CHECK(later->wait_for("n", 2));
    sub.reset();
    sub2.reset();
    CHECK(hub.subscribers() == 0);
}

TEST_CASE("event hub: commits through ApiRouter reach it - every write kind, once committed, with its rev") {
    InProcessApi t;
    auto r = std::make_shared<Recorder>();
    auto sub = t.api->events().subscribe({"m"}, r);
    const std::string ann = t.token("ann"), bob = t.token("bob"), lea = t.token("lea", Role::leader);
    auto rev_of = [](const ApiResponse& res) { return body_of(res)["rev"].get<std::int64_t>(); };
    const auto created = t.call("POST", "/api/v1/modules/m/posts", ann, post_body("p", "first"));
    REQUIRE(r->wait_for("m", rev_of(created)));
    REQUIRE(t.call("PUT", "/api/v1/posts/p/endorsement", bob).status == 200);
    const std::int64_t endorsed = body_of(t.call("GET", "/api/v1/posts/p", ann))["rev"].get<std::int64_t>();
    REQUIRE(r->wait_for("m", endorsed));
    const auto edited = t.call("PATCH", "/api/v1/posts/p", ann, R"({"body":"second"})");
    REQUIRE(r->wait_for("m", rev_of(edited)));
    const auto deleted = t.call("DELETE", "/api/v1/posts/p", ann);
    REQUIRE(r->wait_for("m", rev_of(deleted)));
    // Refused writes commit nothing, and so announce nothing.
    const std::size_t heard = r->changes("m").size();
    CHECK(t.call("PATCH", "/api/v1/posts/p", bob, R"({"body":"not mine"})").status == 404);
    CHECK(t.call("POST", "/api/v1/modules/other/posts", lea, post_body("l", "news", "leader_learning")).status == 201);
    REQUIRE(r->wait_for_spotlight(1));
    CHECK(r->changes("m").size() == heard);
    CHECK(r->changes("other").empty());
}

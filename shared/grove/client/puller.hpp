// Puller: follows the changes feed (api.md "Sync: the changes feed") during a sync cycle. From the
// saved cursor it takes page after page while has_more is true, and the host stores each one with
// its cursor in one transaction, so the cache never claims a cursor whose posts it lacks. Without
// a usable cursor or view (first visit, another person's cache, an unreadable cache, a cursor the
// server forgot) it collects every page first, and the host then replaces the snapshot at once.
// What a page changes and how it is stored is the host's, the sync engine (PullHost).
//
// The states are explicit:
//   idle        no pull runs
//   following   pages since the cursor are asked for and stored one by one
//   collecting  every post is asked for; the pages are kept until the last one
// A pull ends in host.pulled() (the feed is followed to its end) or host.cycle_failed() with the
// host's retry policy (429 waits Retry-After). A cursor the server refuses restarts the pull once,
// collecting (host.cursor_refused()).
#pragma once

#include <cstdint>      // std::int64_t
#include <functional>   // std::function
#include <optional>     // std::optional
#include <string>       // std::string
#include <vector>       // std::vector

#include "grove/client/cycle_scheduler.hpp"   // CycleHost
#include "grove/client/ports.hpp"             // HttpResponse
#include "grove/errors.hpp"                   // ApiError
#include "grove/post.hpp"                     // Post

namespace grove {

class PullHost : public CycleHost {
public:
    // Asks the feed for the page after `since` (nothing: from the start).
    virtual void fetch_page(const std::optional<std::string>& since, std::function<void(HttpResponse)> done) = 0;
    virtual void warn(const std::string& message) = 0;
    // Stores a page with its cursor. `full`: every post of the feed, collected (it replaces the
    // snapshot); otherwise one page of changes. `last`: the feed has no more after it.
    virtual void store_page(std::vector<Post> posts, const std::string& cursor, bool full, bool last) = 0;
    // The server did not accept the saved cursor: the host forgets it and starts the pull again.
    virtual void cursor_refused() = 0;
    // The feed refused the request (a 4xx): the person is told; the cycle then fails.
    virtual void feed_refused(const ApiError& error) = 0;
    // The feed was followed to its end.
    virtual void pulled() = 0;
};

class Puller {
public:
    enum class State { idle, following, collecting };

    Puller(const std::string& module, PullHost& host) : module_(module), host_(host) {}
    Puller(const Puller&) = delete;
    Puller& operator=(const Puller&) = delete;

    // The pull phase of a cycle, from the saved `cursor`; `owned`: the cached view is the signed-in
    // person's. Without either, or when a full pull is wanted, it collects every post.
    void start(const std::optional<std::string>& cursor, bool owned);
    // The next pull fetches every post (the cached view cannot be followed from its cursor).
    void want_full() { full_wanted_ = true; }
    bool full_wanted() const { return full_wanted_; }
    // The cycle was dropped (the person changed while a page was out): what was collected goes.
    void abandon();

    State state() const { return state_; }

private:
    void next_page();
    void answered(HttpResponse response);
    void fail(std::int64_t retry_in_ms);

    const std::string& module_;
    PullHost& host_;
    State state_ = State::idle;
    bool full_wanted_ = false;
    std::vector<Post> collected_;        // collecting: the pages so far
    std::optional<std::string> cursor_;  // where the next page starts
    int cursor_restarts_ = 0;            // refused cursors since the last page taken
};

}  // namespace grove

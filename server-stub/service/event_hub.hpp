// EventHub: which modules changed, told to the open event streams (GET /api/v1/events).
//
// Sources publish committed changes: today the storage engine's commit observer (writes of this
// process, wired in api/api_router.cpp); a feed of other instances' writes (PostgreSQL
// LISTEN/NOTIFY, with a periodic re-check) can publish into the same hub. publish() only records
// the highest rev per module and wakes the hub's one thread, so a burst of writes into a module
// becomes one announcement per stream, and announcements of a rev already announced (the same
// write seen by two sources, a re-check) are dropped. The thread hands each stream subscribed
// to a module (every stream, for spotlight changes) its announcements through EventSink, which
// must return at once; streams coalesce again while their own writes are in flight.
// Events are hints (clients then pull the changes feed), so nothing is kept for modules nobody
// listens to, and nothing is replayed. Dropping a rev at or below the one announced assumes revs
// of a module become visible in rev order (true of SQLite's single writer); a source whose revs
// can commit out of order must publish the rev up to which a pull sees everything.
#pragma once

#include <condition_variable>   // std::condition_variable
#include <cstdint>              // std::int64_t
#include <map>                  // std::map
#include <memory>               // std::shared_ptr, std::weak_ptr, std::unique_ptr
#include <mutex>                // std::mutex
#include <set>                  // std::set
#include <string>               // std::string
#include <thread>               // std::thread
#include <unordered_map>        // std::unordered_map
#include <utility>              // std::pair
#include <vector>               // std::vector

namespace grove {

// One committed change to a post.
struct ChangeNotice {
    std::string module;
    std::int64_t rev = 0;
    bool spotlight = false;   // a leader_learning post: every stream hears of it
};

// An event stream's end of the hub. Both calls come from the hub's thread.
class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void changed(const std::string& module, std::int64_t rev) = 0;
    virtual void spotlight(std::int64_t rev) = 0;
};

class EventHub {
public:
    EventHub();
    ~EventHub();
    EventHub(const EventHub&) = delete;
    EventHub& operator=(const EventHub&) = delete;

    // From any thread, after the changes are committed.
    void publish(const std::vector<ChangeNotice>& changes);

    // Unsubscribes when destroyed; the sink is held weakly.
    class Subscription {
    public:
        ~Subscription();
        Subscription(const Subscription&) = delete;
        Subscription& operator=(const Subscription&) = delete;

    private:
        friend class EventHub;
        Subscription(EventHub& hub, std::uint64_t id) : hub_(hub), id_(id) {}
        EventHub& hub_;
        std::uint64_t id_;
    };
    // modules: 1..20 distinct valid module keys (the route checks them).
    std::unique_ptr<Subscription> subscribe(const std::vector<std::string>& modules, std::weak_ptr<EventSink> sink);

    std::size_t subscribers() const;
    // The modules someone follows, with the highest rev announced for each: what a periodic
    // re-check of another source (a lost notification) needs to look at.
    std::vector<std::pair<std::string, std::int64_t>> followed() const;

private:
    struct Listener {
        std::vector<std::string> modules;
        std::weak_ptr<EventSink> sink;
    };
    struct Topic {
        std::set<std::uint64_t> listeners;
        std::int64_t announced = 0;   // the highest rev announced for this module
    };
    void unsubscribe(std::uint64_t id);
    void run();

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::map<std::string, std::int64_t> pending_;   // module -> highest rev not yet announced
    std::int64_t pending_spotlight_ = 0;
    std::int64_t announced_spotlight_ = 0;
    std::uint64_t next_id_ = 1;
    std::unordered_map<std::uint64_t, Listener> listeners_;
    std::unordered_map<std::string, Topic> topics_;
    std::thread thread_;
};

}  // namespace grove

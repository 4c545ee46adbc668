#include "service/event_hub.hpp"

#include <utility>   // std::move

namespace grove {

EventHub::EventHub() : thread_([this] { run(); }) {}

EventHub::~EventHub() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

EventHub::Subscription::~Subscription() { hub_.unsubscribe(id_); }

std::unique_ptr<EventHub::Subscription> EventHub::subscribe(const std::vector<std::string>& modules,
                                                            std::weak_ptr<EventSink> sink) {
    std::lock_guard lock(mutex_);
    const std::uint64_t id = next_id_++;
    for (const std::string& m : modules) topics_[m].listeners.insert(id);
    listeners_.emplace(id, Listener{modules, std::move(sink)});
    return std::unique_ptr<Subscription>(new Subscription(*this, id));
}

void EventHub::unsubscribe(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    const auto it = listeners_.find(id);
    if (it == listeners_.end()) return;
    for (const std::string& m : it->second.modules) {
        const auto topic = topics_.find(m);
        if (topic == topics_.end()) continue;
        topic->second.listeners.erase(id);
        if (topic->second.listeners.empty()) topics_.erase(topic);   // nobody left to tell
    }
    listeners_.erase(it);
}

std::size_t EventHub::subscribers() const {
    std::lock_guard lock(mutex_);
    return listeners_.size();
}

std::vector<std::pair<std::string, std::int64_t>> EventHub::followed() const {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<std::string, std::int64_t>> out;
    out.reserve(topics_.size());
    for (const auto& [module, topic] : topics_) out.emplace_back(module, topic.announced);
    return out;
}

void EventHub::publish(const std::vector<ChangeNotice>& changes) {
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        for (const ChangeNotice& c : changes) {
            if (c.spotlight && c.rev > announced_spotlight_ && c.rev > pending_spotlight_ && !listeners_.empty()) {
                pending_spotlight_ = c.rev;
                wake = true;
            }
            const auto topic = topics_.find(c.module);
            if (topic == topics_.end() || c.rev <= topic->second.announced) continue;
            std::int64_t& pending = pending_[c.module];
            if (c.rev > pending) {
                pending = c.rev;
                wake = true;
            }
        }
    }
    if (wake) wake_.notify_one();
}

void EventHub::run() {
    struct Delivery {
        std::shared_ptr<EventSink> sink;
        const std::string* module;   // into `announced` below; null: a spotlight change
        std::int64_t rev;
    };
    std::map<std::string, std::int64_t> announced;
    std::vector<Delivery> deliveries;
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !pending_.empty() || pending_spotlight_ > announced_spotlight_; });
        if (stopping_) return;
        announced.clear();
        announced.swap(pending_);
        const std::int64_t spotlight = pending_spotlight_ > announced_spotlight_ ? pending_spotlight_ : 0;
        announced_spotlight_ = pending_spotlight_;
        deliveries.clear();
        for (const auto& [module, rev] : announced) {
            const auto topic = topics_.find(module);
            if (topic == topics_.end() || rev <= topic->second.announced) continue;
            topic->second.announced = rev;
            for (const std::uint64_t id : topic->second.listeners) {
                const auto listener = listeners_.find(id);
                if (listener == listeners_.end()) continue;
                if (auto sink = listener->second.sink.lock()) deliveries.push_back({std::move(sink), &module, rev});
            }
        }
        if (spotlight > 0)
            for (auto& [id, listener] : listeners_)
                if (auto sink = listener.sink.lock()) deliveries.push_back({std::move(sink), nullptr, spotlight});
        // Streams are told outside the lock, so they may come and go meanwhile.
        lock.unlock();
        for (Delivery& d : deliveries) {
            if (d.module) d.sink->changed(*d.module, d.rev);
            else d.sink->spotlight(d.rev);
        }
        deliveries.clear();   // the last references to closed streams go here, unlocked
        lock.lock();
    }
}

}  // namespace grove

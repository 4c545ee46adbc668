// CPU cost of opening a module with 10,000 cached posts, natively and step by step, next to an
// empty module in the same run (interleaved rounds, medians). It follows what the browser does
// between reading the cache and grove:ready (bench/sync_cache.mjs measures that end to end):
//   take in      the engine gets the stored module (the packed copy) and decodes and stores it
//   first frame  the widget's first frame: the view (snapshot + queued writes), the ordered
//                thread, row heights, layout and draw lists (headless ImGui, no GPU)
// Natively this is several times faster than the browser's first, unoptimized wasm code, but
// the proportions hold, so it shows which step to work on and what a change gained.
//
//   build/native/bench/grove_startup_bench [rounds] [posts]
#include <algorithm>   // std::sort
#include <chrono>      // std::chrono::steady_clock
#include <cstdio>      // std::printf
#include <cstdlib>     // std::atoi
#include <memory>      // std::unique_ptr
#include <new>         // operator new, counted below
#include <string>
#include <vector>

#include "client_sim.hpp"
#include "grove/wire.hpp"   // to_json, dump
#include "ui_headless.hpp"

using namespace grove;
using namespace grove::sim;
using grove::testing::HeadlessWidget;
using grove::testing::test_config;

// Every allocation of the process, counted: in the browser the allocator is a large share of
// these steps (emmalloc in V8's baseline tier), so their number is the figure to bring down.
static std::size_t g_allocations = 0;

void* operator new(std::size_t n) {
    ++g_allocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

const char* const kModule = "fire-safety-101";

double ms_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// The posts bench/lib/seed.mjs makes: 20 people, a reply to every fifth, 120-360 characters.
std::string feed_page(int n) {
    static const char* const words[] = {"extinguisher", "exit", "alarm", "drill", "label", "class", "smoke",
                                        "door", "stairs", "assembly", "point", "warden", "check", "weekly"};
    Json list = Json::array();
    std::vector<std::string> parents;
    for (int i = 0; i < n; ++i) {
        std::string body = "Reflection " + std::to_string(i) + ":";
        while (body.size() < static_cast<std::size_t>(120 + (i % 7) * 40))
            body += std::string(" ") + words[(i * 7 + body.size()) % 14];
        Post p;
        p.id = "bench-" + std::to_string(i);
        p.module = kModule;
        if (i % 5 == 4 && !parents.empty()) p.parent_id = parents[static_cast<std::size_t>(i) % parents.size()];
        p.body = body;
        p.author.id = "bench-" + std::to_string(i % 20);
        p.author.name = "Bench Person " + std::to_string(i % 20);
        p.created_at_ms = 1'794'000'000'000 + i * 1000LL;
        p.rev = i + 1;
        if (!p.parent_id) parents.push_back(p.id);
        list.push_back(to_json(p));
    }
    return dump(Json{{"posts", std::move(list)}, {"cursor", "c1"}, {"has_more", false}});
}

struct World {
    Loop loop;
    MemoryStorage storage{loop};
    Locks locks{loop};
    Bus bus;
};

SyncOptions options() {
    SyncOptions o;
    o.api = "http://grove.test/api/v1";
    o.module = kModule;
    return o;
}

std::string token(bool) { return unsigned_token("bench-reader", "Reader", "learner", 1'900'000'000); }

// A first visit that pulls `n` posts, so the storage holds what the widget itself writes.
void fill(World& w, int n) {
    const std::string page = feed_page(n);
    Tab tab(w.loop, w.storage, w.locks, w.bus, [&](const HttpRequest& r) {
        if (r.url.find("/posts") != std::string::npos) return HttpResponse{200, page, std::nullopt, {}};
        return HttpResponse{404, "{}", std::nullopt, {}};
    }, token, options(), 1);
    w.loop.run_until([&] { return tab.engine->posts().size() >= static_cast<std::size_t>(n) && w.storage.writes > 0; },
                     60'000);
    w.loop.advance(5'000);
}

struct Timing {
    double take_in = 0, first_frame = 0;
    std::size_t posts = 0, take_in_allocations = 0, first_frame_allocations = 0;
};

// A page load with the API unreachable: only the cache counts.
Timing open(World& w) {
    const WidgetConfig config = test_config("What is one thing you will do differently this week?");
    Timing t;
    std::size_t allocations = g_allocations;
    auto start = std::chrono::steady_clock::now();
    Tab tab(w.loop, w.storage, w.locks, w.bus, [](const HttpRequest&) { return HttpResponse{0, "", std::nullopt, "offline"}; }, token,
            options(), 2);
    w.loop.run_until([&] { return tab.engine->status().loaded; }, 1'000);
    t.take_in = ms_since(start);
    t.take_in_allocations = g_allocations - allocations;
    allocations = g_allocations;
    start = std::chrono::steady_clock::now();
    HeadlessWidget widget(config, tab.engine.get(), 640, 900);
    widget.frame();
    t.first_frame = ms_since(start);
    t.first_frame_allocations = g_allocations - allocations;
    t.posts = tab.engine->posts().size();
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 9;
    const int posts = argc > 2 ? std::atoi(argv[2]) : 10'000;
    World empty, full;
    fill(full, posts);
    std::vector<double> take_empty, take_full, frame_empty, frame_full;
    Timing last_empty, last_full;
    for (int r = 0; r < rounds; ++r) {
        const Timing a = open(full);
        const Timing b = open(empty);
        if (a.posts != static_cast<std::size_t>(posts) || b.posts != 0) {
            std::printf("expected %d and 0 posts, opened %zu and %zu\n", posts, a.posts, b.posts);
            return 1;
        }
        last_full = a;
        last_empty = b;
        take_full.push_back(a.take_in);
        frame_full.push_back(a.first_frame);
        take_empty.push_back(b.take_in);
        frame_empty.push_back(b.first_frame);
    }
    std::printf("opening a module, medians of %d rounds (ms)   empty    %d cached\n", rounds, posts);
    std::printf("  take in (read, decode, store)           %7.2f  %7.2f\n", median(take_empty), median(take_full));
    std::printf("  first frame (view, thread, draw)        %7.2f  %7.2f\n", median(frame_empty), median(frame_full));
    std::printf("  total                                   %7.2f  %7.2f\n", median(take_empty) + median(frame_empty),
                median(take_full) + median(frame_full));
    std::printf("allocations (operator new)                  empty    %d cached\n", posts);
    std::printf("  take in                                 %7zu  %7zu\n", last_empty.take_in_allocations,
                last_full.take_in_allocations);
    std::printf("  first frame                             %7zu  %7zu\n", last_empty.first_frame_allocations,
                last_full.first_frame_allocations);
    return 0;
}

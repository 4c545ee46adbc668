// Frame CPU time of the widget UI with 100, 1,000 and 10,000 posts, measured side by side in one
// run (interleaved rounds, per-frame thread CPU time, medians) so a noisy shared machine affects
// both alike. Headless: ImGui builds the frame (layout, text, draw lists) without a GPU, which is
// the CPU part of a browser frame. Target: a 10,000-post frame at most 1.5x a 100-post frame.
// With the accessible HTML view on (as in the browser), the same frames also record the view and
// diff it against the last one: its cost (view on / off), the nodes it holds with 10,000 posts
// (a window of the thread, not every post) and the bytes of changes a frame sends the page.
//
//   build/native/bench/grove_ui_frame_bench [frames-per-round] [rounds]
#include <time.h>   // clock_gettime

#include <algorithm>   // std::sort
#include <cstdio>      // std::printf
#include <cstdlib>     // std::atoi
#include <memory>      // std::unique_ptr
#include <string>
#include <vector>

#include "ui_headless.hpp"
#include "ui_memory_discussion.hpp"

using namespace grove;
using namespace grove::testing;

namespace {

double thread_cpu_us() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

struct Case {
    int posts;
    bool view = false;
    std::vector<double> ops_bytes;
    MemoryDiscussion d;
    std::unique_ptr<HeadlessWidget> w;
    double open_ms = 0;
    std::vector<double> steady, scrolling, rebuild;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}
double p95(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[static_cast<std::size_t>(static_cast<double>(v.size() - 1) * 0.95)];
}

}  // namespace

int main(int argc, char** argv) {
    const int frames = argc > 1 ? std::atoi(argv[1]) : 200;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
    const WidgetConfig config = test_config("What is one thing you will do differently this week?");

    Case cases[5];
    cases[0].posts = 100;
    cases[1].posts = 1'000;
    cases[2].posts = 10'000;
    cases[3].posts = 100;
    cases[3].view = true;
    cases[4].posts = 10'000;
    cases[4].view = true;
    for (Case& c : cases) {
        c.d.fill_sample(c.posts);
        c.w = std::make_unique<HeadlessWidget>(config, &c.d, 640, 640);
        c.w->app().set_capture_text(false);
        c.w->app().set_view(c.view);
        const double t0 = thread_cpu_us();
        c.w->settle();   // first frames: thread built, visible rows measured
        c.open_ms = (thread_cpu_us() - t0) / 1000.0;
    }
    for (int r = 0; r < rounds; ++r) {
        for (Case& c : cases) {
            HeadlessWidget& w = *c.w;
            ImGui::SetCurrentContext(w.context());
            ImGuiIO& io = ImGui::GetIO();
            // Steady: the pointer moves over the thread (hover changes), nothing else does.
            for (int i = 0; i < frames; ++i) {
                io.MousePos = ImVec2(100.0f + static_cast<float>(i % 200), 400.0f);
                const double t0 = thread_cpu_us();
                w.frame();
                c.steady.push_back(thread_cpu_us() - t0);
            }
            // A frame that rebuilds the thread (what new data or a new order costs): Top <-> Newest.
            for (int i = 0; i < 4; ++i) {
                ThreadState& st = w.app().thread_state();
                st.order = st.order == ThreadOrder::top ? ThreadOrder::newest : ThreadOrder::top;
                const double t0 = thread_cpu_us();
                w.frame();
                c.rebuild.push_back(thread_cpu_us() - t0);
            }
            // Scrolling: 40 px a frame down, then back up, new rows measured as they come.
            for (int i = 0; i < frames; ++i) {
                w.app().wheel(i < frames / 2 ? 40.0f : -40.0f);
                const double t0 = thread_cpu_us();
                w.frame();
                c.scrolling.push_back(thread_cpu_us() - t0);
                c.ops_bytes.push_back(static_cast<double>(w.app().output().view_ops.size()));
            }
        }
    }
    std::printf("grove widget frame CPU time (headless ImGui, 640x640 CSS px, %d rounds x %d frames)\n", rounds, frames);
    std::printf("%-8s %-5s %7s %10s %12s %16s %12s %13s %7s %10s %9s\n", "posts", "view", "rows", "open (ms)",
                "steady (us)", "steady p95 (us)", "scroll (us)", "rebuild (ms)", "drawn", "view nodes", "view li");
    for (Case& c : cases) {
        std::size_t items = 0;
        for (const SemNode& n : c.w->app().view().nodes()) items += n.tag == "li";
        std::printf("%-8d %-5s %7zu %10.1f %12.0f %16.0f %12.0f %13.2f %7zu %10zu %9zu\n", c.posts, c.view ? "on" : "off",
                    c.w->thread().row_count(), c.open_ms, median(c.steady), p95(c.steady), median(c.scrolling),
                    median(c.rebuild) / 1000.0, c.w->thread().rows_drawn(), c.w->app().view().size(), items);
    }
    for (const Case* c : {&cases[1], &cases[2], &cases[4]}) {
        const Case& small = c->view ? cases[3] : cases[0];   // like with like
        const double steady_ratio = median(c->steady) / median(small.steady);
        const double scroll_ratio = median(c->scrolling) / median(small.scrolling);
        std::printf("ratio %d%s / 100: steady %.2fx, scrolling %.2fx (target <= 1.5x): %s\n", c->posts,
                    c->view ? " with the view" : "", steady_ratio, scroll_ratio,
                    steady_ratio <= 1.5 && scroll_ratio <= 1.5 ? "met" : "NOT met");
    }
    for (const Case* c : {&cases[3], &cases[4]}) {
        const Case& off = c->posts == 100 ? cases[0] : cases[2];
        std::printf("view on / off, %d posts: steady %.2fx, scrolling %.2fx, rebuild %.2fx; changes sent per scrolling "
                    "frame: median %.0f bytes, p95 %.0f bytes\n",
                    c->posts, median(c->steady) / median(off.steady), median(c->scrolling) / median(off.scrolling),
                    median(c->rebuild) / median(off.rebuild), median(c->ops_bytes), p95(c->ops_bytes));
    }
    std::printf("(open: first frames incl. building the font atlas; rebuild: one frame after the order or the data "
                "changed, sorting every post)\n");
    return 0;
}

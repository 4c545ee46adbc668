// Who is signed in, with an opaque token (no claims the widget can read): GET /me is asked once per
// token, again after it failed, and again for a new token; with a token that has claims, never.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "sync_world.hpp"

using namespace grove;
using namespace grove::sim;

namespace {

struct OpaqueRig {
    World w;
    World::Browser& browser = w.browser();
    std::string token;
    bool me_answers = false;
    std::unique_ptr<Tab> tab;
    explicit OpaqueRig(std::string first_token = "opaque-1") : token(std::move(first_token)) {
        auto handler = [this](const HttpRequest& r) {
            const bool me = r.url.size() >= 3 && r.url.compare(r.url.size() - 3, 3, "/me") == 0;
            if (me && me_answers) return HttpResponse{200, R"({"id":"u-ann","name":"Ann","role":"learner"})", {}, {}};
            return HttpResponse{0, {}, {}, "simulated: network unreachable"};
        };
        tab = std::make_unique<Tab>(w.loop, browser.storage, browser.locks, browser.bus, handler,
                                    [this](bool) { return token; }, w.options(), 7);
    }
    int me_asked() const {
        return static_cast<int>(std::count_if(tab->http.requests.begin(), tab->http.requests.end(), [](const HttpRequest& r) {
            return r.url.size() >= 3 && r.url.compare(r.url.size() - 3, 3, "/me") == 0;
        }));
    }
};

}  // namespace

TEST_CASE_FIXTURE(OpaqueRig, "who: an opaque token - GET /me is asked, again after a failure, once after an answer") {
    w.loop.advance(100);
    CHECK(me_asked() == 1);
    CHECK_FALSE(tab->engine->me().known);
    tab->engine->sync_now();   // the failed /me is asked again
    w.loop.advance(100);
    CHECK(me_asked() == 2);

    me_answers = true;
    tab->engine->sync_now();
    w.loop.advance(100);
    CHECK(me_asked() == 3);
    CHECK(tab->engine->me().id == "u-ann");
    for (int i = 0; i < 3; ++i) {   // answered: not asked again for the same token
        tab->engine->sync_now();
        w.loop.advance(100);
    }
    CHECK(me_asked() == 3);
}

TEST_CASE("who: a token with claims is never asked about - the opaque one that replaces it is") {
    std::unique_ptr<OpaqueRig> rig;
    {
        World probe;   // the simulated clock's start, for a token that expires a minute after it
        const std::int64_t exp_s = probe.loop.now() / 1000 + 60;
        rig = std::make_unique<OpaqueRig>(unsigned_token("u-bob", "Bob", "learner", exp_s));
    }
    OpaqueRig& r = *rig;
    r.me_answers = true;
    r.w.loop.advance(100);
    CHECK(r.tab->engine->me().id == "u-bob");
    CHECK(r.me_asked() == 0);

    r.token = "opaque-2";       // the page's next token, asked for as the first one expires
    r.w.loop.advance(40'000);
    r.tab->engine->sync_now();
    r.w.loop.advance(100);
    CHECK(r.me_asked() == 1);
    CHECK(r.tab->engine->me().id == "u-ann");
}

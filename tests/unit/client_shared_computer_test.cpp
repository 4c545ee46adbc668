// Shared computers: several people using Grove one after another in one browser profile (one
// storage), against the real server logic in process. One person's draft, queued writes and view
// never reach another's screen or name; nothing is taken for nobody; a curator's hidden text is
// never at rest; a cache written by the first release opens without attributing anything to anyone.
// The server's stored data (who wrote each post) and the storage's records are what is checked.
#include <doctest/doctest.h>

#include <algorithm>

#include "sync_world.hpp"
#include "grove/client/cache_format.hpp"

using namespace grove;
using namespace grove::sim;

namespace {

const Person kAlice{"u-alice", "Alice", Role::learner};
const Person kBob{"u-bob", "Bob", Role::learner};
const Person kCora{"u-cora", "Cora", Role::curator};

void settle(World& w, Tab& t, std::int64_t ms = 120'000) {
    REQUIRE(w.loop.run_until([&] { return t.engine->settled(); }, ms));
    w.loop.advance(50);
}

const ShownPost* shown(const Tab& t, const std::string& id) {
    for (const ShownPost& p : t.engine->posts())
        if (p.post().id == id) return &p;
    return nullptr;
}

bool shows_text(const Tab& t, const std::string& text) {
    for (const ShownPost& p : t.engine->posts())
        if (p.post().body.find(text) != std::string::npos) return true;
    return t.engine->draft().find(text) != std::string::npos;
}

// Every post on the server (as an admin reads them), by body: its author.
std::map<std::string, std::string> authors_by_body(World& w) {
    std::map<std::string, std::string> out;
    for (const auto& [id, p] : w.server_posts(Person{"u-admin", "Admin", Role::admin})) out[p.body] = p.author.id;
    return out;
}

// Whether any stored record of the module (posts, outbox, meta) contains `text`.
bool stored_anywhere(MemoryStorage& s, const std::string& text, const std::string& module = "m1") {
    const auto& m = s.modules[module];
    for (const auto* store : {&m.posts, &m.outbox, &m.meta})
        for (const auto& [k, v] : *store)
            if (v.find(text) != std::string::npos) return true;
    return false;
}

int requests_with_body(const Tab& t, const std::string& text) {
    return static_cast<int>(std::count_if(t.http.requests.begin(), t.http.requests.end(),
                                          [&](const HttpRequest& r) { return r.body.find(text) != std::string::npos; }));
}

}  // namespace

TEST_CASE("shared computer: Alice's draft and offline post are never Bob's - she is told when she returns") {
    World w;
    auto& browser = w.browser();
    auto alice = w.tab(browser, kAlice, w.options());
    w.loop.advance(100);
    settle(w, *alice);

    // Alice writes offline and leaves half a thought in the composer.
    w.api_down = true;
    auto offline = alice->engine->create(Kind::insight, "Alice, offline: I will check the exits.", std::nullopt);
    REQUIRE(offline.ok());
    alice->engine->set_draft("Alice's half thought");
    w.loop.advance(1000);
    REQUIRE(browser.storage.modules["m1"].outbox.size() == 1);
    alice.reset();   // she closes the page; the network comes back

    w.api_down = false;
    // Bob opens the page; his sign-in has not answered yet: nothing of hers shows meanwhile.
    bool bob_signed_in = false;
    auto handler = [&w](const HttpRequest& r) { return w.server.handler(w.rng)(r); };
    auto mint = [&](bool) { return bob_signed_in ? w.server.token(kBob.id, kBob.name, kBob.role, 3600'000) : std::string(); };
    auto bob = std::make_unique<Tab>(w.loop, browser.storage, browser.locks, browser.bus, handler, mint, w.options(), 21);
    w.loop.advance(100);
    REQUIRE(bob->engine->loaded());
    CHECK(bob->engine->draft().empty());
    CHECK(shown(*bob, offline->id) == nullptr);
    CHECK(bob->engine->status().pending == 0);
    bob_signed_in = true;
    bob->engine->focused();
    w.loop.advance(100);
    REQUIRE(bob->engine->me().id == kBob.id);
    CHECK(bob->engine->draft().empty());                      // her draft is not in his composer
    CHECK(shown(*bob, offline->id) == nullptr);               // her queued post is not in his view
    CHECK_FALSE(shows_text(*bob, "Alice"));
    CHECK(bob->engine->status().pending == 0);
    CHECK(bob->engine->status().held_work.empty());
    // He posts what is (not) in his composer, and his own reflection.
    auto his = bob->engine->create(Kind::insight, "Bob: the assembly point is the car park.", std::nullopt);
    REQUIRE(his.ok());
    settle(w, *bob);
    w.loop.advance(30'000);   // a few polls: nothing of hers is ever sent while he is signed in
    CHECK(requests_with_body(*bob, "Alice") == 0);
    for (const auto& e : bob->page.named("grove:sync")) CHECK(Json::parse(e.detail)["pending"].get<int>() <= 1);
    CHECK(authors_by_body(w) == std::map<std::string, std::string>{{"Bob: the assembly point is the car park.", "u-bob"}});
    // Her work is still here, for her.
    CHECK(browser.storage.modules["m1"].outbox.size() == 1);
    CHECK(browser.storage.modules["m1"].meta.count(draft_key(kAlice.id)) == 1);
    bob.reset();

    auto back = w.tab(browser, kAlice, w.options());
    w.loop.advance(100);
    CHECK(back->engine->draft() == "Alice's half thought");
    const std::string held = back->engine->status().held_work;
    CHECK(held.find("1 change you made earlier on this device is being sent under your name") != std::string::npos);
    CHECK(held.find("draft is back") != std::string::npos);
    settle(w, *back);
    CHECK(authors_by_body(w) == std::map<std::string, std::string>{
                                    {"Alice, offline: I will check the exits.", "u-alice"},
                                    {"Bob: the assembly point is the car park.", "u-bob"}});
    CHECK(browser.storage.modules["m1"].outbox.empty());
    // Once she has been told, a reload does not tell her again.
    back->reload();
    w.loop.advance(100);
    CHECK(back->engine->status().held_work.empty());
}

TEST_CASE("shared computer: nothing is taken for nobody: before anyone is signed in, writes are refused") {
    World w;
    auto& browser = w.browser();
    bool signed_in = false;
    auto handler = [&w](const HttpRequest& r) { return w.server.handler(w.rng)(r); };
    auto mint = [&](bool) { return signed_in ? w.server.token(kBob.id, kBob.name, kBob.role, 3600'000) : std::string(); };
    Tab tab(w.loop, browser.storage, browser.locks, browser.bus, handler, mint, w.options(), 7);
    w.loop.advance(100);
    REQUIRE(tab.engine->loaded());
    CHECK_FALSE(tab.engine->me().known);
    CHECK(tab.engine->status().notice.find("does not know who you are") != std::string::npos);
    CHECK(Json::parse(tab.page.named("grove:error").back().detail)["code"] == "unauthorized");

    // Someone types and presses Post (and endorses, flags) while the page says nobody is signed in.
    tab.engine->set_draft("typed before sign-in");
    auto post = tab.engine->create(Kind::insight, "typed before sign-in", std::nullopt);
    REQUIRE_FALSE(post.ok());
    CHECK(post.error().status == 401);
    CHECK(post.error().message.find("Your text stays here") != std::string::npos);
    w.loop.advance(1000);
    CHECK(browser.storage.modules["m1"].outbox.empty());
    CHECK_FALSE(stored_anywhere(browser.storage, "typed before sign-in"));   // nor the draft
    CHECK(tab.http.requests.empty());   // nothing fetched or sent for nobody

    // Bob signs in: nothing of it is sent under his name.
    signed_in = true;
    tab.engine->focused();
    w.loop.advance(100);
    REQUIRE(tab.engine->me().id == kBob.id);
    settle(w, tab);
    CHECK(tab.engine->status().notice.empty());
    CHECK(requests_with_body(tab, "typed before sign-in") == 0);
    CHECK(authors_by_body(w).empty());
    // The text is still on this screen (whoever is here sees what is on it), and it is saved as
    // Bob's only once he types in it.
    CHECK(tab.engine->draft() == "typed before sign-in");
    CHECK_FALSE(stored_anywhere(browser.storage, "typed before sign-in"));
}

TEST_CASE("shared computer: a new token for another person: nothing of the first is resent, shown or kept in view") {
    World w;
    auto& browser = w.browser();
    bool bob_now = false;
    auto handler = [&w](const HttpRequest& r) {
        if (w.api_down) return HttpResponse{0, {}, {}, "simulated: network unreachable"};
        return w.server.handler(w.rng)(r);
    };
    // Alice's token expires within the minute; the page then gives whoever is signed in: Bob.
    auto mint = [&](bool) {
        return bob_now ? w.server.token(kBob.id, kBob.name, kBob.role, 3600'000)
                       : w.server.token(kCora.id, kCora.name, kCora.role, 60'000);
    };
    Tab tab(w.loop, browser.storage, browser.locks, browser.bus, handler, mint, w.options(), 11);
    w.loop.advance(100);
    settle(w, tab);
    auto p = tab.engine->create(Kind::insight, "Visible, then hidden by Cora.", std::nullopt);
    REQUIRE(p.ok());
    settle(w, tab);
    REQUIRE_FALSE(tab.engine->hide(p->id, true));
    settle(w, tab);
    tab.engine->refresh_flags();
    settle(w, tab);
    REQUIRE(shown(tab, p->id)->post().body == "Visible, then hidden by Cora.");   // a curator reads it

    // Cora writes offline and types a draft; then she leaves and Bob signs in on the same page.
    w.api_down = true;
    auto queued = tab.engine->create(Kind::tip, "Cora's queued tip.", std::nullopt);
    REQUIRE(queued.ok());
    tab.engine->set_draft("Cora's draft");
    w.loop.advance(1000);
    bob_now = true;
    // Her token expires; a retry asks the page again and learns it is Bob now. (Until then, her
    // tries with her own token were hers to make.)
    REQUIRE(w.loop.run_until([&] { return tab.engine->me().id == kBob.id; }, 120'000));
    const std::size_t switched_at = tab.http.requests.size();
    w.api_down = false;
    tab.engine->sync_now();
    settle(w, tab);
    w.loop.advance(30'000);
    settle(w, tab);
    CHECK(tab.engine->draft().empty());
    CHECK(shown(tab, queued->id) == nullptr);
    const ShownPost* h = shown(tab, p->id);
    REQUIRE(h);
    CHECK(h->post().hidden);
    CHECK(h->post().body.empty());   // her view's hidden text left his screen
    CHECK(tab.engine->flags().empty());
    for (std::size_t i = switched_at; i < tab.http.requests.size(); ++i)   // never sent with his token
        CHECK(tab.http.requests[i].body.find("Cora's queued tip.") == std::string::npos);
    for (const auto& [body, author] : authors_by_body(w)) CHECK(author == kCora.id);
    CHECK(authors_by_body(w).count("Cora's queued tip.") == 0);
    CHECK(browser.storage.modules["m1"].meta.count(draft_key(kCora.id)) == 1);
}

TEST_CASE("shared computer: a 401 answered with another person's token never resends the write as them") {
    World w;
    auto& browser = w.browser();
    const std::string alice_token = w.server.token(kAlice.id, kAlice.name, kAlice.role, 3600'000);
    const std::string bob_token = w.server.token(kBob.id, kBob.name, kBob.role, 3600'000);
    // Alice's token stops being accepted for writes (she signed out elsewhere, say); asked for a
    // new one, the page answers for whoever is signed in now: Bob.
    auto handler = [&](const HttpRequest& r) {
        for (const auto& [k, v] : r.headers)
            if (k == "Authorization" && v == "Bearer " + alice_token && r.method != "GET")
                return HttpResponse{401, R"({"error":{"code":"unauthorized","message":"Sign in again."}})", {}, {}};
        return w.server.handler(w.rng)(r);
    };
    auto mint = [&](bool force) { return force ? bob_token : alice_token; };
    Tab tab(w.loop, browser.storage, browser.locks, browser.bus, handler, mint, w.options(), 5);
    w.loop.advance(100);
    settle(w, tab);
    REQUIRE(tab.engine->me().id == kAlice.id);
    auto post = tab.engine->create(Kind::insight, "Alice wrote this.", std::nullopt);
    REQUIRE(post.ok());
    w.loop.advance(5'000);
    settle(w, tab);
    CHECK(tab.engine->me().id == kBob.id);
    CHECK(authors_by_body(w).empty());
    // Sent with Alice's token (refused), never with Bob's.
    int sent = 0;
    for (const HttpRequest& r : tab.http.requests) {
        if (r.body.find("Alice wrote this.") == std::string::npos) continue;
        ++sent;
        for (const auto& [k, v] : r.headers)
            if (k == "Authorization") CHECK(v == "Bearer " + alice_token);
    }
    CHECK(sent == 1);
    CHECK(shown(tab, post->id) == nullptr);
    CHECK(browser.storage.modules["m1"].outbox.size() == 1);   // still Alice's, for Alice
}

TEST_CASE("shared computer: a curator's hidden text is never at rest - a learner after them never sees it") {
    World w;
    auto& browser = w.browser();
    auto cora = w.tab(browser, kCora, w.options());
    w.loop.advance(100);
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i)
        ids.push_back(cora->engine->create(Kind::insight, "Secret number " + std::to_string(i) + ", to be hidden.", std::nullopt)->id);
    settle(w, *cora);
    for (const std::string& id : ids) REQUIRE_FALSE(cora->engine->hide(id, true));
    settle(w, *cora);
    cora->reload();   // the packed copy is written from the snapshot
    w.loop.advance(100);
    settle(w, *cora);
    CHECK_FALSE(stored_anywhere(browser.storage, "Secret number"));
    REQUIRE(browser.storage.modules["m1"].meta.count(kMetaPacked));

    SUBCASE("the curator gets the text back when the widget opens online, not from the cache") {
        w.api_down = true;
        cora->reload();
        w.loop.advance(100);
        REQUIRE(shown(*cora, ids[0]));
        CHECK(shown(*cora, ids[0])->post().body.empty());
        w.api_down = false;
        cora->engine->sync_now();
        settle(w, *cora);
        for (const std::string& id : ids) CHECK(shown(*cora, id)->post().body.find("Secret number") == 0);
        CHECK_FALSE(stored_anywhere(browser.storage, "Secret number"));
    }
    SUBCASE("a learner in the same browser: not from the cache, not from the curator's open tab") {
        auto ann = w.tab(browser, kAlice, w.options());   // while Cora's tab is still open
        w.loop.advance(100);
        CHECK_FALSE(shows_text(*ann, "Secret number"));
        REQUIRE(shown(*ann, ids[0]));
        CHECK(shown(*ann, ids[0])->post().hidden);
        // Cora unhides one and hides it again in her tab: her tab broadcasts her view (with the
        // text); Ann's tab takes it from storage instead.
        REQUIRE_FALSE(cora->engine->hide(ids[1], false));
        settle(w, *cora);
        REQUIRE_FALSE(cora->engine->hide(ids[1], true));
        REQUIRE_FALSE(cora->engine->pin(ids[2], true));
        settle(w, *cora);
        for (int i = 0; i < 5; ++i) {
            w.loop.advance(5'000);
            CHECK_FALSE(shows_text(*ann, "Secret number 0"));
            CHECK_FALSE(shows_text(*ann, "Secret number 2"));
        }
        settle(w, *ann);
        CHECK_FALSE(shows_text(*ann, "Secret number 0"));
        CHECK_FALSE(shows_text(*ann, "Secret number 2"));
        CHECK(shown(*ann, ids[2])->post().pinned);   // the change itself did arrive
        CHECK_FALSE(stored_anywhere(browser.storage, "Secret number"));
        // Two people's tabs open at once do not take turns fetching everything: one keeps its
        // view in memory.
        auto full_pulls = [](const Tab& t) {
            return std::count_if(t.http.requests.begin(), t.http.requests.end(), [](const HttpRequest& r) {
                return r.method == "GET" && r.url.find("/posts?") != std::string::npos && r.url.find("since=") == std::string::npos;
            });
        };
        const auto before = full_pulls(*ann) + full_pulls(*cora);
        REQUIRE_FALSE(cora->engine->pin(ids[0], true));
        ann->engine->sync_now();
        w.loop.advance(120'000);
        CHECK(full_pulls(*ann) + full_pulls(*cora) == before);
        CHECK(shown(*ann, ids[0])->post().pinned);
        CHECK(shown(*cora, ids[0])->post().body.find("Secret number 0") == 0);
    }
}

TEST_CASE("shared computer: another person's endorsement marks are not shown, also before the full pull") {
    World w;
    auto& b1 = w.browser();
    auto& b2 = w.browser();
    auto bob = w.tab(b2, kBob, w.options());
    w.loop.advance(100);
    auto p = bob->engine->create(Kind::insight, "Endorse me", std::nullopt);
    REQUIRE(p.ok());
    settle(w, *bob);
    auto alice = w.tab(b1, kAlice, w.options());
    w.loop.advance(100);
    settle(w, *alice);
    REQUIRE_FALSE(alice->engine->endorse(p->id, true));
    settle(w, *alice);
    REQUIRE(shown(*alice, p->id)->post().endorsed_by_me);
    alice.reset();

    w.api_down = true;   // Cora opens Alice's cache offline: no full pull can replace it yet
    auto cora = w.tab(b1, kCora, w.options());
    w.loop.advance(100);
    REQUIRE(shown(*cora, p->id));
    CHECK_FALSE(shown(*cora, p->id)->post().endorsed_by_me);
    CHECK(shown(*cora, p->id)->post().endorsements == 1);
    w.api_down = false;
    cora->engine->sync_now();
    settle(w, *cora);
    CHECK_FALSE(shown(*cora, p->id)->post().endorsed_by_me);
    CHECK(read_sync_meta(b1.storage.modules["m1"].meta[kMetaSync]).meta.user.id == kCora.id);
}

// What the first release left in a browser: format 1, a curator's view with a hidden post's text
// in the post records and the packed copy, one draft for the module without its author, a write
// made before the token was read (no user), and one of the curator's own.
TEST_CASE("shared computer: a cache of the first release opens safely for the next person") {
    World w;
    auto& browser = w.browser();
    auto& m = browser.storage.modules["m1"];
    const std::string hidden_record =
        R"(["OLDHIDDEN",null,"insight","what the curator hid","u-x","Xi","learner",1790000000000,null,0,8,1])";
    m.posts["OLDHIDDEN"] = hidden_record;
    m.meta[kMetaSync] = R"({"format":1,"user":{"id":"u-cora","name":"Cora","role":"curator"},"cursor":null,)"
                        R"("last_sync":null,"commit":"c","packed":"T","dirty":[]})";
    m.meta[kMetaPacked] = encode_packed("T", {hidden_record});
    m.meta[kMetaDraft] = R"({"v":1,"text":"whoever typed this"})";
    OutboxEntry anon;
    anon.key = make_write_key(w.loop.now() - 1000, 1, 1);
    anon.op = WriteOp::create;
    anon.post_id = "ANON1";
    anon.body = "made before the token was read";
    OutboxEntry cora_write = anon;
    cora_write.key = make_write_key(w.loop.now() - 900, 1, 2);
    cora_write.user = kCora.id;
    cora_write.post_id = "CORA1";
    cora_write.body = "Cora's own, from the first release";
    m.outbox[anon.key] = encode_outbox_record(anon);
    m.outbox[cora_write.key] = encode_outbox_record(cora_write);

    auto bob = w.tab(browser, kBob, w.options());
    w.loop.advance(100);
    CHECK(bob->engine->draft().empty());
    CHECK_FALSE(shows_text(*bob, "made before the token was read"));
    CHECK_FALSE(shows_text(*bob, "Cora's own"));
    CHECK_FALSE(shows_text(*bob, "what the curator hid"));
    settle(w, *bob);
    w.loop.advance(30'000);
    CHECK(requests_with_body(*bob, "made before the token was read") == 0);
    CHECK(requests_with_body(*bob, "Cora's own") == 0);
    CHECK(authors_by_body(w).empty());
    // Nothing of it is left at rest but Cora's own write, waiting for her.
    CHECK_FALSE(stored_anywhere(browser.storage, "what the curator hid"));
    CHECK_FALSE(stored_anywhere(browser.storage, "whoever typed this"));
    CHECK_FALSE(stored_anywhere(browser.storage, "made before the token was read"));
    CHECK(m.outbox.size() == 1);
    CHECK(m.meta.count(kMetaDraft) == 0);
    bool explained = false;
    for (const std::string& text : bob->page.warnings)
        explained = explained || text.find("before anyone was signed in") != std::string::npos;
    CHECK(explained);
    // The first person after the upgrade is told what went, in case it was theirs (not what it said).
    const std::string told = bob->engine->status().held_work;
    CHECK(told.find("An earlier version of Grove kept an unsent draft and 1 unsent change in this browser "
                    "without noting who made them. They were deleted unread") == 0);
    CHECK(told.find("whoever typed this") == std::string::npos);
    bob->reload();   // told once
    w.loop.advance(100);
    CHECK(bob->engine->status().held_work.empty());
    settle(w, *bob);
    bob.reset();

    auto cora = w.tab(browser, kCora, w.options());
    w.loop.advance(100);
    // Her own write from the first release waited for her, and she is told so.
    const std::string hers = cora->engine->status().held_work;
    CHECK(hers.find("1 change you made earlier on this device is being sent under your name") != std::string::npos);
    CHECK(hers.find("An earlier version") == std::string::npos);
    settle(w, *cora);
    CHECK(authors_by_body(w) == std::map<std::string, std::string>{{"Cora's own, from the first release", "u-cora"}});
}

// The sync engine against the real server logic (ApiRouter on SQLite) in process, on a simulated
// clock: offline writes, reloads, lost answers, 5xx backoff, 429, 401, refusals, the changes feed,
// visibility, several tabs, and storage that fails.
#include <doctest/doctest.h>

#include <algorithm>

#include "sync_world.hpp"
#include "grove/client/cache_format.hpp"

using namespace grove;
using namespace grove::sim;

namespace {

const Person kAnn{"u-ann", "Ann", Role::learner};
const Person kBob{"u-bob", "Bob", Role::learner};
const Person kCora{"u-cora", "Cora", Role::curator};

bool settled(const Tab& t) { return t.engine->settled(); }

// Runs until the tab has nothing left to send and no retry is waiting (at most `ms`).
void settle(World& w, Tab& t, std::int64_t ms = 120'000) {
    REQUIRE(w.loop.run_until([&] { return settled(t); }, ms));
    w.loop.advance(50);   // the pull that follows the push
}

const ShownPost* shown(const Tab& t, const std::string& id) {
    for (const ShownPost& p : t.engine->posts())
        if (p.post().id == id) return &p;
    return nullptr;
}

int count_requests(const Tab& t, const std::string& method, const std::string& path_part) {
    return static_cast<int>(std::count_if(t.http.requests.begin(), t.http.requests.end(), [&](const HttpRequest& r) {
        return r.method == method && r.url.find(path_part) != std::string::npos;
    }));
}

Json last_event(const Tab& t, const std::string& name) {
    const auto events = t.page.named(name);
    REQUIRE_FALSE(events.empty());
    return Json::parse(events.back().detail);
}

}  // namespace

TEST_CASE("sync: a post made offline is saved, survives a reload, and reaches the server once") {
    World w;
    auto& browser = w.browser();
    auto tab = w.tab(browser, kAnn, w.options());
    w.loop.advance(100);
    REQUIRE(tab->engine->loaded());
    CHECK(tab->engine->me().id == "u-ann");

    w.api_down = true;
    const int writes_before = browser.storage.writes;
    auto post = tab->engine->create(Kind::insight, "  I will check the extinguisher dates.  ", std::nullopt);
    REQUIRE(post.ok());
    CHECK(post->body == "I will check the extinguisher dates.");   // trimmed as the server would
    const ShownPost* p = shown(*tab, post->id);
    REQUIRE(p);
    CHECK(p->state == LocalState::pending);
    CHECK(last_event(*tab, "grove:post")["post"]["id"] == post->id);
    w.loop.advance(10);
    // Saving one post is one small batch, not a rewrite of the cache.
    CHECK(browser.storage.writes == writes_before + 1);
    CHECK(browser.storage.last_batch_records == 1);
    CHECK(browser.storage.modules["m1"].outbox.size() == 1);

    w.loop.advance(30'000);   // retries fail while the API is down
    CHECK(tab->engine->status().pending == 1);
    CHECK_FALSE(tab->engine->status().online);
    CHECK(last_event(*tab, "grove:sync")["pending"] == 1);
    CHECK(last_event(*tab, "grove:sync")["online"] == false);

    tab->reload();
    w.loop.advance(100);
    p = shown(*tab, post->id);
    REQUIRE(p);
    CHECK(p->state == LocalState::pending);
    CHECK(p->post().body == "I will check the extinguisher dates.");

    w.api_down = false;
    tab->engine->set_browser_online(true);   // a no-op here (the browser thought it was online)...
    tab->engine->sync_now();                 // ...so the person's focus triggers the sync
    settle(w, *tab);
    p = shown(*tab, post->id);
    REQUIRE(p);
    CHECK(p->state == LocalState::synced);
    CHECK(p->post().rev > 0);
    CHECK(w.server_posts(kAnn).size() == 1);
    CHECK(count_requests(*tab, "POST", "/modules/m1/posts") >= 1);
    CHECK(browser.storage.modules["m1"].outbox.empty());
    CHECK(browser.storage.modules["m1"].posts.size() == 1);
    CHECK(last_event(*tab, "grove:sync")["pending"] == 0);
    CHECK(last_event(*tab, "grove:sync")["online"] == true);
    CHECK(last_event(*tab, "grove:sync")["last_sync"].is_string());
}

TEST_CASE("sync: an answer lost after the server applied the write is resent without a duplicate") {
    World w;
    auto& browser = w.browser();
    auto tab = w.tab(browser, kAnn, w.options());
    w.loop.advance(100);
    w.server.faults_on = true;
    w.server.faults.lose_response = 1.0;
    auto post = tab->engine->create(Kind::tip, "Exits are marked in green.", std::nullopt);
    REQUIRE(post.ok());
    w.loop.advance(3000);
    CHECK(w.server.counts.lost_responses >= 1);
    CHECK(w.server_posts(kAnn).size() == 1);   // applied...
    CHECK(tab->engine->status().pending == 1); // ...but the client does not know yet
    w.server.faults_on = false;
    settle(w, *tab);
    CHECK(w.server_posts(kAnn).size() == 1);
    CHECK(count_requests(*tab, "POST", "/modules/m1/posts") >= 2);
    CHECK(shown(*tab, post->id)->state == LocalState::synced);
}

TEST_CASE("sync: 5xx and no answer back off exponentially with jitter") {
    World w;
    auto& browser = w.browser();
    auto tab = w.tab(browser, kAnn, w.options());
    w.loop.advance(100);
    w.server.faults_on = true;
    w.server.faults.server_error = 1.0;
    REQUIRE(tab->engine->create(Kind::insight, "Backoff please", std::nullopt).ok());
    std::vector<std::int64_t> attempts;
    std::size_t seen = 0;
    for (int i = 0; i < 400 && attempts.size() < 7; ++i) {
        w.loop.advance(500);
        for (; seen < tab->http.requests.size(); ++seen)
            if (tab->http.requests[seen].method == "POST") attempts.push_back(w.loop.now());
    }
    REQUIRE(attempts.size() == 7);
    for (std::size_t i = 2; i < attempts.size(); ++i) {
        const auto gap = attempts[i] - attempts[i - 1];
        const auto before = attempts[i - 1] - attempts[i - 2];
        CHECK(gap >= before * 2 / 3);   // grows (jitter keeps it from exactly doubling)
    }
    CHECK(attempts.back() - attempts[attempts.size() - 2] >= 8'000);
    CHECK(attempts.back() - attempts[attempts.size() - 2] <= 65'000);
    CHECK(tab->engine->status().pending == 1);
    CHECK(tab->engine->status().online);   // a 503 is an answer: the server is reachable

    w.server.faults_on = false;
    tab->engine->set_browser_online(false);
    tab->engine->set_browser_online(true);   // the online event retries at once
    settle(w, *tab, 5'000);
    CHECK(w.server_posts(kAnn).size() == 1);
}

TEST_CASE("sync: 429 waits for Retry-After before the next write") {
    World w(/*writes_per_minute=*/2);
    auto& browser = w.browser();
    auto tab = w.tab(browser, kAnn, w.options());
    w.loop.advance(100);
    for (int i = 0; i < 4; ++i)
        REQUIRE(tab->engine->create(Kind::insight, "post " + std::to_string(i), std::nullopt).ok());
    w.loop.advance(2000);
    CHECK(w.server.counts.server_429 >= 1);
    CHECK(w.server_posts(kAnn).size() == 2);
    const int posts_sent = count_requests(*tab, "POST", "/posts");
    w.loop.advance(20'000);   // Retry-After is 30 s for a 2-per-minute limit
    CHECK(count_requests(*tab, "POST", "/posts") == posts_sent);   // no hammering
    settle(w, *tab, 120'000);
    CHECK(w.server_posts(kAnn).size() == 4);
    CHECK(tab->engine->status().pending == 0);
}

TEST_CASE("sync: 401 asks the page for a new token once, then resends") {
    World w;
    auto& browser = w.browser();
    // The page's cached token was signed with a key the intranet has since rotated: the server
    // refuses it, and only a forced refresh gives a good one.
    auto handler = [&w](const HttpRequest& r) { return w.server.handler(w.rng)(r); };
    auto mint = [&w](bool force) {
        return force ? w.server.token(kAnn.id, kAnn.name, kAnn.role, 3600'000)
                     : unsigned_token(kAnn.id, kAnn.name, "learner", 4'000'000'000);
    };
    Tab tab(w.loop, browser.storage, browser.locks, browser.bus, handler, mint, w.options(), 3);
    w.loop.advance(100);
    auto post = tab.engine->create(Kind::insight, "After lunch", std::nullopt);
    REQUIRE(post.ok());
    settle(w, tab);
    CHECK(w.server.counts.rejected_401 == 1);
    CHECK(tab.token.forced == 1);
    CHECK(w.server_posts(kAnn).size() == 1);
    CHECK(tab.engine->status().notice.empty());
    CHECK(tab.page.named("grove:error").empty());
}

TEST_CASE("sync: a token about to expire is replaced before it is used") {
    World w;
    auto& browser = w.browser();
    auto tab = w.tab(browser, kAnn, w.options(), /*token_ms=*/60'000);
    w.loop.advance(100);
    settle(w, *tab);
    w.loop.advance(45'000);   // within 30 s of exp
    REQUIRE(tab->engine->create(Kind::insight, "Fresh token please", std::nullopt).ok());
    settle(w, *tab);
    CHECK(tab->token.forced >= 1);
    CHECK(w.server.counts.rejected_401 == 0);
    CHECK(w.server_posts(kAnn).size() == 1);
}

TEST_CASE("sync: a token the server never accepts keeps the writes and tells the person") {
    World w;
    auto& browser = w.browser();
    auto handler = [&w](const HttpRequest& r) { return w.server.handler(w.rng)(r); };
    auto bad_token = [](bool) { return unsigned_token("u-ann", "Ann", "learner", 4'000'000'000); };
    Tab tab(w.loop, browser.storage, browser.locks, browser.bus, handler, bad_token, w.options(), 7);
    w.loop.advance(100);
    REQUIRE(tab.engine->create(Kind::insight, "Will it arrive?", std::nullopt).ok());
    w.loop.advance(5'000);
    CHECK(tab.engine->status().pending == 1);
    CHECK_FALSE(tab.engine->status().notice.empty());
    CHECK(last_event(tab, "grove:error")["code"] == "unauthorized");
    CHECK(w.server_posts(kAnn).empty());
    CHECK(browser.storage.modules["m1"].outbox.size() == 1);   // never dropped
}

TEST_CASE("sync: a refused write is shown failed with the server's message - retry, edit, discard") {
    World w;
    auto& browser = w.browser();
    auto ann = w.tab(browser, kAnn, w.options());
    auto& other_browser = w.browser();
    auto bob = w.tab(other_browser, kBob, w.options());
    w.loop.advance(100);
    auto parent = bob->engine->create(Kind::question, "Who checks the alarms?", std::nullopt);
    REQUIRE(parent.ok());
    settle(w, *bob);
    ann->engine->sync_now();
    settle(w, *ann);
    REQUIRE(shown(*ann, parent->id));

    // Ann replies offline while Bob deletes his question.
    w.api_down = true;
    auto reply = ann->engine->create(Kind::insight, "The facilities team, monthly.", parent->id);
    REQUIRE(reply.ok());
    w.loop.advance(100);
    w.api_down = false;
    REQUIRE_FALSE(bob->engine->remove(parent->id));
    settle(w, *bob);
    ann->engine->sync_now();
    settle(w, *ann);

    const ShownPost* r = shown(*ann, reply->id);
    REQUIRE(r);
    CHECK(r->state == LocalState::failed);
    CHECK(r->error == "The post you are replying to was deleted.");
    CHECK(last_event(*ann, "grove:error")["message"] == "The post you are replying to was deleted.");
    CHECK(ann->engine->status().failed == 1);
    CHECK(ann->engine->status().pending == 0);
    // The refusal is saved too: a reload still shows it.
    ann->reload();
    w.loop.advance(100);
    r = shown(*ann, reply->id);
    REQUIRE(r);
    CHECK(r->state == LocalState::failed);

    SUBCASE("retry sends it again and it fails again") {
        ann->engine->retry(r->failed_write);
        CHECK(shown(*ann, reply->id)->state == LocalState::pending);
        settle(w, *ann);
        CHECK(shown(*ann, reply->id)->state == LocalState::failed);
    }
    SUBCASE("discard drops it and nothing was sent twice") {
        ann->engine->discard(r->failed_write);
        CHECK(shown(*ann, reply->id) == nullptr);
        w.loop.advance(50);
        CHECK(browser.storage.modules["m1"].outbox.empty());
        CHECK(ann->engine->status().failed == 0);
    }
    SUBCASE("editing a refused create queues it again with the new text") {
        CHECK_FALSE(ann->engine->edit(reply->id, "Edited, still a reply"));
        CHECK(shown(*ann, reply->id)->state == LocalState::pending);
        CHECK(shown(*ann, reply->id)->post().body == "Edited, still a reply");
        settle(w, *ann);
        CHECK(shown(*ann, reply->id)->state == LocalState::failed);
    }
    CHECK(w.server_posts(kAnn).empty());
}

TEST_CASE("sync: local checks refuse invalid writes before anything is queued") {
    World w;
    auto& browser = w.browser();
    auto tab = w.tab(browser, kAnn, w.options());
    w.loop.advance(100);
    CHECK(tab->engine->create(Kind::insight, "   ", std::nullopt).error().code == "empty");
    CHECK(tab->engine->create(Kind::insight, std::string(501, 'x'), std::nullopt).error().code == "too_long");
    CHECK(tab->engine->create(Kind::leader_learning, "I lead", std::nullopt).error().code == "forbidden");
    CHECK(tab->engine->create(Kind::insight, "reply", std::string("NOPE")).error().code == "not_found");
    auto mine = tab->engine->create(Kind::insight, "mine", std::nullopt);
    REQUIRE(mine.ok());
    CHECK(tab->engine->endorse(mine->id, true)->code == "own_post");
    CHECK(tab->engine->pin(mine->id, true)->code == "forbidden");
    CHECK(tab->engine->edit("NOPE", "x")->code == "not_found");
    CHECK(tab->engine->flag(mine->id, std::string(501, 'r'))->code == "too_long");
    CHECK(tab->engine->flag(mine->id, "spam", std::string(501, 'd'))->field == "details");
    CHECK(tab->engine->flag(mine->id, "spam", "\xff")->code == "invalid_utf8");
    auto reply = tab->engine->create(Kind::insight, "a reply", mine->id);
    REQUIRE(reply.ok());
    CHECK(tab->engine->create(Kind::insight, "reply to a reply", reply->id).error().field == "parent_id");
    CHECK(tab->engine->status().pending == 2);
}

TEST_CASE("sync: the changes feed is followed page by page and a bad cursor starts over") {
    World w;
    auto& b1 = w.browser();
    auto& b2 = w.browser();
    auto writer = w.tab(b1, kBob, w.options());
    SyncOptions small = w.options();
    small.page_limit = 3;
    auto reader = w.tab(b2, kAnn, small);
    w.loop.advance(100);
    std::vector<std::string> ids;
    for (int i = 0; i < 10; ++i) {
        auto p = writer->engine->create(Kind::insight, "post " + std::to_string(i), std::nullopt);
        REQUIRE(p.ok());
        ids.push_back(p->id);
    }
    settle(w, *writer);
    reader->engine->sync_now();
    settle(w, *reader);
    CHECK(reader->engine->posts().size() == 10);
    CHECK(count_requests(*reader, "GET", "limit=3") >= 4);

    // Edits and deletes arrive through the cursor.
    REQUIRE_FALSE(writer->engine->edit(ids[0], "post 0, edited"));
    REQUIRE_FALSE(writer->engine->remove(ids[1]));
    settle(w, *writer);
    reader->engine->sync_now();
    settle(w, *reader);
    CHECK(reader->engine->posts().size() == 9);
    CHECK(shown(*reader, ids[0])->post().body == "post 0, edited");
    CHECK(shown(*reader, ids[1]) == nullptr);
    CHECK(count_requests(*reader, "GET", "since=") >= 1);

    // The server forgets (a restored database): the saved cursor is ahead of it.
    SyncMeta meta;
    meta.user = Identity{kAnn.id, kAnn.name, kAnn.role, true};
    meta.cursor = "bm90LWEtY3Vyc29y";
    b2.storage.modules["m1"].meta[kMetaSync] = encode_sync_meta(meta);
    reader->reload();
    w.loop.advance(100);
    settle(w, *reader);
    CHECK(reader->engine->posts().size() == 9);
    bool warned = false;
    for (const auto& m : reader->page.warnings) warned = warned || m.find("cursor") != std::string::npos;
    CHECK(warned);
}

TEST_CASE("sync: pulls every 20 s while visible, at once on focus, never while hidden") {
    World w;
    auto& browser = w.browser();
    auto tab = w.tab(browser, kAnn, w.options());
    w.loop.advance(100);
    settle(w, *tab);
    const int pulls0 = count_requests(*tab, "GET", "/modules/m1/posts");
    w.loop.advance(61'000);
    const int pulls1 = count_requests(*tab, "GET", "/modules/m1/posts");
    CHECK(pulls1 - pulls0 == 3);

    tab->engine->set_visible(false);
    w.loop.advance(600'000);
    CHECK(count_requests(*tab, "GET", "/modules/m1/posts") == pulls1);

    tab->engine->set_visible(true);
    w.loop.advance(100);
    CHECK(count_requests(*tab, "GET", "/modules/m1/posts") == pulls1 + 1);
    tab->engine->focused();
    w.loop.advance(100);
    CHECK(count_requests(*tab, "GET", "/modules/m1/posts") == pulls1 + 2);

    // Writes made while hidden are still sent.
    tab->engine->set_visible(false);
    REQUIRE(tab->engine->create(Kind::insight, "written in a background tab", std::nullopt).ok());
    settle(w, *tab);
    CHECK(w.server_posts(kAnn).size() == 1);
}

TEST_CASE("sync: the event stream pulls at once, coalesces a burst, and slows the poll while held") {
    World w;
    auto& b1 = w.browser();
    auto& b2 = w.browser();
    auto ann = w.tab(b1, kAnn, w.options());
    auto bob = w.tab(b2, kBob, w.options());
    w.loop.advance(100);
    settle(w, *ann);
    settle(w, *bob);

    SUBCASE("a change announced by the stream shows without waiting for the poll") {
        ann->engine->set_live(true);
        const int pulls0 = count_requests(*ann, "GET", "/modules/m1/posts");
        auto made = bob->engine->create(Kind::insight, "Bob's reflection, live", std::nullopt);
        REQUIRE(made.ok());
        settle(w, *bob);
        CHECK(shown(*ann, made->id) == nullptr);
        ann->engine->pull_now();
        w.loop.advance(100);
        CHECK(count_requests(*ann, "GET", "/modules/m1/posts") == pulls0 + 1);
        CHECK(shown(*ann, made->id) != nullptr);
    }
    SUBCASE("while the stream is held the poll is a safety net every 60 s, then every 20 s again") {
        ann->engine->set_live(true);
        const int pulls0 = count_requests(*ann, "GET", "/modules/m1/posts");
        w.loop.advance(59'000);
        CHECK(count_requests(*ann, "GET", "/modules/m1/posts") == pulls0);
        w.loop.advance(2'000);
        CHECK(count_requests(*ann, "GET", "/modules/m1/posts") == pulls0 + 1);
        ann->engine->set_live(false);
        w.loop.advance(20'500);
        CHECK(count_requests(*ann, "GET", "/modules/m1/posts") == pulls0 + 2);
    }
    SUBCASE("a burst of announcements is one cycle now and one after it") {
        const int pulls0 = count_requests(*ann, "GET", "/modules/m1/posts");
        for (int i = 0; i < 10; ++i) ann->engine->pull_now();
        w.loop.advance(1'000);
        CHECK(count_requests(*ann, "GET", "/modules/m1/posts") == pulls0 + 2);
    }
    SUBCASE("a spotlight announcement fetches the spotlight again") {
        const int spot0 = count_requests(*ann, "GET", "/spotlight");
        ann->engine->pull_now();
        w.loop.advance(1'000);
        CHECK(count_requests(*ann, "GET", "/spotlight") == spot0);   // fetched at most every few minutes
        ann->engine->pull_now(/*spotlight=*/true);
        w.loop.advance(1'000);
        CHECK(count_requests(*ann, "GET", "/spotlight") == spot0 + 1);
    }
}

TEST_CASE("sync: two tabs post offline, then online: every post once, both tabs see all") {
    World w;
    auto& browser = w.browser();
    auto t1 = w.tab(browser, kAnn, w.options());
    auto t2 = w.tab(browser, kAnn, w.options());
    w.loop.advance(100);
    w.api_down = true;
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        ids.push_back(t1->engine->create(Kind::insight, "tab one #" + std::to_string(i), std::nullopt)->id);
        ids.push_back(t2->engine->create(Kind::insight, "tab two #" + std::to_string(i), std::nullopt)->id);
    }
    w.loop.advance(5'000);
    CHECK(browser.storage.modules["m1"].outbox.size() == 6);
    // Each tab knows the other's queued writes too (same person, one outbox).
    CHECK(t1->engine->status().pending == 6);
    CHECK(t2->engine->status().pending == 6);
    w.api_down = false;
    const std::size_t sent1 = t1->http.requests.size(), sent2 = t2->http.requests.size();
    t1->engine->sync_now();
    t2->engine->sync_now();
    REQUIRE(w.loop.run_until([&] { return settled(*t1) && settled(*t2); }, 120'000));
    w.loop.advance(25'000);   // a poll on each side
    const auto on_server = w.server_posts(kAnn);
    CHECK(on_server.size() == 6);
    for (const auto& id : ids) CHECK(on_server.count(id) == 1);
    for (const Tab* t : {t1.get(), t2.get()}) {
        CHECK(t->engine->posts().size() == 6);
        for (const ShownPost& p : t->engine->posts()) CHECK(p.state == LocalState::synced);
    }
    // Each write went out once, in total, across both tabs (no answer was lost here).
    int posts_sent = 0;
    for (std::size_t i = sent1; i < t1->http.requests.size(); ++i) posts_sent += t1->http.requests[i].method == "POST";
    for (std::size_t i = sent2; i < t2->http.requests.size(); ++i) posts_sent += t2->http.requests[i].method == "POST";
    CHECK(posts_sent == 6);
}

TEST_CASE("sync: another person signing in on the same browser gets a clean view") {
    World w;
    auto& browser = w.browser();
    auto hidden_by_curator = w.tab(browser, kCora, w.options());
    w.loop.advance(100);
    auto p = hidden_by_curator->engine->create(Kind::insight, "curator's note", std::nullopt);
    REQUIRE(p.ok());
    settle(w, *hidden_by_curator);
    REQUIRE_FALSE(hidden_by_curator->engine->hide(p->id, true));
    settle(w, *hidden_by_curator);
    CHECK(shown(*hidden_by_curator, p->id)->post().body == "curator's note");   // curators read hidden bodies
    hidden_by_curator.reset();

    auto ann = w.tab(browser, kAnn, w.options());   // same storage, another person
    w.loop.advance(100);
    settle(w, *ann);
    const ShownPost* seen = shown(*ann, p->id);
    REQUIRE(seen);
    CHECK(seen->post().hidden);
    CHECK(seen->post().body.empty());   // the full resync replaced the curator's view
}

TEST_CASE("sync: storage that cannot be opened keeps writes in memory and says so") {
    World w;
    auto& browser = w.browser();
    browser.storage.fail_open = true;
    auto tab = w.tab(browser, kAnn, w.options());
    w.loop.advance(100);
    CHECK(tab->engine->loaded());
    CHECK(last_event(*tab, "grove:error")["code"] == "storage_unavailable");
    CHECK_FALSE(tab->engine->status().notice.empty());
    REQUIRE(tab->engine->create(Kind::insight, "kept in memory", std::nullopt).ok());
    settle(w, *tab);
    CHECK(w.server_posts(kAnn).size() == 1);
}

TEST_CASE("sync: storage that refuses a write switches to memory and still sends") {
    World w;
    auto& browser = w.browser();
    auto tab = w.tab(browser, kAnn, w.options());
    w.loop.advance(100);
    browser.storage.fail_writes = true;
    REQUIRE(tab->engine->create(Kind::insight, "quota is full", std::nullopt).ok());
    settle(w, *tab);
    CHECK(w.server_posts(kAnn).size() == 1);
    CHECK(last_event(*tab, "grove:error")["code"] == "storage_unavailable");
}

TEST_CASE("sync: a damaged cache opens with warnings and sends every readable queued write") {
    World w;
    auto& browser = w.browser();
    OutboxEntry e;
    e.key = make_write_key(w.loop.now(), 1, 1);
    e.user = kAnn.id;
    e.op = WriteOp::create;
    e.post_id = "SURVIVOR";
    e.body = "written by an older session";
    auto& m = browser.storage.modules["m1"];
    m.outbox[e.key] = encode_outbox_record(e);
    m.outbox["zz-unreadable"] = "\x01\x02 not json";
    m.posts["X"] = "[broken";
    m.meta[kMetaSync] = "{\"format\": \"one\"}";
    m.meta[draft_key(kAnn.id)] = encode_draft(kAnn.id, "my half-written thought");
    auto tab = w.tab(browser, kAnn, w.options());
    w.loop.advance(100);
    CHECK(tab->page.warnings.size() >= 2);
    CHECK(tab->engine->draft() == "my half-written thought");
    REQUIRE(shown(*tab, "SURVIVOR"));
    settle(w, *tab);
    CHECK(w.server_posts(kAnn).count("SURVIVOR") == 1);
    CHECK(m.outbox.empty());
    CHECK(m.posts.size() == 1);   // the broken record was cleared; the survivor is cached
}

TEST_CASE("sync: the draft survives a reload, and the last text typed wins") {
    World w;
    auto& browser = w.browser();
    auto tab = w.tab(browser, kAnn, w.options());
    w.loop.advance(100);
    for (const char* text : {"I", "I w", "I will", "I will test the alarm"}) tab->engine->set_draft(text);
    w.loop.advance(50);
    tab->reload();
    w.loop.advance(100);
    CHECK(tab->engine->draft() == "I will test the alarm");
}

TEST_CASE("sync: curators get the flag queue - everyone gets the spotlight") {
    World w;
    auto& b1 = w.browser();
    auto& b2 = w.browser();
    const Person lead{"u-lead", "Lee", Role::leader};
    auto leader = w.tab(b1, lead, w.options());
    auto cora = w.tab(b2, kCora, w.options());
    w.loop.advance(100);
    auto learning = leader->engine->create(Kind::leader_learning, "This week: drills matter.", std::nullopt);
    REQUIRE(learning.ok());
    settle(w, *leader);
    cora->engine->sync_now();
    settle(w, *cora);
    REQUIRE_FALSE(cora->engine->flag(learning->id, "testing the queue"));
    settle(w, *cora);
    cora->engine->refresh_flags();
    settle(w, *cora);
    REQUIRE(cora->engine->flags().size() == 1);
    CHECK(cora->engine->flags()[0].post.id == learning->id);
    CHECK(cora->engine->flags()[0].reasons == std::vector<std::string>{"testing the queue"});
    leader->engine->sync_now();
    w.loop.advance(301'000);   // the spotlight is refreshed every few minutes
    settle(w, *leader);
    REQUIRE(leader->engine->spotlight().size() == 1);
    CHECK(leader->engine->spotlight()[0].id == learning->id);
    CHECK(leader->engine->flags().empty());
}

TEST_CASE("sync: a leader's learning is in the spotlight at once, and the server's list follows") {
    World w;
    auto& b = w.browser();
    const Person lead{"u-lead", "Lee", Role::leader};
    auto leader = w.tab(b, lead, w.options());
    w.loop.advance(100);
    settle(w, *leader);
    REQUIRE(leader->engine->spotlight().empty());
    w.api_down = true;   // before anything reaches the server
    auto learning = leader->engine->create(Kind::leader_learning, "Walk the exits every Monday.", std::nullopt);
    REQUIRE(learning.ok());
    REQUIRE(leader->engine->spotlight().size() == 1);
    CHECK(leader->engine->spotlight()[0].id == learning->id);
    auto tip = leader->engine->create(Kind::tip, "Not a learning.", std::nullopt);
    REQUIRE(tip.ok());
    CHECK(leader->engine->spotlight().size() == 1);   // other kinds are not spotlighted
    w.api_down = false;
    leader->engine->sync_now();
    settle(w, *leader);
    w.loop.advance(1000);
    // Sent: it stays (from the server's answer), and the server's next list has it too.
    REQUIRE(leader->engine->spotlight().size() == 1);
    CHECK(leader->engine->spotlight()[0].id == learning->id);
    CHECK(leader->engine->spotlight()[0].rev > 0);
    w.loop.advance(301'000);
    settle(w, *leader);
    REQUIRE(leader->engine->spotlight().size() == 1);
    CHECK(leader->engine->spotlight()[0].id == learning->id);
    CHECK(leader->engine->spotlight()[0].rev > 0);
}

TEST_CASE("sync: Keep visible shows a post the flags hid at once, offline, and the server agrees") {
    World w;
    w.server.auto_hide_flags = 3;   // the server's default: three people's flags hide a post
    w.server.restart();
    auto& b_ann = w.browser();
    auto& b_cora = w.browser();
    auto ann = w.tab(b_ann, kAnn, w.options());
    auto cora = w.tab(b_cora, kCora, w.options());
    w.loop.advance(100);
    auto post = ann->engine->create(Kind::insight, "Drills beat posters.", std::nullopt);
    REQUIRE(post.ok());
    settle(w, *ann);
    // Three people flag it: the server hides it until a curator looks.
    for (const Person& who : {kBob, Person{"u-dan", "Dan", Role::learner}, Person{"u-eve", "Eve", Role::learner}}) {
        auto& b = w.browser();
        auto t = w.tab(b, who, w.options());
        w.loop.advance(100);
        settle(w, *t);
        REQUIRE_FALSE(t->engine->flag(post->id, "spam"));
        settle(w, *t);
    }
    REQUIRE(w.server_posts(kAnn)[post->id].hidden);
    cora->engine->sync_now();
    cora->engine->refresh_flags();
    settle(w, *cora);
    REQUIRE(cora->engine->flags().size() == 1);
    CHECK(cora->engine->flags()[0].hidden_by_flags);
    REQUIRE(shown(*cora, post->id));
    CHECK(shown(*cora, post->id)->post().hidden);

    // Offline: shown again and out of the queue at once, and queued (it survives a reload).
    w.api_down = true;
    REQUIRE_FALSE(cora->engine->keep_visible(post->id));
    CHECK(cora->engine->flags().empty());
    CHECK_FALSE(shown(*cora, post->id)->post().hidden);
    CHECK(shown(*cora, post->id)->state == LocalState::pending);
    w.loop.advance(100);
    REQUIRE(b_cora.storage.modules["m1"].outbox.size() == 1);
    CHECK(Json::parse(b_cora.storage.modules["m1"].outbox.begin()->second)["op"] == "dismiss_flags");
    cora->reload();
    w.loop.advance(100);
    REQUIRE(shown(*cora, post->id));
    CHECK_FALSE(shown(*cora, post->id)->post().hidden);
    CHECK(w.server_posts(kAnn)[post->id].hidden);   // nothing reached the server yet

    w.api_down = false;
    cora->engine->sync_now();
    settle(w, *cora);
    CHECK(count_requests(*cora, "DELETE", "/posts/" + post->id + "/flags") >= 1);
    CHECK(b_cora.storage.modules["m1"].outbox.empty());
    CHECK_FALSE(shown(*cora, post->id)->post().hidden);
    CHECK(shown(*cora, post->id)->state == LocalState::synced);
    CHECK_FALSE(w.server_posts(kAnn)[post->id].hidden);   // the learner sees it again
    cora->engine->refresh_flags();
    settle(w, *cora);
    CHECK(cora->engine->flags().empty());
    // Learners cannot dismiss flags.
    REQUIRE(ann->engine->keep_visible(post->id));
}

TEST_CASE("sync: startup reads the packed copy and the few posts changed since, not every record") {
    World w;
    auto& b1 = w.browser();
    auto& b2 = w.browser();
    auto writer = w.tab(b1, kBob, w.options());
    w.loop.advance(100);
    std::vector<std::string> ids;
    for (int i = 0; i < 300; ++i) ids.push_back(writer->engine->create(Kind::insight, "post " + std::to_string(i), std::nullopt)->id);
    settle(w, *writer, 600'000);
    auto reader = w.tab(b2, kAnn, w.options());   // a first visit: one full pull, packed at once
    w.loop.advance(100);
    settle(w, *reader);
    REQUIRE(reader->engine->posts().size() == 300);
    auto& m = b2.storage.modules["m1"];
    CHECK(m.posts.size() == 300);
    REQUIRE(m.meta.count(kMetaPacked));

    b2.storage.post_reads = 0;
    reader->reload();
    w.loop.advance(100);
    CHECK(reader->engine->posts().size() == 300);
    CHECK(b2.storage.post_reads == 0);   // one packed record, no post records

    REQUIRE_FALSE(writer->engine->edit(ids[3], "post 3, edited"));
    REQUIRE_FALSE(writer->engine->edit(ids[7], "post 7, edited"));
    settle(w, *writer);
    reader->engine->sync_now();
    settle(w, *reader);
    b2.storage.post_reads = 0;
    reader->reload();
    w.loop.advance(100);
    CHECK(b2.storage.post_reads == 2);   // the packed copy plus the two changed posts
    CHECK(shown(*reader, ids[3])->post().body == "post 3, edited");
    CHECK(shown(*reader, ids[7])->post().body == "post 7, edited");

    SUBCASE("a damaged post record: the rest shows, everything is fetched again") {
        m.posts[ids[7]] = "[\"truncated";
        reader->reload();
        w.loop.advance(100);
        CHECK(reader->engine->posts().size() == 300);   // its older packed version stands in
        bool warned = false;
        for (const auto& text : reader->page.warnings) warned = warned || text.find("could not be read") != std::string::npos;
        CHECK(warned);
        settle(w, *reader);
        CHECK(reader->engine->posts().size() == 300);
        CHECK(shown(*reader, ids[7])->post().body == "post 7, edited");
        CHECK(m.posts[ids[7]].find("post 7, edited") != std::string::npos);
    }
    SUBCASE("many changes: the copy is packed again and the dirty list stays short") {
        for (int i = 0; i < 280; ++i) REQUIRE_FALSE(writer->engine->edit(ids[i], "again " + std::to_string(i)));
        settle(w, *writer, 600'000);
        reader->engine->sync_now();
        settle(w, *reader);
        const auto meta = read_sync_meta(m.meta[kMetaSync]);
        CHECK(meta.meta.dirty.size() < 10);
        b2.storage.post_reads = 0;
        reader->reload();
        w.loop.advance(100);
        CHECK(b2.storage.post_reads < 10);
        CHECK(shown(*reader, ids[279])->post().body == "again 279");
        CHECK(shown(*reader, ids[7])->post().body == "again 7");
    }
}

// The web frame loop holds its next frame while a new post is saved (the browser delivers the
// write's completion only when the main thread is free); the engine says when, and asks for a
// frame once the write is answered, also when storage refuses it.
TEST_CASE("sync: saving_new_post holds from create() until storage answers, then asks for a frame") {
    World w;
    auto& browser = w.browser();
    auto tab = w.tab(browser, kAnn, w.options());
    w.loop.advance(100);
    REQUIRE(tab->engine->loaded());
    CHECK_FALSE(tab->engine->saving_new_post());

    REQUIRE(tab->engine->create(Kind::insight, "Saved before the next frame", std::nullopt).ok());
    CHECK(tab->engine->saving_new_post());
    const int changes = tab->page.changes;
    w.loop.run_ready();   // the storage write is answered
    CHECK_FALSE(tab->engine->saving_new_post());
    CHECK(tab->page.changes > changes);

    // An edit is not a new post: nothing is held for it.
    const std::string id = tab->engine->posts().front().post().id;
    REQUIRE_FALSE(tab->engine->edit(id, "Edited"));
    CHECK_FALSE(tab->engine->saving_new_post());

    browser.storage.fail_writes = true;
    REQUIRE(tab->engine->create(Kind::insight, "Storage refuses this one", std::nullopt).ok());
    CHECK(tab->engine->saving_new_post());
    w.loop.run_ready();
    CHECK_FALSE(tab->engine->saving_new_post());   // refused: frames go on (the banner says why)
}

TEST_CASE("sync: a flag waits for its Undo - undone, nothing is sent - kept, it is sent once") {
    World w;
    auto& b_ann = w.browser();
    auto& b_bob = w.browser();
    auto ann = w.tab(b_ann, kAnn, w.options());
    auto bob = w.tab(b_bob, kBob, w.options());
    auto bob2 = w.tab(b_bob, kBob, w.options());   // a second tab of Bob's: it must wait as well
    w.loop.advance(100);
    auto post = ann->engine->create(Kind::insight, "Drills beat posters.", std::nullopt);
    REQUIRE(post.ok());
    settle(w, *ann);
    bob->engine->sync_now();
    settle(w, *bob);
    REQUIRE(shown(*bob, post->id));

    // Flagged, then undone within the wait: nothing reaches the server, nothing stays queued.
    REQUIRE_FALSE(bob->engine->flag(post->id, "spam", "ads"));
    CHECK(bob->engine->flag_undoable(post->id));
    w.loop.advance(2'000);
    CHECK(count_requests(*bob, "POST", "/flags") + count_requests(*bob2, "POST", "/flags") == 0);
    CHECK(b_bob.storage.modules["m1"].outbox.size() == 1);
    REQUIRE(bob->engine->undo_flag(post->id));
    CHECK_FALSE(bob->engine->flag_undoable(post->id));
    CHECK_FALSE(bob->engine->undo_flag(post->id));
    w.loop.advance(30'000);
    CHECK(count_requests(*bob, "POST", "/flags") + count_requests(*bob2, "POST", "/flags") == 0);
    CHECK(b_bob.storage.modules["m1"].outbox.empty());
    CHECK(bob->engine->status().pending == 0);

    // Flagged and left: sent once, about when the wait is over, by one of the two tabs.
    REQUIRE_FALSE(bob->engine->flag(post->id, "spam"));
    w.loop.advance(4'000);
    CHECK(count_requests(*bob, "POST", "/flags") + count_requests(*bob2, "POST", "/flags") == 0);
    w.loop.advance(2'000);
    CHECK(count_requests(*bob, "POST", "/flags") + count_requests(*bob2, "POST", "/flags") == 1);
    settle(w, *bob);
    CHECK_FALSE(bob->engine->flag_undoable(post->id));
    CHECK_FALSE(bob->engine->undo_flag(post->id));   // on its way: too late
    CHECK(b_bob.storage.modules["m1"].outbox.empty());

    // A page closed during the wait: the stored flag is sent by the next page, after the wait.
    auto dan_p = Person{"u-dan", "Dan", Role::learner};
    auto& b_dan = w.browser();
    auto dan = w.tab(b_dan, dan_p, w.options());
    w.loop.advance(100);
    settle(w, *dan);
    REQUIRE_FALSE(dan->engine->flag(post->id, "off-topic"));
    w.loop.advance(500);
    REQUIRE(b_dan.storage.modules["m1"].outbox.size() == 1);
    CHECK(Json::parse(b_dan.storage.modules["m1"].outbox.begin()->second).contains("hold"));
    dan->reload();
    w.loop.advance(100);
    CHECK(dan->engine->flag_undoable(post->id));   // the wait is read back from storage
    settle(w, *dan);
    CHECK(count_requests(*dan, "POST", "/flags") == 1);
    CHECK(b_dan.storage.modules["m1"].outbox.empty());
}

TEST_CASE("sync: only the widget that shows the page's spotlight line fetches it") {
    World w;
    auto& b = w.browser();
    SyncOptions quiet = w.options();
    quiet.spotlight = false;   // another widget of the page shows the line
    auto ann = w.tab(b, kAnn, quiet);
    w.loop.advance(100);
    settle(w, *ann);
    ann->engine->sync_now();
    settle(w, *ann);
    CHECK(count_requests(*ann, "GET", "/spotlight") == 0);
    // The widget that showed it went away: this one shows the line now, and fetches it once.
    ann->engine->want_spotlight(true);
    settle(w, *ann);
    CHECK(count_requests(*ann, "GET", "/spotlight") == 1);
    ann->engine->want_spotlight(true);
    ann->engine->sync_now();
    settle(w, *ann);
    CHECK(count_requests(*ann, "GET", "/spotlight") == 1);   // then every few minutes, as before
}

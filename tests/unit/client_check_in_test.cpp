// Commitments and check-ins on the client (API 1.1) against the real server logic in process:
// the due check-ins are the author's only, an answer is queued, survives a reload, reaches the
// server once and shows on the post for another person; the outbox record and request for it.
#include <doctest/doctest.h>

#include <algorithm>

#include "sync_world.hpp"
#include "grove/client/cache_format.hpp"

using namespace grove;
using namespace grove::sim;

namespace {

const Person kAnn{"u-ann", "Ann", Role::learner};
const Person kBob{"u-bob", "Bob", Role::learner};

constexpr std::int64_t kDay = 24LL * 60 * 60 * 1000;

// Long enough for a tab on the default options to ask for the shelf again.
std::int64_t o_resources_wait() { return SyncOptions{}.resources_every_ms + SyncOptions{}.poll_ms + 1'000; }

void settle(World& w, Tab& t, std::int64_t ms = 120'000) {
    REQUIRE(w.loop.run_until([&] { return t.engine->settled(); }, ms));
    w.loop.advance(50);
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

// A world whose check-ins come a day after a commitment, with tabs that poll every few minutes
// (a simulated day of 20 s polls would be thousands of cycles).
struct CheckInWorld {
    World w;
    CheckInWorld() {
        w.server.check_in_days = 1;
        w.server.restart();
    }
    SyncOptions options(const std::string& module = "m1") {
        SyncOptions o = w.options(module);
        o.poll_ms = 10 * 60'000;
        o.check_ins_every_ms = 10 * 60'000;
        return o;
    }
};

}  // namespace

TEST_CASE("check-ins: a due commitment is its author's, answered once, and shown to others") {
    CheckInWorld cw;
    World& w = cw.w;
    auto ann = w.tab(w.browser(), kAnn, cw.options(), 30 * kDay);
    auto bob = w.tab(w.browser(), kBob, cw.options(), 30 * kDay);
    w.loop.advance(100);
    auto made = ann->engine->create(Kind::commitment, "When I next run a drill, I will time the evacuation.", std::nullopt);
    REQUIRE(made.ok());
    settle(w, *ann);
    const std::string id = made->id;
    const ShownPost* p = shown(*ann, id);
    REQUIRE(p);
    REQUIRE(p->post().check_in_at_ms);
    CHECK(*p->post().check_in_at_ms == p->post().created_at_ms + kDay);
    CHECK(ann->engine->check_ins().empty());   // not due yet

    // Others cannot answer it; answers are checked like the server checks them.
    bob->engine->focused();
    w.loop.advance(5'000);
    REQUIRE(shown(*bob, id));
    auto refused = bob->engine->answer_check_in(id, Outcome::done, "");
    REQUIRE(refused);
    CHECK(refused->status == 403);
    auto too_long = ann->engine->answer_check_in(id, Outcome::done, std::string(281, 'x'));
    REQUIRE(too_long);
    CHECK(too_long->code == "too_long");
    CHECK(too_long->field == "note");
    auto insight = ann->engine->create(Kind::insight, "Not a plan.", std::nullopt);
    REQUIRE(insight.ok());
    auto not_commitment = ann->engine->answer_check_in(insight->id, Outcome::done, "");
    REQUIRE(not_commitment);
    CHECK(not_commitment->field == "kind");
    settle(w, *ann);
    CHECK(count_requests(*ann, "PUT", "/outcome") == 0);

    // A day later it is due: Ann's widget has it, Bob's does not.
    w.loop.advance(kDay + 15 * 60'000);
    REQUIRE(ann->engine->check_ins().size() == 1);
    CHECK(ann->engine->check_ins()[0].id == id);
    CHECK(bob->engine->check_ins().empty());

    auto answered = ann->engine->answer_check_in(id, Outcome::partly, "  Timed it once.  ");
    REQUIRE_FALSE(answered);
    CHECK(ann->engine->check_ins().empty());   // the card goes at once
    p = shown(*ann, id);
    REQUIRE(p);
    CHECK(p->state == LocalState::pending);
    REQUIRE(p->post().outcome);
    CHECK(*p->post().outcome == Outcome::partly);
    CHECK(p->post().outcome_note == "Timed it once.");
    settle(w, *ann);
    CHECK(count_requests(*ann, "PUT", "/outcome") == 1);

    const Post stored = w.server_posts(kBob).at(id);
    REQUIRE(stored.outcome);
    CHECK(*stored.outcome == Outcome::partly);
    CHECK(stored.outcome_note == "Timed it once.");
    CHECK(stored.check_ins == 1);
    REQUIRE(stored.check_in_at_ms);   // partly: asked again a check-in interval later
    CHECK(*stored.check_in_at_ms > w.loop.now());

    // Bob's widget shows the answer after its next pull.
    bob->engine->focused();
    w.loop.advance(5'000);
    p = shown(*bob, id);
    REQUIRE(p);
    REQUIRE(p->post().outcome);
    CHECK(*p->post().outcome == Outcome::partly);
    CHECK(p->post().outcome_note == "Timed it once.");

    // The next GET /me/check-ins does not bring it back before it is due again.
    w.loop.advance(20 * 60'000);
    CHECK(ann->engine->check_ins().empty());
}

TEST_CASE("check-ins: an answer made offline is stored, survives a reload and is sent once") {
    CheckInWorld cw;
    World& w = cw.w;
    auto& browser = w.browser();
    auto ann = w.tab(browser, kAnn, cw.options(), 30 * kDay);
    w.loop.advance(100);
    auto made = ann->engine->create(Kind::commitment, "When a visitor signs in, I will show them the exits.", std::nullopt);
    REQUIRE(made.ok());
    settle(w, *ann);
    w.loop.advance(kDay + 15 * 60'000);
    REQUIRE(ann->engine->check_ins().size() == 1);

    w.api_down = true;
    REQUIRE_FALSE(ann->engine->answer_check_in(made->id, Outcome::done, "Did it twice."));
    w.loop.advance(100);
    auto& outbox = browser.storage.modules["m1"].outbox;
    REQUIRE(outbox.size() == 1);
    const Json record = Json::parse(outbox.begin()->second);
    CHECK(record["v"] == 2);   // a version 1 widget leaves it in storage
    CHECK(record["op"] == "outcome");
    CHECK(record["outcome"] == "done");
    CHECK(record["note"] == "Did it twice.");

    ann->reload();
    w.loop.advance(1'000);
    const ShownPost* p = shown(*ann, made->id);
    REQUIRE(p);
    CHECK(p->state == LocalState::pending);
    REQUIRE(p->post().outcome);
    CHECK(*p->post().outcome == Outcome::done);

    w.api_down = false;
    ann->engine->sync_now();
    settle(w, *ann);
    CHECK(outbox.empty());
    const Post stored = w.server_posts(kAnn).at(made->id);
    REQUIRE(stored.outcome);
    CHECK(*stored.outcome == Outcome::done);
    CHECK(stored.check_ins == 1);   // answered once, however often it was tried
    CHECK_FALSE(stored.check_in_at_ms);   // done: not asked again
    CHECK(ann->engine->check_ins().empty());
}

TEST_CASE("check-ins: Ask me later holds across a reload, for that person and that day only") {
    CheckInWorld cw;
    World& w = cw.w;
    auto& browser = w.browser();
    auto ann = w.tab(browser, kAnn, cw.options(), 30 * kDay);
    w.loop.advance(100);
    auto made = ann->engine->create(Kind::commitment, "When I next plan a drill, I will invite the new starters.", std::nullopt);
    REQUIRE(made.ok());
    settle(w, *ann);
    w.loop.advance(kDay + 15 * 60'000);
    REQUIRE(ann->engine->check_ins().size() == 1);
    const std::int64_t day = 20'000;
    CHECK_FALSE(ann->engine->check_in_put_off(made->id, day));
    ann->engine->put_check_in_off(made->id, day);
    w.loop.advance(100);
    auto& meta = browser.storage.modules["m1"].meta;
    REQUIRE(meta.count("later:u-ann") == 1);
    const Json record = Json::parse(meta.at("later:u-ann"));
    CHECK(record["user"] == "u-ann");
    CHECK(record["days"][made->id] == day);

    ann->reload();
    w.loop.advance(1'000);
    CHECK(ann->engine->check_in_put_off(made->id, day));
    CHECK_FALSE(ann->engine->check_in_put_off(made->id, day + 1));   // the next day it is asked again
    CHECK(ann->engine->check_ins().size() == 1);                      // still due: only the card waits

    // Another person on this computer: Ann's choice is not theirs.
    auto bob = w.tab(browser, kBob, cw.options(), 30 * kDay);
    w.loop.advance(1'000);
    CHECK_FALSE(bob->engine->check_in_put_off(made->id, day));

    // A record that cannot be read is deleted on load and hides nothing; a bad entry is left out.
    bob.reset();
    meta["later:u-ann"] = R"({"v":1,"user":"u-bob","days":{")" + made->id + R"(":20000}})";
    meta["later:u-bob"] = R"({"v":1,"user":"u-bob","days":{"not an id!":20000,"p1":"x"}})";
    ann->reload();
    w.loop.advance(1'000);
    CHECK_FALSE(ann->engine->check_in_put_off(made->id, day));
    CHECK(meta.count("later:u-ann") == 0);
    CHECK(meta.count("later:u-bob") == 1);
}

TEST_CASE("check-ins: a commitment of another module is answered from any module's widget") {
    CheckInWorld cw;
    World& w = cw.w;
    auto& browser = w.browser();
    auto on_m1 = w.tab(browser, kAnn, cw.options("m1"), 30 * kDay);
    w.loop.advance(100);
    auto made = on_m1->engine->create(Kind::commitment, "When I next lock up, I will check the fire door.", std::nullopt);
    REQUIRE(made.ok());
    settle(w, *on_m1);
    on_m1.reset();   // that page is closed

    auto on_m2 = w.tab(browser, kAnn, cw.options("m2"), 30 * kDay);
    w.loop.advance(kDay + 15 * 60'000);
    REQUIRE(on_m2->engine->check_ins().size() == 1);
    CHECK(on_m2->engine->check_ins()[0].module == "m1");
    REQUIRE_FALSE(on_m2->engine->answer_check_in(made->id, Outcome::not_yet, ""));
    settle(w, *on_m2);
    CHECK(count_requests(*on_m2, "PUT", "/outcome") == 1);
    CHECK(on_m2->engine->posts().empty());   // m2's thread shows nothing of m1
    const Post stored = w.server_posts(kAnn, "m1").at(made->id);
    REQUIRE(stored.outcome);
    CHECK(*stored.outcome == Outcome::not_yet);
    CHECK(browser.storage.modules["m2"].outbox.empty());
}

TEST_CASE("check-ins: the outcome request and its outbox record") {
    OutboxEntry e;
    e.key = make_write_key(1'790'000'000'000, 7, 1);
    e.user = "u-ann";
    e.op = WriteOp::outcome;
    e.post_id = "P1";
    e.created_ms = 1'790'000'000'000;
    e.outcome = Outcome::not_yet;
    e.note = "Next week.";
    const HttpRequest r = to_http_request(e, "https://x.example/api/v1", "m1");
    CHECK(r.method == "PUT");
    CHECK(r.url == "https://x.example/api/v1/posts/P1/outcome");
    const Json body = Json::parse(r.body);
    CHECK(body == Json{{"outcome", "not_yet"}, {"note", "Next week."}});

    const std::string record = encode_outbox_record(e);
    CHECK(Json::parse(record)["v"] == 2);
    const DecodedOutboxRecord d = decode_outbox_record({e.key, record});
    REQUIRE(d.result == DecodedOutboxRecord::Result::ok);
    CHECK(d.entry == e);

    // The writes a version 1 widget knows stay version 1 records, so it still sends them.
    OutboxEntry flag = e;
    flag.op = WriteOp::flag;
    flag.reason = "spam";
    CHECK(Json::parse(encode_outbox_record(flag))["v"] == 1);

    // A damaged outcome record is unreadable (and a newer one left alone).
    CHECK(decode_outbox_record({"K", R"({"v":2,"op":"outcome","post":"P1","user":"u-ann","outcome":"maybe"})"}).result ==
          DecodedOutboxRecord::Result::unreadable);
    CHECK(decode_outbox_record({"K", R"({"v":4,"op":"outcome","post":"P1","user":"u-ann","outcome":"done"})"}).result ==
          DecodedOutboxRecord::Result::newer);
}

TEST_CASE("resources: the shelf a curator fills reaches a learner, and shows again offline") {
    World w;
    const Person cora{"u-cora", "Cora", Role::curator};
    const std::string token = w.server.token(cora.id, cora.name, cora.role, 3600'000);
    auto add = [&](const std::string& id, const std::string& title, const std::string& url) {
        const HttpResponse r = w.server.handle(HttpRequest{
            "POST", std::string(RouterServer::kApi) + "/modules/m1/resources",
            {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
            dump(Json{{"id", id}, {"title", title}, {"url", url}, {"note", "Read it."}}), 0});
        REQUIRE(r.status == 201);
    };
    add("r1", "Extinguisher checklist", "https://intranet.example/fire/checklist.pdf");
    add("r2", "Evacuation plan", "https://intranet.example/fire/plan");

    auto& browser = w.browser();
    SyncOptions o = w.options();
    auto ann = w.tab(browser, kAnn, o);
    w.loop.advance(1'000);
    REQUIRE(ann->engine->resources().size() == 2);
    CHECK(ann->engine->resources()[0].title == "Extinguisher checklist");
    CHECK(ann->engine->resources()[1].url == "https://intranet.example/fire/plan");

    // Reordered on the server: the next ask (a minute later) brings the new order.
    const HttpResponse moved = w.server.handle(HttpRequest{
        "PATCH", std::string(RouterServer::kApi) + "/resources/r2",
        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}}, R"({"position":0})", 0});
    REQUIRE(moved.status == 200);
    w.loop.advance(o.resources_every_ms + o.poll_ms);
    REQUIRE(ann->engine->resources().size() == 2);
    CHECK(ann->engine->resources()[0].id == "r2");

    // Offline after a reload: the cached shelf.
    w.api_down = true;
    ann->reload();
    w.loop.advance(1'000);
    REQUIRE(ann->engine->resources().size() == 2);
    CHECK(ann->engine->resources()[0].id == "r2");

    // A damaged or foreign entry in the cache is left out, the rest kept.
    auto& meta = browser.storage.modules["m1"].meta;
    Json stored = Json::parse(meta.at(kMetaResources));
    stored["resources"][0]["url"] = "javascript:alert(1)";
    stored["resources"].push_back(stored["resources"][1]);
    stored["resources"][2]["module"] = "m2";
    meta[kMetaResources] = dump(stored);
    ann->reload();
    w.loop.advance(1'000);
    REQUIRE(ann->engine->resources().size() == 1);
    CHECK(ann->engine->resources()[0].id == "r1");
}

TEST_CASE("resources: a curator adds, edits, moves and removes offline, each reaching the server once") {
    World w;
    const Person cora{"u-cora", "Cora", Role::curator};
    auto& browser = w.browser();
    auto cur = w.tab(browser, cora, w.options());
    auto ann = w.tab(w.browser(), kAnn, w.options());
    w.loop.advance(1'000);

    // Learners cannot; bad input is refused before anything is queued.
    CHECK(ann->engine->add_resource("Checklist", "https://x.example/c", "").error().status == 403);
    CHECK(cur->engine->add_resource("Checklist", "javascript:alert(1)", "").error().field == "url");
    CHECK(cur->engine->add_resource("", "https://x.example/c", "").error().code == "empty");
    CHECK(browser.storage.modules["m1"].outbox.empty());

    w.api_down = true;
    auto a = cur->engine->add_resource("Checklist", "https://x.example/c", "Print it.");
    REQUIRE(a.ok());
    auto b = cur->engine->add_resource("Plan", "https://x.example/p", "");
    REQUIRE(b.ok());
    REQUIRE_FALSE(cur->engine->move_resource(b->id, 0));
    REQUIRE_FALSE(cur->engine->edit_resource(a->id, "Extinguisher checklist", "https://x.example/c", "Print it."));
    REQUIRE(cur->engine->resources().size() == 2);
    CHECK(cur->engine->resources()[0].id == b->id);   // shown at once, in the new order
    CHECK(cur->engine->resources()[1].title == "Extinguisher checklist");
    w.loop.advance(100);
    for (const auto& [key, record] : browser.storage.modules["m1"].outbox) CHECK(Json::parse(record)["v"] == 2);

    cur->reload();
    w.loop.advance(1'000);
    REQUIRE(cur->engine->resources().size() == 2);
    CHECK(cur->engine->resources()[0].id == b->id);

    w.api_down = false;
    cur->engine->sync_now();
    settle(w, *cur);
    CHECK(browser.storage.modules["m1"].outbox.empty());
    CHECK(count_requests(*cur, "POST", "/resources") >= 2);

    ann->engine->focused();
    w.loop.advance(o_resources_wait());
    REQUIRE(ann->engine->resources().size() == 2);
    CHECK(ann->engine->resources()[0].id == b->id);
    CHECK(ann->engine->resources()[1].title == "Extinguisher checklist");
    CHECK(ann->engine->resources()[1].added_by.id == "u-cora");

    REQUIRE_FALSE(cur->engine->remove_resource(b->id));
    CHECK(cur->engine->resources().size() == 1);
    settle(w, *cur);
    w.loop.advance(o_resources_wait());
    REQUIRE(ann->engine->resources().size() == 1);
    CHECK(ann->engine->resources()[0].id == a->id);
    CHECK(ann->engine->resources()[0].position == 0);
}

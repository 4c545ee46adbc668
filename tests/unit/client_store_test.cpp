// ClientStore: the view is the server's snapshot with the person's queued writes on top.
#include <doctest/doctest.h>

#include "grove/client/client_store.hpp"

using namespace grove;

namespace {

const Identity kAnn{"u-ann", "Ann", Role::learner, true};
const Identity kCurator{"u-cur", "Cora", Role::curator, true};

Post server_post(const std::string& id, std::int64_t rev, const std::string& author = "u-bob") {
    Post p;
    p.id = id;
    p.module = "m";
    p.body = "server body of " + id;
    p.author = Author{author, author == "u-ann" ? "Ann" : "Bob", Role::learner};
    p.created_at_ms = 1000;
    p.rev = rev;
    return p;
}

OutboxEntry write(const std::string& key, WriteOp op, const std::string& post, const std::string& user = "u-ann") {
    OutboxEntry e;
    e.key = key;
    e.op = op;
    e.post_id = post;
    e.user = user;
    e.created_ms = 5000;
    return e;
}

const ShownPost* find(const ClientStore& s, const std::string& id) {
    for (const ShownPost& p : s.view())
        if (p.post().id == id) return &p;
    return nullptr;
}

}  // namespace

TEST_CASE("store: a queued create shows at once as pending, then as the server's post") {
    ClientStore s("m");
    s.set_me(kAnn);
    OutboxEntry c = write("k1", WriteOp::create, "NEW");
    c.body = "my reflection";
    c.kind = Kind::tip;
    s.enqueue(c);
    const ShownPost* p = find(s, "NEW");
    REQUIRE(p);
    CHECK(p->state == LocalState::pending);
    CHECK(p->post().body == "my reflection");
    CHECK(p->post().kind == Kind::tip);
    CHECK(p->post().author.id == "u-ann");
    CHECK(p->post().author.name == "Ann");
    CHECK(p->post().module == "m");
    CHECK(s.pending_count() == 1);

    Post stored = server_post("NEW", 10, "u-ann");
    stored.body = "my reflection";
    s.merge(stored);
    s.remove("k1");
    p = find(s, "NEW");
    REQUIRE(p);
    CHECK(p->state == LocalState::synced);
    CHECK(p->post() == stored);
    CHECK(s.pending_count() == 0);
    CHECK(s.view().size() == 1);
}

TEST_CASE("store: edits, endorsements, pins and hides apply on top of the snapshot") {
    ClientStore s("m");
    s.set_me(kCurator);
    s.replace_snapshot({server_post("A", 1), server_post("B", 2)});
    OutboxEntry e = write("k1", WriteOp::edit, "A", "u-cur");
    e.body = "edited";
    s.enqueue(e);
    OutboxEntry en = write("k2", WriteOp::endorse, "B", "u-cur");
    en.value = true;
    s.enqueue(en);
    OutboxEntry pin = write("k3", WriteOp::pin, "B", "u-cur");
    pin.value = true;
    s.enqueue(pin);
    OutboxEntry hide = write("k4", WriteOp::hide, "A", "u-cur");
    hide.value = true;
    s.enqueue(hide);

    const ShownPost* a = find(s, "A");
    const ShownPost* b = find(s, "B");
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->post().body == "edited");
    CHECK(a->post().edited_at_ms == std::optional<std::int64_t>(5000));
    CHECK(a->post().hidden);
    CHECK(b->post().endorsed_by_me);
    CHECK(b->post().endorsements == 1);
    CHECK(b->post().leader_endorsed);   // a curator's endorsement is trusted
    CHECK(b->post().pinned);
    CHECK(a->state == LocalState::pending);
    CHECK(s.server_post("A")->body == "server body of A");   // the snapshot is untouched

    SUBCASE("an unendorse queued after takes it back") {
        OutboxEntry un = write("k5", WriteOp::endorse, "B", "u-cur");
        un.value = false;
        s.enqueue(un);
        b = find(s, "B");
        CHECK_FALSE(b->post().endorsed_by_me);
        CHECK(b->post().endorsements == 0);
    }
}

TEST_CASE("store: posts without queued writes are shown from the snapshot itself, not copied") {
    ClientStore s("m");
    s.set_me(kAnn);
    s.replace_snapshot({server_post("A", 1), server_post("B", 1)});
    // No copy: the view's post is the snapshot's (10,000 cached posts are not held twice).
    REQUIRE(find(s, "A"));
    CHECK(&find(s, "A")->post() == s.server_post("A"));
    CHECK(&find(s, "B")->post() == s.server_post("B"));

    // A queued write: its own copy with the write applied; the snapshot keeps the server's text.
    OutboxEntry e = write("k1", WriteOp::edit, "A");
    e.body = "edited";
    s.enqueue(e);
    REQUIRE(find(s, "A"));
    CHECK(&find(s, "A")->post() != s.server_post("A"));
    CHECK(find(s, "A")->post().body == "edited");
    CHECK(s.server_post("A")->body == "server body of A");

    // A newer server version of B, and A's write acknowledged: both shown from the snapshot again.
    Post b2 = server_post("B", 2);
    b2.body = "second version";
    CHECK(s.merge(b2));
    CHECK(s.remove("k1"));
    CHECK(&find(s, "B")->post() == s.server_post("B"));
    CHECK(find(s, "B")->post().body == "second version");
    CHECK(&find(s, "A")->post() == s.server_post("A"));
    CHECK(find(s, "A")->post().body == "server body of A");

    // A full resync replaces the snapshot: the view refers to the new posts, never to freed ones.
    s.replace_snapshot({server_post("C", 1)});
    CHECK(s.view().size() == 1);
    CHECK(&find(s, "C")->post() == s.server_post("C"));
}

TEST_CASE("store: a queued delete hides the post - a refused one shows it with the error") {
    ClientStore s("m");
    s.set_me(kAnn);
    s.replace_snapshot({server_post("A", 1, "u-ann")});
    s.enqueue(write("k1", WriteOp::remove, "A"));
    CHECK(find(s, "A") == nullptr);
    CHECK(s.pending_count() == 1);

    OutboxEntry refused = write("k1", WriteOp::remove, "A");
    refused.failed = true;
    refused.error_message = "Only the author can delete a post.";
    s.update(refused);
    const ShownPost* a = find(s, "A");
    REQUIRE(a);
    CHECK(a->state == LocalState::failed);
    CHECK(a->error == "Only the author can delete a post.");
    CHECK(a->failed_write == s.find_key("k1")->handle);
    CHECK(s.pending_count() == 0);
    CHECK(s.failed_count() == 1);
}

TEST_CASE("store: a deleted post stays visible while a write to it was refused") {
    ClientStore s("m");
    s.set_me(kAnn);
    Post gone = server_post("A", 3);
    gone.deleted = true;
    gone.body.clear();
    s.replace_snapshot({gone});
    CHECK(s.view().empty());
    OutboxEntry e = write("k1", WriteOp::endorse, "A");
    e.value = true;
    e.failed = true;
    e.error_message = "There is no such post.";
    s.enqueue(e);
    REQUIRE(find(s, "A"));
    CHECK(find(s, "A")->post().deleted);
    CHECK(find(s, "A")->state == LocalState::failed);
    s.remove("k1");
    CHECK(s.view().empty());
}

TEST_CASE("store: merge keeps the newest revision") {
    ClientStore s("m");
    Post p5 = server_post("A", 5);
    p5.body = "five";
    Post p3 = server_post("A", 3);
    p3.body = "three";
    CHECK(s.merge(p5));
    CHECK_FALSE(s.merge(p3));
    CHECK(s.server_post("A")->body == "five");
    CHECK_FALSE(s.merge(p5));   // the same again changes nothing
    Post p6 = server_post("A", 6);
    CHECK(s.merge(p6));
    CHECK(find(s, "A")->post().rev == 6);
}

TEST_CASE("store: only the current person's queued writes apply") {
    ClientStore s("m");
    s.replace_snapshot({server_post("A", 1)});
    OutboxEntry other = write("k1", WriteOp::edit, "A", "u-someone-else");
    other.body = "not mine";
    s.enqueue(other);
    OutboxEntry early = write("k2", WriteOp::endorse, "A", "");   // no author (an old version's)
    early.value = true;
    s.enqueue(early);
    OutboxEntry mine = write("k3", WriteOp::pin, "A");
    mine.value = true;
    s.enqueue(mine);

    SUBCASE("before anyone is signed in, nobody's apply") {
        CHECK(find(s, "A")->post().body == "server body of A");
        CHECK_FALSE(find(s, "A")->post().pinned);
        CHECK(find(s, "A")->state == LocalState::synced);
        CHECK(s.pending_count() == 0);
    }
    SUBCASE("then only the reader's own; one without an author never") {
        s.set_me(kAnn);
        CHECK(find(s, "A")->post().body == "server body of A");
        CHECK_FALSE(find(s, "A")->post().endorsed_by_me);
        CHECK(find(s, "A")->post().pinned);
        CHECK(s.pending_count() == 1);
    }
    SUBCASE("and another person's when they are the reader") {
        s.set_me(Identity{"u-someone-else", "Sam", Role::learner, true});
        CHECK(find(s, "A")->post().body == "not mine");
        CHECK_FALSE(find(s, "A")->post().pinned);
        CHECK(s.pending_count() == 1);
    }
}

TEST_CASE("store: the snapshot's endorsement marks are shown to its owner only") {
    ClientStore s("m");
    Post a = server_post("A", 1);
    a.endorsed_by_me = true;
    a.endorsements = 2;
    s.replace_snapshot({a, server_post("B", 2)});
    s.set_snapshot_owner("u-ann");

    CHECK_FALSE(find(s, "A")->post().endorsed_by_me);   // nobody signed in yet
    CHECK(find(s, "A")->post().endorsements == 2);      // the count is everyone's
    s.set_me(kAnn);
    CHECK(find(s, "A")->post().endorsed_by_me);
    s.set_me(kCurator);
    CHECK_FALSE(find(s, "A")->post().endorsed_by_me);
    CHECK_FALSE(s.shown("A")->post().endorsed_by_me);   // the incremental path too
    // The curator endorses while the snapshot is still Ann's: the answer is not taken into it as
    // Ann's mark, and the curator's own queued endorsement shows as theirs.
    OutboxEntry e = write("k1", WriteOp::endorse, "B", kCurator.id);
    e.value = true;
    s.enqueue(e);
    CHECK(find(s, "B")->post().endorsed_by_me);
    s.apply_endorsement_answer("B", 1, true);
    CHECK_FALSE(s.server_post("B")->endorsed_by_me);
    Post b = server_post("B", 3);
    b.endorsed_by_me = true;
    CHECK(s.merge(b));
    CHECK_FALSE(s.server_post("B")->endorsed_by_me);
    s.remove("k1");
    CHECK_FALSE(find(s, "B")->post().endorsed_by_me);
    s.set_snapshot_owner(kCurator.id);   // their own full pull replaced it
    s.replace_snapshot({b});
    CHECK(find(s, "B")->post().endorsed_by_me);
}

TEST_CASE("store: forgetting hidden text leaves every other post as it is") {
    ClientStore s("m");
    s.set_me(kCurator);
    Post h = server_post("H", 1);
    h.hidden = true;
    s.replace_snapshot({h, server_post("V", 2)});
    CHECK(find(s, "H")->post().body == "server body of H");
    s.forget_hidden_bodies();
    CHECK(find(s, "H")->post().body.empty());
    CHECK(find(s, "H")->post().hidden);
    CHECK(find(s, "V")->post().body == "server body of V");
}

TEST_CASE("store: the outbox stays in key order and handles stay stable across re-reads") {
    ClientStore s("m");
    s.set_me(kAnn);
    const auto h2 = s.enqueue(write("k2", WriteOp::flag, "A"), true);
    const auto h1 = s.enqueue(write("k1", WriteOp::flag, "A"), true);
    REQUIRE(s.outbox().size() == 2);
    CHECK(s.outbox()[0].entry.key == "k1");
    CHECK(h1 != h2);
    s.replace_outbox({write("k1", WriteOp::flag, "A"), write("k2", WriteOp::flag, "A")}, s.epoch());
    CHECK(s.find_key("k1")->handle == h1);
    CHECK(s.find_key("k2")->handle == h2);
}

TEST_CASE("store: re-reading the outbox keeps writes the read could not have seen") {
    ClientStore s("m");
    s.set_me(kAnn);
    s.enqueue(write("k1", WriteOp::flag, "A"), true);   // persisted long ago
    const std::uint64_t read_began = s.epoch();
    s.enqueue(write("k2", WriteOp::flag, "A"));         // saving...
    s.mark_persisted("k2");                              // ...saved after the read began
    s.enqueue(write("k3", WriteOp::flag, "A"));         // not saved yet
    // Storage answers the read: another tab sent k1; k2 and k3 are not in the answer.
    s.replace_outbox({write("k0", WriteOp::flag, "B")}, read_began);
    REQUIRE(s.outbox().size() == 3);
    CHECK(s.outbox()[0].entry.key == "k0");   // another tab's write
    CHECK(s.outbox()[1].entry.key == "k2");
    CHECK(s.outbox()[2].entry.key == "k3");
    // A later read that began after k2 was saved and lacks it: k2 was sent by another tab.
    s.replace_outbox({}, s.epoch());
    REQUIRE(s.outbox().size() == 1);
    CHECK(s.outbox()[0].entry.key == "k3");
}

TEST_CASE("store: the view follows many changes incrementally and equals a full rebuild") {
    ClientStore s("m");
    s.set_me(kAnn);
    std::vector<Post> posts;
    for (int i = 0; i < 200; ++i) posts.push_back(server_post("P" + std::to_string(i), i + 1));
    s.replace_snapshot(posts);
    CHECK(s.view().size() == 200);
    for (int i = 0; i < 200; i += 7) s.enqueue(write("d" + std::to_string(1000 + i), WriteOp::remove, "P" + std::to_string(i)));
    for (int i = 1; i < 200; i += 5) {
        OutboxEntry e = write("e" + std::to_string(1000 + i), WriteOp::edit, "P" + std::to_string(i));
        e.body = "edit " + std::to_string(i);
        s.enqueue(e);
    }
    Post changed = server_post("P3", 500);
    changed.body = "changed on the server";
    s.merge(changed);
    const std::vector<ShownPost> incremental = s.view();

    ClientStore fresh("m");
    fresh.set_me(kAnn);
    std::vector<Post> snapshot;
    for (const auto& [id, p] : s.snapshot()) snapshot.push_back(p);
    fresh.replace_snapshot(snapshot);
    for (const QueuedWrite& w : s.outbox()) fresh.enqueue(w.entry);
    REQUIRE(fresh.view().size() == incremental.size());
    for (const ShownPost& p : incremental) {
        const ShownPost* q = fresh.shown(p.post().id);
        REQUIRE(q);
        CHECK(q->post() == p.post());
        CHECK(q->state == p.state);
    }
    CHECK(s.shown("P3")->post().body == "changed on the server");
    CHECK(s.shown("P0") == nullptr);
}

TEST_CASE("store: answers without a post patch the snapshot until the next pull") {
    ClientStore s("m");
    s.set_me(kAnn);
    s.replace_snapshot({server_post("A", 1)});
    s.set_snapshot_owner(kAnn.id);
    s.apply_endorsement_answer("A", 4, true);
    CHECK(s.server_post("A")->endorsements == 4);
    CHECK(s.server_post("A")->endorsed_by_me);
    CHECK_FALSE(s.server_post("A")->leader_endorsed);   // a learner's endorsement is not
    s.apply_delete_answer("A");
    CHECK(s.server_post("A")->deleted);
    CHECK(s.view().empty());
}

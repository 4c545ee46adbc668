// The persisted cache format: round trips, and every way an old, newer or corrupt cache is read
// without a crash and without losing a queued write that can be read.
#include <doctest/doctest.h>

#include "grove/client/cache_format.hpp"
#include "grove/wire.hpp"

using namespace grove;

namespace {

Post sample_post() {
    Post p;
    p.id = "01JDXQ0M8Z4V2T9K3B6N5P7R1S";
    p.module = "fire-safety-101";
    p.parent_id = "PARENT_1";
    p.kind = Kind::question;
    p.body = "Line one\nline two, «ünïcode» 日本語 \"quoted\"";
    p.author = Author{"u-123", "Alice Smith", Role::leader};
    p.created_at_ms = 1'790'000'000'123;
    p.edited_at_ms = 1'790'000'100'456;
    p.endorsements = 3;
    p.endorsed_by_me = true;
    p.leader_endorsed = true;
    p.pinned = true;
    p.hidden = false;
    p.deleted = false;
    p.rev = 1234;
    return p;
}

OutboxEntry sample_entry(WriteOp op) {
    OutboxEntry e;
    e.key = make_write_key(1'790'000'000'000, 7, 1);
    e.user = "u-1";
    e.op = op;
    e.post_id = "P1";
    e.created_ms = 1'790'000'000'000;
    if (op == WriteOp::create) {
        e.kind = Kind::tip;
        e.parent_id = "PARENT";
    }
    if (op == WriteOp::create || op == WriteOp::edit) e.body = "body ✓";
    if (op == WriteOp::endorse || op == WriteOp::pin || op == WriteOp::hide) e.value = true;
    if (op == WriteOp::flag) {
        e.reason = "spam";
        e.details = "Posted the same link in five modules";
    }
    e.attempts = 2;
    return e;
}

StoredModule stored_with_sync_meta() {
    StoredModule s;
    SyncMeta meta;
    meta.user = Identity{"u-1", "Ann", Role::learner, true};
    meta.cursor = "CURSOR";
    meta.last_sync_ms = 1'790'000'000'000;
    s.meta.push_back({kMetaSync, encode_sync_meta(meta)});
    return s;
}

}  // namespace

TEST_CASE("cache format: a post record round-trips every field") {
    const Post p = sample_post();
    const std::string rec = encode_post_record(p);
    CHECK(rec.find('\n') == std::string::npos);   // one line: the IndexedDB port may join records with newlines
    auto back = decode_post_record(rec, p.module);
    REQUIRE(back.ok());
    CHECK(back.value() == p);

    Post top = p;
    top.parent_id.reset();
    top.edited_at_ms.reset();
    top.deleted = true;
    top.body.clear();
    auto back2 = decode_post_record(encode_post_record(top), top.module);
    REQUIRE(back2.ok());
    CHECK(back2.value() == top);
    // Smaller than the wire format, which matters with 10,000 cached posts.
    CHECK(rec.size() < dump(to_json(p)).size());
}

TEST_CASE("cache format: corrupt post records are refused, not crashed on") {
    for (const char* bad : {"", "not json", "{}", "[]", "[1,2,3]", "null",
                            R"(["bad id!",null,"insight","b","u","n","learner",1,null,0,0,1])",
                            R"(["P",null,"poem","b","u","n","learner",1,null,0,0,1])",
                            R"(["P",null,"insight","b","u","n","king",1,null,0,0,1])",
                            R"(["P",null,"insight","b","u","n","learner","yesterday",null,0,0,1])",
                            R"(["P",7,"insight","b","u","n","learner",1,null,0,0,1])",
                            "[\"P\",null,\"insight\",\"\xff\xfe\",\"u\",\"n\",\"learner\",1,null,0,0,1]"}) {
        CAPTURE(bad);
        CHECK_FALSE(decode_post_record(bad, "m").ok());
    }
}

TEST_CASE("cache format: every kind of queued write round-trips") {
    for (WriteOp op : {WriteOp::create, WriteOp::edit, WriteOp::remove, WriteOp::endorse, WriteOp::flag, WriteOp::pin,
                       WriteOp::hide}) {
        CAPTURE(to_string(op));
        OutboxEntry e = sample_entry(op);
        SUBCASE("queued") {}
        SUBCASE("refused") {
            e.failed = true;
            e.error_status = 422;
            e.error_code = "too_long";
            e.error_message = "Posts are limited to 500 characters.";
        }
        const auto d = decode_outbox_record({e.key, encode_outbox_record(e)});
        REQUIRE(d.result == DecodedOutboxRecord::Result::ok);
        CHECK(d.entry == e);
    }
}

TEST_CASE("cache format: queued writes are read leniently, and kept for a newer version") {
    SUBCASE("a record without a version and with missing optional fields is still a write") {
        const auto d = decode_outbox_record({"K1", R"({"op":"create","post":"P9","body":"hello"})"});
        REQUIRE(d.result == DecodedOutboxRecord::Result::ok);
        CHECK(d.entry.key == "K1");   // the storage key is the truth
        CHECK(d.entry.body == "hello");
        CHECK(d.entry.kind == Kind::insight);
        CHECK(d.entry.user.empty());
    }
    SUBCASE("a newer version's record is left alone") {
        const auto d = decode_outbox_record({"K1", R"({"v":2,"op":"teleport","post":"P9"})"});
        CHECK(d.result == DecodedOutboxRecord::Result::newer);
    }
    SUBCASE("unreadable ones say why and show what they held") {
        for (const char* bad : {"garbage", R"({"op":"create","post":"P9"})", R"({"op":"edit","post":"bad id"})",
                                R"({"op":"zap","post":"P9"})", R"({"op":"endorse","post":"P9"})"}) {
            CAPTURE(bad);
            const auto d = decode_outbox_record({"K1", bad});
            CHECK(d.result == DecodedOutboxRecord::Result::unreadable);
            CHECK_FALSE(d.problem.empty());
        }
    }
}

TEST_CASE("decode_cache: a good cache reads back whole") {
    StoredModule s = stored_with_sync_meta();
    const Post p = sample_post();
    const OutboxEntry e = sample_entry(WriteOp::create);
    s.outbox.push_back({e.key, encode_outbox_record(e)});
    s.meta.push_back({kMetaDraft, encode_draft("half a thought")});
    s.meta.push_back({kMetaSpotlight, encode_spotlight({p})});
    s.meta.push_back({kMetaPacked, encode_packed("TAG", {encode_post_record(p)})});
    const CacheContents c = decode_cache(s, p.module);
    CHECK(c.warnings.empty());
    CHECK(c.posts_usable);
    REQUIRE(c.outbox.size() == 1);
    CHECK(c.outbox[0] == e);
    CHECK(c.draft == "half a thought");
    REQUIRE(c.spotlight.size() == 1);
    CHECK(c.spotlight[0] == p);
    CHECK(c.meta.cursor == std::optional<std::string>("CURSOR"));
    CHECK(c.meta.user.id == "u-1");
    CHECK(c.meta.last_sync_ms == std::optional<std::int64_t>(1'790'000'000'000));
    CHECK(c.packed.rfind("grove-packed 1 TAG\n", 0) == 0);
    CHECK_FALSE(c.clear_posts);
    CHECK_FALSE(c.rewrite_meta);
}

TEST_CASE("decode_cache: a fresh cache is empty and quiet") {
    const CacheContents c = decode_cache(StoredModule{}, "m");
    CHECK(c.warnings.empty());
    CHECK(c.outbox.empty());
    CHECK_FALSE(c.meta.cursor);
    CHECK(c.rewrite_meta);
    CHECK_FALSE(c.posts_usable);
}

TEST_CASE("decode_cache: damaged or foreign caches lose posts, never readable writes") {
    const OutboxEntry good = sample_entry(WriteOp::edit);
    StoredModule s;
    s.meta.push_back({kMetaPacked, encode_packed("T", {encode_post_record(sample_post())})});
    s.outbox.push_back({good.key, encode_outbox_record(good)});
    s.outbox.push_back({"K-bad", "{{{"});
    s.outbox.push_back({"K-newer", R"({"v":9,"op":"create","post":"P"})"});

    SUBCASE("no sync record") {}
    SUBCASE("corrupt sync record") { s.meta.push_back({kMetaSync, "\x01garbage"}); }
    SUBCASE("another format") { s.meta.push_back({kMetaSync, R"({"format":99,"cursor":"X"})"}); }

    const CacheContents c = decode_cache(s, "fire-safety-101");
    CHECK_FALSE(c.posts_usable);
    CHECK(c.clear_posts);
    CHECK(c.packed.empty());
    CHECK_FALSE(c.meta.cursor);
    REQUIRE(c.outbox.size() == 1);
    CHECK(c.outbox[0] == good);
    REQUIRE(c.delete_outbox.size() == 1);
    CHECK(c.delete_outbox[0] == "K-bad");   // the newer one stays in storage
    CHECK(c.warnings.size() >= 3);          // posts, the unreadable write, the newer write
    bool mentions_content = false;
    for (const auto& w : c.warnings) mentions_content = mentions_content || w.find("{{{") != std::string::npos;
    CHECK(mentions_content);                // what was lost is in the console
}

TEST_CASE("packed copy: read back only with its tag; bad lines are counted, not kept") {
    Post a = sample_post();
    Post b = sample_post();
    b.id = "SECOND";
    b.body = "line\nbreaks are escaped, so one record is one line";
    const std::string packed = encode_packed("T1", {encode_post_record(a), encode_post_record(b)});
    auto back = decode_packed(packed, "T1", a.module);
    REQUIRE(back);
    REQUIRE(back->posts.size() == 2);
    CHECK(back->posts[0] == a);
    CHECK(back->posts[1] == b);
    CHECK(back->bad == 0);
    CHECK_FALSE(decode_packed(packed, "T2", a.module));   // another copy than the sync record names
    CHECK_FALSE(decode_packed(packed, "", a.module));
    CHECK_FALSE(decode_packed("garbage", "T1", a.module));
    auto empty = decode_packed(encode_packed("T3", {}), "T3", a.module);
    REQUIRE(empty);
    CHECK(empty->posts.empty());
    auto damaged = decode_packed(packed + "\n[\"truncated", "T1", a.module);
    REQUIRE(damaged);
    CHECK(damaged->posts.size() == 2);
    CHECK(damaged->bad == 1);
    CHECK_FALSE(damaged->first_problem.empty());
}

TEST_CASE("sync record: the dirty list and packed tag round-trip; an untrusted list drops the copy") {
    SyncMeta m;
    m.packed = "TAG";
    m.dirty = {"A", "B"};
    m.commit = "C";
    auto back = read_sync_meta(encode_sync_meta(m));
    REQUIRE(back.result == SyncMetaRead::Result::ok);
    CHECK(back.meta.packed == "TAG");
    CHECK(back.meta.dirty == std::vector<std::string>{"A", "B"});
    CHECK(back.meta.commit == "C");
    auto bad = read_sync_meta(R"({"format":1,"packed":"TAG","dirty":["ok","not an id!"]})");
    REQUIRE(bad.result == SyncMetaRead::Result::ok);
    CHECK(bad.meta.packed.empty());   // then every post record is read instead
}

TEST_CASE("post records: the fast reader and the general one agree") {
    Post p = sample_post();
    p.body = "tab\there, quote \" backslash \\ control \x01 emoji 😀 é";
    const std::string rec = encode_post_record(p);
    auto fast = decode_post_record(rec, p.module);
    REQUIRE(fast.ok());
    CHECK(fast.value() == p);
    // Escaped forms another writer might use are read too.
    const std::string escaped =
        R"(["P1",null,"tip","\u00e9 \ud83d\ude00 \/","u","N","learner",5,null,0,0,9])";
    auto e = decode_post_record(escaped, "m");
    REQUIRE(e.ok());
    CHECK(e->body == "é 😀 /");
    CHECK_FALSE(decode_post_record(R"(["P1",null,"tip","\ud83d","u","N","learner",5,null,0,0,9])", "m").ok());
}

TEST_CASE("decode_cache: a corrupt draft is dropped with a warning") {
    StoredModule s = stored_with_sync_meta();
    s.meta.push_back({kMetaDraft, "[1,2]"});
    const CacheContents c = decode_cache(s, "m");
    CHECK(c.draft.empty());
    CHECK(c.warnings.size() == 1);
}

TEST_CASE("cache format: records written by the version 1 widget still load, as posts without the 1.1 fields") {
    // Exactly what the widget before version 1.1 stored (12 fields), read by both readers.
    const std::string v1 =
        R"(["01JDXQ0M8Z4V2T9K3B6N5P7R1S","PARENT_1","question","Line one","u-123","Alice Smith","leader",1790000000123,1790000100456,3,7,1234])";
    const std::string v1_spaced =
        R"([ "P2", null, "tip", "b", "u", "n", "learner", 5, null, 0, 16, 9 ])";
    auto p = decode_post_record(v1, "fire-safety-101");
    REQUIRE(p.ok());
    CHECK(p->id == "01JDXQ0M8Z4V2T9K3B6N5P7R1S");
    CHECK(p->kind == Kind::question);
    CHECK(p->rev == 1234);
    CHECK(p->pinned);
    CHECK_FALSE(p->module_title);
    CHECK_FALSE(p->check_in_at_ms);
    CHECK_FALSE(p->outcome);
    CHECK(p->outcome_note.empty());
    CHECK_FALSE(p->outcome_at_ms);
    CHECK(p->check_ins == 0);
    auto q = decode_post_record(v1_spaced, "m");
    REQUIRE(q.ok());
    CHECK(q->deleted);

    // A packed copy from before the upgrade, with records written since mixed in, reads whole.
    Post c = sample_post();
    c.id = "COMMIT";
    c.kind = Kind::commitment;
    c.check_in_at_ms = 1'790'600'000'000;
    c.module_title = "Fire safety 101";
    const std::string packed = encode_packed("T", {v1, encode_post_record(c), v1_spaced});
    auto all = decode_packed(packed, "T", "fire-safety-101");
    REQUIRE(all);
    CHECK(all->bad == 0);
    REQUIRE(all->posts.size() == 3);
    CHECK(all->posts[1] == c);
    CHECK(all->posts[0] == p.value());
}

TEST_CASE("cache format: version 2 records keep every 1.1 field - plain posts keep the version 1 layout") {
    const Post plain = sample_post();
    CHECK(Json::parse(encode_post_record(plain)).size() == 12);   // no cost for posts without 1.1 fields

    Post c = sample_post();
    c.kind = Kind::commitment;
    c.module_title = "Fire safety 101 «quoted» \"x\"";
    c.check_in_at_ms = 1'790'600'000'000;
    c.outcome = Outcome::partly;
    c.outcome_note = "Half done\nmore next week";
    c.outcome_at_ms = 1'790'500'000'000;
    c.check_ins = 2;
    const std::string rec = encode_post_record(c);
    CHECK(rec.find('\n') == std::string::npos);
    const Json j = Json::parse(rec);
    REQUIRE(j.size() == 13);
    CHECK(j[12][0] == kPostRecordVersion);
    auto back = decode_post_record(rec, c.module);
    REQUIRE(back.ok());
    CHECK(back.value() == c);

    // Each field alone is enough to need the 13th field, and round-trips.
    for (int field = 0; field < 5; ++field) {
        Post one = sample_post();
        if (field == 0) one.module_title = "T";
        if (field == 1) one.check_in_at_ms = 5;
        if (field == 2) one.outcome = Outcome::done;
        if (field == 3) one.outcome_at_ms = 6;
        if (field == 4) one.check_ins = 1;
        CAPTURE(field);
        CHECK(Json::parse(encode_post_record(one)).size() == 13);
        auto again = decode_post_record(encode_post_record(one), one.module);
        REQUIRE(again.ok());
        CHECK(again.value() == one);
    }
    // The resource kind is kept too.
    Post r = sample_post();
    r.kind = Kind::resource;
    CHECK(decode_post_record(encode_post_record(r), r.module)->kind == Kind::resource);
}

TEST_CASE("cache format: a 13th field from a newer widget, or a damaged one, refuses the record") {
    const std::string base = R"(["P",null,"commitment","b","u","n","learner",1,null,0,0,1,)";
    auto newer = decode_post_record(base + R"([3,null,null,null,"",null,0,"more"]])", "m");
    REQUIRE_FALSE(newer.ok());
    CHECK(newer.error().message.find("newer version") != std::string::npos);
    for (const std::string& ext : {std::string("[]"), std::string("{}"), std::string("[2]"),
                                   std::string(R"([2,5,null,null,"",null,0])"), std::string(R"([2,null,null,"meh","",null,0])"),
                                   std::string(R"([2,null,"soon",null,"",null,0])"), std::string(R"([2,null,null,null,null,null,0])"),
                                   std::string(R"([2,null,null,null,"",null,"1"])"), std::string(R"([1,null,null,null,"",null,0])")}) {
        CAPTURE(ext);
        CHECK_FALSE(decode_post_record(base + ext + "]", "m").ok());
    }
    CHECK_FALSE(decode_post_record(base + R"([2,null,null,null,"",null,0],7])", "m").ok());   // 14 fields
    CHECK(decode_post_record(base + R"([2,null,null,null,"",null,0]])", "m").ok());
}

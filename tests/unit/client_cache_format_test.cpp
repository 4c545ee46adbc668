// The persisted cache format: round trips, and every way an old, newer or corrupt cache is read
// without a crash and without losing a queued write that can be read; what is stored belongs to
// someone, and nothing moderated is stored at all.
#include <doctest/doctest.h>

#include <algorithm>   // std::count
#include <map>         // std::map
#include <random>      // std::mt19937

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
    if (op == WriteOp::endorse || op == WriteOp::pin || op == WriteOp::hide || op == WriteOp::dismiss_flags) e.value = true;
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
                       WriteOp::hide, WriteOp::dismiss_flags}) {
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

TEST_CASE("cache format: Keep visible is a version 3 write - versions 1 and 2 still read") {
    CHECK(kOutboxRecordVersion == 3);
    OutboxEntry keep = sample_entry(WriteOp::dismiss_flags);
    const Json written = Json::parse(encode_outbox_record(keep));
    CHECK(written["v"] == 3);   // a version 2 widget leaves it in storage instead of dropping it
    CHECK(written["op"] == "dismiss_flags");
    CHECK(written["value"] == true);
    // What older widgets know is still written at their version, so they keep sending it.
    CHECK(Json::parse(encode_outbox_record(sample_entry(WriteOp::hide)))["v"] == 1);
    OutboxEntry outcome = sample_entry(WriteOp::outcome);
    CHECK(Json::parse(encode_outbox_record(outcome))["v"] == 2);
    // Records an older widget wrote are read as before.
    const auto v1 = decode_outbox_record({"K1", R"({"v":1,"user":"u-1","op":"hide","post":"P1","value":true,"at":5})"});
    REQUIRE(v1.result == DecodedOutboxRecord::Result::ok);
    CHECK(v1.entry.op == WriteOp::hide);
    CHECK(v1.entry.value);
    const auto v2 = decode_outbox_record(
        {"K2", R"({"v":2,"user":"u-1","op":"outcome","post":"P1","outcome":"partly","note":"half"})"});
    REQUIRE(v2.result == DecodedOutboxRecord::Result::ok);
    CHECK(v2.entry.outcome == Outcome::partly);
    // A version 3 record without "value" still dismisses the flags (the post just is not shown early).
    const auto bare = decode_outbox_record({"K3", R"({"v":3,"user":"u-1","op":"dismiss_flags","post":"P1"})"});
    REQUIRE(bare.result == DecodedOutboxRecord::Result::ok);
    CHECK(bare.entry.op == WriteOp::dismiss_flags);
    CHECK_FALSE(bare.entry.value);
    CHECK(decode_outbox_record({"K4", R"({"v":4,"user":"u-1","op":"dismiss_flags","post":"P1"})"}).result ==
          DecodedOutboxRecord::Result::newer);
}

TEST_CASE("cache format: queued writes are read leniently, and kept for a newer version") {
    SUBCASE("a record without a version and with missing optional fields is still a write") {
        const auto d = decode_outbox_record({"K1", R"({"user":"u-1","op":"create","post":"P9","body":"hello"})"});
        REQUIRE(d.result == DecodedOutboxRecord::Result::ok);
        CHECK(d.entry.key == "K1");   // the storage key is the truth
        CHECK(d.entry.body == "hello");
        CHECK(d.entry.kind == Kind::insight);
        CHECK(d.entry.user == "u-1");
    }
    SUBCASE("a newer version's record is left alone") {
        const auto d = decode_outbox_record({"K1", R"({"v":4,"op":"teleport","post":"P9"})"});
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
    s.meta.push_back({draft_key("u-1"), encode_draft("u-1", "half a thought")});
    s.meta.push_back({draft_key("u-2"), encode_draft("u-2", "someone else's")});
    s.meta.push_back({kMetaSpotlight, encode_spotlight({p})});
    s.meta.push_back({kMetaPacked, encode_packed("TAG", {encode_post_record(p)})});
    const CacheContents c = decode_cache(s, p.module);
    CHECK(c.warnings.empty());
    CHECK(c.posts_usable);
    REQUIRE(c.outbox.size() == 1);
    CHECK(c.outbox[0] == e);
    CHECK(c.drafts == std::map<std::string, std::string>{{"u-1", "half a thought"}, {"u-2", "someone else's"}});
    REQUIRE(c.spotlight.size() == 1);
    Post unmarked = p;
    unmarked.endorsed_by_me = false;   // the spotlight is stored without the reader's marks
    CHECK(c.spotlight[0] == unmarked);
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

TEST_CASE("packed copy: read back only with its tag - bad lines are counted, not kept") {
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

TEST_CASE("sync record: the dirty list and packed tag round-trip - an untrusted list drops the copy") {
    SyncMeta m;
    m.packed = "TAG";
    m.dirty = {"A", "B"};
    m.commit = "C";
    auto back = read_sync_meta(encode_sync_meta(m));
    REQUIRE(back.result == SyncMetaRead::Result::ok);
    CHECK(back.meta.packed == "TAG");
    CHECK(back.meta.dirty == std::vector<std::string>{"A", "B"});
    CHECK(back.meta.commit == "C");
    auto bad = read_sync_meta(R"({"format":2,"packed":"TAG","dirty":["ok","not an id!"]})");
    REQUIRE(bad.result == SyncMetaRead::Result::ok);
    CHECK(bad.meta.packed.empty());   // then every post record is read instead
}

TEST_CASE("post records: the fast reader and the general one agree") {
    // Posts of every kind, role and flag combination, with and without parent and edit time,
    // texts with every character JSON escapes, large numbers: both readers return the post.
    std::mt19937 rng(24);
    const std::vector<std::string> texts = {
        "", "plain", "tab\there, quote \" backslash \\ slash / control \x01\x1f\x7f",
        "\b\f\n\r\t", "emoji 😀 é 日本語 «ünïcode» \u2028 line separator", std::string(300, 'x') + "\"",
    };
    std::vector<std::string> records;
    for (int i = 0; i < 160; ++i) {
        Post p = sample_post();
        p.id = "P" + std::to_string(rng());
        p.module = "m";
        p.parent_id = i % 3 == 0 ? std::nullopt : std::optional<std::string>("PARENT_" + std::to_string(i));
        p.kind = static_cast<Kind>(i % 4);
        p.author.role = static_cast<Role>((i / 4) % 4);
        p.body = texts[i % texts.size()] + texts[(i / 6) % texts.size()];
        p.author.name = texts[(i + 1) % texts.size()] + "Name";
        p.created_at_ms = i % 5 == 0 ? 999'999'999'999'999 : 1'790'000'000'000 + static_cast<std::int64_t>(rng() % 100000);
        p.edited_at_ms = i % 2 == 0 ? std::nullopt : std::optional<std::int64_t>(p.created_at_ms + i);
        p.endorsements = i % 7 == 0 ? 0 : static_cast<std::int64_t>(rng() % 100000);
        p.endorsed_by_me = i & 1;
        p.leader_endorsed = i & 2;
        p.pinned = i & 4;
        p.hidden = i & 8;
        p.deleted = i & 16;
        p.rev = static_cast<std::int64_t>(rng());
        const std::string rec = encode_post_record(p);
        CAPTURE(rec);
        const auto fast = decode_post_record_fast(rec, "m");
        const auto general = decode_post_record_general(rec, "m");
        REQUIRE(fast);   // the fast reader reads all the encoder writes
        REQUIRE(general.ok());
        Post want = p;
        if (want.hidden) want.body.clear();   // a hidden post's text is never stored
        CHECK(*fast == want);
        CHECK(general.value() == want);
        records.push_back(rec);
    }
    // Records changed in one byte: whatever both readers accept, they read the same way.
    const std::string replacements = "0179-\"\\nu/[],: xe.";
    int both = 0;
    for (const std::string& rec : records) {
        for (int k = 0; k < 40; ++k) {
            std::string changed = rec;
            changed[rng() % changed.size()] = replacements[rng() % replacements.size()];
            const auto fast = decode_post_record_fast(changed, "m");
            if (!fast) continue;
            const auto general = decode_post_record_general(changed, "m");
            if (!general.ok()) continue;
            CAPTURE(changed);
            CHECK(*fast == general.value());
            ++both;
        }
    }
    CHECK(both > 1000);
    // Spellings another writer might use: the fast reader handles some, the general one all.
    for (const std::string escaped : {
             R"(["P1",null,"tip","\u00e9 \ud83d\ude00 \/","u","N","learner",5,null,0,0,9])",
             R"([ "P1" , "P0" , "question" , "\u0041\n\"" , "u" , "N" , "admin" , 5 , 7 , 2 , 31 , 9 ])",
             "[\"P1\",null,\"insight\",\"x\",\"u\",\"N\",\"curator\",5,null,0,0,9]\n",
         }) {
        CAPTURE(escaped);
        const auto general = decode_post_record_general(escaped, "m");
        REQUIRE(general.ok());
        if (const auto fast = decode_post_record_fast(escaped, "m")) CHECK(*fast == general.value());
        CHECK(decode_post_record(escaped, "m").value() == general.value());
    }
    CHECK(decode_post_record_general(R"(["P1",null,"tip","\u00e9 \ud83d\ude00 \/","u","N","learner",5,null,0,0,9])", "m")
              ->body == "é 😀 /");
    // A lone surrogate is refused by both.
    const std::string lone = R"(["P1",null,"tip","\ud83d","u","N","learner",5,null,0,0,9])";
    CHECK_FALSE(decode_post_record_fast(lone, "m"));
    CHECK_FALSE(decode_post_record_general(lone, "m").ok());
}

TEST_CASE("decode_cache: a draft is its author's - one that does not say whose is deleted unread") {
    StoredModule s = stored_with_sync_meta();
    s.meta.push_back({draft_key("u-ann"), encode_draft("u-ann", "Ann's thought")});
    SUBCASE("corrupt") { s.meta.push_back({draft_key("u-bob"), "[1,2]"}); }
    SUBCASE("filed under someone else") { s.meta.push_back({draft_key("u-bob"), encode_draft("u-eve", "whose?")}); }
    SUBCASE("no author inside") { s.meta.push_back({draft_key("u-bob"), R"({"v":2,"text":"whose?"})"}); }
    SUBCASE("not a user id") { s.meta.push_back({draft_key("bad\x01id"), encode_draft("bad\x01id", "x")}); }
    const CacheContents c = decode_cache(s, "m");
    CHECK(c.drafts == std::map<std::string, std::string>{{"u-ann", "Ann's thought"}});
    REQUIRE(c.delete_meta.size() == 1);
    CHECK(c.delete_meta[0].rfind("draft:", 0) == 0);
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

TEST_CASE("cache format: a hidden post's text is never written, and not taken from a record that has it") {
    Post p = sample_post();
    p.hidden = true;
    const std::string rec = encode_post_record(p);
    CHECK(rec.find("Line one") == std::string::npos);
    auto back = decode_post_record(rec, p.module);
    REQUIRE(back.ok());
    CHECK(back->hidden);
    CHECK(back->body.empty());
    // A record with the text (the first release wrote them so) is read without it, by both readers.
    const std::string old_fast = R"(["H1",null,"tip","the hidden text","u","N","learner",5,null,0,8,9])";
    // (19 digits: more than the fast reader takes, so the general one reads this one)
    const std::string old_slow = R"(["H1",null,"tip","the hidden text","u","N","learner",1000000000000000000,null,0,8,9])";
    for (const std::string& r : {old_fast, old_slow}) {
        auto h = decode_post_record(r, "m");
        REQUIRE(h.ok());
        CHECK(h->hidden);
        CHECK(h->body.empty());
    }
    // The spotlight, too, and without the reader's endorsement marks.
    const std::string spot = encode_spotlight({p});
    CHECK(spot.find("Line one") == std::string::npos);
    CHECK(spot.find("\"endorsed_by_me\":true") == std::string::npos);
}

TEST_CASE("cache format: a queued write without its author is nobody's: deleted, never read as anyone's") {
    OutboxEntry e = sample_entry(WriteOp::create);
    e.user.clear();
    const auto d = decode_outbox_record({e.key, encode_outbox_record(e)});
    CHECK(d.result == DecodedOutboxRecord::Result::unattributed);
    const auto missing = decode_outbox_record({"K", R"({"v":1,"op":"create","post":"P1","body":"b"})"});
    CHECK(missing.result == DecodedOutboxRecord::Result::unattributed);
    const auto bad = decode_outbox_record({"K", R"({"v":1,"user":"a\u0001b","op":"create","post":"P1","body":"b"})"});
    CHECK(bad.result == DecodedOutboxRecord::Result::unreadable);

    StoredModule s = stored_with_sync_meta();
    const OutboxEntry mine = sample_entry(WriteOp::edit);
    s.outbox.push_back({e.key, encode_outbox_record(e)});
    s.outbox.push_back({mine.key + "x", encode_outbox_record(mine)});
    const CacheContents c = decode_cache(s, "m");
    REQUIRE(c.outbox.size() == 1);
    CHECK(c.outbox[0].user == "u-1");
    CHECK(c.delete_outbox == std::vector<std::string>{e.key});
    REQUIRE(c.warnings.size() == 1);
    CHECK(c.warnings[0].find("before anyone was signed in") != std::string::npos);
}

// What the first release left in a browser: format 1, hidden text in the posts and the packed
// copy, one draft for the module without its author, a write made before the token was read.
TEST_CASE("decode_cache: a format-1 cache is upgraded without attributing anything to anyone") {
    Post hidden = sample_post();
    hidden.id = "HIDDEN";
    hidden.hidden = true;
    const std::string old_record =
        R"(["HIDDEN",null,"insight","what the curator hid","u-2","Bo","learner",5,null,0,8,9])";
    StoredModule s;
    s.meta.push_back({kMetaSync, R"({"format":1,"user":{"id":"u-cur","name":"Cy","role":"curator"},"cursor":"C",)"
                                 R"("last_sync":null,"commit":"x","packed":"T","dirty":[]})"});
    s.meta.push_back({kMetaPacked, encode_packed("T", {old_record})});
    s.meta.push_back({kMetaDraft, R"({"v":1,"text":"typed by whoever was here"})"});
    s.meta.push_back({kMetaSpotlight, R"({"v":1,"posts":[]})"});
    OutboxEntry anon = sample_entry(WriteOp::create);
    anon.user.clear();
    OutboxEntry owned = sample_entry(WriteOp::flag);
    owned.key = make_write_key(1'790'000'000'001, 7, 2);
    owned.user = "u-cur";
    s.outbox.push_back({anon.key, encode_outbox_record(anon)});
    s.outbox.push_back({owned.key, encode_outbox_record(owned)});

    const CacheContents c = decode_cache(s, "m");
    CHECK_FALSE(c.posts_usable);   // posts, packed copy and spotlight go; fetched again
    CHECK(c.clear_posts);
    CHECK(c.packed.empty());
    CHECK_FALSE(c.meta.user.known);
    CHECK_FALSE(c.meta.cursor);
    CHECK(std::count(c.delete_meta.begin(), c.delete_meta.end(), std::string(kMetaPacked)) == 1);
    CHECK(std::count(c.delete_meta.begin(), c.delete_meta.end(), std::string(kMetaSpotlight)) == 1);
    CHECK(std::count(c.delete_meta.begin(), c.delete_meta.end(), std::string(kMetaDraft)) == 1);
    CHECK(c.drafts.empty());       // nobody's draft is restored
    REQUIRE(c.outbox.size() == 1);  // the write that names its author stays theirs
    CHECK(c.outbox[0] == owned);
    CHECK(c.delete_outbox == std::vector<std::string>{anon.key});
    CHECK(c.warnings.size() == 3);  // the format, the draft, the unattributed write
    CHECK(c.deleted_unowned_draft);   // so the next person is told what went
    CHECK(c.deleted_unowned_writes == 1);

    SUBCASE("an empty format-1 draft (the composer was posted or cleared) goes without a word") {
        s.meta[2].value = R"({"v":1,"text":""})";
        const CacheContents e = decode_cache(s, "m");
        CHECK(std::count(e.delete_meta.begin(), e.delete_meta.end(), std::string(kMetaDraft)) == 1);
        CHECK_FALSE(e.deleted_unowned_draft);
        CHECK(e.warnings.size() == 2);
    }
    SUBCASE("an unreadable one may have held text: deleted, and counted as a draft") {
        s.meta[2].value = "{\"v\":1,\"te";
        const CacheContents e = decode_cache(s, "m");
        CHECK(std::count(e.delete_meta.begin(), e.delete_meta.end(), std::string(kMetaDraft)) == 1);
        CHECK(e.deleted_unowned_draft);
    }
}

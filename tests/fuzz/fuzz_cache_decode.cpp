// Fuzz target: decoding a cached state from IndexedDB (shared/grove/client/cache_format.*), then
// opening the sync engine on it. Whatever an older, newer or damaged widget left in the browser
// is external input.
//
// Input: records separated by 0x1E. A record's first byte says where it lives ('p' posts,
// 'o' outbox, 'm' meta, anything else: posts), the rest is "<key>\x1F<value>" (posts: the value
// alone). Example: m sync\x1F{"format":2,"user":null,"cursor":"C","last_sync":null,"commit":""}
// Properties beyond "no crash":
//   - every queued write is accounted for: read (kept), unreadable or without an author (deleted,
//     with a warning) or written by a newer version (left in storage, with a warning); nothing
//     else is dropped, and every write and draft kept names a valid user;
//   - cached posts that cannot be trusted are cleared, without a cursor (so they are fetched
//     again); every post record is read or counted as unreadable;
//   - what was read is stable: writing it back with the encoders and reading again gives the
//     same posts (one record each and packed), writes, draft, spotlight and sync record, with no
//     warning;
//   - the engine opens on the cache (offline) and never loses a readable queued write: every one
//     is still in storage afterwards.
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint8_t
#include <set>       // std::set
#include <string>
#include <string_view>
#include <vector>

#include "client_sim.hpp"
#include "grove/client/cache_format.hpp"
#include "grove/validation.hpp"   // is_valid_user_id
#include "fuzz_require.hpp"

using namespace grove;

namespace {

constexpr const char* kModule = "m1";

bool same_meta(const SyncMeta& a, const SyncMeta& b) {
    return a.user.id == b.user.id && a.user.name == b.user.name && a.user.role == b.user.role &&
           a.user.known == b.user.known && a.cursor == b.cursor && a.last_sync_ms == b.last_sync_ms &&
           a.commit == b.commit && a.reader == b.reader;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 128 * 1024) return 0;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    sim::Loop loop;
    sim::MemoryStorage storage(loop);
    auto& module = storage.modules[kModule];
    std::size_t start = 0, n = 0;
    while (start <= input.size() && ++n <= 256) {
        auto end = input.find('\x1e', start);
        if (end == std::string_view::npos) end = input.size();
        const std::string_view rec = input.substr(start, end - start);
        start = end + 1;
        if (rec.empty()) continue;
        const char where = rec[0];
        const std::string_view rest = rec.substr(1);
        const auto sep = rest.find('\x1f');
        const std::string key(rest.substr(0, sep));
        const std::string value(sep == std::string_view::npos ? std::string_view() : rest.substr(sep + 1));
        if (where == 'o') module.outbox[key] = value;
        else if (where == 'm') module.meta[key] = value;
        else module.posts[key.empty() ? std::to_string(n) : key] = sep == std::string_view::npos ? key : value;
    }

    StoredModule stored;
    std::vector<std::string> post_values;
    for (const auto& [k, v] : module.posts) post_values.push_back(v);
    for (const auto& [k, v] : module.outbox) stored.outbox.push_back({k, v});
    for (const auto& [k, v] : module.meta) stored.meta.push_back({k, v});
    const CacheContents c = decode_cache(stored, kModule);

    // Every queued write accounted for.
    std::size_t newer = 0;
    std::set<std::string> readable;
    for (const StoredRecord& rec : stored.outbox) {
        const DecodedOutboxRecord d = decode_outbox_record(rec);
        if (d.result == DecodedOutboxRecord::Result::newer) ++newer;
        if (d.result == DecodedOutboxRecord::Result::ok) readable.insert(rec.key);
    }
    require(c.outbox.size() + c.delete_outbox.size() + newer == stored.outbox.size());
    require(c.outbox.size() == readable.size());
    if (!c.delete_outbox.empty() || newer) require(!c.warnings.empty());
    // Unusable posts: forgotten, without a cursor (so they are fetched again).
    if (!c.posts_usable) {
        require(c.clear_posts);
        require(!c.meta.cursor);
        require(c.packed.empty());
    }

    // Posts, one record each and packed: each record read or counted as unreadable, only this
    // module's, and stable when written back.
    const DecodedPosts posts = decode_post_records(post_values, kModule);
    require(posts.posts.size() + static_cast<std::size_t>(posts.bad) == post_values.size());
    for (const Post& p : posts.posts) require(p.module == kModule);
    std::vector<std::string> records;
    for (const Post& p : posts.posts) records.push_back(encode_post_record(p));
    const DecodedPosts posts2 = decode_post_records(records, kModule);
    require(posts2.bad == 0);
    require(posts2.posts == posts.posts);
    if (auto packed = decode_packed(c.packed, c.meta.packed, kModule)) {
        for (const Post& p : packed->posts) require(p.module == kModule);
        std::vector<std::string> again;
        for (const Post& p : packed->posts) again.push_back(encode_post_record(p));
        const auto repacked = decode_packed(encode_packed(c.meta.packed, again), c.meta.packed, kModule);
        require(repacked.has_value());
        require(repacked->bad == 0);
        require(repacked->posts == packed->posts);
    }

    // Stable: write back what was read, read it again.
    StoredModule again;
    for (const OutboxEntry& e : c.outbox) again.outbox.push_back({e.key, encode_outbox_record(e)});
    again.meta.push_back({kMetaSync, encode_sync_meta(c.meta)});
    for (const auto& [user, text] : c.drafts) again.meta.push_back({draft_key(user), encode_draft(user, text)});
    again.meta.push_back({kMetaSpotlight, encode_spotlight(c.spotlight)});
    const CacheContents c2 = decode_cache(again, kModule);
    require(c2.warnings.empty());
    require(c2.outbox == c.outbox);
    require(c2.drafts == c.drafts);
    require(c2.spotlight == c.spotlight);
    require(same_meta(c2.meta, c.meta));
    require(!c2.clear_posts && c2.delete_outbox.empty() && c2.delete_meta.empty());
    // Nothing without its author: every queued write and draft names a valid user.
    for (const OutboxEntry& e : c.outbox) require(is_valid_user_id(e.user));
    for (const auto& [user, text] : c.drafts) require(is_valid_user_id(user));

    // The engine opens on it, offline, and keeps every readable queued write.
    sim::Locks locks(loop);
    sim::Bus bus;
    auto offline = [](const HttpRequest&) { return HttpResponse{0, {}, {}, "offline"}; };
    auto mint = [](bool) { return sim::unsigned_token("u-ann", "Ann", "learner", 1'889'000'000); };
    SyncOptions options;
    options.api = "https://grove.test/api/v1";
    options.module = kModule;
    {
        sim::Tab tab(loop, storage, locks, bus, offline, mint, options, 3);
        loop.advance(10'000);
        require(tab.engine->loaded());
        std::set<std::string> shown;
        for (const ShownPost& s : tab.engine->posts()) require(shown.insert(s.post().id).second);
    }
    for (const std::string& key : readable) require(storage.modules[kModule].outbox.count(key) == 1);
    return 0;
}

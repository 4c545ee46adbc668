// Fuzz target: the client's merge of changes-feed pages into its store (shared/grove/client: the
// sync engine's puller, ClientStore::merge and the view with queued writes on top), driven
// through the real SyncEngine on the simulated ports of tests/support/client_sim.hpp.
//
// The browser starts with a cached module (three posts, a cursor, so pulls are incremental) and
// three queued writes of the person that the server refuses (403), so the view has writes to lay
// over whatever the feed brings. The input is the server's side: feed pages separated by 0x1E,
// answered in order to the engine's GETs of the changes feed, as the server would send them
// ({"posts":[...],"cursor":"...","has_more":...}) or not; when they run out the feed is empty.
// Properties beyond "no crash":
//   - the view shows each post once, only posts of this module;
//   - a post's rev in the snapshot never goes back (an older copy never replaces a newer one);
//   - what the engine stored reads back (decode_cache) without a warning, and a reload of the
//     page (a new engine on the same storage, offline) shows exactly what was shown before, but
//     for the text of hidden posts, which the cache never keeps (cache_format.cpp).
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint8_t
#include <map>       // std::map
#include <set>       // std::set
#include <string>
#include <string_view>
#include <tuple>     // std::tie
#include <vector>

#include "client_sim.hpp"
#include "grove/client/cache_format.hpp"
#include "grove/wire.hpp"
#include "fuzz_require.hpp"

using namespace grove;

namespace {

constexpr const char* kModule = "m1";
constexpr const char* kApi = "https://grove.test/api/v1";

Post cached_post(const std::string& id, const std::string& author, std::int64_t rev, std::optional<std::string> parent = {}) {
    Post p;
    p.id = id;
    p.module = kModule;
    p.parent_id = std::move(parent);
    p.kind = Kind::insight;
    p.body = "cached " + id;
    p.author = Author{author, "Name " + author, Role::learner};
    p.created_at_ms = 1'789'000'000'000 + rev;
    p.endorsements = 1;
    p.rev = rev;
    return p;
}

// What a person sees, without this session's handles.
using Seen = std::tuple<std::string, Post, LocalState, std::string>;
std::vector<Seen> seen(const std::vector<ShownPost>& posts) {
    std::vector<Seen> out;
    for (const ShownPost& s : posts) out.emplace_back(s.post().id, s.post(), s.state, s.error);
    std::sort(out.begin(), out.end(), [](const Seen& a, const Seen& b) { return std::get<0>(a) < std::get<0>(b); });
    return out;
}

bool is_feed(const HttpRequest& r) {
    return r.method == "GET" && r.url.find("/modules/") != std::string::npos && r.url.find("/posts") != std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 128 * 1024) return 0;
    std::vector<std::string> pages;
    {
        const std::string_view input(reinterpret_cast<const char*>(data), size);
        std::size_t start = 0;
        for (;;) {
            const auto end = input.find('\x1e', start);
            pages.emplace_back(input.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
            if (end == std::string_view::npos || pages.size() >= 24) break;
            start = end + 1;
        }
    }

    sim::Loop loop;
    sim::MemoryStorage storage(loop);
    sim::Locks locks(loop);
    sim::Bus bus;

    // The cache as a previous visit left it.
    auto& cached = storage.modules[kModule];
    const std::vector<Post> start_posts = {cached_post("P1", "u-ann", 10), cached_post("P2", "u-bob", 11),
                                           cached_post("R1", "u-bob", 12, std::string("P1"))};
    for (const Post& p : start_posts) cached.posts[p.id] = encode_post_record(p);
    SyncMeta meta;
    meta.user = Identity{"u-ann", "Ann", Role::learner, true};
    meta.cursor = "CURSOR-12";
    meta.last_sync_ms = loop.now() - 60'000;
    meta.commit = "c0";
    cached.meta[kMetaSync] = encode_sync_meta(meta);

    std::size_t next_page = 0;
    bool online = true;
    std::map<std::string, std::int64_t> highest_rev;   // per post id, over everything the feed sent
    auto handler = [&](const HttpRequest& r) -> HttpResponse {
        if (!online) return HttpResponse{0, {}, {}, "offline"};
        if (is_feed(r)) {
            if (next_page < pages.size()) return HttpResponse{200, pages[next_page++], {}, {}};
            return HttpResponse{200, R"({"posts":[],"cursor":"END","has_more":false})", {}, {}};
        }
        if (r.method == "GET" && r.url.find("/spotlight") != std::string::npos) return HttpResponse{200, R"({"posts":[]})", {}, {}};
        if (r.method == "GET" && r.url.find("/flags") != std::string::npos) return HttpResponse{200, R"({"flags":[]})", {}, {}};
        if (r.method == "GET" && r.url.find("/me") != std::string::npos)
            return HttpResponse{200, R"({"id":"u-ann","name":"Ann","role":"learner"})", {}, {}};
        return HttpResponse{403, R"({"error":{"code":"forbidden","message":"Refused by the fuzzer's server."}})", {}, {}};
    };
    auto mint = [](bool) { return sim::unsigned_token("u-ann", "Ann", "learner", 1'789'000'000 + 100'000'000); };
    SyncOptions options;
    options.api = kApi;
    options.module = kModule;

    sim::Tab tab(loop, storage, locks, bus, handler, mint, options, 7);
    loop.advance(50);
    require(tab.engine->loaded());
    // Three writes of the person, refused by the server: they stay in the view as failed.
    (void)tab.engine->create(Kind::tip, "a new tip", std::nullopt);
    (void)tab.engine->edit("P1", "my edited words");
    (void)tab.engine->endorse("P2", true);

    // Let the engine pull every page (polls are 20 s apart; failures back off) and check the
    // snapshot after each step.
    for (int step = 0; step < 200 && (next_page < pages.size() || step < 3); ++step) {
        loop.advance(5'000);
        for (const ShownPost& s : tab.engine->posts()) {
            const auto it = highest_rev.find(s.post().id);
            if (s.state == LocalState::synced) {
                require(it == highest_rev.end() || s.post().rev >= it->second);
                highest_rev[s.post().id] = it == highest_rev.end() ? s.post().rev : std::max(it->second, s.post().rev);
            }
        }
    }
    loop.advance(60'000);

    // The view: each post once, only this module's.
    std::set<std::string> ids;
    for (const ShownPost& s : tab.engine->posts()) {
        require(ids.insert(s.post().id).second);
        require(s.post().module == kModule);
    }

    // What was stored reads back cleanly.
    StoredModule stored;
    std::vector<std::string> post_values;
    for (const auto& [k, v] : storage.modules[kModule].posts) post_values.push_back(v);
    for (const auto& [k, v] : storage.modules[kModule].outbox) stored.outbox.push_back({k, v});
    for (const auto& [k, v] : storage.modules[kModule].meta) stored.meta.push_back({k, v});
    const CacheContents contents = decode_cache(stored, kModule);
    require(contents.warnings.empty());
    require(contents.posts_usable);
    require(decode_post_records(post_values, kModule).bad == 0);

    // A reload, offline, shows the same, without the text of the hidden posts the feed sent.
    auto before = seen(tab.engine->posts());
    for (auto& [id, post, state, error] : before)
        if (post.hidden && state == LocalState::synced) post.body.clear();
    online = false;
    tab.reload();
    loop.advance(1'000);
    require(tab.engine->loaded());
    require(seen(tab.engine->posts()) == before);
    return 0;
}

// When a snapshot commit writes the packed copy of the posts again: a few changed posts only go
// on the dirty list; past kMaxDirty, after a full pull, or when the copy is stale, the whole copy
// is written under a new tag and the list starts empty.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "grove/client/cache_checkpointer.hpp"

using namespace grove;
using State = CacheCheckpointer::State;

namespace {

struct Rig {
    CacheCheckpointer c;
    SyncMeta meta;
    int snapshot_reads = 0, tags = 0;
    std::vector<std::string> snapshot{"r1", "r2", "r3"};
    StorageBatch commit(std::vector<std::string> ids, bool full = false) {
        StorageBatch b;
        for (const std::string& id : ids) b.put_posts.push_back({id, "record " + id});
        c.checkpoint(
            b, meta, full,
            [this] {
                ++snapshot_reads;
                return snapshot;
            },
            [this] { return "tag" + std::to_string(++tags); });
        return b;
    }
};

bool writes_packed(const StorageBatch& b) {
    for (const StoredRecord& r : b.put_meta)
        if (r.key == kMetaPacked) return true;
    return false;
}

}  // namespace

TEST_CASE("cache checkpointer: a few changed posts go on the dirty list, each once") {
    Rig r;
    CHECK_FALSE(writes_packed(r.commit({"a", "b"})));
    CHECK_FALSE(writes_packed(r.commit({"b", "c"})));
    CHECK(r.meta.dirty == std::vector<std::string>{"a", "b", "c"});
    CHECK(r.tags == 0);
    CHECK(r.snapshot_reads == 0);
    CHECK(r.c.state() == State::in_step);
}

TEST_CASE("cache checkpointer: past kMaxDirty the whole copy is written again and the list empties") {
    Rig r;
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < kMaxDirty; ++i) ids.push_back("p" + std::to_string(i));
    CHECK_FALSE(writes_packed(r.commit(ids)));
    CHECK(r.meta.dirty.size() == kMaxDirty);
    const StorageBatch b = r.commit({"one-more"});
    CHECK(writes_packed(b));
    CHECK(r.snapshot_reads == 1);   // the snapshot's records, not only this commit's
    CHECK(r.meta.packed == "tag1");
    CHECK(r.meta.dirty.empty());
}

TEST_CASE("cache checkpointer: a full pull or a stale copy writes it at once, from the right records") {
    Rig r;
    r.commit({"a"});
    const StorageBatch full = r.commit({"x", "y"}, /*full=*/true);
    CHECK(writes_packed(full));
    CHECK(r.snapshot_reads == 0);   // the batch holds every post already
    CHECK(r.meta.dirty.empty());

    r.c.mark_stale();
    CHECK(r.c.stale());
    const StorageBatch repack = r.commit({});
    CHECK(writes_packed(repack));
    CHECK(r.snapshot_reads == 1);
    CHECK(r.meta.packed == "tag2");
    CHECK(r.meta.dirty.empty());   // the copy holds this commit's posts: none are dirty
    CHECK(r.c.state() == State::in_step);
}

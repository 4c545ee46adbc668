// The persisted cache (IndexedDB in the browser), format version 1. Per module:
//   posts   key [module, post id]  value: a compact JSON array (see encode_post_record; record
//                                   version 2 adds the 1.1 post fields, version 1 records still load)
//   outbox  key [module, write key] value: {"v":1, "op":..., ...} (see encode_outbox_record)
//   meta    key [module, "sync"]     {"format":1, "user":{id,name,role}, "cursor":..., "last_sync":ms,
//                                     "commit":"<random tag of the last snapshot change>"}
//           key [module, "draft"]    {"v":1, "text":"..."}
//           key [module, "spotlight"] {"v":1, "posts":[wire posts], "at": ms}
//           key [module, "packed"]   "grove-packed 1 <tag>" then one post record per line: every
//                                     cached post, read in one go at startup (10,000 posts in one
//                                     record instead of 10,000 records)
// The sync record also holds "packed" (the tag of the packed copy that is current) and "dirty" (the
// ids whose posts record changed since: at most kMaxDirty, then the copy is packed again). So a
// new or changed post is one put (plus the small sync record), and startup reads the packed copy
// and the few dirty posts. Without a usable packed copy, startup reads every post record.
// Everything read back is external input: a record that is corrupt, from an older format or from
// a newer widget is migrated, skipped or discarded with a warning, never a crash. Cached posts can
// always be fetched again; queued writes cannot, so each readable one is kept, and one written by
// a newer widget is left untouched in storage for that widget.
#pragma once

#include <cstdint>    // std::int64_t
#include <optional>   // std::optional
#include <string>     // std::string
#include <vector>     // std::vector

#include "grove/client/discussion.hpp"   // Identity
#include "grove/client/outbox.hpp"
#include "grove/client/ports.hpp"        // StoredModule
#include "grove/expected.hpp"
#include "grove/post.hpp"

namespace grove {

constexpr int kCacheFormat = 1;
constexpr int kOutboxRecordVersion = 1;
constexpr int kPostRecordVersion = 2;   // the version a post record's 13th field names

// Meta record names.
constexpr const char* kMetaSync = "sync";
constexpr const char* kMetaDraft = "draft";
constexpr const char* kMetaSpotlight = "spotlight";
constexpr const char* kMetaPacked = "packed";
constexpr std::size_t kMaxDirty = 256;   // changed posts before the packed copy is written again

std::string encode_post_record(const Post& post);
Expected<Post> decode_post_record(std::string_view record, const std::string& module);

std::string encode_outbox_record(const OutboxEntry& entry);
struct DecodedOutboxRecord {
    enum class Result { ok, newer, unreadable } result = Result::unreadable;
    OutboxEntry entry;       // when ok
    std::string problem;     // when not ok: why, for the console
};
DecodedOutboxRecord decode_outbox_record(const StoredRecord& record);

struct SyncMeta {
    Identity user;                          // whose view the cached posts are (endorsed_by_me, hidden bodies)
    std::optional<std::string> cursor;
    std::optional<std::int64_t> last_sync_ms;
    // Changes with every stored change of the snapshot (a random tag), so a tab can tell whether
    // the snapshot it holds is the stored one.
    std::string commit;
    std::string packed;                     // tag of the current packed copy ("" if none)
    std::vector<std::string> dirty;         // posts changed since that copy was written
};
std::string encode_sync_meta(const SyncMeta& meta);
struct SyncMetaRead {
    enum class Result { ok, corrupt, other_format } result = Result::corrupt;
    SyncMeta meta;
    int format = 0;   // when other_format
};
SyncMetaRead read_sync_meta(std::string_view text);
std::string encode_draft(const std::string& text);
std::string encode_spotlight(const std::vector<Post>& posts);

std::string encode_packed(const std::string& tag, const std::vector<std::string>& post_records);

// Posts read back from records (packed or not); unreadable ones are counted, not kept.
struct DecodedPosts {
    std::vector<Post> posts;
    int bad = 0;
    std::string first_problem;
};
DecodedPosts decode_post_records(const std::vector<std::string>& records, const std::string& module);
// Nothing when the packed copy is not the one `tag` names (or not a packed copy at all).
std::optional<DecodedPosts> decode_packed(std::string_view packed, const std::string& tag, const std::string& module);

// Everything read back for one module, already checked (the posts come in a second read: see
// posts_usable and packed).
struct CacheContents {
    SyncMeta meta;
    std::string sync_record;                // the stored sync record as it was ("" if none)
    bool posts_usable = true;               // false: the posts store is to be cleared, not read
    std::string packed;                     // the packed copy as stored ("" if none)
    std::vector<OutboxEntry> outbox;        // readable queued writes, in queue order
    std::string draft;
    std::vector<Post> spotlight;
    // Storage repairs the caller should write back (all in one batch).
    bool clear_posts = false;               // the cached posts are unusable: forget them
    std::vector<std::string> delete_outbox; // unreadable records (their text is in `warnings`)
    bool rewrite_meta = false;              // the sync record was missing or repaired
    std::vector<std::string> warnings;      // one console line each
};
CacheContents decode_cache(StoredModule stored, const std::string& module);

}  // namespace grove

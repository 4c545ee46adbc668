// The persisted cache (IndexedDB in the browser), format version 2. Per module:
//   posts   key [module, post id]  value: a compact JSON array (see encode_post_record; record
//                                     version 2 adds the 1.1 post fields, version 1 ones still load);
//                                     a hidden post's body is never stored (curators fetch it when
//                                     it is shown)
//   outbox  key [module, write key] value: {"v":1, "user":..., "op":..., ...} (see encode_outbox_record;
//                                     "v":2 only for writes a version 1 widget cannot send, such as
//                                     "outcome", "v":3 for those a version 2 widget cannot send
//                                     ("dismiss_flags"): such a widget leaves them in storage untouched)
//   meta    key [module, "sync"]     {"format":2, "user":{id,name,role}, "reader":"<user id>", "cursor":...,
//                                     "last_sync":ms, "commit":"<random tag of the last snapshot change>"}
//           key [module, "draft:<user id>"] {"v":2, "user":"<user id>", "text":"..."}: one per person
//           key [module, "spotlight"] {"v":1, "posts":[wire posts], "at": ms}
//           key [module, "resources"] {"v":1, "resources":[wire resources]}: the module's shelf
//                                     (API 1.1), the same for everyone; an older widget ignores it
//           key [module, "later:<user id>"] {"v":1, "user":"<user id>", "days":{"<post id>": day}}:
//                                     check-ins that person put off ("Ask me later") and the day
//           key [module, "packed"]   "grove-packed 1 <tag>" then one post record per line: every
//                                     cached post, read in one go at startup (10,000 posts in one
//                                     record instead of 10,000 records)
// Everything in it belongs to someone: a queued write and a draft to the person who made them (the
// token's `sub`), the cached posts to the person whose view they are (the sync record's user: it
// decides endorsed_by_me). So a queued write without its author can never be sent, and nothing
// person-specific is shown to anyone else. Nothing moderated is kept at rest: hidden posts are
// stored without their text, and the spotlight without hidden text or endorsement marks.
// The sync record also holds "packed" (the tag of the packed copy that is current) and "dirty" (the
// ids whose posts record changed since: at most kMaxDirty, then the copy is packed again). So a
// new or changed post is one put (plus the small sync record), and startup reads the packed copy
// and the few dirty posts. Without a usable packed copy, startup reads every post record.
// Everything read back is external input: a record that is corrupt, from an older format or from
// a newer widget is migrated, skipped or discarded with a warning, never a crash. Cached posts can
// always be fetched again; queued writes cannot, so each readable one with an author is kept, and
// one written by a newer widget is left untouched in storage for that widget.
// Format 1 (the first release) stored hidden posts' text and one draft per module without its
// author, and could store a queued write without one: its posts are discarded (and fetched again),
// its draft and such writes deleted unread, since nothing can tell whose they were (that release
// put the draft in whoever's composer opened the page next and saved it again, so not even the
// sync record's person is known to have written it). Its queued writes that name their author
// are kept for that person.
#pragma once

#include <cstdint>    // std::int64_t
#include <map>        // std::map
#include <optional>   // std::optional
#include <string>     // std::string
#include <vector>     // std::vector

#include "grove/client/discussion.hpp"   // Identity
#include "grove/client/outbox.hpp"
#include "grove/client/ports.hpp"        // StoredModule
#include "grove/expected.hpp"
#include "grove/post.hpp"

namespace grove {

constexpr int kCacheFormat = 2;
constexpr int kOutboxRecordVersion = 3;       // the newest this widget reads and writes
constexpr int kOutboxRecordVersionV2 = 2;     // what the writes a version 2 widget knows are written as
constexpr int kOutboxRecordVersionV1 = 1;     // what the writes a version 1 widget knows are written as
// A flag's "hold" (OutboxEntry::hold_until_ms) is an optional field an older widget ignores (it
// then sends the flag at once), so it needs no new record version; longer waits are not read.
constexpr std::int64_t kMaxFlagHoldMs = 60'000;
constexpr int kPostRecordVersion = 2;   // the version a post record's 13th field names

// Meta record names.
constexpr const char* kMetaSync = "sync";
constexpr const char* kMetaDraft = "draft";           // format 1: one draft per module, no author
constexpr const char* kMetaDraftPrefix = "draft:";    // format 2: "draft:<user id>"
constexpr const char* kMetaSpotlight = "spotlight";
constexpr const char* kMetaPacked = "packed";
constexpr const char* kMetaResources = "resources";
constexpr const char* kMetaLaterPrefix = "later:";   // "later:<user id>": check-ins put off for the day
constexpr std::size_t kMaxDirty = 256;   // changed posts before the packed copy is written again

// A hidden post is written without its body (and read back without one, whatever the record says).
std::string encode_post_record(const Post& post);
Expected<Post> decode_post_record(std::string_view record, const std::string& module);
// The two readers decode_post_record tries in turn, for tests that hold them to each other:
// a scanner of exactly what encode_post_record writes (nullopt for anything else), then a JSON
// parser that reads any spelling of the record (or says what is wrong with it).
std::optional<Post> decode_post_record_fast(std::string_view record, const std::string& module);
Expected<Post> decode_post_record_general(std::string_view record, const std::string& module);

std::string encode_outbox_record(const OutboxEntry& entry);
struct DecodedOutboxRecord {
    // unattributed: made before anyone was signed in (format 1 only); never sent by anyone.
    enum class Result { ok, newer, unreadable, unattributed } result = Result::unreadable;
    OutboxEntry entry;       // when ok
    std::string problem;     // when not ok: why, for the console
};
DecodedOutboxRecord decode_outbox_record(const StoredRecord& record);

struct SyncMeta {
    // Whose view the cached posts are (endorsed_by_me): the person of the last full pull. Another
    // person is shown them without those marks until their own full pull replaces them.
    Identity user;
    // Who was signed in here last (a user id; "" if nobody yet): someone who comes back after
    // another person is told what happened to their unsent work.
    std::string reader;
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
// The composer draft of one person: stored under draft_key(user).
std::string draft_key(const std::string& user);
std::string encode_draft(const std::string& user, const std::string& text);
// Without hidden posts' text and without endorsed_by_me (it would be the last reader's).
std::string encode_spotlight(const std::vector<Post>& posts);
// The module's resource shelf, in order.
std::string encode_resources(const std::vector<Resource>& resources);
// "Ask me later" on a check-in card: post id -> the day (days since the epoch, UTC) it was put
// off, one record per person, so another person's card is never hidden by it.
std::string later_key(const std::string& user);
std::string encode_later(const std::string& user, const std::map<std::string, std::int64_t>& days);

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
    std::vector<OutboxEntry> outbox;        // readable queued writes with their author, in queue order
    std::map<std::string, std::string> drafts;   // user id -> that person's composer draft
    std::vector<Post> spotlight;
    std::vector<Resource> resources;        // the shelf, by position (invalid entries left out)
    std::map<std::string, std::map<std::string, std::int64_t>> later;   // user id -> post id -> day put off
    // Storage repairs the caller should write back (all in one batch).
    bool clear_posts = false;               // the cached posts are unusable: forget them
    std::vector<std::string> delete_outbox; // unreadable or unattributed records (see `warnings`)
    std::vector<std::string> delete_meta;   // drafts without a (valid) author
    // Format 1's unsent work that cannot be given to anyone (deleted unread, see `warnings`): the
    // first person signed in is told, since it may have been theirs.
    bool deleted_unowned_draft = false;         // a draft with text in it
    std::size_t deleted_unowned_writes = 0;     // queued writes without an author
    bool rewrite_meta = false;              // the sync record was missing or repaired
    std::vector<std::string> warnings;      // one console line each
};
CacheContents decode_cache(StoredModule stored, const std::string& module);

}  // namespace grove

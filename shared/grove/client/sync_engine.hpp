// SyncEngine: the offline-first Discussion. It opens from the cache, keeps every write in the
// outbox (persisted before it is sent), and syncs in cycles. A cycle holds the module's sync lock,
// shared by every tab of this browser, so one tab at a time changes the cached snapshot:
//   catch up  if another tab synced since this one last looked (the stored sync record changed
//             and no broadcast brought the same change), reload the snapshot from storage
//   push      send the oldest queued write of this person, apply the answer, repeat (Pusher,
//             pusher.hpp; the engine is its host in sync_engine_push.cpp)
//   pull      follow the changes feed from the cursor while has_more is true, storing each page
//             with its cursor in one transaction (Puller, puller.hpp); then, without the lock,
//             the spotlight and the flag queue (sync_engine_pull.cpp)
// Each snapshot change is broadcast to the other tabs with the sync record before and after it,
// so a tab that was at the same point takes the step without reading storage.
// Failures: no answer, 408 and 5xx back off exponentially with jitter and try again for ever; 429
// waits Retry-After; 401 asks the page for a new token once and resends; any other 4xx marks the
// write failed with the server's message for the person to retry, edit or discard.
// When cycles run is CycleScheduler's job (cycle_scheduler.hpp, with explicit states): at start,
// every poll interval while the page is visible, at once when it becomes visible, gains focus or
// goes online, after each new write, when a held write is due, and when the page's event stream
// says the module changed (pull_now); while that stream is held the poll is only a safety net
// (live_poll_ms). A hidden tab still sends its writes but does not pull. The person's writes (create, edit, ...) are in sync_engine_writes.cpp.
// One person at a time (the token's `sub`): their draft, their queued writes and their view of the
// posts; another person's stay stored, unseen and unsent, until they are back. Nothing is taken,
// fetched or sent while nobody is known, and nothing crosses from one person to the next when the
// token changes (SECURITY.md, "Shared computers").
#pragma once

#include <cstdint>   // std::int64_t, std::uint64_t
#include <map>       // std::map
#include <memory>    // std::shared_ptr
#include <set>       // std::set
#include <optional>  // std::optional
#include <string>    // std::string
#include <utility>   // std::forward, std::move
#include <vector>    // std::vector

#include "grove/client/cache_checkpointer.hpp"
#include "grove/client/cache_format.hpp"   // SyncMeta
#include "grove/client/client_store.hpp"
#include "grove/client/cycle_scheduler.hpp"
#include "grove/client/discussion.hpp"
#include "grove/client/ports.hpp"
#include "grove/client/puller.hpp"
#include "grove/client/pusher.hpp"
#include "grove/client/retry_policy.hpp"
#include "grove/client/sync_observer.hpp"

namespace grove {

struct SyncOptions {
    std::string api;                           // base URL, e.g. "https://intranet.example/grove/api/v1"
    std::string module;
    std::string module_title;                  // the page's title for the module, sent with writes
    std::int64_t poll_ms = 20000;              // pull this often while visible
    std::int64_t live_poll_ms = 60000;         // ... and this often while the event stream is held
    int request_timeout_ms = 15000;
    std::int64_t backoff_base_ms = 1000;
    std::int64_t backoff_cap_ms = 60000;
    int page_limit = 500;                      // posts per changes-feed page (api.md allows 1..1000)
    int spotlight_days = 7;
    bool spotlight = true;                     // fetch the spotlight (this widget shows the page's line)
    std::int64_t spotlight_every_ms = 5 * 60 * 1000;
    std::int64_t check_ins_every_ms = 5 * 60 * 1000;   // how often GET /me/check-ins is asked
    std::int64_t resources_every_ms = 60 * 1000;       // how often the module's shelf is asked
    std::int64_t token_refresh_margin_ms = 30000;   // ask for a new token this long before exp
    std::size_t max_body = kDefaultMaxBodyCodePoints;
    std::int64_t flag_undo_ms = 5000;          // a flag waits this long for its Undo before it is sent
};

class SyncEngine final : public Discussion, private PushHost, private PullHost {
public:
    SyncEngine(SyncOptions options, ClientPorts ports);
    ~SyncEngine() override;
    SyncEngine(const SyncEngine&) = delete;
    SyncEngine& operator=(const SyncEngine&) = delete;

    // Reads the cache and the token, then syncs. Call once, after construction.
    void start();

    // ---- the page tells us ----
    void set_browser_online(bool online);   // online / offline events
    void set_visible(bool visible);         // visibilitychange
    void focused();                         // window focus: pull now
    void sync_now();                        // a cycle as soon as possible (backoff waits are skipped)
    // The event stream: the module changed (and, with `spotlight`, the spotlight did): a cycle
    // now, or one more after the cycle in flight (bursts coalesce); a backoff wait is kept.
    void pull_now(bool spotlight = false);
    void set_live(bool held);               // the stream is held: poll every live_poll_ms

    // ---- Discussion ----
    const std::string& module() const override { return options_.module; }
    const Identity& me() const override { return store_.me(); }
    const std::vector<ShownPost>& posts() const override { return store_.view(); }
    // The server's list, after the person's own leader learnings not sent yet (shown at once).
    const std::vector<Post>& spotlight() const override;
    const std::vector<FlagEntry>& flags() const override { return flags_; }
    SyncStatus status() const override;
    std::uint64_t revision() const override { return revision_; }
    const std::string& draft() const override { return draft_; }
    void set_draft(std::string text) override;
    Expected<Post> create(Kind kind, std::string body, std::optional<std::string> parent_id) override;
    std::optional<ApiError> edit(const std::string& id, std::string body) override;
    std::optional<ApiError> remove(const std::string& id) override;
    std::optional<ApiError> endorse(const std::string& id, bool endorsed) override;
    std::optional<ApiError> flag(const std::string& id, std::string reason, std::string details = {}) override;
    std::optional<ApiError> pin(const std::string& id, bool pinned) override;
    std::optional<ApiError> hide(const std::string& id, bool hidden) override;
    std::optional<ApiError> keep_visible(const std::string& id) override;
    void retry(std::uint64_t write) override;
    void discard(std::uint64_t write) override;
    void refresh_flags() override;
    void want_spotlight(bool wanted) override;
    bool flag_undoable(const std::string& id) const override;
    bool undo_flag(const std::string& id) override;
    const std::vector<Post>& check_ins() const override { return check_ins_; }
    bool check_in_put_off(const std::string& id, std::int64_t day) const override;
    void put_check_in_off(const std::string& id, std::int64_t day) override;
    // The server's shelf with the person's queued changes applied.
    const std::vector<Resource>& resources() const override;
    Expected<Resource> add_resource(std::string title, std::string url, std::string note) override;
    std::optional<ApiError> edit_resource(const std::string& id, std::string title, std::string url,
                                          std::string note) override;
    std::optional<ApiError> move_resource(const std::string& id, std::int64_t position) override;
    std::optional<ApiError> remove_resource(const std::string& id) override;
    std::optional<ApiError> answer_check_in(const std::string& id, Outcome outcome, std::string note) override;

    // ---- for tests and the benchmark ----
    const ClientStore& store() const { return store_; }
    bool loaded() const { return loaded_; }
    // Nothing in flight, nothing queued that could be sent now, no retry waiting.
    bool settled() const;
    bool saving_new_post() const override { return creates_saving_ > 0; }
    // Who is told of creates, sends and pulls (a benchmark, a test); nullptr: nobody. Not owned:
    // it must outlive the engine or be unset first.
    void set_observer(SyncObserver* observer) { observer_ = observer ? observer : &no_observer_; }

private:
    // [SECTION] lifecycle and scheduling (sync_engine.cpp)
    // Wraps a port callback so it does nothing once this engine is gone.
    template <class F>
    auto guard(F f) {
        return [weak = std::weak_ptr<int>(alive_), f = std::move(f)](auto&&... args) mutable {
            if (!weak.expired()) f(std::forward<decltype(args)>(args)...);
        };
    }
    void on_loaded(StoredModule stored, std::uint64_t epoch_at_read);
    void apply_cache(CacheContents& cache, DecodedPosts posts, std::uint64_t epoch_at_read);
    void read_posts(std::string packed, const SyncMeta& meta, std::function<void(DecodedPosts, bool repack)> done);
    void storage_failed(const std::string& why);
    void changed();
    void emit_sync();
    void emit_error(const std::string& code, const std::string& message);
    void request_cycle(bool urgent);
    void run_cycle();
    void end_cycle();
    std::int64_t auth_retry_delay_ms();
    void fail_cycle(std::int64_t retry_in_ms);   // a transient failure: try again later

    // Storage and the other tabs.
    // Writes one batch; `then` learns whether it was stored.
    void write_storage(StorageBatch batch, std::function<void(bool ok)> then = nullptr);
    void persist_meta();       // the sync record, outside a cycle (identity changes)
    std::string new_commit_tag();
    void persist_draft();
    void take_draft();
    StorageBatch draft_batch(const std::string& owner) const;
    // Under the lock: stores a snapshot change (with the sync record when it changed) and tells
    // the other tabs. `full`: the whole snapshot was replaced.
    void commit_snapshot(StorageBatch batch, const std::vector<Post>& posts, bool full = false);
    void broadcast_outbox();   // a queued write was added, refused or discarded
    void on_broadcast(const std::string& message);
    void reload_outbox(std::function<void()> then) override;   // PushHost too
    void catch_up(std::function<void()> then);   // see "catch up" above

    // Token and identity.
    void with_token(std::function<void()> then);
    void take_token(std::optional<std::string> token, std::function<void()> then);
    void set_identity(const Identity& who);
    void person_here(bool arrived);
    static std::string held_work_text(std::size_t writes, bool draft);
    static std::string unowned_work_text(bool draft, std::size_t writes);
    std::optional<ApiError> check_signed_in() const;
    void me_phase(std::function<void()> then);
    void abandon_cycle();
    // Sends with the token; after a 401, asks for a fresh token once and resends.
    void send(HttpRequest request, std::function<void(HttpResponse)> done);
    void note_answer(const HttpResponse& response);   // online/offline, sign-in notice

    // [SECTION] push (sync_engine_push.cpp): the pusher (pusher.hpp) sends; the engine is its host
    void locked_phase();
    void release_lock();
    bool has_sendable() const;
    bool sendable_now(const QueuedWrite& w) const;   // this person's, not refused, stored, not held
    const QueuedWrite* held_flag(const std::string& post_id) const;
    std::int64_t next_hold_due_ms() const;           // when the first held write is due (0: none)
    void finish_refusal(StorageBatch batch, const ApiError& err);
    // PushHost (and CycleHost, shared with the puller)
    std::optional<OutboxEntry> next_write() override;
    void send_write(const OutboxEntry& entry, std::function<void(HttpResponse)> done) override;
    bool take_answer(const OutboxEntry& entry, const HttpResponse& response) override;
    void refused(const OutboxEntry& entry, const HttpResponse& response) override;
    std::int64_t retry_delay_ms(Answer why) override;
    void cycle_failed(std::int64_t retry_in_ms) override;
    void pushed() override;
    void retry_due() override;

    // [SECTION] pull (sync_engine_pull.cpp): the puller (puller.hpp) follows the feed; the engine is its host
    void pull_phase();
    // PullHost
    void fetch_page(const std::optional<std::string>& since, std::function<void(HttpResponse)> done) override;
    void warn(const std::string& message) override;
    void store_page(std::vector<Post> posts, const std::string& cursor, bool full, bool last) override;
    void cursor_refused() override;
    void feed_refused(const ApiError& error) override;
    void pulled() override;
    void bodies_phase();
    void spotlight_phase();
    void flags_phase();
    bool dismissing(const std::string& post_id) const;   // a Keep visible of the post is queued
    void check_ins_phase();
    void resources_phase();

    // [SECTION] writes (sync_engine_writes.cpp)
    OutboxEntry new_entry(WriteOp op, const std::string& post_id);
    void queue(OutboxEntry entry);
    std::optional<ApiError> check_shown(const std::string& id, const ShownPost*& out) const;
    void drop_failed(const std::string& post_id, WriteOp op);
    std::vector<std::string> refused_keys(std::uint64_t write);   // every refused write of that post

    SyncOptions options_;
    ClientPorts ports_;
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);
    SyncObserver no_observer_;
    SyncObserver* observer_ = &no_observer_;
    ClientStore store_;
    std::uint32_t tab_ = 0;          // random per instance: part of write keys
    std::uint32_t counter_ = 0;

    bool started_ = false, loaded_ = false;
    bool storage_ok_ = true;         // false: memory only (the cache could not be read)
    SyncMeta meta_;
    std::string known_meta_;         // the stored sync record this tab's snapshot matches
    // The stored snapshot is another person's (their tab is open too): this tab's own view stays
    // in memory, and it writes only queued writes and drafts until it is the owner's again.
    bool detached_ = false;
    CacheCheckpointer checkpointer_;   // when the packed copy is written again (cache_format.hpp)
    std::string draft_;
    std::string draft_owner_;        // whose draft_ is ("": typed while nobody was known, not saved)
    std::map<std::string, std::string> drafts_;   // saved drafts by person, as this tab knows them
    bool draft_touched_ = false;     // typed before the cache was read: keep what was typed
    // Saving the draft: one write at a time, always of the latest text.
    //   idle     no write is out
    //   writing  a write of the current text is out
    //   stale    a write is out and the text changed since: written again when it is answered
    enum class DraftSave { idle, writing, stale };
    DraftSave draft_save_ = DraftSave::idle;
    std::vector<Post> spotlight_;
    std::vector<FlagEntry> flags_;
    std::set<std::string> bodies_tried_;   // hidden posts whose text was asked for (curators)
    std::int64_t spotlight_at_ms_ = 0;
    std::int64_t flags_at_ms_ = 0;
    std::vector<Post> check_ins_;          // the person's due check-ins (memory only: they are theirs)
    std::int64_t check_ins_at_ms_ = 0;
    std::map<std::string, std::map<std::string, std::int64_t>> later_;   // user id -> post id -> day put off (cached)
    std::vector<Resource> resources_;      // the module's shelf (cached: the same for everyone)
    std::int64_t resources_at_ms_ = 0;
    mutable std::vector<Post> shown_spotlight_;       // spotlight() when the person's own are queued
    mutable std::vector<Resource> shown_resources_;   // resources(): recomputed when revision_ moves
    mutable std::uint64_t shown_resources_rev_ = 0;
    std::optional<ApiError> check_curator() const;
    bool flags_wanted_ = false;
    std::uint64_t revision_ = 1;
    int creates_saving_ = 0;   // create writes issued to storage and not yet answered

    // Token.
    std::optional<std::string> token_;   // nothing until the page answered
    std::optional<std::int64_t> token_exp_ms_;
    // Where the person comes from:
    //   token       the token's claims
    //   me_unasked  an opaque (or no) token: GET /me has not been asked for it, or failed
    //   me_asked    GET /me was asked for this token (and answered, or its answer is awaited)
    enum class WhoFrom { token, me_unasked, me_asked };
    WhoFrom who_from_ = WhoFrom::me_unasked;
    bool auth_failed_ = false;           // the API refused even a fresh token
    bool identity_missing_ = false;      // a cycle found nobody signed in (status().notice says so)
    std::uint64_t identity_epoch_ = 0;   // moves whenever the person (or their role) changes
    std::string held_work_;              // SyncStatus::held_work
    std::string unowned_notice_;         // an older cache's work nobody could be given: for held_work_
    std::string notice_;                 // why syncing cannot go on (sign-in, storage)
    std::string storage_notice_;

    // Scheduling: when cycles run (the page's conditions, polls, backoff waits, held writes).
    CycleScheduler scheduler_;
    bool reached_ = true;                // the API answered the last request (SyncStatus::online)
    bool in_flight_ = false;             // a request of this engine is out
    Backoff backoff_;                    // shared by pushes and pulls: failures of either add up
    Pusher pusher_;
    Puller puller_;
    std::function<void()> release_lock_;   // set while this tab holds the sync lock
};

}  // namespace grove

#include "grove/client/cache_format.hpp"

#include <cstring>   // std::memcmp, std::strlen

#include "grove/utf8.hpp"         // is_valid_utf8
#include "grove/validation.hpp"   // is_valid_post_id
#include "grove/wire.hpp"         // Json, dump, post_from_json

namespace grove {

namespace {

// Post record flags, one bit each.
enum : int { kEndorsedByMe = 1, kLeaderEndorsed = 2, kPinned = 4, kHidden = 8, kDeleted = 16 };

Json parse(std::string_view text) { return parse_json(text); }

std::string excerpt(std::string_view text) {
    std::string s(prefix_code_points(is_valid_utf8(text) ? text : std::string_view{}, 200));
    return s.size() < text.size() ? s + "..." : s;
}

const Json* member(const Json& j, const char* name) {
    const auto it = j.find(name);
    return it == j.end() ? nullptr : &*it;
}

bool read_string(const Json& j, const char* name, std::string& out) {
    const Json* f = member(j, name);
    if (!f || !f->is_string()) return false;
    out = f->get<std::string>();
    return true;
}

Json identity_to_json(const Identity& id) {
    return Json{{"id", id.id}, {"name", id.name}, {"role", to_string(id.role)}};
}

std::optional<Identity> identity_from_json(const Json& j) {
    if (!j.is_object()) return std::nullopt;
    Identity id;
    std::string role;
    if (!read_string(j, "id", id.id) || !read_string(j, "name", id.name) || !read_string(j, "role", role))
        return std::nullopt;
    const auto r = role_from_string(role);
    if (!r || !is_valid_user_id(id.id) || !is_valid_display_name(id.name)) return std::nullopt;
    id.role = *r;
    id.known = true;
    return id;
}

}  // namespace

// A hidden post's body stays in memory only: whoever uses this browser profile next could read the
// database, and a curator's widget fetches the text again when it opens (SyncEngine).
// Version 1 (12 fields): [id, parent_id|null, kind, body, author id, author name, author role,
//  created ms, edited ms|null, endorsements, flag bits, rev]: about half the size of the wire
//  format and much faster to read.
// Version 2 appends one field, only when the post has a 1.1 field that is not at its default:
//  [2, module_title|null, check_in_at ms|null, outcome|null, outcome_note, outcome_at ms|null,
//  check_ins]. So a record of most posts is unchanged, and records written by a version 1 widget
//  read as posts without those fields. A higher number there was written by a newer widget: the
//  record is refused (the post is fetched again), as is anything else in that place.

namespace {
bool has_v2_fields(const Post& p) {
    return p.module_title || p.check_in_at_ms || p.outcome || p.outcome_at_ms || p.check_ins != 0;
}
Json nullable_ms(const std::optional<std::int64_t>& v) { return v ? Json(*v) : Json(nullptr); }
}  // namespace

std::string encode_post_record(const Post& p) {
    const int bits = (p.endorsed_by_me ? kEndorsedByMe : 0) | (p.leader_endorsed ? kLeaderEndorsed : 0) |
                     (p.pinned ? kPinned : 0) | (p.hidden ? kHidden : 0) | (p.deleted ? kDeleted : 0);
    Json j = Json::array({p.id, p.parent_id ? Json(*p.parent_id) : Json(nullptr), to_string(p.kind),
                          p.hidden ? std::string() : p.body,
                          p.author.id, p.author.name, to_string(p.author.role), p.created_at_ms,
                          p.edited_at_ms ? Json(*p.edited_at_ms) : Json(nullptr), p.endorsements, bits, p.rev});
    if (has_v2_fields(p))
        j.push_back(Json::array({kPostRecordVersion, p.module_title ? Json(*p.module_title) : Json(nullptr),
                                 nullable_ms(p.check_in_at_ms), p.outcome ? Json(to_string(*p.outcome)) : Json(nullptr),
                                 p.outcome_note, nullable_ms(p.outcome_at_ms), p.check_ins}));
    return dump(j);
}

namespace {

// Reads exactly what encode_post_record writes, without building a JSON tree: with 10,000 cached
// posts this is most of the startup cost. Anything unexpected returns false, and the general
// decoder below then reads it (or says what is wrong).
// Plain pointers, not string_view indexing: in the size-optimized wasm build (and in the browser's
// first, unoptimized tier) every s[i] and size() would be a function call, per byte of megabytes.
class RecordScanner {
public:
    explicit RecordScanner(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}
    bool at(char c) {
        skip();
        if (p_ < end_ && *p_ == c) {
            ++p_;
            return true;
        }
        return false;
    }
    bool null() {
        skip();
        if (end_ - p_ < 4 || std::memcmp(p_, "null", 4) != 0) return false;
        p_ += 4;
        return true;
    }
    bool integer(std::int64_t& out) {
        skip();
        const bool neg = p_ < end_ && *p_ == '-';
        if (neg) ++p_;
        const char* const start = p_;
        std::int64_t v = 0;
        while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
            if (p_ - start >= 18) return false;
            v = v * 10 + (*p_++ - '0');
        }
        if (p_ == start) return false;
        out = neg ? -v : v;
        return true;
    }
    bool string(std::string& out) {
        if (!at('"')) return false;
        out.clear();
        for (;;) {
            const char* const run = p_;   // up to the next quote, escape or control character
            while (p_ < end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20) ++p_;
            out.append(run, static_cast<std::size_t>(p_ - run));
            if (p_ >= end_ || static_cast<unsigned char>(*p_) < 0x20) return false;
            if (*p_++ == '"') return is_valid_utf8(out);
            if (p_ >= end_) return false;
            const char e = *p_++;
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned cp;
                    if (!hex4(cp)) return false;
                    if (cp >= 0xD800 && cp <= 0xDBFF) {   // a surrogate pair
                        unsigned low;
                        if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
                        p_ += 2;
                        if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        return false;
                    }
                    append_utf8(out, cp);
                    break;
                }
                default: return false;
            }
        }
    }
    bool end() {
        skip();
        return p_ == end_;
    }

private:
    void skip() {
        while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
    }
    bool hex4(unsigned& out) {
        if (end_ - p_ < 4) return false;
        out = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = *p_++;
            out <<= 4;
            if (c >= '0' && c <= '9') out |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') out |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') out |= static_cast<unsigned>(c - 'A' + 10);
            else return false;
        }
        return true;
    }
    const char* p_;
    const char* end_;
};

bool scan_optional_ms(RecordScanner& r, std::optional<std::int64_t>& out) {
    std::int64_t v = 0;
    if (r.null()) {
        out.reset();
        return true;
    }
    if (!r.integer(v)) return false;
    out = v;
    return true;
}

// The version 2 field: [2, module_title|null, check_in_at|null, outcome|null, note, outcome_at|null, check_ins]
bool scan_v2_fields(RecordScanner& r, Post& p) {
    std::int64_t version = 0;
    std::string text;
    if (!r.at('[') || !r.integer(version) || version != kPostRecordVersion || !r.at(',')) return false;
    if (!r.null()) {
        if (!r.string(text)) return false;
        p.module_title = text;
    }
    if (!r.at(',') || !scan_optional_ms(r, p.check_in_at_ms) || !r.at(',')) return false;
    if (!r.null()) {
        if (!r.string(text) || !outcome_from_string(text)) return false;
        p.outcome = outcome_from_string(text);
    }
    if (!r.at(',') || !r.string(p.outcome_note) || !r.at(',') || !scan_optional_ms(r, p.outcome_at_ms) || !r.at(',') ||
        !r.integer(p.check_ins) || !r.at(']'))
        return false;
    return true;
}

bool scan_post_record(std::string_view record, const std::string& module, Post& p) {
    RecordScanner r(record);
    std::string kind, role, parent;
    std::int64_t bits = 0;
    if (!r.at('[') || !r.string(p.id) || !is_valid_post_id(p.id) || !r.at(',')) return false;
    if (r.null()) {
        p.parent_id.reset();
    } else if (r.string(parent) && is_valid_post_id(parent)) {
        p.parent_id = std::move(parent);
    } else {
        return false;
    }
    if (!r.at(',') || !r.string(kind) || !r.at(',') || !r.string(p.body) || !r.at(',') || !r.string(p.author.id) ||
        !r.at(',') || !r.string(p.author.name) || !r.at(',') || !r.string(role) || !r.at(',') ||
        !r.integer(p.created_at_ms) || !r.at(','))
        return false;
    const auto k = kind_from_string(kind);
    const auto ro = role_from_string(role);
    if (!k || !ro) return false;
    p.kind = *k;
    p.author.role = *ro;
    std::int64_t edited = 0;
    if (r.null()) {
        p.edited_at_ms.reset();
    } else if (r.integer(edited)) {
        p.edited_at_ms = edited;
    } else {
        return false;
    }
    if (!r.at(',') || !r.integer(p.endorsements) || !r.at(',') || !r.integer(bits) || !r.at(',') || !r.integer(p.rev))
        return false;
    p.module_title.reset();
    p.check_in_at_ms.reset();
    p.outcome.reset();
    p.outcome_note.clear();
    p.outcome_at_ms.reset();
    p.check_ins = 0;
    if (r.at(',') && !scan_v2_fields(r, p)) return false;
    if (!r.at(']') || !r.end()) return false;
    p.module = module;
    p.endorsed_by_me = bits & kEndorsedByMe;
    p.leader_endorsed = bits & kLeaderEndorsed;
    p.pinned = bits & kPinned;
    p.hidden = bits & kHidden;
    p.deleted = bits & kDeleted;
    if (p.hidden) p.body.clear();   // never written; a record that has one was not written by us
    return true;
}

}  // namespace

std::optional<Post> decode_post_record_fast(std::string_view record, const std::string& module) {
    Post p;
    if (!scan_post_record(record, module, p)) return std::nullopt;
    return p;
}

Expected<Post> decode_post_record(std::string_view record, const std::string& module) {
    Post fast;
    if (scan_post_record(record, module, fast)) return fast;
    return decode_post_record_general(record, module);
}

Expected<Post> decode_post_record_general(std::string_view record, const std::string& module) {
    const Json j = parse(record);
    auto bad = [](const char* why) { return ApiError::bad_request(std::string("cached post: ") + why); };
    if (!j.is_array() || (j.size() != 12 && j.size() != 13)) return bad("not a 12- or 13-field array");
    Post p;
    p.module = module;
    if (!j[0].is_string() || !is_valid_post_id(j[0].get_ref<const std::string&>())) return bad("bad id");
    p.id = j[0].get<std::string>();
    if (j[1].is_string()) {
        if (!is_valid_post_id(j[1].get_ref<const std::string&>())) return bad("bad parent id");
        p.parent_id = j[1].get<std::string>();
    } else if (!j[1].is_null()) {
        return bad("bad parent id");
    }
    const auto kind = j[2].is_string() ? kind_from_string(j[2].get_ref<const std::string&>()) : std::nullopt;
    if (!kind) return bad("bad kind");
    p.kind = *kind;
    if (!j[3].is_string() || !j[4].is_string() || !j[5].is_string() || !j[6].is_string()) return bad("bad text field");
    p.body = j[3].get<std::string>();
    p.author.id = j[4].get<std::string>();
    p.author.name = j[5].get<std::string>();
    const auto role = role_from_string(j[6].get_ref<const std::string&>());
    if (!role) return bad("bad role");
    p.author.role = *role;
    if (!j[7].is_number_integer()) return bad("bad created time");
    p.created_at_ms = j[7].get<std::int64_t>();
    if (j[8].is_number_integer()) {
        p.edited_at_ms = j[8].get<std::int64_t>();
    } else if (!j[8].is_null()) {
        return bad("bad edited time");
    }
    if (!j[9].is_number_integer() || !j[10].is_number_integer() || !j[11].is_number_integer())
        return bad("bad counter");
    p.endorsements = j[9].get<std::int64_t>();
    const int bits = j[10].get<int>();
    p.endorsed_by_me = bits & kEndorsedByMe;
    p.leader_endorsed = bits & kLeaderEndorsed;
    p.pinned = bits & kPinned;
    p.hidden = bits & kHidden;
    p.deleted = bits & kDeleted;
    if (p.hidden) p.body.clear();
    p.rev = j[11].get<std::int64_t>();
    if (j.size() == 13) {
        const Json& x = j[12];
        if (!x.is_array() || x.empty() || !x[0].is_number_integer()) return bad("bad version 2 field");
        if (x[0].get<std::int64_t>() > kPostRecordVersion) return bad("written by a newer version");
        if (x[0].get<std::int64_t>() != kPostRecordVersion || x.size() != 7) return bad("bad version 2 field");
        if (x[1].is_string()) p.module_title = x[1].get<std::string>();
        else if (!x[1].is_null()) return bad("bad module title");
        if (x[2].is_number_integer()) p.check_in_at_ms = x[2].get<std::int64_t>();
        else if (!x[2].is_null()) return bad("bad check-in time");
        if (x[3].is_string()) {
            p.outcome = outcome_from_string(x[3].get_ref<const std::string&>());
            if (!p.outcome) return bad("bad outcome");
        } else if (!x[3].is_null()) {
            return bad("bad outcome");
        }
        if (!x[4].is_string()) return bad("bad outcome note");
        p.outcome_note = x[4].get<std::string>();
        if (x[5].is_number_integer()) p.outcome_at_ms = x[5].get<std::int64_t>();
        else if (!x[5].is_null()) return bad("bad outcome time");
        if (!x[6].is_number_integer()) return bad("bad check-in count");
        p.check_ins = x[6].get<std::int64_t>();
    }
    return p;
}

// A write an older widget also knows stays "v":1, so that widget (after a downgrade, or in a tab
// not yet reloaded) still sends it; a newer kind of write is "v":2, which such a widget leaves in
// storage instead of deleting it as unreadable: "v":2 for the 1.1 writes, "v":3 for dismissing flags.
std::string encode_outbox_record(const OutboxEntry& e) {
    const int version = e.op == WriteOp::dismiss_flags                          ? kOutboxRecordVersion
                        : e.op == WriteOp::outcome || is_resource_op(e.op) ? kOutboxRecordVersionV2
                                                                           : kOutboxRecordVersionV1;
    Json j{{"v", version}, {"key", e.key},          {"user", e.user},
           {"op", to_string(e.op)},     {"post", e.post_id},     {"at", e.created_ms},
           {"attempts", e.attempts}};
    switch (e.op) {
        case WriteOp::create:
            j["kind"] = to_string(e.kind);
            j["parent"] = e.parent_id ? Json(*e.parent_id) : Json(nullptr);
            j["body"] = e.body;
            break;
        case WriteOp::edit: j["body"] = e.body; break;
        case WriteOp::endorse:
        case WriteOp::pin:
        case WriteOp::hide:
        case WriteOp::dismiss_flags: j["value"] = e.value; break;
        case WriteOp::flag:
            j["reason"] = e.reason;
            if (!e.details.empty()) j["details"] = e.details;
            if (e.hold_until_ms > 0) j["hold"] = e.hold_until_ms;
            break;
        case WriteOp::outcome:
            j["outcome"] = to_string(e.outcome);
            j["note"] = e.note;
            break;
        case WriteOp::resource_add:
            j["title"] = e.title.value_or("");
            j["url"] = e.url.value_or("");
            j["note"] = e.note;
            break;
        case WriteOp::resource_edit:
            if (e.title) j["title"] = *e.title;
            if (e.url) j["url"] = *e.url;
            if (e.resource_note) j["note"] = *e.resource_note;
            if (e.position) j["position"] = *e.position;
            break;
        case WriteOp::remove:
        case WriteOp::resource_remove: break;
    }
    if (e.failed)
        j["failed"] = Json{{"status", e.error_status}, {"code", e.error_code}, {"message", e.error_message}};
    return dump(j);
}

DecodedOutboxRecord decode_outbox_record(const StoredRecord& rec) {
    DecodedOutboxRecord out;
    auto unreadable = [&](const std::string& why) {
        out.result = DecodedOutboxRecord::Result::unreadable;
        out.problem = why + ": " + excerpt(rec.value);
        return out;
    };
    const Json j = parse(rec.value);
    if (!j.is_object()) return unreadable("not a JSON object");
    // A newer widget wrote it: leave it for that widget rather than guess what it means.
    if (const Json* v = member(j, "v"); v && v->is_number_integer() && v->get<int>() > kOutboxRecordVersion) {
        out.result = DecodedOutboxRecord::Result::newer;
        out.problem = "written by a newer version (v" + std::to_string(v->get<int>()) + ")";
        return out;
    }
    // Versions 1, 2, 3 and anything unversioned: read every field we understand, leniently, because
    // a queued write that can be read must never be lost.
    OutboxEntry& e = out.entry;
    e.key = rec.key;
    std::string op;
    if (!read_string(j, "op", op) || !write_op_from_string(op)) return unreadable("unknown operation");
    e.op = *write_op_from_string(op);
    if (!read_string(j, "post", e.post_id) || !is_valid_post_id(e.post_id)) return unreadable("no valid post id");
    read_string(j, "user", e.user);
    if (!e.user.empty() && !is_valid_user_id(e.user)) return unreadable("bad user id");
    if (const Json* at = member(j, "at"); at && at->is_number_integer()) e.created_ms = at->get<std::int64_t>();
    if (const Json* n = member(j, "attempts"); n && n->is_number_integer()) e.attempts = n->get<int>();
    switch (e.op) {
        case WriteOp::create: {
            std::string kind;
            e.kind = read_string(j, "kind", kind) && kind_from_string(kind) ? *kind_from_string(kind) : Kind::insight;
            if (const Json* parent = member(j, "parent"); parent && parent->is_string()) {
                if (!is_valid_post_id(parent->get_ref<const std::string&>())) return unreadable("bad parent id");
                e.parent_id = parent->get<std::string>();
            }
            if (!read_string(j, "body", e.body) || e.body.empty()) return unreadable("no body");
            break;
        }
        case WriteOp::edit:
            if (!read_string(j, "body", e.body) || e.body.empty()) return unreadable("no body");
            break;
        case WriteOp::endorse:
        case WriteOp::pin:
        case WriteOp::hide: {
            const Json* v = member(j, "value");
            if (!v || !v->is_boolean()) return unreadable("no value");
            e.value = v->get<bool>();
            break;
        }
        case WriteOp::dismiss_flags:
            // Only whether the post shows again at once hangs on it: a record without it still sends.
            if (const Json* v = member(j, "value"); v && v->is_boolean()) e.value = v->get<bool>();
            break;
        case WriteOp::flag:
            read_string(j, "reason", e.reason);
            read_string(j, "details", e.details);
            // An Undo window is seconds long: a wait beyond a minute after the flag was made is
            // not one of ours, and is dropped rather than keeping the flag unsent.
            if (const Json* hold = member(j, "hold"); hold && hold->is_number_integer()) {
                const std::int64_t until = hold->get<std::int64_t>();
                if (until > 0 && until - e.created_ms <= kMaxFlagHoldMs) e.hold_until_ms = until;
            }
            break;
        case WriteOp::outcome: {
            std::string outcome;
            if (!read_string(j, "outcome", outcome) || !outcome_from_string(outcome)) return unreadable("no outcome");
            e.outcome = *outcome_from_string(outcome);
            read_string(j, "note", e.note);
            break;
        }
        case WriteOp::resource_add:
        case WriteOp::resource_edit: {
            // What is sent must still be what the API takes: an http(s) url above all.
            std::string text;
            if (read_string(j, "title", text)) e.title = text;
            if (read_string(j, "url", text)) {
                if (!is_http_url(text)) return unreadable("not an http(s) address");
                e.url = text;
            }
            if (read_string(j, "note", text)) (e.op == WriteOp::resource_add ? e.note : e.resource_note.emplace()) = text;
            if (const Json* n = member(j, "position"); n && n->is_number_integer() && n->get<std::int64_t>() >= 0)
                e.position = n->get<std::int64_t>();
            if (e.op == WriteOp::resource_add && (!e.title || !e.url)) return unreadable("no title or address");
            if (e.op == WriteOp::resource_edit && !e.title && !e.url && !e.resource_note && !e.position)
                return unreadable("no change");
            break;
        }
        case WriteOp::remove:
        case WriteOp::resource_remove: break;
    }
    if (const Json* f = member(j, "failed"); f && f->is_object()) {
        e.failed = true;
        if (const Json* s = member(*f, "status"); s && s->is_number_integer()) e.error_status = s->get<int>();
        read_string(*f, "code", e.error_code);
        read_string(*f, "message", e.error_message);
        if (e.error_message.empty()) e.error_message = "The server refused this change.";
    }
    // Whose write it is decides who may send it: without an author it is nobody's.
    if (e.user.empty()) {
        out.result = DecodedOutboxRecord::Result::unattributed;
        out.problem = "made before anyone was signed in: " + excerpt(rec.value);
        return out;
    }
    out.result = DecodedOutboxRecord::Result::ok;
    return out;
}

std::string encode_sync_meta(const SyncMeta& m) {
    Json j{{"format", kCacheFormat}};
    j["user"] = m.user.known ? identity_to_json(m.user) : Json(nullptr);
    j["reader"] = m.reader;
    j["cursor"] = m.cursor ? Json(*m.cursor) : Json(nullptr);
    j["last_sync"] = m.last_sync_ms ? Json(*m.last_sync_ms) : Json(nullptr);
    j["commit"] = m.commit;
    j["packed"] = m.packed;
    j["dirty"] = m.dirty;
    return dump(j);
}

SyncMetaRead read_sync_meta(std::string_view text) {
    SyncMetaRead out;
    const Json j = parse(text);
    const Json* format = j.is_object() ? member(j, "format") : nullptr;
    if (!format || !format->is_number_integer()) return out;
    if (format->get<int>() != kCacheFormat) {
        out.result = SyncMetaRead::Result::other_format;
        out.format = format->get<int>();
        return out;
    }
    out.result = SyncMetaRead::Result::ok;
    if (const Json* u = member(j, "user")) {
        if (auto id = identity_from_json(*u)) out.meta.user = *id;
    }
    if (read_string(j, "reader", out.meta.reader) && !out.meta.reader.empty() && !is_valid_user_id(out.meta.reader))
        out.meta.reader.clear();
    if (const Json* cur = member(j, "cursor"); cur && cur->is_string()) out.meta.cursor = cur->get<std::string>();
    if (const Json* t = member(j, "last_sync"); t && t->is_number_integer()) out.meta.last_sync_ms = t->get<std::int64_t>();
    read_string(j, "commit", out.meta.commit);
    read_string(j, "packed", out.meta.packed);
    if (const Json* d = member(j, "dirty"); d && d->is_array()) {
        for (const Json& id : *d) {
            if (!id.is_string() || !is_valid_post_id(id.get_ref<const std::string&>())) {
                out.meta.packed.clear();   // a dirty list we cannot trust: read every post
                out.meta.dirty.clear();
                break;
            }
            out.meta.dirty.push_back(id.get<std::string>());
        }
    } else {
        out.meta.packed.clear();
    }
    return out;
}

std::string encode_packed(const std::string& tag, const std::vector<std::string>& records) {
    std::size_t size = 32 + tag.size();
    for (const std::string& r : records) size += r.size() + 1;
    std::string out;
    out.reserve(size);
    out += "grove-packed 1 ";
    out += tag;
    for (const std::string& r : records) {
        out += '\n';
        out += r;
    }
    return out;
}

DecodedPosts decode_post_records(const std::vector<std::string>& records, const std::string& module) {
    DecodedPosts out;
    out.posts.reserve(records.size());
    for (const std::string& rec : records) {
        auto p = decode_post_record(rec, module);
        if (p) {
            out.posts.push_back(std::move(p).value());
        } else if (out.bad++ == 0) {
            out.first_problem = p.error().message + ": " + excerpt(rec);
        }
    }
    return out;
}

std::optional<DecodedPosts> decode_packed(std::string_view packed, const std::string& tag, const std::string& module) {
    const std::string header = "grove-packed 1 " + tag;
    if (tag.empty() || packed.substr(0, header.size()) != header ||
        (packed.size() > header.size() && packed[header.size()] != '\n'))
        return std::nullopt;
    DecodedPosts out;
    out.posts.reserve(packed.size() / 200);
    std::size_t start = header.size() + 1;
    while (start < packed.size()) {
        std::size_t end = packed.find('\n', start);
        if (end == std::string_view::npos) end = packed.size();
        const std::string_view line = packed.substr(start, end - start);
        auto p = decode_post_record(line, module);
        if (p) {
            out.posts.push_back(std::move(p).value());
        } else if (out.bad++ == 0) {
            out.first_problem = p.error().message + ": " + excerpt(line);
        }
        start = end + 1;
    }
    return out;
}

std::string draft_key(const std::string& user) { return kMetaDraftPrefix + user; }

std::string encode_draft(const std::string& user, const std::string& text) {
    return dump(Json{{"v", 2}, {"user", user}, {"text", text}});
}

std::string later_key(const std::string& user) { return kMetaLaterPrefix + user; }

std::string encode_later(const std::string& user, const std::map<std::string, std::int64_t>& days) {
    Json j = Json::object();
    for (const auto& [id, day] : days) j[id] = day;
    return dump(Json{{"v", 1}, {"user", user}, {"days", std::move(j)}});
}

std::string encode_spotlight(const std::vector<Post>& posts) {
    Json list = Json::array();
    for (Post p : posts) {
        if (p.hidden) p.body.clear();
        p.endorsed_by_me = false;
        list.push_back(to_json(p));
    }
    return dump(Json{{"v", 1}, {"posts", std::move(list)}});
}

std::string encode_resources(const std::vector<Resource>& resources) {
    Json list = Json::array();
    for (const Resource& r : resources) list.push_back(to_json(r));
    return dump(Json{{"v", 1}, {"resources", std::move(list)}});
}

CacheContents decode_cache(StoredModule stored, const std::string& module) {
    CacheContents c;
    const std::string where = "Grove cache (" + module + "): ";

    // Queued writes first: they matter most and are read whatever state the rest is in.
    int newer = 0, unattributed = 0;
    for (const StoredRecord& rec : stored.outbox) {
        DecodedOutboxRecord d = decode_outbox_record(rec);
        switch (d.result) {
            case DecodedOutboxRecord::Result::ok: c.outbox.push_back(std::move(d.entry)); break;
            case DecodedOutboxRecord::Result::newer: ++newer; break;
            case DecodedOutboxRecord::Result::unreadable:
                c.warnings.push_back(where + "discarded a queued change that cannot be read (" + d.problem + ")");
                c.delete_outbox.push_back(rec.key);
                break;
            case DecodedOutboxRecord::Result::unattributed:
                ++unattributed;
                c.delete_outbox.push_back(rec.key);
                break;
        }
    }
    c.deleted_unowned_writes = static_cast<std::size_t>(unattributed);
    if (unattributed)
        c.warnings.push_back(where + "deleted " + std::to_string(unattributed) +
                             " queued change(s) that an earlier version saved before anyone was signed in: nothing "
                             "tells whose they were, so they are never sent under anyone's name");
    if (newer)
        c.warnings.push_back(where + std::to_string(newer) +
                             " queued change(s) were saved by a newer version of Grove; they are kept for it");

    const std::string* sync_text = nullptr;
    for (StoredRecord& rec : stored.meta) {
        if (rec.key == kMetaSync) {
            sync_text = &rec.value;
            c.sync_record = rec.value;
        }
        if (rec.key == kMetaPacked) c.packed = std::move(rec.value);
        if (rec.key == kMetaDraft) {   // format 1: nobody's in particular, so nobody's to restore
            const Json j = parse(rec.value);
            std::string text;
            const bool empty = j.is_object() && read_string(j, "text", text) && text.empty();
            if (!empty) {
                c.deleted_unowned_draft = true;
                c.warnings.push_back(where + "deleted unread a draft an earlier version saved without its author: "
                                             "nothing tells whose it was, so it is never shown to anyone");
            }
            c.delete_meta.push_back(rec.key);
        }
        if (rec.key.compare(0, std::strlen(kMetaDraftPrefix), kMetaDraftPrefix) == 0) {
            const std::string owner = rec.key.substr(std::strlen(kMetaDraftPrefix));
            const Json j = parse(rec.value);
            std::string user, text;
            if (!is_valid_user_id(owner) || !j.is_object() || !read_string(j, "user", user) || user != owner ||
                !read_string(j, "text", text)) {
                c.warnings.push_back(where + "deleted a saved draft that could not be read: " + excerpt(rec.value));
                c.delete_meta.push_back(rec.key);
            } else {
                c.drafts[owner] = std::move(text);
            }
        }
        if (rec.key.compare(0, std::strlen(kMetaLaterPrefix), kMetaLaterPrefix) == 0) {
            // Whose it is must agree with the key; entries that are not a post id and a day are
            // left out, and a record that cannot be read at all is deleted (it only hides a card).
            const std::string owner = rec.key.substr(std::strlen(kMetaLaterPrefix));
            const Json j = parse(rec.value);
            std::string user;
            const Json* days = j.is_object() ? member(j, "days") : nullptr;
            if (!is_valid_user_id(owner) || !j.is_object() || !read_string(j, "user", user) || user != owner || !days ||
                !days->is_object()) {
                c.warnings.push_back(where + "deleted an unreadable \"ask me later\" record: " + excerpt(rec.value));
                c.delete_meta.push_back(rec.key);
            } else {
                auto& mine = c.later[owner];
                for (auto it = days->begin(); it != days->end(); ++it)
                    if (is_valid_post_id(it.key()) && it.value().is_number_integer())
                        mine[it.key()] = it.value().get<std::int64_t>();
            }
        }
        if (rec.key == kMetaSpotlight) {
            const Json j = parse(rec.value);
            const Json* list = j.is_object() ? member(j, "posts") : nullptr;
            if (list && list->is_array()) {
                for (const Json& item : *list) {
                    auto p = post_from_json(item);
                    if (!p) continue;
                    if (p->hidden) p->body.clear();
                    p->endorsed_by_me = false;
                    c.spotlight.push_back(std::move(p).value());
                }
            }
        }
        if (rec.key == kMetaResources) {
            // Each entry as the API's (an http(s) url, a valid id) and of this module; a record
            // of a newer version is read for what it has, anything unreadable is skipped.
            const Json j = parse(rec.value);
            const Json* list = j.is_object() ? member(j, "resources") : nullptr;
            int bad = 0;
            if (list && list->is_array()) {
                for (const Json& item : *list) {
                    auto r = resource_from_json(item);
                    if (!r || r->module != module || r->deleted) {
                        ++bad;
                        continue;
                    }
                    c.resources.push_back(std::move(r).value());
                }
            } else {
                ++bad;
            }
            if (bad) c.warnings.push_back(where + "skipped " + std::to_string(bad) + " unreadable resource entries");
        }
    }

    // The sync record says whose posts these are and where the changes feed stands. Without it
    // the cached posts cannot be trusted (they are cleared and fetched again).
    if (!sync_text) {
        c.rewrite_meta = true;
        c.posts_usable = false;
        c.clear_posts = true;
        if (!c.packed.empty())
            c.warnings.push_back(where + "cached posts without a sync record were discarded; they will be fetched again");
    } else {
        const SyncMetaRead read = read_sync_meta(*sync_text);
        if (read.result == SyncMetaRead::Result::corrupt) {
            c.warnings.push_back(where + "the sync record is corrupt; cached posts were discarded (" +
                                 excerpt(*sync_text) + ")");
            c.posts_usable = false;
        } else if (read.result == SyncMetaRead::Result::other_format) {
            // Format 1 kept hidden posts' text; anything else was written by another version.
            c.warnings.push_back(where + "cache format " + std::to_string(read.format) + " is not " +
                                 std::to_string(kCacheFormat) + "; cached posts were discarded and will be fetched again");
            c.posts_usable = false;
        } else {
            c.meta = read.meta;
        }
        if (!c.posts_usable) {
            c.rewrite_meta = true;
            c.clear_posts = true;
        }
    }
    if (!c.posts_usable) {
        // The packed copy and the spotlight go with the posts (format 1's could hold hidden text).
        c.packed.clear();
        c.meta = SyncMeta{};
        c.spotlight.clear();
        c.delete_meta.push_back(kMetaPacked);
        c.delete_meta.push_back(kMetaSpotlight);
    }
    return c;
}

}  // namespace grove

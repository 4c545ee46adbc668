#include "grove/client/outbox.hpp"

#include <cstdio>   // std::snprintf

#include "grove/wire.hpp"   // to_json, dump

namespace grove {

std::string_view to_string(WriteOp op) {
    switch (op) {
        case WriteOp::create: return "create";
        case WriteOp::edit: return "edit";
        case WriteOp::remove: return "delete";
        case WriteOp::endorse: return "endorse";
        case WriteOp::flag: return "flag";
        case WriteOp::pin: return "pin";
        case WriteOp::hide: return "hide";
        case WriteOp::outcome: return "outcome";
        case WriteOp::resource_add: return "resource_add";
        case WriteOp::resource_edit: return "resource_edit";
        case WriteOp::resource_remove: return "resource_remove";
        case WriteOp::dismiss_flags: return "dismiss_flags";
    }
    return "create";
}

std::optional<WriteOp> write_op_from_string(std::string_view t) {
    if (t == "create") return WriteOp::create;
    if (t == "edit") return WriteOp::edit;
    if (t == "delete") return WriteOp::remove;
    if (t == "endorse") return WriteOp::endorse;
    if (t == "flag") return WriteOp::flag;
    if (t == "pin") return WriteOp::pin;
    if (t == "hide") return WriteOp::hide;
    if (t == "outcome") return WriteOp::outcome;
    if (t == "resource_add") return WriteOp::resource_add;
    if (t == "resource_edit") return WriteOp::resource_edit;
    if (t == "resource_remove") return WriteOp::resource_remove;
    if (t == "dismiss_flags") return WriteOp::dismiss_flags;
    return std::nullopt;
}

bool OutboxEntry::operator==(const OutboxEntry& o) const {
    return key == o.key && user == o.user && op == o.op && post_id == o.post_id && created_ms == o.created_ms &&
           kind == o.kind && parent_id == o.parent_id && body == o.body && value == o.value && reason == o.reason &&
           details == o.details && outcome == o.outcome && note == o.note && title == o.title && url == o.url &&
           resource_note == o.resource_note && position == o.position &&
           failed == o.failed && error_status == o.error_status && error_code == o.error_code &&
           error_message == o.error_message && attempts == o.attempts;
}

std::string make_write_key(std::int64_t now_ms, std::uint32_t tab, std::uint32_t counter) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%015lld-%08x-%08u", static_cast<long long>(now_ms < 0 ? 0 : now_ms), tab,
                  counter % 100000000u);
    return buf;
}

std::string make_post_id(std::int64_t now_ms, std::uint64_t hi, std::uint64_t lo) {
    static const char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";   // Crockford base32
    std::string id(26, '0');
    std::uint64_t t = static_cast<std::uint64_t>(now_ms < 0 ? 0 : now_ms);
    for (int i = 9; i >= 0; --i) {   // 48 bits of time in 10 characters
        id[i] = kAlphabet[t & 31];
        t >>= 5;
    }
    // 80 random bits: 64 from hi, 16 from lo.
    for (int i = 0; i < 16; ++i) {
        std::uint64_t bits;
        if (i < 12) {
            bits = (hi >> (i * 5)) & 31;
        } else {
            bits = ((hi >> 60) | (lo << 4)) >> ((i - 12) * 5) & 31;
        }
        id[10 + i] = kAlphabet[bits];
    }
    return id;
}

std::string url_encode(std::string_view text) {
    static const char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '_' || c == '.' || c == '~';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

HttpRequest to_http_request(const OutboxEntry& e, const std::string& api, const std::string& module,
                            const std::string& module_title) {
    HttpRequest r;
    std::optional<std::string> title;
    if (!module_title.empty()) title = module_title;
    const std::string post_url = api + "/posts/" + url_encode(e.post_id);
    switch (e.op) {
        case WriteOp::create: {
            r.method = "POST";
            r.url = api + "/modules/" + url_encode(module) + "/posts";
            CreatePostRequest body{e.post_id, e.parent_id, e.kind, e.body, title};
            r.body = dump(to_json(body));
            break;
        }
        case WriteOp::edit: {
            r.method = "PATCH";
            r.url = post_url;
            PatchPostRequest body;
            body.body = e.body;
            body.module_title = title;
            r.body = dump(to_json(body));
            break;
        }
        case WriteOp::remove:
            r.method = "DELETE";
            r.url = post_url;
            break;
        case WriteOp::endorse:
            r.method = e.value ? "PUT" : "DELETE";
            r.url = post_url + "/endorsement";
            break;
        case WriteOp::flag:
            r.method = "POST";
            r.url = post_url + "/flags";
            r.body = dump(to_json(FlagRequest{e.reason, e.details, title}));
            break;
        case WriteOp::dismiss_flags:
            r.method = "DELETE";
            r.url = post_url + "/flags";
            break;
        case WriteOp::pin:
        case WriteOp::hide: {
            r.method = "PATCH";
            r.url = post_url;
            PatchPostRequest body;
            (e.op == WriteOp::pin ? body.pinned : body.hidden) = e.value;
            body.module_title = title;
            r.body = dump(to_json(body));
            break;
        }
        case WriteOp::outcome: {
            r.method = "PUT";
            r.url = post_url + "/outcome";
            OutcomeRequest body{e.outcome, e.note, title};
            r.body = dump(to_json(body));
            break;
        }
        case WriteOp::resource_add: {
            r.method = "POST";
            r.url = api + "/modules/" + url_encode(module) + "/resources";
            CreateResourceRequest body{e.post_id, e.title.value_or(""), e.url.value_or(""), e.note, title};
            r.body = dump(to_json(body));
            break;
        }
        case WriteOp::resource_edit: {
            r.method = "PATCH";
            r.url = api + "/resources/" + url_encode(e.post_id);
            PatchResourceRequest body{e.title, e.url, e.resource_note, e.position, title};
            r.body = dump(to_json(body));
            break;
        }
        case WriteOp::resource_remove:
            r.method = "DELETE";
            r.url = api + "/resources/" + url_encode(e.post_id);
            break;
    }
    if (!r.body.empty()) r.headers.emplace_back("Content-Type", "application/json");
    return r;
}

}  // namespace grove

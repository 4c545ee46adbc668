#include "grove/wire.hpp"

#include "grove/json_text.hpp"
#include "grove/time.hpp"
#include "grove/utf8.hpp"
#include "grove/validation.hpp"

namespace grove {

namespace {

// Typed field access without exceptions.
const Json* field(const Json& j, const char* name) {
    const auto it = j.find(name);
    return it == j.end() ? nullptr : &*it;
}

ApiError wrong_type(const char* name, const char* expected) {
    return ApiError::bad_request(std::string("The field '") + name + "' must be " + expected + ".", name);
}

// Reads a required string; on failure sets err and returns nullptr.
const std::string* get_string(const Json& j, const char* name, ApiError& err) {
    const Json* f = field(j, name);
    if (!f || !f->is_string()) {
        err = wrong_type(name, "a string");
        return nullptr;
    }
    return &f->get_ref<const std::string&>();
}

bool get_bool(const Json& j, const char* name, bool& out, ApiError& err) {
    const Json* f = field(j, name);
    if (!f || !f->is_boolean()) {
        err = wrong_type(name, "true or false");
        return false;
    }
    out = f->get<bool>();
    return true;
}

bool get_int(const Json& j, const char* name, std::int64_t& out, ApiError& err) {
    const Json* f = field(j, name);
    if (!f || !f->is_number_integer()) {
        err = wrong_type(name, "an integer");
        return false;
    }
    out = f->get<std::int64_t>();
    return true;
}

bool get_time(const Json& j, const char* name, std::int64_t& out, ApiError& err) {
    const std::string* s = get_string(j, name, err);
    if (!s) return false;
    const auto t = parse_rfc3339(*s);
    if (!t) {
        err = ApiError::bad_request(std::string("The field '") + name + "' must be an RFC 3339 time.", name);
        return false;
    }
    out = *t;
    return true;
}

// An optional string field: absent or null leaves `out` empty.
bool get_optional_text(const Json& j, const char* name, std::optional<std::string>& out, ApiError& err) {
    const Json* f = field(j, name);
    if (!f || f->is_null()) return true;
    if (!f->is_string() || !is_valid_utf8(f->get_ref<const std::string&>())) {
        err = wrong_type(name, "a string or null");
        return false;
    }
    out = f->get<std::string>();
    return true;
}

bool get_optional_time(const Json& j, const char* name, std::optional<std::int64_t>& out, ApiError& err) {
    const Json* f = field(j, name);
    if (!f || f->is_null()) return true;
    std::int64_t t = 0;
    if (!get_time(j, name, t, err)) return false;
    out = t;
    return true;
}

// An optional string in a request: absent or null is nothing; another type is 400.
bool request_text(const Json& j, const char* name, const std::string*& out, ApiError& err) {
    out = nullptr;
    const Json* f = field(j, name);
    if (!f || f->is_null()) return true;
    if (!f->is_string()) {
        err = wrong_type(name, "a string");
        return false;
    }
    out = &f->get_ref<const std::string&>();
    return true;
}

// The optional client-chosen id of a create (posts, resources).
bool request_id(const Json& j, std::string& out, ApiError& err, const char* what) {
    const std::string* id;
    if (!request_text(j, "id", id, err)) return false;
    if (!id) return true;
    if (!is_valid_post_id(*id)) {
        err = ApiError::invalid_field("id", std::string("A ") + what + " id has 1 to 64 characters from A-Z, a-z, 0-9, _ and -.");
        return false;
    }
    out = *id;
    return true;
}

}  // namespace

// The web build reads with json_text (a fraction of the code of nlohmann's parser; the same values,
// see json_text.hpp). Elsewhere: what Json::parse(first, last, nullptr, false) does, without its
// branch for a parser callback (nlohmann's json_sax_dom_callback_parser and the std::vector<bool>
// it keeps, ~6 KB of wasm code when the web build used this). Strict: the whole text must be one
// JSON value.
Json parse_json(std::string_view text) {
#ifdef GROVE_SMALL_JSON_TEXT
    return json_text::read(text);
#else
    Json result;
    nlohmann::detail::json_sax_dom_parser<Json> dom(result, /*allow_exceptions_=*/false);
    const char* first = text.data();
    if (!Json::sax_parse(first, first + text.size(), &dom) || dom.is_errored()) return Json(Json::value_t::discarded);
    return result;
#endif
}

Expected<Json> parse_json_object(std::string_view bytes) {
    if (!is_valid_utf8(bytes)) return ApiError::invalid_utf8();
    // nlohmann/json stops at a NUL byte as if the text ended there, so '{...}\0anything' would
    // pass. JSON never has a raw NUL (inside strings it is written \u0000).
    if (bytes.find('\0') != std::string_view::npos)
        return ApiError::invalid_json("The request body is not valid JSON (it contains a NUL byte).");
    Json j = parse_json(bytes);
    if (j.is_discarded()) return ApiError::invalid_json("The request body is not valid JSON.");
    if (!j.is_object()) return ApiError::bad_request("The request body must be a JSON object.");
    return j;
}

std::string dump(const Json& json) {
#ifdef GROVE_SMALL_JSON_TEXT
    return json_text::write(json);   // the same bytes (json_text.hpp)
#else
    return json.dump(-1, ' ', false, Json::error_handler_t::replace);
#endif
}

Json to_json(const Author& a) { return Json{{"id", a.id}, {"name", a.name}, {"role", to_string(a.role)}}; }

Json to_json(const Post& p) {
    return Json{
        {"id", p.id},
        {"module", p.module},
        {"parent_id", p.parent_id ? Json(*p.parent_id) : Json(nullptr)},
        {"kind", to_string(p.kind)},
        {"body", p.body},
        {"author", to_json(p.author)},
        {"created_at", format_rfc3339_ms(p.created_at_ms)},
        {"edited_at", p.edited_at_ms ? Json(format_rfc3339_ms(*p.edited_at_ms)) : Json(nullptr)},
        {"endorsements", p.endorsements},
        {"endorsed_by_me", p.endorsed_by_me},
        {"leader_endorsed", p.leader_endorsed},
        {"pinned", p.pinned},
        {"hidden", p.hidden},
        {"deleted", p.deleted},
        {"rev", p.rev},
        {"module_title", p.module_title ? Json(*p.module_title) : Json(nullptr)},
        {"check_in_at", p.check_in_at_ms ? Json(format_rfc3339_ms(*p.check_in_at_ms)) : Json(nullptr)},
        {"outcome", p.outcome ? Json(to_string(*p.outcome)) : Json(nullptr)},
        {"outcome_note", p.outcome ? Json(p.outcome_note) : Json(nullptr)},
        {"outcome_at", p.outcome_at_ms ? Json(format_rfc3339_ms(*p.outcome_at_ms)) : Json(nullptr)},
        {"check_ins", p.check_ins},
    };
}

Expected<Post> post_from_json(const Json& j) {
    if (!j.is_object()) return ApiError::bad_request("A post must be a JSON object.");
    ApiError err;
    Post p;
    const std::string *id, *module, *kind, *body;
    if (!(id = get_string(j, "id", err)) || !(module = get_string(j, "module", err)) ||
        !(kind = get_string(j, "kind", err)) || !(body = get_string(j, "body", err)))
        return err;
    if (!is_valid_post_id(*id)) return ApiError::invalid_field("id", "The post id is not valid.");
    if (!is_valid_module_key(*module)) return ApiError::invalid_field("module", "The module key is not valid.");
    const auto k = kind_from_string(*kind);
    if (!k) return ApiError::invalid_field("kind", "Unknown kind.");
    if (!is_valid_utf8(*body)) return ApiError::invalid_utf8();
    p.id = *id;
    p.module = *module;
    p.kind = *k;
    p.body = *body;

    const Json* parent = field(j, "parent_id");
    if (parent && parent->is_string()) {
        if (!is_valid_post_id(parent->get_ref<const std::string&>()))
            return ApiError::invalid_field("parent_id", "The parent id is not valid.");
        p.parent_id = parent->get<std::string>();
    } else if (parent && !parent->is_null()) {
        return wrong_type("parent_id", "a string or null");
    }

    const Json* author = field(j, "author");
    if (!author || !author->is_object()) return wrong_type("author", "an object");
    const std::string *aid, *aname, *arole;
    if (!(aid = get_string(*author, "id", err)) || !(aname = get_string(*author, "name", err)) ||
        !(arole = get_string(*author, "role", err)))
        return err;
    const auto role = role_from_string(*arole);
    if (!role) return ApiError::invalid_field("author", "Unknown role.");
    p.author = Author{*aid, *aname, *role};

    if (!get_time(j, "created_at", p.created_at_ms, err)) return err;
    const Json* edited = field(j, "edited_at");
    if (edited && !edited->is_null()) {
        std::int64_t t;
        if (!get_time(j, "edited_at", t, err)) return err;
        p.edited_at_ms = t;
    }
    if (!get_int(j, "endorsements", p.endorsements, err) || !get_bool(j, "endorsed_by_me", p.endorsed_by_me, err) ||
        !get_bool(j, "leader_endorsed", p.leader_endorsed, err) || !get_bool(j, "pinned", p.pinned, err) ||
        !get_bool(j, "hidden", p.hidden, err) || !get_bool(j, "deleted", p.deleted, err) ||
        !get_int(j, "rev", p.rev, err))
        return err;

    // Version 1.1 fields: absent in posts from an older server or cache.
    if (!get_optional_text(j, "module_title", p.module_title, err) || !get_optional_time(j, "check_in_at", p.check_in_at_ms, err) ||
        !get_optional_time(j, "outcome_at", p.outcome_at_ms, err))
        return err;
    std::optional<std::string> outcome, note;
    if (!get_optional_text(j, "outcome", outcome, err) || !get_optional_text(j, "outcome_note", note, err)) return err;
    if (outcome) {
        p.outcome = outcome_from_string(*outcome);
        if (!p.outcome) return ApiError::invalid_field("outcome", "Unknown outcome.");
        p.outcome_note = note.value_or("");
    }
    if (const Json* n = field(j, "check_ins"); n && !n->is_null() && !get_int(j, "check_ins", p.check_ins, err)) return err;
    return p;
}

Json to_json(const Resource& r) {
    return Json{
        {"id", r.id},
        {"module", r.module},
        {"title", r.title},
        {"url", r.url},
        {"note", r.note},
        {"added_by", to_json(r.added_by)},
        {"created_at", format_rfc3339_ms(r.created_at_ms)},
        {"position", r.position},
        {"deleted", r.deleted},
        {"rev", r.rev},
    };
}

Expected<Resource> resource_from_json(const Json& j) {
    if (!j.is_object()) return ApiError::bad_request("A resource must be a JSON object.");
    ApiError err;
    Resource r;
    const std::string *id, *module, *title, *url, *note;
    if (!(id = get_string(j, "id", err)) || !(module = get_string(j, "module", err)) ||
        !(title = get_string(j, "title", err)) || !(url = get_string(j, "url", err)) ||
        !(note = get_string(j, "note", err)))
        return err;
    if (!is_valid_post_id(*id)) return ApiError::invalid_field("id", "The resource id is not valid.");
    if (!is_valid_module_key(*module)) return ApiError::invalid_field("module", "The module key is not valid.");
    // What reaches a link must be an http(s) address, whoever sent it.
    if (!is_http_url(*url)) return ApiError::invalid_field("url", "The address is not an http(s) address.");
    if (!is_valid_utf8(*title) || !is_valid_utf8(*note)) return ApiError::invalid_utf8();
    r.id = *id;
    r.module = *module;
    r.title = *title;
    r.url = *url;
    r.note = *note;
    const Json* by = field(j, "added_by");
    if (!by || !by->is_object()) return wrong_type("added_by", "an object");
    const std::string *aid, *aname, *arole;
    if (!(aid = get_string(*by, "id", err)) || !(aname = get_string(*by, "name", err)) ||
        !(arole = get_string(*by, "role", err)))
        return err;
    const auto role = role_from_string(*arole);
    if (!role) return ApiError::invalid_field("added_by", "Unknown role.");
    r.added_by = Author{*aid, *aname, *role};
    if (!get_time(j, "created_at", r.created_at_ms, err) || !get_int(j, "position", r.position, err) ||
        !get_int(j, "rev", r.rev, err))
        return err;
    if (const Json* d = field(j, "deleted"); d && !d->is_null() && !get_bool(j, "deleted", r.deleted, err)) return err;
    return r;
}

namespace {

// The array under `name` of an object; nullptr (and err set) when there is none.
const Json* get_array(const Json& j, const char* name, ApiError& err) {
    const Json* f = j.is_object() ? field(j, name) : nullptr;
    if (!f || !f->is_array()) {
        err = wrong_type(name, "a list");
        return nullptr;
    }
    return f;
}

template <typename T, typename Decode>
std::vector<T> decode_each(const Json& list, Decode decode, std::size_t& skipped) {
    std::vector<T> out;
    out.reserve(list.size());
    for (const Json& item : list) {
        auto v = decode(item);
        if (v) {
            out.push_back(std::move(v).value());
        } else {
            ++skipped;
        }
    }
    return out;
}

Json posts_array(const std::vector<Post>& posts) {
    Json list = Json::array();
    for (const Post& p : posts) list.push_back(to_json(p));
    return list;
}

}  // namespace

Json post_list_json(const std::vector<Post>& posts) { return Json{{"posts", posts_array(posts)}}; }

Expected<PostList> decode_post_list(const Json& j) {
    ApiError err;
    const Json* list = get_array(j, "posts", err);
    if (!list) return err;
    PostList out;
    out.posts = decode_each<Post>(*list, post_from_json, out.skipped);
    return out;
}

Json feed_page_json(const std::vector<Post>& posts, const std::string& cursor, bool has_more) {
    return Json{{"posts", posts_array(posts)}, {"cursor", cursor}, {"has_more", has_more}};
}

Expected<FeedPage> decode_feed_page(const Json& j) {
    ApiError err;
    const Json* list = get_array(j, "posts", err);
    if (!list) return err;
    FeedPage page;
    const std::string* cursor = get_string(j, "cursor", err);
    if (!cursor) return err;
    page.cursor = *cursor;
    if (!get_bool(j, "has_more", page.has_more, err)) return err;
    page.posts = decode_each<Post>(*list, post_from_json, page.skipped);
    return page;
}

Json flag_queue_json(const std::vector<FlaggedPost>& flags) {
    Json list = Json::array();
    for (const FlaggedPost& f : flags) {
        Json reports = Json::array();
        for (const FlagReport& r : f.reports)
            reports.push_back(Json{{"reason", r.reason}, {"details", r.details}, {"flagged_at", format_rfc3339_ms(r.at_ms)}});
        list.push_back(Json{{"post", to_json(f.post)},
                            {"count", f.count},
                            {"reasons", f.reasons},
                            {"reports", std::move(reports)},
                            {"hidden_by_flags", f.hidden_by_flags}});
    }
    return Json{{"flags", std::move(list)}};
}

namespace {

Expected<FlaggedPost> flagged_post_from_json(const Json& j) {
    ApiError err;
    if (!j.is_object()) return ApiError::bad_request("A flag queue entry must be an object.");
    const Json* post = field(j, "post");
    if (!post) return wrong_type("post", "a post");
    auto p = post_from_json(*post);
    if (!p) return p.error();
    FlaggedPost f;
    f.post = std::move(p).value();
    std::int64_t count = 0;
    if (!get_int(j, "count", count, err)) return err;
    f.count = static_cast<int>(count);
    // Servers before the moderation additions did not say why a post is hidden: false.
    if (const Json* h = field(j, "hidden_by_flags"); h && !get_bool(j, "hidden_by_flags", f.hidden_by_flags, err))
        return err;
    const Json* reasons = get_array(j, "reasons", err);
    if (!reasons) return err;
    for (const Json& r : *reasons) {
        if (!r.is_string()) return wrong_type("reasons", "a list of strings");
        f.reasons.push_back(r.get<std::string>());
    }
    // Servers before flag details sent no reports: an empty list.
    if (const Json* reports = field(j, "reports"); reports && !reports->is_null()) {
        if (!reports->is_array()) return wrong_type("reports", "a list");
        for (const Json& r : *reports) {
            FlagReport report;
            const std::string* reason = r.is_object() ? get_string(r, "reason", err) : nullptr;
            const std::string* details = reason ? get_string(r, "details", err) : nullptr;
            if (!reason || !details || !get_time(r, "flagged_at", report.at_ms, err))
                return r.is_object() ? err : wrong_type("reports", "a list of objects");
            report.reason = *reason;
            report.details = *details;
            f.reports.push_back(std::move(report));
        }
    }
    return f;
}

}  // namespace

Expected<FlagQueue> decode_flag_queue(const Json& j) {
    ApiError err;
    const Json* list = get_array(j, "flags", err);
    if (!list) return err;
    FlagQueue out;
    out.flags = decode_each<FlaggedPost>(*list, flagged_post_from_json, out.skipped);
    return out;
}

Json to_json(const EndorsementState& s) {
    return Json{{"endorsements", s.endorsements}, {"endorsed_by_me", s.endorsed_by_me}};
}

Expected<EndorsementState> decode_endorsement_state(const Json& j) {
    if (!j.is_object()) return ApiError::bad_request("The answer is not an object.");
    ApiError err;
    EndorsementState s;
    if (!get_int(j, "endorsements", s.endorsements, err)) return err;
    if (s.endorsements < 0) return ApiError::invalid_field("endorsements", "A count is 0 or more.");
    if (!get_bool(j, "endorsed_by_me", s.endorsed_by_me, err)) return err;
    return s;
}

Json resource_list_json(const std::vector<Resource>& resources) {
    Json list = Json::array();
    for (const Resource& r : resources) list.push_back(to_json(r));
    return Json{{"resources", std::move(list)}};
}

Expected<ResourceList> decode_resource_list(const Json& j) {
    ApiError err;
    const Json* list = get_array(j, "resources", err);
    if (!list) return err;
    ResourceList out;
    out.resources = decode_each<Resource>(*list, resource_from_json, out.skipped);
    return out;
}

Expected<std::optional<std::string>> decode_module_title(const Json& j) {
    const Json* t = field(j, "module_title");
    if (!t || t->is_null()) return std::optional<std::string>();
    if (!t->is_string()) return wrong_type("module_title", "a string or null");
    auto title = validate_title(t->get_ref<const std::string&>(), "module_title", kMaxModuleTitleCodePoints);
    if (!title) return title.error();
    return std::optional<std::string>(std::move(title).value());
}

Json to_json(const ApiError& e) {
    Json inner{{"code", e.code}, {"message", e.message}};
    if (!e.field.empty()) inner["field"] = e.field;
    return Json{{"error", inner}};
}

ApiError error_from_response(int status, std::string_view body) {
    ApiError out{status, "http_" + std::to_string(status), "The server answered with status " + std::to_string(status) + ".", {}};
    if (!is_valid_utf8(body)) return out;
    const Json j = parse_json(body);
    if (!j.is_object()) return out;
    const Json* e = field(j, "error");
    if (!e || !e->is_object()) return out;
    const Json* code = field(*e, "code");
    const Json* message = field(*e, "message");
    const Json* f = field(*e, "field");
    if (code && code->is_string()) out.code = code->get<std::string>();
    if (message && message->is_string()) out.message = message->get<std::string>();
    if (f && f->is_string()) out.field = f->get<std::string>();
    return out;
}

Expected<CreatePostRequest> decode_create_post(const Json& j, Role role, std::size_t max_body) {
    CreatePostRequest r;
    ApiError err;
    if (const Json* id = field(j, "id"); id && !id->is_null()) {
        if (!id->is_string()) return wrong_type("id", "a string");
        r.id = id->get<std::string>();
        if (!is_valid_post_id(r.id))
            return ApiError::invalid_field("id", "A post id has 1 to 64 characters from A-Z, a-z, 0-9, _ and -.");
    }
    if (const Json* parent = field(j, "parent_id"); parent && !parent->is_null()) {
        if (!parent->is_string()) return wrong_type("parent_id", "a string or null");
        r.parent_id = parent->get<std::string>();
        if (!is_valid_post_id(*r.parent_id))
            return ApiError::invalid_field("parent_id", "The parent id is not a valid post id.");
    }
    const std::string* kind = get_string(j, "kind", err);
    if (!kind) return err;
    auto k = validate_kind(*kind, role);
    if (!k) return k.error();
    r.kind = k.value();
    const std::string* body = get_string(j, "body", err);
    if (!body) return err;
    auto b = validate_body(*body, max_body);
    if (!b) return b.error();
    r.body = std::move(b).value();
    if (auto kind_rule = check_body_for_kind(r.kind, r.body)) return *kind_rule;
    auto title = decode_module_title(j);
    if (!title) return title.error();
    r.module_title = std::move(title).value();
    return r;
}

Json to_json(const CreatePostRequest& r) {
    Json j{{"kind", to_string(r.kind)}, {"body", r.body}};
    if (!r.id.empty()) j["id"] = r.id;   // no id: the server assigns one
    j["parent_id"] = r.parent_id ? Json(*r.parent_id) : Json(nullptr);
    if (r.module_title) j["module_title"] = *r.module_title;
    return j;
}

Expected<PatchPostRequest> decode_patch_post(const Json& j, std::size_t max_body) {
    PatchPostRequest r;
    if (const Json* body = field(j, "body")) {
        if (!body->is_string()) return wrong_type("body", "a string");
        auto b = validate_body(body->get_ref<const std::string&>(), max_body);
        if (!b) return b.error();
        r.body = std::move(b).value();
    }
    for (const char* name : {"pinned", "hidden"}) {
        if (const Json* f = field(j, name)) {
            if (!f->is_boolean()) return wrong_type(name, "true or false");
            (name[0] == 'p' ? r.pinned : r.hidden) = f->get<bool>();
        }
    }
    if (!r.body && !r.pinned && !r.hidden)
        return ApiError::bad_request("Nothing to change: send body, pinned or hidden.");
    auto title = decode_module_title(j);
    if (!title) return title.error();
    r.module_title = std::move(title).value();
    return r;
}

Json to_json(const PatchPostRequest& r) {
    Json j = Json::object();
    if (r.body) j["body"] = *r.body;
    if (r.pinned) j["pinned"] = *r.pinned;
    if (r.hidden) j["hidden"] = *r.hidden;
    if (r.module_title) j["module_title"] = *r.module_title;
    return j;
}

Expected<FlagRequest> decode_flag(const Json& j) {
    FlagRequest r;
    ApiError err;
    const std::string *reason, *details;
    if (!request_text(j, "reason", reason, err) || !request_text(j, "details", details, err)) return err;
    auto text = validate_flag(reason ? *reason : std::string_view(), details ? *details : std::string_view());
    if (!text) return text.error();
    r.reason = std::move(text.value().reason);
    r.details = std::move(text.value().details);
    auto title = decode_module_title(j);
    if (!title) return title.error();
    r.module_title = std::move(title).value();
    return r;
}

Json to_json(const FlagRequest& r) {
    Json j{{"reason", r.reason}};
    if (!r.details.empty()) j["details"] = r.details;
    if (r.module_title) j["module_title"] = *r.module_title;
    return j;
}

Expected<OutcomeRequest> decode_outcome(const Json& j) {
    OutcomeRequest r;
    ApiError err;
    const std::string* outcome = get_string(j, "outcome", err);
    if (!outcome) return err;
    const auto o = outcome_from_string(*outcome);
    if (!o) return ApiError::invalid_field("outcome", "The outcome must be done, partly or not_yet.");
    r.outcome = *o;
    const std::string* note;
    if (!request_text(j, "note", note, err)) return err;
    if (note) {
        auto n = validate_note(*note, "note", kMaxOutcomeNoteCodePoints);
        if (!n) return n.error();
        r.note = std::move(n).value();
    }
    auto title = decode_module_title(j);
    if (!title) return title.error();
    r.module_title = std::move(title).value();
    return r;
}

Json to_json(const OutcomeRequest& r) {
    Json j{{"outcome", to_string(r.outcome)}, {"note", r.note}};
    if (r.module_title) j["module_title"] = *r.module_title;
    return j;
}

Expected<CreateResourceRequest> decode_create_resource(const Json& j) {
    CreateResourceRequest r;
    ApiError err;
    if (!request_id(j, r.id, err, "resource")) return err;
    const std::string* title = get_string(j, "title", err);
    if (!title) return err;
    const std::string* url = get_string(j, "url", err);
    if (!url) return err;
    const std::string* note;
    if (!request_text(j, "note", note, err)) return err;
    auto fields = validate_resource_fields(*title, *url, note ? std::string_view(*note) : std::string_view());
    if (!fields) return fields.error();
    r.title = std::move(fields.value().title);
    r.url = std::move(fields.value().url);
    r.note = std::move(fields.value().note);
    auto mt = decode_module_title(j);
    if (!mt) return mt.error();
    r.module_title = std::move(mt).value();
    return r;
}

Json to_json(const CreateResourceRequest& r) {
    Json j{{"title", r.title}, {"url", r.url}, {"note", r.note}};
    if (!r.id.empty()) j["id"] = r.id;
    if (r.module_title) j["module_title"] = *r.module_title;
    return j;
}

Expected<PatchResourceRequest> decode_patch_resource(const Json& j) {
    PatchResourceRequest r;
    ApiError err;
    const std::string* text;
    if (!request_text(j, "title", text, err)) return err;
    if (text) {
        auto t = validate_title(*text, "title", kMaxResourceTitleCodePoints);
        if (!t) return t.error();
        r.title = std::move(t).value();
    }
    if (!request_text(j, "url", text, err)) return err;
    if (text) {
        auto u = validate_url(*text);
        if (!u) return u.error();
        r.url = std::move(u).value();
    }
    if (!request_text(j, "note", text, err)) return err;
    if (text) {
        auto n = validate_note(*text, "note", kMaxResourceNoteCodePoints);
        if (!n) return n.error();
        r.note = std::move(n).value();
    }
    if (const Json* pos = field(j, "position"); pos && !pos->is_null()) {
        if (!pos->is_number_integer()) return wrong_type("position", "a whole number");
        // Unsigned values above the int64 range read as negative here and are refused too.
        const std::int64_t p = pos->is_number_unsigned() && pos->get<std::uint64_t>() > 1'000'000'000ULL
                                   ? 1'000'000'000
                                   : pos->get<std::int64_t>();
        if (p < 0) return ApiError::invalid_field("position", "The position is a place on the shelf: 0 or more.");
        r.position = p;
    }
    if (!r.title && !r.url && !r.note && !r.position)
        return ApiError::bad_request("Nothing to change: send title, url, note or position.");
    auto mt = decode_module_title(j);
    if (!mt) return mt.error();
    r.module_title = std::move(mt).value();
    return r;
}

Json to_json(const PatchResourceRequest& r) {
    Json j = Json::object();
    if (r.title) j["title"] = *r.title;
    if (r.url) j["url"] = *r.url;
    if (r.note) j["note"] = *r.note;
    if (r.position) j["position"] = *r.position;
    if (r.module_title) j["module_title"] = *r.module_title;
    return j;
}

}  // namespace grove

#include "grove/wire.hpp"

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

}  // namespace

Expected<Json> parse_json_object(std::string_view bytes) {
    if (!is_valid_utf8(bytes)) return ApiError::invalid_utf8();
    // nlohmann/json stops at a NUL byte as if the text ended there, so '{...}\0anything' would
    // pass. JSON never has a raw NUL (inside strings it is written \u0000).
    if (bytes.find('\0') != std::string_view::npos)
        return ApiError::invalid_json("The request body is not valid JSON (it contains a NUL byte).");
    Json j = Json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return ApiError::invalid_json("The request body is not valid JSON.");
    if (!j.is_object()) return ApiError::bad_request("The request body must be a JSON object.");
    return j;
}

std::string dump(const Json& json) { return json.dump(-1, ' ', false, Json::error_handler_t::replace); }

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
    return p;
}

Json to_json(const ApiError& e) {
    Json inner{{"code", e.code}, {"message", e.message}};
    if (!e.field.empty()) inner["field"] = e.field;
    return Json{{"error", inner}};
}

ApiError error_from_response(int status, std::string_view body) {
    ApiError out{status, "http_" + std::to_string(status), "The server answered with status " + std::to_string(status) + ".", {}};
    if (!is_valid_utf8(body)) return out;
    const Json j = Json::parse(body.begin(), body.end(), nullptr, false);
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
    return r;
}

Json to_json(const CreatePostRequest& r) {
    Json j{{"kind", to_string(r.kind)}, {"body", r.body}};
    if (!r.id.empty()) j["id"] = r.id;   // no id: the server assigns one
    j["parent_id"] = r.parent_id ? Json(*r.parent_id) : Json(nullptr);
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
    return r;
}

Json to_json(const PatchPostRequest& r) {
    Json j = Json::object();
    if (r.body) j["body"] = *r.body;
    if (r.pinned) j["pinned"] = *r.pinned;
    if (r.hidden) j["hidden"] = *r.hidden;
    return j;
}

Expected<FlagRequest> decode_flag(const Json& j) {
    FlagRequest r;
    if (const Json* reason = field(j, "reason"); reason && !reason->is_null()) {
        if (!reason->is_string()) return wrong_type("reason", "a string");
        r.reason = trim(reason->get_ref<const std::string&>());
        if (count_code_points(r.reason) > kMaxFlagReasonCodePoints)
            return ApiError::too_long("reason", "A flag reason is limited to 500 characters.");
    }
    return r;
}

}  // namespace grove

#include "static_files.hpp"

#include <sys/stat.h>    // ::stat: size and mtime in one call

#include <cctype>        // std::tolower
#include <cstdint>       // std::uint64_t
#include <cstdlib>       // std::strtod
#include <fstream>       // std::ifstream
#include <iterator>      // std::istreambuf_iterator
#include <regex>         // std::regex: content-hashed names
#include <sstream>       // std::ostringstream
#include <vector>        // std::vector

#include "api/query_params.hpp"   // percent_decode

namespace grove {

namespace {

struct FileStat {
    bool regular = false;
    bool directory = false;
    std::uint64_t size = 0;
    std::uint64_t mtime_ns = 0;
};

FileStat stat_path(const std::string& path) {
    FileStat f;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return f;
    f.regular = S_ISREG(st.st_mode);
    f.directory = S_ISDIR(st.st_mode);
    f.size = static_cast<std::uint64_t>(st.st_size);
    f.mtime_ns = static_cast<std::uint64_t>(st.st_mtim.tv_sec) * 1000000000ull + static_cast<std::uint64_t>(st.st_mtim.tv_nsec);
    return f;
}

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    std::string::size_type start = 0;
    for (;;) {
        const auto end = s.find(sep, start);
        parts.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) return parts;
        start = end + 1;
    }
}

// The request path below a mount point ("" or "a/b.js" or "dir/") as a path relative to the
// served folder. Refuses "..", ".", empty and hidden segments (.git, build stamps) and
// backslashes or NULs, so nothing outside the folder is ever reachable. A trailing slash
// means the folder's index.html.
bool relative_path(const std::string& sub, std::string& rel) {
    const auto segments = split(sub, '/');
    rel.clear();
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string& seg = segments[i];
        const bool last = i + 1 == segments.size();
        if (seg.empty()) {
            if (!last) return false;
            if (!rel.empty()) rel += '/';
            rel += "index.html";
            return true;
        }
        if (seg[0] == '.' || seg.find('\\') != std::string::npos || seg.find('\0') != std::string::npos) return false;
        if (!rel.empty()) rel += '/';
        rel += seg;
    }
    return true;
}

bool etag_matches(const std::string& if_none_match, const std::string& etag) {
    for (std::string tag : split(if_none_match, ',')) {
        tag = trim(tag);
        if (tag == "*") return true;
        if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);   // weak comparison, as for GET
        if (tag == etag) return true;
    }
    return false;
}

std::string hex(std::uint64_t v) {
    std::ostringstream s;
    s << std::hex << v;
    return s.str();
}

enum class Site { widget, pages };

struct Policy {
    std::string cache_control;
    bool cross_origin = false;
};

Policy policy_for(Site site, const std::string& rel) {
    // What scripts/package_widget.mjs produces: name.<12 hex>.ext
    static const std::regex hashed(R"((^|/)[A-Za-z0-9_-]+\.[0-9a-f]{12,64}\.[A-Za-z0-9]+$)");
    Policy p;
    if (site == Site::pages) {
        p.cache_control = "no-cache";
        return p;
    }
    p.cross_origin = true;
    if (std::regex_search(rel, hashed)) p.cache_control = "public, max-age=31536000, immutable";
    else if (rel == "grove.js") p.cache_control = "public, max-age=300";   // its URL is in every snippet
    else p.cache_control = "public, no-cache";
    return p;
}

ApiResponse text_answer(int status, std::string body) {
    ApiResponse res;
    res.status = status;
    res.headers.emplace("Content-Type", "text/plain; charset=utf-8");
    res.headers.emplace("X-Content-Type-Options", "nosniff");
    res.body = std::move(body);
    return res;
}

ApiResponse not_found(const ApiRequest& req) { return text_answer(404, "Not found: " + req.path + "\n"); }

std::string header_once(const ApiRequest& req, const char* name, bool& several) {
    several = req.headers.count(name) > 1;
    return several ? std::string() : req.header(name);
}

// One range of a file of `size` bytes: "bytes=a-b", "bytes=a-" or "bytes=-n".
enum class RangeAnswer { whole, part, unsatisfiable };
RangeAnswer parse_range(const std::string& header, std::uint64_t size, std::uint64_t& first, std::uint64_t& last) {
    std::string v = lower(trim(header));
    if (v.rfind("bytes=", 0) != 0) return RangeAnswer::whole;
    v = trim(v.substr(6));
    const auto dash = v.find('-');
    if (dash == std::string::npos || v.find(',') != std::string::npos) return RangeAnswer::whole;   // a list: ignored
    auto number = [](const std::string& s, std::uint64_t& out) {
        if (s.empty() || s.size() > 18) return false;
        out = 0;
        for (char c : s) {
            if (c < '0' || c > '9') return false;
            out = out * 10 + static_cast<std::uint64_t>(c - '0');
        }
        return true;
    };
    const std::string a = trim(v.substr(0, dash)), b = trim(v.substr(dash + 1));
    std::uint64_t from = 0, to = 0;
    if (a.empty()) {   // the last n bytes
        if (!number(b, to)) return RangeAnswer::whole;
        if (to == 0 || size == 0) return RangeAnswer::unsatisfiable;
        first = to >= size ? 0 : size - to;
        last = size - 1;
        return RangeAnswer::part;
    }
    if (!number(a, from)) return RangeAnswer::whole;
    if (b.empty()) to = size == 0 ? 0 : size - 1;
    else if (!number(b, to) || to < from) return RangeAnswer::whole;
    if (from >= size) return RangeAnswer::unsatisfiable;
    first = from;
    last = to >= size ? size - 1 : to;
    return RangeAnswer::part;
}

ApiResponse serve_file(const ApiRequest& req, Site site, const std::string& root, const std::string& sub) {
    std::string rel;
    if (root.empty() || !relative_path(sub, rel)) return not_found(req);
    const std::string path = root + "/" + rel;
    const FileStat file = stat_path(path);
    if (file.directory) {   // "/dir" -> "/dir/" so relative links inside it resolve
        ApiResponse res = text_answer(301, "");
        res.headers.emplace("Location", req.path + "/");
        return res;
    }
    if (!file.regular) return not_found(req);

    const FileStat br = stat_path(path + ".br");
    const FileStat gz = stat_path(path + ".gz");
    const std::string encoding = choose_content_encoding(req.header("Accept-Encoding"), br.regular, gz.regular);
    const std::string chosen = encoding == "br" ? path + ".br" : encoding == "gzip" ? path + ".gz" : path;
    const FileStat& served = encoding == "br" ? br : encoding == "gzip" ? gz : file;
    const std::string etag =
        "\"" + hex(served.size) + "-" + hex(served.mtime_ns) + (encoding.empty() ? "" : "-" + encoding) + "\"";

    const Policy policy = policy_for(site, rel);
    ApiResponse res;
    res.headers.emplace("ETag", etag);
    res.headers.emplace("Cache-Control", policy.cache_control);
    res.headers.emplace("X-Content-Type-Options", "nosniff");
    res.headers.emplace("Accept-Ranges", "bytes");
    if (br.regular || gz.regular) res.headers.emplace("Vary", "Accept-Encoding");
    if (policy.cross_origin) {
        res.headers.emplace("Access-Control-Allow-Origin", "*");
        res.headers.emplace("Cross-Origin-Resource-Policy", "cross-origin");
        res.headers.emplace("Timing-Allow-Origin", "*");
    }
    if (etag_matches(req.header("If-None-Match"), etag)) {
        res.status = 304;
        return res;
    }
    if (!read_file(chosen, res.body)) return not_found(req);
    if (!encoding.empty()) res.headers.emplace("Content-Encoding", encoding);
    res.headers.emplace("Content-Type", static_mime_type(path));

    // One range at most, and only of this very representation (If-Range names its ETag).
    bool several_ranges = false, several_if_range = false;
    const std::string range = header_once(req, "Range", several_ranges);
    const std::string if_range = header_once(req, "If-Range", several_if_range);
    const bool range_applies = req.method == "GET" && !range.empty() && !several_ranges && !several_if_range &&
                               (if_range.empty() || trim(if_range) == etag);
    std::uint64_t first = 0, last = 0;
    const RangeAnswer ranged = range_applies ? parse_range(range, res.body.size(), first, last) : RangeAnswer::whole;
    if (ranged == RangeAnswer::part) {
        res.status = 206;
        res.headers.emplace("Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" +
                                                 std::to_string(res.body.size()));
        res.body = res.body.substr(static_cast<std::size_t>(first), static_cast<std::size_t>(last - first + 1));
    } else if (ranged == RangeAnswer::unsatisfiable) {
        ApiResponse refused = text_answer(416, "The requested range is not inside the file.\n");
        refused.headers.emplace("Content-Range", "bytes */" + std::to_string(res.body.size()));
        refused.headers.emplace("ETag", etag);
        return refused;
    }
    return res;
}

}  // namespace

std::string choose_content_encoding(const std::string& accept_encoding, bool have_br, bool have_gzip) {
    double q_br = -1, q_gzip = -1, q_any = -1;   // -1: not mentioned
    for (const std::string& item : split(accept_encoding, ',')) {
        const auto params = split(item, ';');
        const std::string name = lower(trim(params[0]));
        double q = 1;
        for (std::size_t i = 1; i < params.size(); ++i) {
            const std::string p = lower(trim(params[i]));
            if (p.rfind("q=", 0) == 0) q = std::strtod(p.c_str() + 2, nullptr);
        }
        if (name == "br") q_br = q;
        else if (name == "gzip" || name == "x-gzip") q_gzip = q;
        else if (name == "*") q_any = q;
    }
    if (q_br < 0) q_br = q_any;
    if (q_gzip < 0) q_gzip = q_any;
    const bool br = have_br && q_br > 0;
    const bool gzip = have_gzip && q_gzip > 0;
    if (br && (!gzip || q_br >= q_gzip)) return "br";
    if (gzip) return "gzip";
    return {};
}

const char* static_mime_type(const std::string& path) {
    struct Entry { const char* ext; const char* type; };
    static const Entry kTypes[] = {
        {"html", "text/html; charset=utf-8"},     {"css", "text/css; charset=utf-8"},
        {"js", "text/javascript; charset=utf-8"}, {"mjs", "text/javascript; charset=utf-8"},
        {"json", "application/json; charset=utf-8"}, {"map", "application/json; charset=utf-8"},
        {"wasm", "application/wasm"},             {"ttf", "font/ttf"},
        {"otf", "font/otf"},                      {"woff", "font/woff"},
        {"woff2", "font/woff2"},                  {"svg", "image/svg+xml"},
        {"png", "image/png"},                     {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},                   {"gif", "image/gif"},
        {"webp", "image/webp"},                   {"ico", "image/x-icon"},
        {"txt", "text/plain; charset=utf-8"},     {"md", "text/markdown; charset=utf-8"},
        {"xml", "application/xml"},               {"webmanifest", "application/manifest+json"},
    };
    const auto slash = path.find_last_of('/');
    const auto dot = path.find_last_of('.');
    if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) {
        const std::string ext = lower(path.substr(dot + 1));
        for (const Entry& e : kTypes)
            if (ext == e.ext) return e.type;
    }
    return "application/octet-stream";
}

ApiResponse serve_static(const ApiRequest& request, const StaticSite& site) {
    if (request.method != "GET" && request.method != "HEAD") {
        ApiResponse res = text_answer(405, request.method + " is not supported here; use GET or HEAD.\n");
        res.headers.emplace("Allow", "GET, HEAD");
        return res;
    }
    // Paths are percent-decoded whole (so "..%2f" is a ".." segment, refused like any other).
    const auto decoded = percent_decode(request.path, false);
    if (!decoded || decoded->empty() || (*decoded)[0] != '/') return not_found(request);
    static const std::string kWidget = "/widget/";
    if (decoded->rfind(kWidget, 0) == 0)
        return serve_file(request, Site::widget, site.widget_dir, decoded->substr(kWidget.size()));
    return serve_file(request, Site::pages, site.site_dir, decoded->substr(1));
}

}  // namespace grove

#include "static_files.hpp"

#include <httplib.h>     // httplib::Server, Request, Response
#include <sys/stat.h>    // ::stat: size and mtime in one call

#include <cctype>        // std::tolower
#include <cstdint>       // std::uint64_t
#include <cstdlib>       // std::strtod
#include <fstream>       // std::ifstream
#include <iterator>      // std::istreambuf_iterator
#include <memory>        // std::shared_ptr
#include <regex>         // std::regex: content-hashed names
#include <sstream>       // std::ostringstream
#include <vector>        // std::vector

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

void not_found(const httplib::Request& req, httplib::Response& res) {
    res.status = 404;
    res.set_content("Not found: " + req.path + "\n", "text/plain; charset=utf-8");
}

void serve(const httplib::Request& req, httplib::Response& res, Site site, const std::string& root,
           const std::string& sub) {
    std::string rel;
    if (root.empty() || !relative_path(sub, rel)) return not_found(req, res);
    const std::string path = root + "/" + rel;
    const FileStat file = stat_path(path);
    if (file.directory) {   // "/dir" -> "/dir/" so relative links inside it resolve
        res.status = 301;
        res.set_header("Location", req.path + "/");
        return;
    }
    if (!file.regular) return not_found(req, res);

    const FileStat br = stat_path(path + ".br");
    const FileStat gz = stat_path(path + ".gz");
    const std::string encoding = choose_content_encoding(req.get_header_value("Accept-Encoding"), br.regular, gz.regular);
    const std::string chosen = encoding == "br" ? path + ".br" : encoding == "gzip" ? path + ".gz" : path;
    const FileStat& served = encoding == "br" ? br : encoding == "gzip" ? gz : file;
    const std::string etag =
        "\"" + hex(served.size) + "-" + hex(served.mtime_ns) + (encoding.empty() ? "" : "-" + encoding) + "\"";

    const Policy policy = policy_for(site, rel);
    res.set_header("ETag", etag);
    res.set_header("Cache-Control", policy.cache_control);
    res.set_header("X-Content-Type-Options", "nosniff");
    if (br.regular || gz.regular) res.set_header("Vary", "Accept-Encoding");
    if (policy.cross_origin) {
        res.set_header("Access-Control-Allow-Origin", "*");
        res.set_header("Cross-Origin-Resource-Policy", "cross-origin");
        res.set_header("Timing-Allow-Origin", "*");
    }
    if (etag_matches(req.get_header_value("If-None-Match"), etag)) {
        res.status = 304;
        return;
    }

    auto body = std::make_shared<std::string>();
    if (!read_file(chosen, *body)) return not_found(req, res);
    if (!encoding.empty()) res.set_header("Content-Encoding", encoding);
    const char* type = static_mime_type(path);
    if (body->empty()) {
        res.set_content("", type);
        return;
    }
    // A content provider with a known length: cpp-httplib sends it as is (it would otherwise
    // compress text bodies again on every request) and still answers Range requests from it.
    res.set_content_provider(body->size(), type, [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        return sink.write(body->data() + offset, length);
    });
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

void install_static_files(httplib::Server& http, const ServerOptions& options) {
    const std::string widget_dir = options.widget_dir;
    const std::string site_dir = options.site_dir;
    http.Get(R"(/widget/(.*))", [widget_dir](const httplib::Request& req, httplib::Response& res) {
        serve(req, res, Site::widget, widget_dir, req.matches[1]);
    });
    // Everything else but the API: API routes registered later are never shadowed.
    http.Get(R"(/(?!api/)(.*))", [site_dir](const httplib::Request& req, httplib::Response& res) {
        serve(req, res, Site::pages, site_dir, req.matches[1]);
    });
}

}  // namespace grove

// Serving the built widget (/widget/) and the demo intranet (/) as static files:
//   - MIME types browsers insist on (application/wasm lets the wasm compile while it downloads);
//   - the build's precompressed .br / .gz siblings when Accept-Encoding allows, with
//     Vary: Accept-Encoding (nothing is compressed on the fly);
//   - ETag on every file, 304 for If-None-Match; Cache-Control: content-hashed widget files
//     (name.<hex>.ext) for a year, /widget/grove.js for 5 minutes (its URL is in every snippet),
//     everything else revalidated on each use;
//   - one byte range (Range: bytes=a-b, with If-Range) answered 206; a list of ranges is
//     ignored (the whole file, 200), so no answer is ever larger than the file;
//   - widget files readable from any origin (CORS *, CORP cross-origin): intranet pages on other
//     hosts load them.
// Every path but /api/ is a file path here, so API routes are never shadowed. A pure function of
// the request and the folders: the HTTP front calls it on its worker pool (it reads files).
#pragma once

#include <string>   // std::string

#include "api/api_router.hpp"   // ApiRequest, ApiResponse

namespace grove {

struct StaticSite {
    std::string widget_dir;   // served at /widget/
    std::string site_dir;     // served at /
};

// GET and HEAD (the front drops the body of HEAD answers); other methods 405.
ApiResponse serve_static(const ApiRequest& request, const StaticSite& site);

// The encoding to send given an Accept-Encoding header and which variants exist:
// "br", "gzip" or "" (identity). Honours q-values (q=0 refuses) and "*".
std::string choose_content_encoding(const std::string& accept_encoding, bool have_br, bool have_gzip);

// The MIME type for a file name, by extension; application/octet-stream when unknown.
const char* static_mime_type(const std::string& path);

}  // namespace grove

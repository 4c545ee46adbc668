// Serving the built widget (/widget/) and the demo intranet (/) as static files:
//   - MIME types browsers insist on (application/wasm lets the wasm compile while it downloads);
//   - the build's precompressed .br / .gz siblings when Accept-Encoding allows, with
//     Vary: Accept-Encoding (nothing is compressed on the fly);
//   - ETag on every file, 304 for If-None-Match; Cache-Control: content-hashed widget files
//     (name.<hex>.ext) for a year, /widget/grove.js for 5 minutes (its URL is in every snippet),
//     everything else revalidated on each use;
//   - widget files readable from any origin (CORS *, CORP cross-origin): intranet pages on other
//     hosts load them.
// Routes: GET/HEAD /widget/* and every other path except /api/*, so API routes are never shadowed.
#pragma once

#include <string>   // std::string

#include "options.hpp"

namespace httplib { class Server; }

namespace grove {

void install_static_files(httplib::Server& http, const ServerOptions& options);

// The encoding to send given an Accept-Encoding header and which variants exist:
// "br", "gzip" or "" (identity). Honours q-values (q=0 refuses) and "*".
std::string choose_content_encoding(const std::string& accept_encoding, bool have_br, bool have_gzip);

// The MIME type for a file name, by extension; application/octet-stream when unknown.
const char* static_mime_type(const std::string& path);

}  // namespace grove

// Serving the built widget (/widget/) and the demo intranet (/) as static files.
#pragma once

#include "options.hpp"

namespace httplib { class Server; }

namespace grove {

void install_static_files(httplib::Server& http, const ServerOptions& options);

}  // namespace grove

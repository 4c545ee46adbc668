#include "static_files.hpp"

#include <httplib.h>   // httplib::Server

namespace grove {

void install_static_files(httplib::Server& http, const ServerOptions& options) {
    http.set_mount_point("/widget", options.widget_dir);
    http.set_mount_point("/", options.site_dir);
    http.set_file_extension_and_mimetype_mapping("wasm", "application/wasm");
    http.set_file_extension_and_mimetype_mapping("js", "text/javascript; charset=utf-8");
}

}  // namespace grove

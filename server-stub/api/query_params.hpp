// The raw pieces of a request URL: path segments and query parameters, percent-decoded.
#pragma once

#include <optional>   // std::optional
#include <string>     // std::string
#include <string_view>
#include <utility>    // std::pair
#include <vector>     // std::vector

#include "grove/expected.hpp"

namespace grove {

// "%41b" -> "Ab"; in queries '+' is a space. nullopt for a broken escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// "/api/v1/modules/m%3A1/posts" -> {"api", "v1", "modules", "m:1", "posts"}. Errors: 400.
Expected<std::vector<std::string>> split_path(std::string_view raw_path);

class QueryParams {
public:
    static Expected<QueryParams> parse(std::string_view raw_query);   // errors: 400
    // The first value of a parameter; nullopt when absent.
    std::optional<std::string> get(std::string_view name) const;
    // A whole number in [min, max], `fallback` when absent; otherwise 400 naming the parameter.
    Expected<int> get_int(const char* name, int fallback, int min, int max) const;

private:
    std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace grove

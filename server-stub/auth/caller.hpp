// Caller: who sent a request, as its verified token says.
#pragma once

#include <cstdint>    // std::int64_t
#include <optional>   // std::optional
#include <string>     // std::string

#include "grove/post.hpp"

namespace grove {

struct Caller {
    std::string id;                    // the token's sub
    std::string name;
    Role role = Role::learner;
    std::optional<std::string> team;
    std::int64_t token_exp_s = 0;      // when the token expires (event streams end then); 0: unknown
};

}  // namespace grove

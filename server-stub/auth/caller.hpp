// Caller: who sent a request, as its verified token says.
#pragma once

#include <optional>   // std::optional
#include <string>     // std::string

#include "grove/post.hpp"

namespace grove {

struct Caller {
    std::string id;                    // the token's sub
    std::string name;
    Role role = Role::learner;
    std::optional<std::string> team;
};

}  // namespace grove

// The leader spotlight at the top of every widget: this week's leader_learning posts from all
// modules (Discussion::spotlight), two at a time with "Show all", long ones clamped to three
// lines with "Read more". A leader sees their own posts marked.
#pragma once

#include <string>          // std::string
#include <unordered_set>   // std::unordered_set

#include "grove/client/discussion.hpp"
#include "ui_kit.hpp"

namespace grove {

class SpotlightPanel {
public:
    void draw(Ui& ui, const Discussion& discussion, float width);

private:
    bool show_all_ = false;
    std::unordered_set<std::string> expanded_;   // "Read more" opened
};

}  // namespace grove

// The leader spotlight: one compact line under the composer ("3 leader learnings this week"), a
// disclosure button that opens this week's leader_learning posts from all modules
// (Discussion::spotlight) in place: two at a time with "Show all", long ones clamped to three
// lines with "Read more", other modules named by their title. A leader sees their own marked.
// Only one widget of a page draws it (WidgetConfig::spotlight); it is drawn below the composer
// so that its arrival never moves the composer.
#pragma once

#include <string>          // std::string
#include <unordered_set>   // std::unordered_set

#include "grove/client/discussion.hpp"
#include "ui_kit.hpp"

namespace grove {

class SpotlightPanel {
public:
    void draw(Ui& ui, const Discussion& discussion, float width);
    bool open() const { return open_; }

private:
    void draw_posts(Ui& ui, const Discussion& discussion, float width);
    float draw_post(Ui& ui, const Discussion& discussion, std::size_t i, float x, float w, float y);
    float draw_who(Ui& ui, const Discussion& discussion, const Post& p, const char* name, int article, float x, float w,
                   float y);
    float draw_learning(Ui& ui, const Post& p, const char* name, float x, float w, float y);

    bool open_ = false;       // the line was pressed: the posts show below it
    bool show_all_ = false;
    std::unordered_set<std::string> expanded_;   // "Read more" opened
};

// "3 leader learnings this week", "1 leader learning this week".
std::string spotlight_line(std::size_t count);
// Where a post of another module was written, for people: its title, else its key.
std::string module_name(const Post& post);

}  // namespace grove

// "Resources for this module" above the thread (API 1.1, the module's shelf): each resource's
// title as a link (new tab, noopener), the link's domain and the curator's note; the first three,
// then "Show all". Curators and admins also get "Move up" and "Remove" on each (queued like every
// write); adding comes from a suggested resource's "Add to shelf" (post_card.cpp).
#pragma once

#include "grove/client/discussion.hpp"
#include "ui_kit.hpp"
#include "ui_state.hpp"

namespace grove {

class ResourceShelf {
public:
    void draw(Ui& ui, Discussion& discussion, ThreadState& state, float width);

private:
    bool show_all_ = false;
};

}  // namespace grove

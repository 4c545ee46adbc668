// "Resources for this module" above the thread (API 1.1, the module's shelf): each resource's
// title as a link (new tab, noopener), the link's domain and the curator's note; the first three,
// then "Show all". Read-only for now: curators edit the shelf through the API.
#pragma once

#include "grove/client/discussion.hpp"
#include "ui_kit.hpp"

namespace grove {

class ResourceShelf {
public:
    void draw(Ui& ui, const Discussion& discussion, float width);

private:
    bool show_all_ = false;
};

}  // namespace grove

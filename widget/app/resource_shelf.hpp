// "Resources for this module" above the thread (API 1.1, the module's shelf): each resource's
// title as a link (new tab, noopener), the link's domain and the curator's note; the first three,
// then "Show all". Curators and admins also get "Edit" (an inline form: title, address, note,
// prefilled; Save queues the change, Cancel or Esc closes, a refusal shows in the form), "Move up"
// and "Remove" on each (queued like every write); adding comes from a suggested resource's "Add
// to shelf" (post_card.cpp).
#pragma once

#include "grove/client/discussion.hpp"
#include "ui_kit.hpp"
#include "ui_state.hpp"

namespace grove {

class ResourceShelf {
public:
    void draw(Ui& ui, Discussion& discussion, ThreadState& state, float width);

private:
    float draw_entry(Ui& ui, Discussion& discussion, ThreadState& state, std::size_t i, float x, float y, float width);
    float draw_actions(Ui& ui, Discussion& discussion, ThreadState& state, std::size_t i, float x, float y);
    // The edit form for the entry ThreadState::shelf_edit names; returns the y under it.
    float edit_form(Ui& ui, Discussion& discussion, ThreadState& state, float x, float y, float width);
    void save_edit(Ui& ui, Discussion& discussion, ThreadState& state);

    bool show_all_ = false;
    bool focus_title_ = false;         // put the caret in the title when the form opens
};

}  // namespace grove

// The curators' Flags view: every flagged post with how many people flagged it and why, and
// Hide / Unhide and Delete right there. The queue is short, so it is not virtualized.
#pragma once

#include "grove/client/discussion.hpp"
#include "ui_kit.hpp"
#include "ui_state.hpp"

namespace grove {

void draw_curator_queue(Ui& ui, Discussion& d, ThreadState& st, float width);

}  // namespace grove

// The curators' Flags view: every flagged post with how many people flagged it and why, and
// Hide / Unhide and Delete right there. The queue is short, so it is not virtualized.
#pragma once

#include <cstddef>   // std::size_t

#include "grove/client/discussion.hpp"
#include "ui_kit.hpp"
#include "ui_state.hpp"

namespace grove {

class CuratorQueue {
public:
    void draw(Ui& ui, Discussion& d, ThreadState& st, float width);

private:
    struct Card;   // one flagged post's card while it is drawn (curator_queue.cpp)

    void draw_title(Ui& ui, Discussion& d, bool empty, float width);
    void draw_entry(Ui& ui, Discussion& d, ThreadState& st, const FlagEntry& fe, std::size_t pos, std::size_t count,
                    float width);
    void draw_meta(Ui& ui, Discussion& d, const FlagEntry& fe, Card& card);
    void draw_reasons_and_body(Ui& ui, const FlagEntry& fe, Card& card);
    void draw_hide_question(Ui& ui, Discussion& d, ThreadState& st, const FlagEntry& fe, Card& card);
    void draw_actions(Ui& ui, Discussion& d, ThreadState& st, const FlagEntry& fe, Card& card);
};

}  // namespace grove

// One row of the thread: a post card (top-level or reply), a placeholder for a parent the reader
// cannot see, or the reply form. Each function lays the row out and returns its height; with
// RowPass::measure it only measures (no ImGui items, no state changes), which is how the
// virtualized thread learns exact heights before a row is shown. Every pass runs the same code, so
// the measured height is the drawn height, and the HTML view says what the canvas shows.
//
// A card: author, role badge, relative time (exact time on hover), kind, pinned/hidden/spotlight
// markers, a "More actions" menu (edit/delete own posts, flag others', copy); the wrapped body
// (or its editor); a failed write's message with Retry / Edit / Discard; the footer: Endorse
// with its count, "Endorsed by a leader", Reply, the replies toggle, and for curators Pin and
// Hide; then the delete confirmation or the flag form when open.
#pragma once

#include <cstddef>   // std::size_t

#include "grove/client/discussion.hpp"
#include "ui_kit.hpp"
#include "ui_state.hpp"
#include "view_model.hpp"

namespace grove {

struct CardContext {
    Discussion* d = nullptr;
    ThreadState* st = nullptr;
    const ShownPost* post = nullptr;     // the card's post (the parent, for the reply form)
    const ThreadEntry* entry = nullptr;  // the top-level entry the row belongs to
    bool reply = false;
    bool replies_open = false;
    bool online = true;
};

// How a row is laid out: only measured (no ImGui items, no state changes, nothing recorded), drawn
// on the canvas (and recorded in the HTML view when it is on), or only described in the HTML view
// (its buttons and fields recorded with their ids, nothing drawn: a row the view shows and the
// canvas does not).
enum class RowPass { measure, draw, describe };

float post_row(Ui& ui, const CardContext& c, float width, RowPass pass);
float placeholder_row(Ui& ui, const CardContext& c, float width, RowPass pass);
float reply_form_row(Ui& ui, const CardContext& c, float width, RowPass pass);

// The author's avatar (a disc of initials) and the card's first line, which holds it, the name,
// the chips and the menu button: device px.
float avatar_size(const Ui& ui, bool reply);
float header_line_height(const Ui& ui, bool reply);

// Replies are shown without asking when there are this many or fewer.
constexpr std::size_t kRepliesOpenByDefault = 3;

}  // namespace grove

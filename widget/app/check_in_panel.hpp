// The check-in card at the top of every widget (API 1.1, "Commitments and check-ins"): when one
// of the person's commitments, of any module, is due (Discussion::check_ins), "A week ago you
// planned: “…”. How did it go?" with Done / Partly / Not yet, an optional note, and "Ask me later",
// which hides that check-in until the person's next day, across reloads (Discussion keeps it). One card at a time, the oldest first.
#pragma once

#include <cstdint>         // std::int64_t
#include <map>             // std::map
#include <string>          // std::string

#include "grove/client/discussion.hpp"
#include "ui_kit.hpp"
#include "ui_state.hpp"

namespace grove {

class CheckInPanel {
public:
    void draw(Ui& ui, Discussion& discussion, ThreadState& state, float width);
    // The check-in the card shows now (nullptr: none), for tests.
    const Post* shown(const Ui& ui, const Discussion& discussion) const;

private:
    float draw_answers(Ui& ui, Discussion& discussion, ThreadState& state, const std::string& id, float inner_w);
    void send_answer(Ui& ui, Discussion& discussion, ThreadState& state, const std::string& id, Outcome outcome);

    std::string note_;
    std::string note_for_;                        // the post the note was typed for
    std::map<std::string, std::int64_t> later_;   // post id -> the local day "Ask me later" was pressed (this page)
    std::string error_;
};

}  // namespace grove

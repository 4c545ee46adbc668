// The prompt and the composer: kind chips (Insight, Question, Did you know, and Leader learning
// for leaders), a wrapping text field bound to Discussion::draft, a live counter that warns near
// the 500-character limit, and the Post button (also Ctrl/Cmd+Enter), which says why it cannot
// post when it cannot. Under it, the participation line.
#pragma once

#include <cstdint>   // std::uint32_t
#include <string>    // std::string

#include "grove/client/discussion.hpp"
#include "ui_kit.hpp"
#include "ui_state.hpp"
#include "view_model.hpp"
#include "widget_config.hpp"

namespace grove {

class ComposerPanel {
public:
    void draw(Ui& ui, Discussion* discussion, ThreadState& state, const WidgetConfig& config, float width);
    std::uint32_t field_id() const { return field_id_; }
    const std::string& text() const { return text_; }
    Kind kind() const { return kind_; }

private:
    void sync_draft(Discussion* d, bool editing);
    void post(Ui& ui, Discussion* d, ThreadState& state);
    void draw_kinds(Ui& ui, const Identity& me, float width);
    float draw_post_line(Ui& ui, Discussion* d, ThreadState& state, const ui::TextField& field, bool submit, float width);
    void draw_counter(Ui& ui, const CounterView& counter, bool can_post, ImVec2 row, ImVec2 btn, float width);
    void draw_participation(Ui& ui, const Discussion& d, const Identity& me, float left, float width);

    std::string text_;
    Kind kind_ = Kind::insight;
    std::string error_;            // why the last attempt to post did not go through
    std::string draft_seen_;       // the discussion's draft as last read or written
    std::string draft_person_;     // whose draft that was (me().id; "" nobody known)
    std::uint64_t participation_rev_ = ~std::uint64_t{0};
    std::string participation_line_;
    std::uint32_t field_id_ = 0;
};

}  // namespace grove

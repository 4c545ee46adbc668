// Banners at the top of the widget: offline (with "last synced 3 min ago" and what is waiting),
// what became of the person's unsent work while someone else used this browser, and the last
// notice for the person (a refused action, a flag sent); the last two can be dismissed.
#pragma once

#include "grove/client/discussion.hpp"
#include "ui_kit.hpp"
#include "ui_state.hpp"

namespace grove {

// A tinted box with an icon and wrapped text; `dismiss` adds a close button (returns true when
// pressed). Height for the same arguments without drawing: callout_height.
bool callout(Ui& ui, ui::Icon icon, unsigned bg, unsigned fg, const char* title, const char* detail, float width,
             const char* dismiss_id = nullptr);
float callout_height(const Ui& ui, const char* title, const char* detail, float width, bool dismissable);

// The banners, in this order: offline, the sync layer's notice, held work, writes the server
// refused, the person's last notice. `discussion` may be null (only the notice shows then).
class Banners {
public:
    void draw(Ui& ui, const Discussion* discussion, ThreadState& state, float width);

private:
    void draw_offline(Ui& ui, const SyncStatus& s, float width);
    void draw_held_work(Ui& ui, const SyncStatus& s, ThreadState& state, float width);
    void draw_failed(Ui& ui, const SyncStatus& s, float width);
    void draw_notice(Ui& ui, ThreadState& state, float width);
};

}  // namespace grove

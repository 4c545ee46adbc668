// What the person has opened, chosen or is typing in the thread: the sort, which replies are
// shown, the one inline form that is open (reply, edit, flag, delete), the open menu, and the
// last message for them. Panels read and change it; WidgetApp owns it.
#pragma once

#include <cstdint>         // std::uint64_t
#include <string>          // std::string
#include <unordered_map>   // std::unordered_map
#include <unordered_set>   // std::unordered_set

#include "view_model.hpp"

namespace grove {

enum class NoticeTone { info, error };

constexpr std::int64_t kHighlightMs = 1800;   // a new post's highlight fades over this long

struct ThreadState {
    ThreadOrder order = ThreadOrder::top;
    bool flags_view = false;                                // curators: the flag queue instead
    std::unordered_map<std::string, bool> replies_open;     // the person's choice per post
    std::unordered_set<std::string> posted_here;            // created in this session: shown first
    // The post just written: scrolled into view inside the widget's own box once its row exists,
    // and highlighted briefly (kHighlightMs, fading; not at all when motion is reduced).
    std::string reveal;
    std::string highlight;
    std::int64_t highlight_at_ms = 0;                       // when it was first drawn (0: not yet)

    // At most one inline form at a time.
    std::string reply_to;            // the post being replied to
    std::string reply_text;
    std::string editing;             // the post being edited
    std::string edit_text;
    std::string confirm_delete;      // "Delete this post?" shown for this post
    std::string confirm_hide;        // curators: "Hide from learners?" shown for this post
    std::string hide_return;         // focus goes back to this post's "Hide from learners…" button
    std::string flagging;            // the flag form is open for this post
    // Posts the person flagged here: each shows as one line ("Flagged for a curator", Undo while
    // the flag waits to be sent) in the post's place until "Show post". The focus goes to the line
    // of `flagged_focus` once, when the flag form closes.
    std::unordered_set<std::string> flagged;
    std::string flagged_focus;
    int flag_reason = -1;
    std::string flag_details;        // what else the person tells the curators (optional)
    std::string editing_resource;    // the shelf entry whose edit form is open (ResourceShelf)
    std::string form_error;          // why the open form's last attempt was refused
    bool focus_form = false;         // put the caret in the form's field when it shows

    std::string menu_for;            // the post whose "More actions" menu is open
    bool menu_by_keyboard = false;   // focus its first item
    std::string menu_return;         // focus goes back to this post's menu button when it closes
    bool return_focus_to_menu = false;
    float menu_anchor_x = 0, menu_anchor_y = 0;   // screen position under the menu button

    std::string notice;              // the last thing the person should know
    NoticeTone notice_tone = NoticeTone::info;
    std::string held_work_dismissed; // SyncStatus::held_work as it was when Dismiss was pressed
    bool close_menu = false;         // Esc: close the open menu
    bool cancel_form = false;        // Esc outside a text field: close the open form
    std::uint64_t layout_version = 0;   // bumped when rows appear or go (replies shown, a form opens)

    void changed() { ++layout_version; }
    void close_forms() {
        if (!reply_to.empty()) changed();
        reply_to.clear();
        editing.clear();
        confirm_delete.clear();
        confirm_hide.clear();
        flagging.clear();
        editing_resource.clear();
        flag_reason = -1;
        flag_details.clear();
        form_error.clear();
    }
    bool any_form() const {
        return !reply_to.empty() || !editing.empty() || !confirm_delete.empty() || !confirm_hide.empty() ||
               !flagging.empty() || !editing_resource.empty();
    }
    void say(std::string text, NoticeTone tone) {
        notice = std::move(text);
        notice_tone = tone;
        announce(notice);
    }
    // For screen readers (the page's live region): what just happened.
    std::string announcement;
    std::uint64_t announcements = 0;
    void announce(std::string text) {
        announcement = std::move(text);
        ++announcements;
    }
};

// Flag reasons offered to the person (sent as the reason text).
constexpr const char* kFlagReasons[] = {"Off-topic", "Inappropriate or disrespectful", "Incorrect or misleading",
                                        "Spam"};

}  // namespace grove

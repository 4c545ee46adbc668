// What the person has opened, chosen or is typing in the thread: the sort, which replies are
// shown, the one inline form that is open (reply, edit, flag, delete, hide, a shelf entry's edit),
// the open menu, and the last message for them. Panels read and change it; WidgetApp owns it.
//
// One shape for panels: a panel is a class with draw(...) taking what it needs for the frame
// (Ui&, the Discussion, the ThreadState, the width) and returning nothing, or the y under it when
// its caller lays out below it. What only the panel needs between frames (a "Show all" toggle, a
// focus request) is a member; what other panels or keys act on (the open form, the notice) lives
// here. Its steps are private member functions, each a named part of what the panel draws.
#pragma once

#include <cstdint>         // std::uint64_t
#include <string>          // std::string
#include <unordered_map>   // std::unordered_map
#include <unordered_set>   // std::unordered_set

#include "view_model.hpp"

namespace grove {

enum class NoticeTone { info, error };

constexpr std::int64_t kHighlightMs = 1800;   // a new post's highlight fades over this long

// The inline forms. Each names what it is open for ("" when closed); open() fills it, reset()
// closes it. A closed form keeps its text until it opens again (nothing shows it meanwhile).

// "Reply" under a post: the reply being written.
struct ReplyForm {
    std::string post;
    std::string text;
    bool is_open() const { return !post.empty(); }
    void open(const std::string& id) {
        post = id;
        text.clear();
    }
    void reset() { post.clear(); }
};

// "Edit" on the person's own post: its body, being changed.
struct EditForm {
    std::string post;
    std::string text;
    bool is_open() const { return !post.empty(); }
    void open(const std::string& id, const std::string& body) {
        post = id;
        text = body;
    }
    void reset() { post.clear(); }
};

// A yes/no question about a post ("Delete this post?", "Hide from learners?").
struct ConfirmForm {
    std::string post;
    // Focus goes back to this post's button (the one that asked) once, after the answer.
    std::string return_to;
    bool is_open() const { return !post.empty(); }
    void open(const std::string& id) { post = id; }
    void reset() { post.clear(); }
};

// "Flag": a reason (an index into kFlagReasons, -1 before one is chosen) and optional details.
struct FlagForm {
    std::string post;
    int reason = -1;
    std::string details;             // what else the person tells the curators (optional)
    bool is_open() const { return !post.empty(); }
    void open(const std::string& id) { post = id; }
    void reset() {
        post.clear();
        reason = -1;
        details.clear();
    }
};

// A shelf entry's "Edit" (ResourceShelf): its fields, prefilled from the entry.
struct ShelfEditForm {
    std::string resource;
    std::string title, url, note;
    bool is_open() const { return !resource.empty(); }
    void open(const std::string& id, const std::string& t, const std::string& u, const std::string& n) {
        resource = id;
        title = t;
        url = u;
        note = n;
    }
    void reset() { resource.clear(); }
};

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

    // At most one inline form at a time (close_forms closes whichever is open).
    ReplyForm reply;
    EditForm edit;
    ConfirmForm confirm_delete;      // "Delete this post?"
    ConfirmForm confirm_hide;        // curators: "Hide from learners?"
    FlagForm flag;
    ShelfEditForm shelf_edit;
    // Posts the person flagged here: each shows as one line ("Flagged for a curator", Undo while
    // the flag waits to be sent) in the post's place until "Show post". The focus goes to the line
    // of `flagged_focus` once, when the flag form closes.
    std::unordered_set<std::string> flagged;
    std::string flagged_focus;
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
        if (reply.is_open()) changed();
        reply.reset();
        edit.reset();
        confirm_delete.reset();
        confirm_hide.reset();
        flag.reset();
        shelf_edit.reset();
        form_error.clear();
    }
    bool any_form() const {
        return reply.is_open() || edit.is_open() || confirm_delete.is_open() || confirm_hide.is_open() ||
               flag.is_open() || shelf_edit.is_open();
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

// The accessible HTML view of the widget: a tree of semantic nodes (HTML tags, ARIA attributes,
// text) that the panels record while they draw each frame, from the same state in the same pass,
// and the keyed diff between two frames' trees that the platform applies to real DOM nodes
// (widget/platform/web/view_dom.js). Nothing here knows the DOM; the tree is plain data, so
// headless tests read it directly.
//
// Keys: every node has a key unique in the tree (its parent's key, "/", a local key), which is
// the DOM node's identity across frames. Controls use their ImGui id as local key, posts their
// post id, so a node keeps its DOM element (and its focus, caret and screen reader position) for
// as long as it is shown, and the diff of two equal frames is empty.
#pragma once

#include <cstddef>        // std::size_t
#include <cstdint>        // std::uint32_t
#include <string>         // std::string
#include <string_view>    // std::string_view
#include <unordered_map>  // std::unordered_map
#include <utility>        // std::pair
#include <vector>         // std::vector

namespace grove {

struct SemNode {
    std::string key;                 // unique in the tree
    std::string tag;                 // an HTML tag name, or "#text" for a text node
    std::vector<std::pair<std::string, std::string>> attrs;   // in recording order, names unique
    std::string text;                // a leaf's text content, a text node's data, a textarea's value
    std::uint32_t control = 0;       // the FocusRing control (ImGui id) it stands for, 0 when none
    int row = -1;                    // the thread row it belongs to, -1 outside the thread
    int parent = -1;
    std::vector<int> children;

    const std::string* attr(std::string_view name) const;
};

class SemanticView {
public:
    // Off (the default): every recording call returns at once, so a widget without the view, or a
    // native test that does not look at it, pays one branch per call.
    void set_on(bool on) { on_ = on; }
    bool on() const { return on_; }
    // DOM ids of nodes (for aria-labelledby and the like) are this prefix plus the escaped key,
    // so two widgets on one page never share an id.
    void set_id_prefix(std::string prefix) { prefix_ = std::move(prefix); }

    // ---- recording, during a frame ----------------------------------------------------------
    void begin_frame();                                  // an empty tree with the root ("root")
    // A child of the current container that becomes the current container until close().
    int open(std::string_view local_key, std::string_view tag);
    void close();
    // A child without children: its text is the element's text content.
    int leaf(std::string_view local_key, std::string_view tag, std::string_view text);
    // A text node in the current container (keyed by its position).
    int text(std::string_view data);
    // Text in which http(s) addresses become links (<a href> to that address, nothing else active).
    // `controls`: the canvas's controls for the links, in order (ui::link_ids), when it has them.
    void linked_text(std::string_view text, const std::vector<std::uint32_t>& controls = {});
    void attr(int node, std::string_view name, std::string_view value);
    void attr(std::string_view name, std::string_view value) { attr(last_, name, value); }
    void set_control(int node, std::uint32_t id);
    // The DOM id of a node (given to it on first use), for references such as aria-describedby.
    std::string ref(int node);
    // Records into an earlier container (say, a menu next to its button) until leave().
    void enter(int node);
    void leave();
    // Nodes recorded from here on belong to this thread row (-1: none).
    void set_row(int row) { row_ = row; }
    int row() const { return row_; }

    int current() const { return stack_.empty() ? -1 : stack_.back(); }
    int last() const { return last_; }
    void set_last(int node) { last_ = node; }
    int find(std::string_view key) const;                 // -1 when absent
    int find_control(std::uint32_t id) const;             // the node of a control, -1 when absent
    // The tree recorded last (also after commit()).
    const std::vector<SemNode>& nodes() const { return committed_ ? base_ : nodes_; }
    std::size_t size() const { return nodes().size(); }

    // ---- between frames ----------------------------------------------------------------------
    // The changes from the tree of the last commit to this one, as a JSON array of operations
    // (see semantic_view.cpp), or "" when nothing changed. The recorded tree becomes the base of
    // the next diff.
    std::string commit();
    // Forget what the page has: the next commit describes the whole tree (a new DOM view).
    void reset_base();

    // "grove1-" + escaped key: letters, digits and '-' stay, anything else becomes "_XX".
    static std::string dom_id(std::string_view prefix, std::string_view key);

private:
    int add(std::string_view local_key, std::string_view tag);

    bool on_ = false;
    std::string prefix_ = "grove-";
    std::vector<SemNode> nodes_, base_;
    std::unordered_map<std::string, int> index_, base_index_;
    std::vector<int> stack_, saved_;
    int last_ = -1;
    int row_ = -1;
    bool base_valid_ = false;
    bool committed_ = false;   // the recorded tree is in base_ (swapped, not copied)
};

}  // namespace grove

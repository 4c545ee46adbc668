// [SECTION] Recording
// [SECTION] Diff: the operations the platform applies
// [SECTION] Links
#include "semantic_view.hpp"

#include <algorithm>   // std::sort, std::lower_bound
#include <functional>  // std::hash

#include "grove/validation.hpp"   // find_links

namespace grove {

const std::string* SemNode::attr(std::string_view name) const {
    for (const auto& a : attrs)
        if (a.first == name) return &a.second;
    return nullptr;
}

// [SECTION] Recording ------------------------------------------------------------------------

void SemanticView::begin_frame() {
    committed_ = false;
    nodes_.clear();
    stack_.clear();
    saved_.clear();
    row_ = -1;
    last_ = -1;
    if (!on_) return;
    SemNode root;
    root.key = "root";
    root.tag = "div";
    nodes_.push_back(std::move(root));
    stack_.push_back(0);
}

int SemanticView::add(std::string_view local_key, std::string_view tag) {
    const int parent = current();
    const int i = static_cast<int>(nodes_.size());
    SemNode n;
    n.key.reserve(nodes_[static_cast<std::size_t>(parent)].key.size() + 1 + local_key.size());
    n.key = nodes_[static_cast<std::size_t>(parent)].key;
    n.key.push_back('/');
    n.key.append(local_key);
    n.tag.assign(tag);
    n.parent = parent;
    n.row = row_;
    nodes_.push_back(std::move(n));
    nodes_[static_cast<std::size_t>(parent)].children.push_back(i);
    last_ = i;
    return i;
}

int SemanticView::open(std::string_view local_key, std::string_view tag) {
    if (!on_) return -1;
    const int i = add(local_key, tag);
    stack_.push_back(i);
    return i;
}

void SemanticView::close() {
    if (!on_ || stack_.size() <= 1) return;
    last_ = stack_.back();
    stack_.pop_back();
}

int SemanticView::leaf(std::string_view local_key, std::string_view tag, std::string_view text) {
    if (!on_) return -1;
    const int i = add(local_key, tag);
    nodes_[static_cast<std::size_t>(i)].text.assign(text);
    return i;
}

int SemanticView::text(std::string_view data) {
    if (!on_ || data.empty()) return -1;
    const int parent = current();
    const std::string local = "#" + std::to_string(nodes_[static_cast<std::size_t>(parent)].children.size());
    const int i = add(local, "#text");
    nodes_[static_cast<std::size_t>(i)].text.assign(data);
    return i;
}

void SemanticView::linked_text(std::string_view t, const std::vector<std::uint32_t>& controls) {
    if (!on_) return;
    std::size_t at = 0;
    std::size_t k = 0;
    // find_links (validation.hpp): the canvas's links are the same ones, opening the same address.
    for (const TextLink& link : find_links(t)) {
        const std::size_t b = link.span.offset, e = b + link.span.length;
        if (b > at) text(t.substr(at, b - at));
        const int a = leaf("a" + std::to_string(nodes_[static_cast<std::size_t>(current())].children.size()), "a",
                           t.substr(b, e - b));
        attr(a, "href", link.url);
        attr(a, "target", "_blank");
        attr(a, "rel", "noopener noreferrer nofollow ugc");
        if (k < controls.size()) set_control(a, controls[k]);   // the canvas's link: one focus
        ++k;
        at = e;
    }
    if (at < t.size()) text(t.substr(at));
}

void SemanticView::attr(int node, std::string_view name, std::string_view value) {
    if (!on_ || node < 0) return;
    auto& attrs = nodes_[static_cast<std::size_t>(node)].attrs;
    for (auto& a : attrs) {
        if (a.first == name) {
            a.second.assign(value);
            return;
        }
    }
    attrs.emplace_back(std::string(name), std::string(value));
}

void SemanticView::set_control(int node, std::uint32_t id) {
    if (!on_ || node < 0) return;
    nodes_[static_cast<std::size_t>(node)].control = id;
    attr(node, "data-c", std::to_string(id));
}

std::string SemanticView::ref(int node) {
    if (!on_ || node < 0) return {};
    std::string id = dom_id(prefix_, nodes_[static_cast<std::size_t>(node)].key);
    attr(node, "id", id);
    return id;
}

void SemanticView::enter(int node) {
    if (!on_ || node < 0) return;
    saved_.push_back(static_cast<int>(stack_.size()));
    stack_.push_back(node);
}

void SemanticView::leave() {
    if (!on_ || saved_.empty()) return;
    stack_.resize(static_cast<std::size_t>(saved_.back()));
    saved_.pop_back();
}

int SemanticView::find(std::string_view key) const {
    const std::vector<SemNode>& ns = nodes();
    for (std::size_t i = 0; i < ns.size(); ++i)
        if (ns[i].key == key) return static_cast<int>(i);
    return -1;
}

int SemanticView::find_control(std::uint32_t id) const {
    if (id == 0) return -1;
    const std::vector<SemNode>& ns = nodes();
    for (std::size_t i = 0; i < ns.size(); ++i)
        if (ns[i].control == id) return static_cast<int>(i);
    return -1;
}

std::string SemanticView::dom_id(std::string_view prefix, std::string_view key) {
    static const char kHex[] = "0123456789abcdef";
    std::string out(prefix);
    for (const char ch : key) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
            out.push_back(ch);
        } else {
            out.push_back('_');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

// [SECTION] Diff -----------------------------------------------------------------------------
//
// commit() returns a JSON array of operations, in an order the platform applies as it reads:
//   ["r", key]                 forget a node whose tag changed (it is created again below)
//   ["c", key, tag]            create a node (not yet in the document)
//   ["a", key, name, value]    set an attribute
//   ["d", key, name]           remove an attribute
//   ["t", key, text]           set the text content (a textarea's value, a text node's data)
//   ["k", key, [child keys]]   make these the node's children, in this order
//   ["x", key]                 remove a node that is gone (its subtree is listed too)
// Creating before ordering lets a node move to a new parent in one pass; removing last lets a
// kept node leave a removed parent first.

namespace {

void json_string(std::string& out, std::string_view s) {
    static const char kHex[] = "0123456789abcdef";
    out.push_back('"');
    for (const char ch : s) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(ch);
        } else if (c < 0x20) {
            out += "\\u00";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        } else {
            out.push_back(ch);
        }
    }
    out.push_back('"');
}

struct Ops {
    std::string out = "[";
    void begin(const char* op, std::string_view key) {
        if (out.size() > 1) out.push_back(',');
        out += "[\"";
        out += op;
        out += "\",";
        json_string(out, key);
    }
    void arg(std::string_view s) {
        out.push_back(',');
        json_string(out, s);
    }
    void end() { out.push_back(']'); }
    bool empty() const { return out.size() == 1; }
};

// Sorted (hash, index) pairs: lookups without a node-based map (no allocation per node per frame).
using KeyIndex = std::vector<std::pair<std::size_t, int>>;

void build_index(const std::vector<SemNode>& nodes, KeyIndex& index) {
    index.clear();
    index.reserve(nodes.size());
    const std::hash<std::string> h;
    for (std::size_t i = 0; i < nodes.size(); ++i) index.emplace_back(h(nodes[i].key), static_cast<int>(i));
    std::sort(index.begin(), index.end());
}

int lookup(const std::vector<SemNode>& nodes, const KeyIndex& index, const std::string& key) {
    const std::size_t hk = std::hash<std::string>()(key);
    for (auto it = std::lower_bound(index.begin(), index.end(), std::make_pair(hk, -1));
         it != index.end() && it->first == hk; ++it)
        if (nodes[static_cast<std::size_t>(it->second)].key == key) return it->second;
    return -1;
}

// A key recorded twice (a bug in a panel) would make two DOM nodes one: the later one and its
// subtree get a suffix instead.
void make_keys_unique(std::vector<SemNode>& nodes) {
    std::vector<std::pair<std::size_t, int>> seen;
    build_index(nodes, seen);
    for (std::size_t k = 1; k < seen.size(); ++k) {
        if (seen[k].first != seen[k - 1].first) continue;
        const int a = seen[k - 1].second, b = seen[k].second;
        if (nodes[static_cast<std::size_t>(a)].key != nodes[static_cast<std::size_t>(b)].key) continue;
        const int later = a > b ? a : b;
        const std::string old = nodes[static_cast<std::size_t>(later)].key;
        const std::string renamed = old + "~" + std::to_string(later);
        std::vector<int> todo{later};
        while (!todo.empty()) {
            SemNode& n = nodes[static_cast<std::size_t>(todo.back())];
            todo.pop_back();
            n.key = renamed + n.key.substr(old.size());
            todo.insert(todo.end(), n.children.begin(), n.children.end());
        }
    }
}

// Node n against what it was (o, null when new): created (not the root, which the page has
// already), then its attributes and text where they changed.
void describe_node(Ops& ops, const SemNode& n, const SemNode* o, bool root) {
    if (!o && !root) {
        ops.begin("c", n.key);
        ops.arg(n.tag);
        ops.end();
    }
    if (o && o->attrs == n.attrs && o->text == n.text) return;   // the usual case: recorded alike
    for (const auto& [name, value] : n.attrs) {
        const std::string* before = o ? o->attr(name) : nullptr;
        if (before && *before == value) continue;
        ops.begin("a", n.key);
        ops.arg(name);
        ops.arg(value);
        ops.end();
    }
    if (o) {
        for (const auto& a : o->attrs) {
            if (n.attr(a.first)) continue;
            ops.begin("d", n.key);
            ops.arg(a.first);
            ops.end();
        }
    }
    if (o ? o->text != n.text : !n.text.empty()) {
        ops.begin("t", n.key);
        ops.arg(n.text);
        ops.end();
    }
}

// Node n's children, by key, unless they are the same keys, each still the same element (a
// child made anew must be put in again). old_of maps a node to its old index (-1: new).
void describe_children(Ops& ops, const std::vector<SemNode>& nodes, const SemNode& n, const SemNode* o,
                       const std::vector<int>& old_of) {
    bool same = o && o->children.size() == n.children.size();
    for (std::size_t c = 0; same && c < n.children.size(); ++c)
        same = old_of[static_cast<std::size_t>(n.children[c])] == o->children[c];
    if (same || (!o && n.children.empty())) return;
    ops.begin("k", n.key);
    ops.out += ",[";
    for (std::size_t c = 0; c < n.children.size(); ++c) {
        if (c) ops.out.push_back(',');
        json_string(ops.out, nodes[static_cast<std::size_t>(n.children[c])].key);
    }
    ops.out.push_back(']');
    ops.end();
}

}  // namespace

void SemanticView::reset_base() { base_valid_ = false; }

std::string SemanticView::commit() {
    if (!on_) return {};
    make_keys_unique(nodes_);
    KeyIndex old_index;
    if (base_valid_) build_index(base_, old_index);
    Ops ops;
    std::vector<int> old_of(nodes_.size(), -1);
    const std::size_t old_count = base_valid_ ? base_.size() : 0;
    std::vector<bool> kept(old_count, false), replaced(old_count, false);
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const int o = base_valid_ ? lookup(base_, old_index, nodes_[i].key) : -1;
        if (o >= 0 && base_[static_cast<std::size_t>(o)].tag == nodes_[i].tag) {
            old_of[i] = o;
            kept[static_cast<std::size_t>(o)] = true;
        } else if (o >= 0) {   // same key, another element: the old one goes first
            replaced[static_cast<std::size_t>(o)] = true;
            ops.begin("r", nodes_[i].key);
            ops.end();
        }
    }
    // Creations, attributes and text, in tree order; then children, where they changed.
    for (std::size_t i = 0; i < nodes_.size(); ++i)
        describe_node(ops, nodes_[i], old_of[i] >= 0 ? &base_[static_cast<std::size_t>(old_of[i])] : nullptr, i == 0);
    for (std::size_t i = 0; i < nodes_.size(); ++i)
        describe_children(ops, nodes_, nodes_[i], old_of[i] >= 0 ? &base_[static_cast<std::size_t>(old_of[i])] : nullptr,
                          old_of);
    for (std::size_t o = 0; o < old_count; ++o) {
        if (kept[o] || replaced[o]) continue;
        ops.begin("x", base_[o].key);
        ops.end();
    }
    base_.swap(nodes_);
    base_valid_ = true;
    committed_ = true;
    if (ops.empty()) return {};
    ops.out.push_back(']');
    return std::move(ops.out);
}

}  // namespace grove

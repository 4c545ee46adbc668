// The accessible HTML view (semantic_view.hpp): the keyed diff the page applies, replayed here on
// a small model of DOM nodes, and what the widget records for a seeded discussion: the named
// parts, the list with its positions, the controls with their context and state, the labelled
// fields, links, the window of a long thread, and controls acted on from the view exactly once.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "ui_headless.hpp"
#include "ui_memory_discussion.hpp"
#include "grove/validation.hpp"   // find_links

using namespace grove;
using namespace grove::testing;
using Json = nlohmann::json;

namespace {

constexpr std::int64_t kMin = 60'000, kHour = 60 * kMin;

// The page's side of the diff (as widget/platform/web/view_dom.js applies it), on plain data.
struct Dom {
    struct El {
        std::string tag, text;
        std::map<std::string, std::string> attrs;
        std::vector<std::string> children;
        std::string parent;
    };
    std::map<std::string, El> els{{"root", El{"div", "", {}, {}, ""}}};
    int ops = 0;

    void apply(const std::string& patch) {
        if (patch.empty()) return;
        for (const Json& op : Json::parse(patch)) {
            ++ops;
            const auto str = [&](std::size_t i) { return op[i].get<std::string>(); };
            const std::string kind = str(0), key = str(1);
            if (kind == "r" || kind == "x") {
                detach(key);
                els.erase(key);
            } else if (kind == "c") {
                REQUIRE(els.count(key) == 0);
                els[key] = El{str(2), "", {}, {}, ""};
            } else if (kind == "a") {
                els.at(key).attrs[str(2)] = str(3);
            } else if (kind == "d") {
                els.at(key).attrs.erase(str(2));
            } else if (kind == "t") {
                els.at(key).text = str(2);
            } else if (kind == "k") {
                El& el = els.at(key);
                for (const std::string& c : el.children) els.at(c).parent.clear();
                el.children.clear();
                for (const Json& cj : op[2]) {
                    const std::string c = cj.get<std::string>();
                    detach(c);
                    el.children.push_back(c);
                    els.at(c).parent = key;
                }
            }
        }
    }
    void detach(const std::string& key) {
        auto it = els.find(key);
        if (it == els.end() || it->second.parent.empty()) return;
        const auto parent = els.find(it->second.parent);   // gone already when a subtree goes
        if (parent != els.end()) {
            auto& siblings = parent->second.children;
            siblings.erase(std::remove(siblings.begin(), siblings.end(), key), siblings.end());
        }
        it->second.parent.clear();
    }
    // Equal to the recorded tree: same nodes in the same places with the same content.
    void check_matches(const SemanticView& v) const {
        std::size_t attached = 0;
        for (const SemNode& n : v.nodes()) {
            const auto it = els.find(n.key);
            REQUIRE_MESSAGE(it != els.end(), n.key);
            const El& el = it->second;
            CHECK(el.tag == n.tag);
            CHECK(el.text == n.text);
            CHECK(el.attrs.size() == n.attrs.size());
            for (const auto& [name, value] : n.attrs) CHECK(el.attrs.count(name) == 1);
            for (const auto& [name, value] : n.attrs)
                if (el.attrs.count(name)) CHECK(el.attrs.at(name) == value);
            REQUIRE(el.children.size() == n.children.size());
            for (std::size_t c = 0; c < n.children.size(); ++c)
                CHECK(el.children[c] == v.nodes()[static_cast<std::size_t>(n.children[c])].key);
            ++attached;
        }
        CHECK(attached == v.nodes().size());
        CHECK(els.size() == v.nodes().size());   // nothing left behind
    }
};

const SemNode* find_tag_text(const SemanticView& v, const std::string& tag, const std::string& text) {
    for (const SemNode& n : v.nodes())
        if (n.tag == tag && n.text == text) return &n;
    return nullptr;
}
const SemNode* find_named(const SemanticView& v, const std::string& name) {
    for (const SemNode& n : v.nodes()) {
        const std::string* label = n.attr("aria-label");
        if ((label && *label == name) || (!label && n.tag == "button" && n.text == name)) return &n;
    }
    return nullptr;
}
std::string attr_of(const SemNode* n, const char* name) {
    const std::string* a = n ? n->attr(name) : nullptr;
    return a ? *a : std::string("(none)");
}
std::size_t count_tag(const SemanticView& v, const std::string& tag) {
    return static_cast<std::size_t>(
        std::count_if(v.nodes().begin(), v.nodes().end(), [&](const SemNode& n) { return n.tag == tag; }));
}
// The text of a node and its descendants.
std::string text_of(const SemanticView& v, const SemNode& n) {
    std::string t = n.text;
    for (int c : n.children) t += text_of(v, v.nodes()[static_cast<std::size_t>(c)]);
    return t;
}

// Text put into the view's field named `field` (as the page's field sends it), then the view's
// button named `send` activated, as a screen reader user does.
void type_and_send(HeadlessWidget& w, const std::string& field, const std::string& text, const std::string& send) {
    const SemNode* f = find_named(w.app().view(), field);
    REQUIRE(f);
    FieldInput in;
    in.value = text;
    w.app().field_input(f->control, in);
    w.settle();
    const SemNode* b = find_named(w.app().view(), send);
    REQUIRE(b);
    w.app().activate_control(b->control);
    w.settle();
}

struct Seeded {
    MemoryDiscussion d;
    Seeded() {
        d.sign_in("u-sam", "Sam", Role::learner);
        Post a = d.make("p1", "Ana", "Checklists before the drill helped. See https://intranet.example/drill.", kHour);
        a.endorsements = 2;
        d.add(a);
        d.add(d.make("p2", "Bea", "مرحبا بالجميع", 2 * kHour));
        Post r = d.make("r1", "Cem", "Agreed!", kMin);
        r.parent_id = "p1";
        d.add(r);
        Post mine = d.make("p3", "Sam", "My own reflection", 3 * kHour);
        mine.author.id = "u-sam";
        d.add(mine);
    }
};

}  // namespace

TEST_CASE("view diff: replayed on a DOM model it gives the recorded tree, and nothing when nothing changed") {
    SemanticView v;
    v.set_on(true);
    Dom dom;
    const auto frame = [&](int variant) {
        v.begin_frame();
        v.open("list", "ul");
        const int order[][3] = {{1, 2, 3}, {3, 1, 2}, {1, 3, 4}};
        for (int i : order[variant]) {
            v.open("item" + std::to_string(i), "li");
            v.attr("aria-posinset", std::to_string(i));
            if (variant == 2 && i == 3) v.attr("aria-current", "true");
            v.leaf("t", i == 4 && variant == 2 ? "p" : "span", "Text " + std::to_string(i * (variant + 1)));
            v.close();
        }
        v.close();
        v.open("moved", variant == 1 ? "section" : "div");
        v.leaf("kept", "button", "Kept");
        v.close();
        return v.commit();
    };
    for (int variant : {0, 0, 1, 2, 0, 2}) {
        const std::string patch = frame(variant);
        dom.apply(patch);
        dom.check_matches(v);
    }
    const int before = dom.ops;
    CHECK(frame(2).empty());   // the same frame again: no operation at all
    CHECK(dom.ops == before);
}

TEST_CASE("view: links in posts are http(s) and www. addresses and nothing else") {
    const std::string t = "See https://a.example/x?y=1. Or (http://b.example/p_(1)), javascript:alert(1), "
                          "ftp://c.example, www.d.example, HTTPS://E.EXAMPLE/é!";
    std::vector<std::string> got, opens;
    for (const TextLink& l : find_links(t)) {
        got.push_back(t.substr(l.span.offset, l.span.length));
        opens.push_back(l.url);
    }
    CHECK(got == std::vector<std::string>{"https://a.example/x?y=1", "http://b.example/p_(1)", "www.d.example",
                                          "HTTPS://E.EXAMPLE/é"});
    CHECK(opens[2] == "https://www.d.example");
    CHECK(find_links("xhttps://inside.example").empty());
    CHECK(find_links("https://").empty());
}

TEST_CASE("view: a seeded discussion as a screen reader gets it") {
    Seeded s;
    HeadlessWidget w(test_config("What will you do differently?"), &s.d);
    w.app().set_view(true, "g1-");
    w.settle();
    const SemanticView& v = w.app().view();

    // The composer: a heading with the prompt, kind chips with their state, a labelled field
    // described by its counter, Post disabled with the reason.
    REQUIRE(find_tag_text(v, "h2", "What will you do differently?"));
    const SemNode* insight = find_named(v, "Insight");
    REQUIRE(insight);
    CHECK(attr_of(insight, "aria-pressed") == "true");
    CHECK(attr_of(find_named(v, "Question"), "aria-pressed") == "false");
    const SemNode* field = find_named(v, "Your reflection");
    REQUIRE(field);
    CHECK(field->tag == "textarea");
    CHECK(attr_of(field, "dir") == "auto");
    const int counter = v.find("root/composer/post-line/counter");
    REQUIRE(counter >= 0);
    CHECK(attr_of(field, "aria-describedby").find(SemanticView::dom_id("g1-", "root/composer/post-line/counter")) == 0);
    CHECK(v.nodes()[static_cast<std::size_t>(counter)].text == "0 / 500");
    const SemNode* post = find_named(v, "Post");
    CHECK(attr_of(post, "aria-disabled") == "true");
    CHECK(attr_of(post, "aria-describedby") != "(none)");

    // The thread: a heading, a list whose items know their place, each post an article named by
    // its author, with kind, exact time and the text; replies in a nested list.
    REQUIRE(find_tag_text(v, "h2", "4 reflections"));
    REQUIRE(count_tag(v, "ul") >= 2);
    const int ana = v.find("root/thread/list/p1/post");
    REQUIRE(ana >= 0);
    const SemNode& article = v.nodes()[static_cast<std::size_t>(ana)];
    CHECK(article.tag == "article");
    const SemNode& li = v.nodes()[static_cast<std::size_t>(article.parent)];
    CHECK(li.tag == "li");
    CHECK(attr_of(&li, "aria-setsize") == "3");
    CHECK(attr_of(&li, "aria-posinset") == "1");
    const std::string all = text_of(v, article);
    CHECK(all.find("Ana") != std::string::npos);
    CHECK(all.find("Insight") == std::string::npos);   // the default kind goes without saying
    CHECK(all.find("2 endorsements") != std::string::npos);
    const int time = v.find("root/thread/list/p1/post/meta/time");
    REQUIRE(time >= 0);
    CHECK(attr_of(&v.nodes()[static_cast<std::size_t>(time)], "datetime") == "2026-11-18T10:06:40.000Z");
    const int body = v.find("root/thread/list/p1/post/body");
    REQUIRE(body >= 0);
    CHECK(attr_of(&v.nodes()[static_cast<std::size_t>(body)], "dir") == "auto");
    CHECK(text_of(v, v.nodes()[static_cast<std::size_t>(body)]) ==
          "Checklists before the drill helped. See https://intranet.example/drill.");
    const SemNode* link = find_tag_text(v, "a", "https://intranet.example/drill");
    REQUIRE(link);
    CHECK(attr_of(link, "href") == "https://intranet.example/drill");
    CHECK(attr_of(link, "rel").find("noopener") != std::string::npos);
    REQUIRE(find_tag_text(v, "#text", "مرحبا بالجميع"));   // in its <p dir="auto">
    const int reply = v.find("root/thread/list/p1/replies/r1/post");
    REQUIRE(reply >= 0);
    CHECK(attr_of(&v.nodes()[static_cast<std::size_t>(v.nodes()[static_cast<std::size_t>(reply)].parent)], "aria-setsize") == "1");

    // Controls named with their context and state.
    const SemNode* endorse = find_named(v, "Endorse Ana's post");
    REQUIRE(endorse);
    CHECK(endorse->tag == "button");
    CHECK(attr_of(endorse, "aria-pressed") == "false");
    CHECK(endorse->control != 0);
    REQUIRE(find_named(v, "Reply to Ana"));
    CHECK(attr_of(find_named(v, "Reply to Ana"), "aria-expanded") == "false");
    const SemNode* more = find_named(v, "More actions for Ana's post");
    REQUIRE(more);
    CHECK(attr_of(more, "aria-expanded") == "false");
    CHECK(find_named(v, "Endorse Sam's post") == nullptr);   // not on one's own post
    // Every control on the canvas has its element, with the same id.
    for (const Control& c : w.app().controls()) CHECK_MESSAGE(v.find_control(c.id) >= 0, c.label);
}

TEST_CASE("view: a control clicked in the HTML view acts exactly once") {
    Seeded s;
    HeadlessWidget w(test_config(), &s.d);
    w.app().set_view(true);
    w.settle();
    const SemNode* endorse = find_named(w.app().view(), "Endorse Ana's post");
    REQUIRE(endorse);
    w.app().focus_control(endorse->control);   // a screen reader moves there, then activates
    w.app().activate_control(endorse->control);
    w.settle();
    CHECK(std::count(s.d.calls.begin(), s.d.calls.end(), "endorse p1 on") == 1);
    CHECK(s.d.calls.size() == 1);
    CHECK(attr_of(find_named(w.app().view(), "Endorse Ana's post"), "aria-pressed") == "true");
    CHECK(w.focused()->label == "Endorsed · 3");   // the widget's focus is the control the reader is on
    w.settle();
    CHECK(s.d.calls.size() == 1);
}

TEST_CASE("view: 10,000 posts keep a window of the list, Show more moves on, focus brings its row") {
    MemoryDiscussion d;
    d.fill_sample(10'000);
    HeadlessWidget w(test_config(), &d, 640, 640);
    w.app().set_view(true);
    w.settle();
    const SemanticView& v = w.app().view();
    const std::size_t items = count_tag(v, "li");
    CHECK(items <= ThreadPanel::kWindowRows);
    CHECK(items >= ThreadPanel::kWindowRows - 3);   // replies count as rows of their item
    CHECK(v.size() < 1200);
    CHECK(w.thread().window_first() == 0);

    // Rows in the view that the canvas does not draw are still complete, with their controls.
    REQUIRE(w.thread().rows_drawn() < ThreadPanel::kWindowRows);
    const std::size_t last = w.thread().window_end() - 1;
    const SemNode* far = nullptr;
    for (const SemNode& n : v.nodes())
        if (n.row == static_cast<int>(last) && n.tag == "button" && n.text.rfind("Endorse", 0) == 0) far = &n;
    REQUIRE(far);
    const std::uint32_t far_id = far->control;
    // A reader moves to it: the canvas scrolls there and the widget's focus is on it.
    w.app().focus_control(far_id);
    w.settle();
    REQUIRE(w.focused());
    CHECK(w.focused()->id == far_id);
    CHECK(w.focused()->visible);
    // ... and activates it: once.
    w.app().activate_control(far_id);
    w.settle();
    CHECK(std::count_if(d.calls.begin(), d.calls.end(), [](const std::string& c) { return c.rfind("endorse", 0) == 0; }) == 1);

    // Show more: the next rows, their first item focused; past the most the view holds, it slides.
    std::uint32_t more = 0;
    for (int i = 0; i < 6; ++i) {
        const SemNode* b = find_named(w.app().view(), "Show more reflections (" +
                                                          std::to_string(w.thread().row_count() - w.thread().window_end()) +
                                                          " more)");
        REQUIRE(b);
        more = b->control;
        w.app().focus_control(more);   // the reader is on the button
        w.app().activate_control(more);
        w.settle();
    }
    CHECK(w.thread().window_end() - w.thread().window_first() == ThreadPanel::kWindowMaxRows);
    CHECK(w.thread().window_first() > 0);
    CHECK(count_tag(w.app().view(), "li") <= ThreadPanel::kWindowMaxRows);
    REQUIRE(find_named(w.app().view(), "Show earlier reflections"));
    // Tab on the canvas to a row far from the window: the window follows the focus.
    w.app().focus_entry(false);
    w.settle();
    for (int i = 0; i < 5; ++i) w.key(ImGuiKey_Tab);
    REQUIRE(w.focused());
    const int row = w.focused()->row;
    CHECK(row >= 0);
    CHECK(static_cast<std::size_t>(row) >= w.thread().window_first());
    CHECK(static_cast<std::size_t>(row) < w.thread().window_end());
}

TEST_CASE("view: without a canvas the window's rows are laid out, and their controls act once") {
    Seeded s;
    HeadlessWidget w(test_config(), &s.d);
    w.app().set_view(true);
    w.app().set_canvas(false);
    w.settle();
    CHECK(w.thread().rows_drawn() == w.thread().window_end() - w.thread().window_first());
    const SemNode* reply = find_named(w.app().view(), "Reply to Bea");
    REQUIRE(reply);
    w.app().activate_control(reply->control);
    w.settle();
    const SemNode* field = find_named(w.app().view(), "Your reply");
    REQUIRE(field);
    CHECK(w.app().editing() == field->control);   // the reply's field takes the focus
    type_and_send(w, "Your reply", "Thanks, Bea", "Post reply");
    CHECK(std::count(s.d.calls.begin(), s.d.calls.end(), "create insight reply-to p2 Thanks, Bea") == 1);
}


TEST_CASE("view: the reflection just posted is in the HTML view's window, not behind Show earlier") {
    MemoryDiscussion d;
    d.sign_in("u-sam", "Sam", Role::learner);
    for (int i = 0; i < 40; ++i)
        d.add(d.make("p" + std::to_string(i), "Ana", "Reflection number " + std::to_string(i), (i + 1) * kHour));
    HeadlessWidget w(test_config(), &d);
    w.app().set_view(true);
    w.app().set_canvas(false);
    w.settle();
    REQUIRE(w.thread().window_first() == 0);
    REQUIRE(w.thread().window_end() < w.thread().row_count());

    const SemNode* field = find_named(w.app().view(), "Your reflection");
    REQUIRE(field);
    w.app().activate_control(field->control);
    w.settle();
    type_and_send(w, "Your reflection", "Written in the HTML view", "Post");
    REQUIRE(std::count(d.calls.begin(), d.calls.end(), "create insight Written in the HTML view") == 1);
    // Newest first: the new post is the thread's first row, and the window starts there.
    CHECK(w.thread().window_first() == 0);
    bool shown = false;
    for (const SemNode& n : w.app().view().nodes()) shown = shown || n.text == "Written in the HTML view";
    CHECK(shown);
    CHECK_FALSE(find_named(w.app().view(), "Show earlier reflections"));
}

namespace {
// A widget with no height limit: its canvas follows the content's height, as the page sizes it.
void grow_to_content(HeadlessWidget& w) {
    for (int i = 0; i < 8; ++i) {
        w.settle();
        const float h = w.app().content_height();
        w.resize(640, h);
        w.settle();
        if (std::abs(w.app().content_height() - h) < 1.0f) return;
    }
}
}  // namespace

TEST_CASE("view: growing with its content, the thread shows a page of posts and Show more adds the next") {
    MemoryDiscussion d;
    d.fill_sample(45);
    WidgetConfig config = test_config();
    config.grow = true;
    HeadlessWidget w(config, &d, 640, 640);
    w.app().set_view(true);
    grow_to_content(w);
    REQUIRE(w.thread().paged());
    CHECK(w.thread().entries_shown() == ThreadPanel::kPageEntries);
    CHECK(w.app().output().scroll_max == doctest::Approx(0));   // no inner scroll box
    const float first_height = w.app().content_height();
    CHECK(first_height < 20 * 400);
    // Every shown row is on the canvas and in the view, and nothing after them.
    CHECK(w.thread().rows_drawn() == w.thread().rows_shown());
    CHECK(w.thread().window_end() == w.thread().rows_shown());
    CHECK(count_tag(w.app().view(), "li") == w.thread().rows_shown());
    CHECK(w.shows("Show more reflections (25 more)"));
    const Control* more = w.control("Show more reflections (25 more)");
    REQUIRE(more);
    const SemNode* described = find_named(w.app().view(), "Show more reflections (25 more)");
    REQUIRE(described);
    CHECK(described->control == more->id);
    CHECK_FALSE(find_named(w.app().view(), "Show earlier reflections"));

    // A click: the next 20 posts under the first, the canvas taller.
    w.click(*more);
    grow_to_content(w);
    CHECK(w.thread().entries_shown() == 2 * ThreadPanel::kPageEntries);
    CHECK(w.app().content_height() > first_height * 1.5f);
    CHECK(count_tag(w.app().view(), "li") == w.thread().rows_shown());
    CHECK(w.shows("Show more reflections (5 more)"));

    // The keyboard: Enter on the button shows the rest, and the first new post takes the focus.
    const Control* last = w.control("Show more reflections (5 more)");
    REQUIRE(last);
    const std::uint32_t last_id = last->id;
    w.app().focus_control(last_id);
    w.settle();
    REQUIRE(w.focused());
    CHECK(w.focused()->id == last_id);
    w.view_focused.clear();
    CHECK(w.key(ImGuiKey_Enter) == KeyResult::handled);
    REQUIRE(w.view_focused.size() == 1);
    const std::string to = w.view_focused[0];
    const SemNode* item = nullptr;
    for (const SemNode& n : w.app().view().nodes())
        if (n.tag == "li" && SemanticView::dom_id("grove-", n.key) == to) item = &n;
    REQUIRE(item);
    CHECK(attr_of(item, "aria-posinset") == "41");
    CHECK(w.app().focused() == 0);   // the widget's focus is on that item too, not the button
    CHECK(std::to_string(w.app().focused_row()) == attr_of(item, "data-row"));
    grow_to_content(w);
    CHECK(w.thread().entries_shown() == 45);
    CHECK(w.thread().rows_shown() == w.thread().row_count());
    CHECK_FALSE(w.shows("Show more reflections"));
    CHECK_FALSE(find_named(w.app().view(), "Show more reflections (5 more)"));
}

TEST_CASE("view: with a height limit the thread is not paged") {
    MemoryDiscussion d;
    d.fill_sample(45);
    HeadlessWidget w(test_config(), &d, 640, 640);
    w.app().set_view(true);
    w.settle();
    CHECK_FALSE(w.thread().paged());
    CHECK(w.thread().rows_shown() == w.thread().row_count());
    CHECK(w.app().output().scroll_max > 0);
    CHECK_FALSE(w.shows("Show more reflections"));
}

TEST_CASE("view: growing with its content and without a canvas, the view pages the same way") {
    MemoryDiscussion d;
    d.fill_sample(45);
    WidgetConfig config = test_config();
    config.grow = true;
    HeadlessWidget w(config, &d, 640, 640);
    w.app().set_view(true);
    w.app().set_canvas(false);
    w.settle();
    CHECK(w.thread().entries_shown() == ThreadPanel::kPageEntries);
    CHECK(count_tag(w.app().view(), "li") == w.thread().rows_shown());
    const SemNode* more = find_named(w.app().view(), "Show more reflections (25 more)");
    REQUIRE(more);
    const std::uint32_t id = more->control;
    w.app().focus_control(id);   // the page's Tab (or a click) on the view's button
    w.app().activate_control(id);
    w.settle();
    CHECK(w.thread().entries_shown() == 2 * ThreadPanel::kPageEntries);
    CHECK(count_tag(w.app().view(), "li") == w.thread().rows_shown());
    CHECK(find_named(w.app().view(), "Show more reflections (5 more)"));
}

// The widget's text field: wrapping like a browser textarea, and editing UTF-8 with the keys
// people expect, including word moves, lines, selection, clipboard and undo.
#include <doctest/doctest.h>

#include <imgui.h>

#include "text_editor.hpp"
#include "text_port.hpp"
#include "ui_headless.hpp"

using namespace grove;
using namespace grove::testing;

namespace {

// A context with the real font (ImGui's text port), for measuring.
struct FontContext {
    ImGuiContext* ctx = ImGui::CreateContext();
    std::unique_ptr<TextPort> port = make_imgui_text_port(load_widget_font());
    FontContext() {
        ImGui::GetIO().IniFilename = nullptr;
        port->configure(TextConfig{});
        port->prepare();
        unsigned char* px;
        int w, h;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
    }
    ~FontContext() { ImGui::DestroyContext(ctx); }
};

InputEvent key(int k, bool ctrl = false, bool shift = false) {
    InputEvent e;
    e.type = InputEvent::Type::key;
    e.key = k;
    e.ctrl = ctrl;
    e.shift = shift;
    return e;
}

InputEvent text_of(std::string t) {
    InputEvent e;
    e.text = std::move(t);
    return e;
}

struct Field {
    explicit Field(TextPort& f) : font(f) {}
    TextPort& font;
    float width = 200;
    bool mac = false;
    std::string text;
    TextEditState st;
    std::string clip;
    bool apply(const InputEvent& e) { return apply_event(e, text, st, font, width, mac, &clip); }
    void type(const std::string& t) {
        for (std::size_t i = 0; i < t.size();) {   // one code point at a time, as typing does
            std::size_t n = 1;
            while (i + n < t.size() && (static_cast<unsigned char>(t[i + n]) & 0xC0) == 0x80) ++n;
            apply(text_of(t.substr(i, n)));
            i += n;
        }
    }
};

}  // namespace

TEST_CASE("text field: lines wrap at word boundaries and at newlines") {
    FontContext fc;
    TextPort& f = *fc.port;
    const std::string t = "The quick brown fox jumps over the lazy dog";
    const auto lines = wrap_lines(f, t, 120);
    REQUIRE(lines.size() > 1);
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
        CHECK(lines[i].end == lines[i + 1].start);             // soft wraps: no gaps
        CHECK(t[lines[i].end - 1] == ' ');                    // broken after a space
        const std::string shown = t.substr(lines[i].start, lines[i].end - lines[i].start - 1);
        CHECK(f.measure(kBody, shown) <= 120.0f);
    }
    CHECK(lines.back().end == t.size());
    const auto nl = wrap_lines(f, "a\n\nb\n", 500);
    REQUIRE(nl.size() == 4);   // "a", "", "b", "" (the caret can sit on the empty last line)
    CHECK(nl[1].start == 2);
    CHECK(nl[1].end == 2);
    CHECK(nl[3].start == 5);
    // A word longer than the line is cut.
    CHECK(wrap_lines(f, std::string(200, 'w'), 100).size() > 5);
    CHECK(wrap_lines(f, "", 100).size() == 1);
}

TEST_CASE("text field: typing - deleting and moving over multi-byte characters") {
    FontContext fc;
    Field x(*fc.port);
    x.type("Привет, ça va");
    CHECK(x.text == "Привет, ça va");
    CHECK(x.st.cursor == x.text.size());
    x.apply(key(ImGuiKey_Backspace));
    x.apply(key(ImGuiKey_Backspace));
    CHECK(x.text == "Привет, ça ");
    x.apply(key(ImGuiKey_LeftArrow));
    x.apply(key(ImGuiKey_LeftArrow));
    x.apply(key(ImGuiKey_Backspace));   // removes "ç" (2 bytes), not half of it
    CHECK(x.text == "Привет, a ");
    x.apply(key(ImGuiKey_Home));
    x.apply(key(ImGuiKey_Delete));
    CHECK(x.text == "ривет, a ");
    x.apply(text_of("П"));
    CHECK(x.text == "Привет, a ");
    // Word moves and deletes (Ctrl), and emoji (4 bytes) stay whole.
    x.apply(key(ImGuiKey_End));
    x.type("🙂");
    CHECK(x.text == "Привет, a 🙂");
    x.apply(key(ImGuiKey_Backspace));
    CHECK(x.text == "Привет, a ");
    x.apply(key(ImGuiKey_Backspace, true));
    CHECK(x.text == "Привет, ");
    x.apply(key(ImGuiKey_LeftArrow, true));
    CHECK(x.st.cursor == 0);
    x.apply(key(ImGuiKey_RightArrow, true));
    CHECK(x.text.substr(0, x.st.cursor) == "Привет");
}

TEST_CASE("text field: selection - select all - copy - cut - paste over a selection") {
    FontContext fc;
    Field x(*fc.port);
    x.type("one two three");
    x.apply(key(ImGuiKey_LeftArrow, true, true));   // Ctrl+Shift+Left selects "three"
    CHECK(x.st.has_selection());
    x.apply(key(ImGuiKey_C, true));
    CHECK(x.clip == "three");
    CHECK(x.text == "one two three");
    x.apply(text_of("3"));   // typing replaces the selection
    CHECK(x.text == "one two 3");
    x.apply(key(ImGuiKey_A, true));
    x.apply(key(ImGuiKey_X, true));
    CHECK(x.clip == "one two 3");
    CHECK(x.text.empty());
    x.apply(text_of("pasted\r\ntext\twith\x01 controls"));
    CHECK(x.text == "pasted\ntext with controls");
    // Shift+arrows extend; an arrow without Shift collapses to that side.
    x.apply(key(ImGuiKey_Home, true));
    x.apply(key(ImGuiKey_RightArrow, false, true));
    x.apply(key(ImGuiKey_RightArrow, false, true));
    CHECK(x.st.sel_begin() == 0);
    CHECK(x.st.sel_end() == 2);
    x.apply(key(ImGuiKey_RightArrow));
    CHECK_FALSE(x.st.has_selection());
    CHECK(x.st.cursor == 2);
    InputEvent del;
    del.type = InputEvent::Type::delete_selection;
    CHECK_FALSE(x.apply(del));   // nothing selected: nothing removed
}

TEST_CASE("text field: Up and Down move through wrapped lines keeping the column") {
    FontContext fc;
    Field x(*fc.port);
    x.width = 150;
    x.type("alpha beta gamma delta epsilon zeta eta theta iota kappa");
    const auto lines = wrap_lines(x.font, x.text, x.width);
    REQUIRE(lines.size() >= 3);
    x.apply(key(ImGuiKey_Home, true));
    x.apply(key(ImGuiKey_RightArrow));
    x.apply(key(ImGuiKey_RightArrow));   // column 2 on line 0
    x.apply(key(ImGuiKey_DownArrow));
    CHECK(x.st.cursor >= lines[1].start);
    CHECK(x.st.cursor < lines[1].end);
    x.apply(key(ImGuiKey_DownArrow));
    CHECK(x.st.cursor >= lines[2].start);
    x.apply(key(ImGuiKey_UpArrow));
    x.apply(key(ImGuiKey_UpArrow));
    CHECK(x.st.cursor == 2);             // back at the same column
    x.apply(key(ImGuiKey_UpArrow));      // above the first line: the start
    CHECK(x.st.cursor == 0);
    x.apply(key(ImGuiKey_End));          // end of the visual line, before the wrap
    CHECK(x.st.cursor < lines[0].end);
    x.apply(key(ImGuiKey_End, true));
    CHECK(x.st.cursor == x.text.size());
}

TEST_CASE("text field: undo and redo - typed characters undo together") {
    FontContext fc;
    Field x(*fc.port);
    x.type("hello");
    x.apply(text_of(" world, pasted"));
    x.apply(key(ImGuiKey_Z, true));
    CHECK(x.text == "hello");
    x.apply(key(ImGuiKey_Z, true));
    CHECK(x.text.empty());
    x.apply(key(ImGuiKey_Y, true));
    CHECK(x.text == "hello");
    x.apply(key(ImGuiKey_Z, true, true));   // Ctrl+Shift+Z redoes too
    CHECK(x.text == "hello world, pasted");
}

TEST_CASE("text field: macOS keys use Cmd for shortcuts and Alt for words") {
    FontContext fc;
    Field x(*fc.port);
    x.mac = true;
    x.type("one two");
    InputEvent word = key(ImGuiKey_Backspace);
    word.alt = true;
    x.apply(word);
    CHECK(x.text == "one ");
    InputEvent all = key(ImGuiKey_A);
    all.super = true;
    x.apply(all);
    CHECK(x.st.sel_end() - x.st.sel_begin() == 4);
    x.apply(key(ImGuiKey_A, true));   // Ctrl+A on a Mac is not select-all here
    CHECK(x.st.has_selection());
}

TEST_CASE("text field: the text is capped far above the post limit at a character boundary") {
    FontContext fc;
    Field x(*fc.port);
    x.apply(text_of(std::string(kMaxFieldBytes - 1, 'a')));
    x.apply(text_of("éé"));   // only one byte of room: nothing half-inserted
    CHECK(x.text.size() == kMaxFieldBytes - 1);
    x.apply(key(ImGuiKey_Backspace));
    x.apply(text_of("é"));
    CHECK(x.text.size() == kMaxFieldBytes);
}

// Screenshots of headless frames in the states people see most (light, dark, curator, offline,
// empty, composer near the limit), written to build/native/screenshots/ to look at, with checks
// that each one really shows its state.
#include <doctest/doctest.h>

#include <cmath>   // std::pow
#include <map>     // std::map

#include "ui_headless.hpp"
#include "ui_memory_discussion.hpp"
#include "ui_raster.hpp"

using namespace grove;
using namespace grove::testing;

namespace {

WidgetConfig config(ThemeMode theme) {
    return test_config("What is one thing you will do differently this week?", theme);
}

void seed(MemoryDiscussion& d) {
    constexpr std::int64_t min = 60'000, hour = 60 * min, day = 24 * hour;
    d.sign_in("u-sam", "Sam Learner", Role::learner);
    Post leader = d.make("s1", "Lee Leader", "Fire drills feel like a chore until the day they aren't. This week our team timed the evacuation and cut it from 6 minutes to 3 by agreeing on who checks the meeting rooms.", 2 * day);
    leader.author.role = Role::leader;
    leader.kind = Kind::leader_learning;
    leader.module = "leadership-weekly";
    d.set_spotlight({leader});

    Post pinned = d.make("p1", "Casey Curator", "Reminder: the extinguisher by the kitchen is CO₂ — safe for the coffee machine, not for the paper bin next to it.", 3 * day);
    pinned.author.role = Role::curator;
    pinned.kind = Kind::tip;
    pinned.pinned = true;
    pinned.endorsements = 7;
    pinned.leader_endorsed = true;
    d.add(pinned);
    Post q = d.make("p2", "Ana Souza", "Does anyone know whether we are expected to close the windows before leaving? The module mentioned doors but not windows.", 5 * hour);
    q.kind = Kind::question;
    q.endorsements = 2;
    d.add(q);
    Post r = d.make("p3", "Dmitri Ivanov", "Yes — close them if it takes seconds. Less oxygen, slower fire. Не задерживайтесь ради этого.", 4 * hour);
    r.parent_id = "p2";
    d.add(r);
    Post mine = d.make("p4", "Sam Learner", "I had never read the label on our extinguisher. Class A only — good to know before I need it.", 20 * min);
    mine.author.id = "u-sam";
    mine.endorsements = 1;
    d.add(mine);
    Post pending = d.make("local-9", "Sam Learner", "Checking the two nearest exits from my desk today.", 0);
    pending.author.id = "u-sam";
    pending.rev = 0;
    d.add(pending, LocalState::pending);
    Post greek = d.make("p5", "Ελένη Παπαδοπούλου", "Η άσκηση πυρκαγιάς μας έδειξε ότι οι έξοδοι κινδύνου πρέπει να είναι πάντα ελεύθερες.", 2 * day);
    greek.endorsements = 4;
    greek.endorsed_by_me = true;
    d.add(greek);
}

std::string shot(const char* name) { return std::string(GROVE_SCREENSHOT_DIR) + "/" + name + ".png"; }

// Relative luminance of 0xRRGGBB (0 black, 1 white), as WCAG defines it.
double luminance(unsigned rgb) {
    auto channel = [](unsigned v) {
        const double c = v / 255.0;
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel((rgb >> 16) & 0xFF) + 0.7152 * channel((rgb >> 8) & 0xFF) + 0.0722 * channel(rgb & 0xFF);
}

// What a frame looks like overall: its most common colour (the background a person sees) and
// the shares of pixels far lighter and far darker than mid-grey (text and icons on it).
struct Tones {
    unsigned dominant = 0;
    double light = 0, dark = 0;
};

Tones tones(const Image& image) {
    std::map<unsigned, long> counts;
    long light = 0, dark = 0;
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const unsigned c = image.at(x, y);
            ++counts[c];
            const double l = luminance(c);
            light += l > 0.5 ? 1 : 0;
            dark += l < 0.05 ? 1 : 0;
        }
    Tones t;
    long most = 0;
    for (const auto& [c, n] : counts)
        if (n > most) most = n, t.dominant = c;
    const double total = static_cast<double>(image.width) * image.height;
    t.light = light / total;
    t.dark = dark / total;
    return t;
}

}  // namespace

TEST_CASE("screens: the light - dark - curator and offline states render and show their state") {
    SUBCASE("light") {
        MemoryDiscussion d;
        seed(d);
        HeadlessWidget w(config(ThemeMode::light), &d, 640, 1400);
        w.settle();
        REQUIRE(w.click("1 leader learning this week"));   // opened: the whole state shows
        CHECK(w.shows("Fire drills feel like a chore"));
        CHECK(w.shows("Pinned"));
        const Tones t = tones(w.image());
        CHECK(luminance(t.dominant) > 0.9);   // a light page...
        CHECK(t.dark > 0.004);                // ...with dark text on it
        CHECK(w.save_png(shot("light")));
    }
    SUBCASE("dark") {
        MemoryDiscussion d;
        seed(d);
        HeadlessWidget w(config(ThemeMode::dark), &d, 640, 1400);
        w.settle();
        REQUIRE(w.click("1 leader learning this week"));   // the same state, drawn dark
        CHECK(w.shows("Fire drills feel like a chore"));
        CHECK(w.shows("Pinned"));
        const Image image = w.image();
        REQUIRE(image.width == 640);
        const Tones t = tones(image);
        CAPTURE(t.dominant);
        CHECK(luminance(t.dominant) < 0.05);     // a dark background...
        CHECK(luminance(image.at(2, 2)) < 0.05);   // ...from the corner on (cards may cover more)
        CHECK(t.light > 0.01);                   // light text on it
        CHECK(t.light < 0.2);                    // and no large light areas
        CHECK(w.save_png(shot("dark")));
    }
    SUBCASE("curator") {
        MemoryDiscussion d;
        seed(d);
        d.sign_in("u-casey", "Casey Curator", Role::curator);
        HeadlessWidget w(config(ThemeMode::light), &d, 640, 1400);
        w.settle();
        CHECK(w.control("Pin") != nullptr);
        CHECK(w.save_png(shot("curator")));
    }
    SUBCASE("offline") {
        MemoryDiscussion d;
        seed(d);
        SyncStatus s;
        s.online = false;
        s.pending = 1;
        s.last_sync_ms = d.now_ms - 3 * 60'000;
        d.set_status(s);
        HeadlessWidget w(config(ThemeMode::light), &d, 640, 1400);
        w.settle();
        CHECK(w.shows("You're offline."));
        CHECK(w.shows("Last synced 3 min ago"));
        CHECK(w.save_png(shot("offline")));
    }
}

TEST_CASE("screens: a narrow widget and the open forms render") {
    SUBCASE("narrow, 320 CSS px at DPR 2") {
        MemoryDiscussion d;
        seed(d);
        d.sign_in("u-casey", "Casey Curator", Role::curator);
        HeadlessWidget w(config(ThemeMode::light), &d, 320, 1500, 2.0f);
        w.settle();
        CHECK(w.control("Pin") != nullptr);
        for (const Control& c : w.app().controls()) {   // nothing sticks out on the right
            CAPTURE(c.label);
            CHECK(c.x + c.w <= 320 * 2.0f);
        }
        CHECK(w.save_png(shot("narrow")));
    }
    SUBCASE("menu, reply, flag and a refused post") {
        MemoryDiscussion d;
        seed(d);
        d.fail("local-9", "Posts are limited to 30 a minute; try again in a moment.");
        HeadlessWidget w(config(ThemeMode::light), &d, 640, 1500);
        w.settle();
        REQUIRE(w.click("Reply", 2));
        w.type("Thanks, that helps");
        REQUIRE(w.click("More actions", 1));
        REQUIRE(w.click("Flag for a curator…"));
        REQUIRE(w.click("Off-topic"));
        REQUIRE(w.click("More actions", 0));
        CHECK(w.shows("Copy text"));
        CHECK(w.save_png(shot("forms")));
    }
}

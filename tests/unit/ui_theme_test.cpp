// Themes: every text colour meets WCAG AA (4.5:1) on what it is drawn on, and the focus ring
// and control edges 3:1, in light and dark, whatever accent colour the page chooses.
#include <doctest/doctest.h>

#include <string>

#include "theme.hpp"

using namespace grove;

namespace {

std::string hex(unsigned c) {
    char b[8];
    std::snprintf(b, sizeof b, "#%06x", c);
    return b;
}

void require(unsigned fg, unsigned bg, double ratio, const char* what) {
    INFO(what << ": " << hex(fg) << " on " << hex(bg) << " = " << contrast_ratio(fg, bg));
    CHECK(contrast_ratio(fg, bg) >= ratio);
}

// Text over a translucent fill: blend it the way the GPU does.
unsigned over(unsigned fill, float alpha, unsigned bg) { return mix_rgb(bg, fill, alpha); }

}  // namespace

TEST_CASE("theme: contrast ratios follow WCAG 2.1") {
    CHECK(contrast_ratio(0x000000, 0xffffff) == doctest::Approx(21.0));
    CHECK(contrast_ratio(0xffffff, 0xffffff) == doctest::Approx(1.0));
    CHECK(contrast_ratio(0x777777, 0xffffff) == doctest::Approx(4.48).epsilon(0.01));
    CHECK(contrast_ratio(0x0a66c2, 0xffffff) == doctest::Approx(contrast_ratio(0xffffff, 0x0a66c2)));
    CHECK(contrast_ratio(ensure_contrast(0x999999, 0xffffff, 4.5), 0xffffff) >= 4.5);
    CHECK(contrast_ratio(ensure_contrast(0x444444, 0x111111, 4.5), 0x111111) >= 4.5);
    CHECK(ensure_contrast(0x000000, 0xffffff, 4.5) == 0x000000);   // already fine: unchanged
}

TEST_CASE("theme: light and dark palettes meet AA with any accent colour") {
    const unsigned accents[] = {0x0a66c2, 0xffcc00, 0x00ff00, 0x000000, 0xffffff, 0x777777, 0xff0000, 0x6b21a8};
    for (bool dark : {false, true}) {
        for (unsigned accent : accents) {
            CAPTURE(dark);
            CAPTURE(hex(accent));
            const Palette p = make_palette(dark, accent);
            for (unsigned s : {p.background, p.surface, p.surface_alt}) {
                require(p.text, s, kTextContrast, "text");
                require(p.text_muted, s, kTextContrast, "muted text");
                require(p.link, s, kTextContrast, "link");
                require(p.focus_ring, s, kNonTextContrast, "focus ring");
                require(p.control_border, s, kNonTextContrast, "control border");
                // Selected text: the selection is drawn at 35% over the field.
                require(p.text, over(p.selection, 0.35f, s), kTextContrast, "selected text");
            }
            require(p.accent_text, p.accent, kTextContrast, "button label on accent");
            require(p.chip_text, p.chip_bg, kTextContrast, "chip");
            require(p.leader_text, p.leader_bg, kTextContrast, "leader badge");
            require(p.curator_text, p.curator_bg, kTextContrast, "curator badge");
            require(p.warning_text, p.warning_bg, kTextContrast, "warning");
            require(p.danger_text, p.danger_bg, kTextContrast, "danger");
            require(p.disabled_text, p.disabled_bg, kTextContrast, "disabled button");
            // Coloured text drawn straight on surfaces (counter, form errors, banners' icons).
            require(p.warning_text, p.surface, kTextContrast, "counter near the limit");
            require(p.danger_text, p.surface, kTextContrast, "error text");
            // Hover and press states of a filled button keep a readable label.
            for (float t : {0.12f, 0.24f}) {
                const unsigned bg = mix_rgb(p.accent, dark ? 0xffffff : 0x000000, t);
                require(text_on(bg), bg, kTextContrast, "pressed button label");
            }
        }
    }
}

TEST_CASE("theme: light and dark really differ and the page's accent is used as given") {
    const Palette light = make_palette(false, 0x0a66c2), dark = make_palette(true, 0x0a66c2);
    CHECK(relative_luminance(light.background) > 0.8);
    CHECK(relative_luminance(dark.background) < 0.05);
    CHECK(light.accent == 0x0a66c2);
    CHECK(dark.accent == 0x0a66c2);
    CHECK(light.accent_text == 0xffffff);
    CHECK(make_palette(false, 0xffcc00).accent_text != 0xffffff);   // dark text on yellow
}

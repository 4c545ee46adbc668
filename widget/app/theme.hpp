// Colours and sizes: light or dark, with the host page's accent colour, and every text colour
// checked against the colour it sits on (WCAG 2.1 AA: 4.5:1 for text, 3:1 for the focus ring
// and control outlines). The accent comes from the page, so colours derived from it are adjusted
// until they pass instead of being trusted.
#pragma once

#include "widget_config.hpp"

namespace grove {

// Colours are 0xRRGGBB.
double relative_luminance(unsigned rgb);
double contrast_ratio(unsigned a, unsigned b);
// `fg` moved towards black or white (whichever the background allows) until it reaches `ratio`
// against `bg`; unchanged when it already does.
unsigned ensure_contrast(unsigned fg, unsigned bg, double ratio);
// Black-ish or white, whichever reads better on `bg`.
unsigned text_on(unsigned bg);
unsigned mix_rgb(unsigned a, unsigned b, float t);

constexpr double kTextContrast = 4.5;      // WCAG AA, normal text
constexpr double kNonTextContrast = 3.0;   // WCAG AA, focus indicators and control boundaries

struct Palette {
    bool dark = false;
    unsigned background;      // the widget
    unsigned surface;         // cards
    unsigned surface_alt;     // spotlight, replies, inline forms
    unsigned text;
    unsigned text_muted;      // meta lines: readable on background, surface and surface_alt
    unsigned border;          // card edges (decorative)
    unsigned control_border;  // text field and outline-button edges: 3:1 on background
    unsigned accent;          // filled buttons, selected chips
    unsigned accent_text;     // text on accent
    unsigned link;            // accent used as text (toggles, ghost buttons): 4.5:1 on surfaces
    unsigned focus_ring;      // keyboard focus: 3:1 on every surface
    unsigned selection;       // text selection background (drawn at 35% alpha)
    unsigned chip_bg, chip_text;                  // unselected chips, notices
    // Status chips on cards (Leader, Curator, Pinned, Your post, a kind, Unanswered): one quiet
    // style, muted text on a faint fill inside a hairline; "Endorsed by a leader" is the one
    // strong chip, filled with the accent (accent, accent_text).
    unsigned status_bg, status_text, status_outline;
    unsigned leader_bg, leader_text;              // spotlight
    unsigned curator_bg, curator_text;            // Curator badge, pinned marker
    unsigned warning_bg, warning_text;            // counter near the limit, offline banner
    unsigned danger_bg, danger_text;              // over the limit, failed posts, hidden posts
    unsigned disabled_bg, disabled_text;          // disabled Post button (still legible)
};

Palette make_palette(bool dark, unsigned accent_rgb);

// An author's avatar: a circle in one of kAvatarHues colours (picked by a hash of the author's
// id, so a person keeps theirs), its initials readable on it (4.5:1).
constexpr int kAvatarHues = 8;
struct AvatarColours {
    unsigned bg, text;
};
AvatarColours avatar_colours(const Palette& palette, unsigned hash);
// Resets the current context's style to Grove's look at `scale` device pixels per CSS pixel.
void apply_theme(const Palette& palette, float scale);

}  // namespace grove

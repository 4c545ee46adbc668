// One mounted widget's UI: everything drawn inside one ImGui context, one frame at a time.
// It knows nothing of WebGL or the DOM; the platform layer (platform/web, or a headless test)
// owns the context, feeds input and renders the draw lists.
#pragma once

#include <cstdint>  // std::uint64_t
#include <memory>   // std::shared_ptr
#include <string>   // std::string
#include <vector>   // std::vector

#include "fonts.hpp"
#include "grove/client/discussion.hpp"
#include "theme.hpp"
#include "widget_config.hpp"

namespace grove {

using FontData = std::shared_ptr<const std::vector<unsigned char>>;

class WidgetApp {
public:
    // `discussion` may be null (no data source): the UI then shows the composer only.
    WidgetApp(WidgetConfig config, FontData font, Discussion* discussion);

    const WidgetConfig& config() const { return config_; }

    // Scale is the device pixel ratio; a change rebuilds fonts and style before the next frame.
    void set_scale(float scale);
    void set_prefers_dark(bool dark);
    // Rebuilds fonts and style into the current ImGui context if needed. Returns true when the
    // font atlas changed, so the renderer must upload its texture again.
    bool prepare_frame();

    // Puts the keyboard focus into the composer on the next frame (the mount element was focused).
    void request_composer_focus() { focus_composer_ = true; }

    // Draws one frame into the current ImGui context (between NewFrame and Render).
    void frame();

    // Height the content wants, in device pixels, as measured in the last frame.
    float content_height() const { return content_height_; }

private:
    WidgetConfig config_;
    FontData font_;
    Discussion* discussion_;
    Fonts fonts_;
    float scale_ = 1.0f;
    bool style_dirty_ = true;
    float content_height_ = 0.0f;
    bool focus_composer_ = false;
    char draft_[2048] = {};
    std::string last_draft_;                  // the draft as the discussion last knew it
    std::string post_error_;
    std::uint64_t order_revision_ = 0;        // the post order below is for this revision
    std::vector<std::size_t> order_;
};

}  // namespace grove

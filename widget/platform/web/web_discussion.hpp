// Creates the Discussion (client store + sync engine) for one mounted widget, with the browser
// implementations of its ports (IndexedDB, fetch, online/visibility events, timers).
#pragma once

#include <functional>   // std::function
#include <memory>       // std::unique_ptr

#include "grove/client/discussion.hpp"
#include "widget_config.hpp"

namespace grove {

// `on_change` is called whenever the discussion's revision() changes, so the mount draws a frame.
// The cache is read asynchronously: status().loaded is false until it is (grove:ready waits).
std::unique_ptr<Discussion> make_web_discussion(int mount_id, const WidgetConfig& config,
                                                std::function<void()> on_change);

}  // namespace grove

#include "web_discussion.hpp"

namespace grove {

// Placeholder until the sync engine lands (issue 4): no data source yet.
std::unique_ptr<Discussion> make_web_discussion(int, const WidgetConfig&, std::function<void()>) { return nullptr; }

}  // namespace grove

#include "grove/client/puller.hpp"

#include <algorithm>   // std::remove_if
#include <utility>     // std::move

#include "grove/wire.hpp"   // Json, decode_feed_page, error_from_response

namespace grove {

void Puller::start(const std::optional<std::string>& cursor, bool owned) {
    const bool full = full_wanted_ || !cursor || !owned;   // another person's view: replaced whole
    state_ = full ? State::collecting : State::following;
    cursor_ = full ? std::nullopt : cursor;
    collected_.clear();
    next_page();
}

void Puller::abandon() {
    state_ = State::idle;
    collected_.clear();
}

void Puller::next_page() {
    host_.fetch_page(cursor_, [this](HttpResponse r) { answered(std::move(r)); });
}

void Puller::answered(HttpResponse r) {
    const Answer answer = classify_status(r.status);
    if (answer == Answer::ok) {
        auto page = decode_feed_page(parse_json(r.body));
        if (!page) {
            host_.warn("Grove: the changes feed answered something that is not a page of posts");
            fail(host_.retry_delay_ms(Answer::transient));
            return;
        }
        {   // another module's posts are not this widget's: left out like invalid ones
            std::vector<Post>& posts = page->posts;
            const auto foreign = std::remove_if(posts.begin(), posts.end(),
                                                [this](const Post& p) { return p.module != module_; });
            page->skipped += static_cast<std::size_t>(posts.end() - foreign);
            posts.erase(foreign, posts.end());
        }
        if (page->skipped)
            host_.warn("Grove: skipped " + std::to_string(page->skipped) + " invalid post(s) in the changes feed");
        cursor_ = page->cursor;
        const bool full = state_ == State::collecting;
        if (full) {
            for (Post& p : page->posts) collected_.push_back(std::move(p));
            if (page->has_more) {
                next_page();
                return;
            }
            full_wanted_ = false;
            host_.store_page(std::move(collected_), page->cursor, true, true);
            collected_.clear();
        } else {
            host_.store_page(std::move(page->posts), page->cursor, false, !page->has_more);
        }
        cursor_restarts_ = 0;
        if (page->has_more) {
            next_page();
            return;
        }
        state_ = State::idle;
        host_.pulled();
        return;
    }
    const ApiError err = error_from_response(r.status, r.body);
    if (answer == Answer::permanent && r.status == 400 && err.field == "since" && cursor_restarts_ < 1) {
        // The server no longer knows our cursor (e.g. its database was restored): start over.
        ++cursor_restarts_;
        host_.warn("Grove: the server did not accept the saved cursor; fetching every post again");
        full_wanted_ = true;
        state_ = State::idle;
        host_.cursor_refused();
        return;
    }
    if (answer == Answer::permanent) host_.feed_refused(err);
    if (answer == Answer::rate_limited) {
        fail((r.retry_after_s && *r.retry_after_s > 0 ? *r.retry_after_s : 5) * 1000LL);
        return;
    }
    fail(host_.retry_delay_ms(answer));
}

void Puller::fail(std::int64_t retry_in_ms) {
    state_ = State::idle;
    collected_.clear();
    host_.cycle_failed(retry_in_ms);
}

}  // namespace grove

#include "grove/client/pusher.hpp"

#include <utility>   // std::move

namespace grove {

Pusher::~Pusher() {
    if (retry_timer_) timers_.cancel(retry_timer_);
}

Answer Pusher::classify(const OutboxEntry& e, int status) {
    if (status == 404 && (e.op == WriteOp::remove || e.op == WriteOp::resource_remove || (e.op == WriteOp::endorse && !e.value)))
        return Answer::ok;
    return classify_status(status);
}

void Pusher::start() {
    if (state_ == State::rate_limited && timers_.now_ms() < blocked_until_ms_) {   // reads may go on
        host_.pushed();
        return;
    }
    state_ = State::sending;
    next();
}

void Pusher::abandon() {
    if (state_ == State::sending) state_ = State::idle;
}

void Pusher::next() {
    host_.reload_outbox([this] {
        // A held write waits (the host's next_write skips it) while the ones after it go: only
        // flags are held, and a flag depends on nothing queued after it.
        if (std::optional<OutboxEntry> write = host_.next_write()) {
            OutboxEntry e = std::move(*write);
            ++e.attempts;
            host_.send_write(e, [this, e](HttpResponse response) { answered(e, std::move(response)); });
            return;
        }
        state_ = State::idle;
        host_.pushed();
    });
}

void Pusher::answered(const OutboxEntry& e, HttpResponse r) {
    const Answer answer = classify(e, r.status);
    switch (answer) {
        case Answer::ok:
            if (!host_.take_answer(e, r)) {
                fail(Answer::transient);
                return;
            }
            next();
            return;
        case Answer::rate_limited: {
            const int wait_s = r.retry_after_s && *r.retry_after_s > 0 ? *r.retry_after_s : 5;
            state_ = State::rate_limited;
            blocked_until_ms_ = timers_.now_ms() + wait_s * 1000LL;
            if (retry_timer_) timers_.cancel(retry_timer_);
            retry_timer_ = timers_.set_timeout(wait_s * 1000LL, [this] {
                retry_timer_ = 0;
                if (state_ == State::rate_limited) state_ = State::idle;
                host_.retry_due();
            });
            host_.pushed();   // reads are not limited
            return;
        }
        case Answer::permanent:
            host_.refused(e, r);
            next();
            return;
        case Answer::unauthorized:   // even a fresh token was refused
        case Answer::transient:
            fail(answer);
            return;
    }
}

void Pusher::fail(Answer why) {
    state_ = State::idle;
    host_.cycle_failed(host_.retry_delay_ms(why));
}

}  // namespace grove

#include "daemon/retention.hpp"

#include <spdlog/spdlog.h>

namespace tether::daemon {

Retention::Retention(net::Runtime& runtime, store::EventStore& events, std::chrono::hours keep, std::size_t batch)
    : runtime_(runtime), events_(events), keep_(keep), batch_(batch) {}

Retention::~Retention() { *alive_ = false; }

void Retention::start(Clock::time_point now) {
  if (running_ || stopped_) return;
  running_ = true;
  cutoff_ = now - keep_;
  started_ = std::chrono::steady_clock::now();
  pruned_ = 0;
  runtime_.post([this, alive = alive_] {
    if (*alive) step();
  });
}

void Retention::stop() {
  stopped_ = true;
  running_ = false;
}

void Retention::step() {
  if (stopped_) return;
  const auto t0 = std::chrono::steady_clock::now();
  auto n = events_.prune_before(cutoff_, batch_);
  spdlog::debug("event retention: batch in {} us",
                std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count());
  if (!n) {
    spdlog::error("event retention: {}", n.error().message);
  } else {
    pruned_ += *n;
    // A full batch: there may be more; the loop answers whatever waits before the next one.
    if (static_cast<std::size_t>(*n) == batch_) {
      runtime_.post([this, alive = alive_] {
        if (*alive) step();
      });
      return;
    }
  }
  running_ = false;
  last_pruned_ = pruned_;
  if (pruned_ > 0) {
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_);
    spdlog::info("event retention: pruned {} events older than {} days in {} ms", pruned_, keep_.count() / 24, took.count());
  }
}

}  // namespace tether::daemon

#include "daemon/retention.hpp"

#include <spdlog/spdlog.h>

namespace tether::daemon {
namespace {
constexpr std::size_t kMinBatch = 50;
constexpr std::chrono::microseconds kBatchTarget{2000};
}  // namespace

void BatchSizer::took(std::chrono::microseconds elapsed) {
  if (elapsed > target_) {
    size_ = std::max(min_, size_ / 2);
  } else if (elapsed < target_ / 2) {
    size_ = std::min(max_, size_ * 2);
  }
}

Retention::Retention(net::Runtime& runtime, store::EventStore& events, std::chrono::hours keep, std::size_t max_batch)
    : runtime_(runtime), events_(events), keep_(keep), batch_(kMinBatch, max_batch, kBatchTarget) {}

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
  const std::size_t size = batch_.size();
  const auto t0 = std::chrono::steady_clock::now();
  auto n = events_.prune_before(cutoff_, size);
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  batch_.took(elapsed);
  spdlog::debug("event retention: batch of {} in {} us", size, elapsed.count());
  if (!n) {
    spdlog::error("event retention: {}", n.error().message);
  } else {
    pruned_ += *n;
    // A full batch: there may be more; the loop answers whatever waits before the next one.
    if (static_cast<std::size_t>(*n) == size) {
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

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

Retention::Retention(net::Runtime& runtime, store::EventStore& events, store::AuditLog& audit, std::chrono::hours keep,
                     std::size_t max_batch)
    : runtime_(runtime), events_(events), audit_(audit), keep_(keep), batch_(kMinBatch, max_batch, kBatchTarget) {}

Retention::~Retention() { *alive_ = false; }

void Retention::start(Clock::time_point now) {
  if (running_ || stopped_) return;
  running_ = true;
  auditing_ = false;
  cutoff_ = now - keep_;
  started_ = std::chrono::steady_clock::now();
  pruned_ = 0;
  pruned_audit_ = 0;
  post_step();
}

void Retention::stop() {
  stopped_ = true;
  running_ = false;
}

void Retention::post_step() {
  runtime_.post([this, alive = alive_] {
    if (*alive) step();
  });
}

void Retention::step() {
  if (stopped_) return;
  const std::size_t size = batch_.size();
  const auto t0 = std::chrono::steady_clock::now();
  auto n = auditing_ ? audit_.prune_before(cutoff_, size) : events_.prune_before(cutoff_, size);
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  batch_.took(elapsed);
  const char* what = auditing_ ? "audit" : "event";
  spdlog::debug("{} retention: batch of {} in {} us", what, size, elapsed.count());
  if (!n) {
    spdlog::error("{} retention: {}", what, n.error().message);
  } else {
    (auditing_ ? pruned_audit_ : pruned_) += *n;
    // A full batch: there may be more; the loop answers whatever waits before the next one.
    if (static_cast<std::size_t>(*n) == size) return post_step();
  }
  phase_done();
}

void Retention::phase_done() {
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_);
  if (!auditing_) {
    if (pruned_ > 0) spdlog::info("event retention: pruned {} events older than {} days in {} ms", pruned_, keep_.count() / 24, took.count());
    auditing_ = true;
    started_ = std::chrono::steady_clock::now();
    return post_step();
  }
  running_ = false;
  last_pruned_ = pruned_;
  last_pruned_audit_ = pruned_audit_;
  if (pruned_audit_ > 0) {
    spdlog::info("audit retention: pruned {} entries older than {} days in {} ms", pruned_audit_, keep_.count() / 24, took.count());
  }
}

}  // namespace tether::daemon

// Retention: deletes the events, then the audit entries, older than the retention period
// in small transactions, one per turn of the event loop, so requests keep being answered while a
// big prune runs. Each batch is sized to take about 2 ms (BatchSizer), since a request
// that arrives during a prune waits for a batch or two. Not a timer of its own: the
// daemon starts it once it serves, then daily.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "net/runtime.hpp"
#include "store/audit_log.hpp"
#include "store/event_store.hpp"

namespace tether::daemon {

// How many events the next batch deletes: half as many after a batch slower than the
// target, twice as many after one faster than half of it, within [min, max]. Pure.
class BatchSizer {
 public:
  BatchSizer(std::size_t min, std::size_t max, std::chrono::microseconds target)
      : min_(std::min(min, max)), max_(max), target_(target), size_(std::min<std::size_t>(250, max)) {}
  std::size_t size() const { return size_; }
  void took(std::chrono::microseconds elapsed);

 private:
  std::size_t min_;
  std::size_t max_;
  std::chrono::microseconds target_;
  std::size_t size_;
};

class Retention {
 public:
  using Clock = std::chrono::system_clock;
  // `max_batch` bounds a batch; BatchSizer picks each one's size below it.
  Retention(net::Runtime& runtime, store::EventStore& events, store::AuditLog& audit, std::chrono::hours keep,
            std::size_t max_batch = 1000);
  ~Retention();
  Retention(const Retention&) = delete;
  Retention& operator=(const Retention&) = delete;

  // Deletes everything older than `now - keep`, a batch per loop turn; logs the total when
  // done. Does nothing while a prune is still running.
  void start(Clock::time_point now);
  // Abandons a running prune after its current batch (at shutdown); start() no longer runs.
  void stop();
  bool running() const { return running_; }
  // Events, and audit entries, deleted by the last prune that finished.
  std::int64_t last_pruned() const { return last_pruned_; }
  std::int64_t last_pruned_audit() const { return last_pruned_audit_; }

 private:
  void step();
  void post_step();
  void phase_done();  // the events done: on to the audit log; that done too: idle

  net::Runtime& runtime_;
  store::EventStore& events_;
  store::AuditLog& audit_;
  std::chrono::hours keep_;
  BatchSizer batch_;
  bool running_ = false;
  bool auditing_ = false;  // the events are done; now the audit log
  bool stopped_ = false;
  Clock::time_point cutoff_;
  std::chrono::steady_clock::time_point started_;
  std::int64_t pruned_ = 0;
  std::int64_t last_pruned_ = 0;
  std::int64_t pruned_audit_ = 0;
  std::int64_t last_pruned_audit_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tether::daemon

// Refused connection attempts, written to the audit log at a bounded rate: anyone can
// send a first handshake message, so each refusal cannot be a row. Pure: the caller writes
// what it returns. Not the refusal itself (remote_session.cpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tether::daemon {

// In each interval the first refusal of each (key, source) is written, up to `rows` of
// them; any other refusal is only counted, and the first refusal after the interval writes
// one more row saying how many were left out (`suppressed`) and over which interval.
class RefusalAudit {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  struct Row {
    std::string target;  // the refused device's id, or ""
    std::string detail;  // JSON object text
  };

  explicit RefusalAudit(std::chrono::seconds interval = std::chrono::seconds(60), std::size_t rows = 20)
      : interval_(interval), rows_(rows) {}

  // The rows to write for one refusal at `now` (none, one, or a summary and one).
  std::vector<Row> refuse(const std::string& key, const std::string& source, const std::string& reason,
                          const std::string& target, TimePoint now);

 private:
  std::chrono::seconds interval_;
  std::size_t rows_;
  TimePoint start_{};
  bool open_ = false;
  std::set<std::pair<std::string, std::string>> written_;  // at most rows_
  std::int64_t suppressed_ = 0;
};

}  // namespace tether::daemon

// The audit trail: who did what, when, from where. Append-only from tether's side, and
// kept as long as events are (the daemon's retention deletes older entries).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/database.hpp"
#include "store/event_store.hpp"

namespace tether::store {

struct AuditEntry {
  std::int64_t id = 0;
  TimePoint time;
  std::string actor;   // "owner", a device id, or "unknown"
  std::string action;  // "pair", "pair_failed", "connect", "disconnect", "revoke", "set_mode", ...
  std::string target;  // what it acted on (device id, session id), may be empty
  std::string detail;  // JSON object text
};

class AuditLog {
 public:
  explicit AuditLog(Database& db) : db_(db) {}

  core::Result<std::int64_t> append(TimePoint time, std::string_view actor, std::string_view action,
                                    std::string_view target, std::string_view detail_json);
  // append, for callers that go on whether or not the entry is written (the action has
  // happened): a failed write is logged at error level with what was lost, never dropped silently.
  void record(TimePoint time, std::string_view actor, std::string_view action, std::string_view target,
              std::string_view detail_json);
  // Entries at or after `since` and, with `before_id`, older than that entry: newest first,
  // at most `limit` (a page; the next one is `before_id` = the last entry's id).
  core::Result<std::vector<AuditEntry>> list(std::optional<TimePoint> since, std::optional<std::int64_t> before_id,
                                             std::size_t limit);
  // Deletes the oldest entries older than `cutoff`, at most `limit` of them (retention);
  // returns how many (fewer than `limit`: none older are left).
  core::Result<std::int64_t> prune_before(TimePoint cutoff, std::size_t limit);

 private:
  Database& db_;
};

}  // namespace tether::store

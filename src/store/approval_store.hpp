// Approvals (table `approvals`): every question asked of a human, and its answer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/database.hpp"
#include "store/event_store.hpp"

namespace tether::store {

struct ApprovalRow {
  std::string id;
  std::string session_id;
  std::string tool;
  std::string tier;
  std::string input;       // JSON text
  std::string status;      // "pending" | "allowed" | "denied" | "expired"
  std::string scope;       // "once" | "session" | "always" | ""
  std::string decided_by;  // device id, "owner", "timeout", "daemon_stop", ...
  std::string message;
  TimePoint created;
  std::optional<TimePoint> decided;
};

class ApprovalStore {
 public:
  explicit ApprovalStore(Database& db) : db_(db) {}

  core::Result<void> add(const ApprovalRow& row);  // status "pending"
  core::Result<std::optional<ApprovalRow>> get(std::string_view id);
  // Pending ones, newest first.
  core::Result<std::vector<ApprovalRow>> pending();
  // Only a pending row changes; error "not_found" if none, "already_resolved" if it was decided.
  core::Result<void> resolve(std::string_view id, std::string_view status, std::string_view scope,
                             std::string_view decided_by, std::string_view message, TimePoint now);
  // At daemon start: whatever was pending belonged to a daemon that died; deny it. Returns the rows changed.
  core::Result<std::vector<ApprovalRow>> deny_all_pending(std::string_view decided_by, std::string_view message, TimePoint now);

 private:
  Database& db_;
};

}  // namespace tether::store

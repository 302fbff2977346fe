// Approvals (table `approvals`): every question asked of a human, and its answer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/approval_terms.hpp"
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
  core::ApprovalStatus status = core::ApprovalStatus::pending;
  std::optional<core::ApprovalScope> scope;  // none while pending, and for timeouts and cancels
  std::optional<core::Decider> decided_by;   // none while pending
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
  // Only a pending row changes, to a decided status (not pending); error "not_found" if none,
  // "already_resolved" if it was decided, "invalid" for status pending.
  core::Result<void> resolve(std::string_view id, core::ApprovalStatus status, std::optional<core::ApprovalScope> scope,
                             const core::Decider& decided_by, std::string_view message, TimePoint now);
  // At daemon start: whatever was pending belonged to a daemon that died; deny it. Returns the rows changed.
  core::Result<std::vector<ApprovalRow>> deny_all_pending(const core::Decider& decided_by, std::string_view message,
                                                          TimePoint now);
  // Reads fail with "corrupt" when a row holds a status, scope or decider this build does not know.

 private:
  Database& db_;
};

}  // namespace tether::store

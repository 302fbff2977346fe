// Pending approvals and their fates: first answer wins, a deadline denies, a dead
// provider or a stopping daemon denies all. Pure: time comes in as `now`.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/approval_terms.hpp"
#include "core/result.hpp"

namespace tether::approvals {

using Clock = std::chrono::steady_clock;

struct Pending {
  std::string id;          // approval id
  std::string session_id;
  std::string request_id;  // the provider's id for the question
  Clock::time_point deadline;
};

struct Resolution {
  std::string id;
  std::string session_id;
  std::string request_id;
  bool allow = false;
  std::optional<core::ApprovalScope> scope;  // none for timeouts and cancels
  core::Decider by;
  std::string message;  // to the model (deny) — may be empty
};

class PendingBook {
 public:
  // How many resolved ids are remembered for late answers.
  static constexpr std::size_t kResolvedMemory = 1024;

  void add(Pending p);  // an id already pending is replaced
  // The first answer for `id` wins. Errors: "not_found" (never pending here),
  // "already_resolved" (message says how and by whom).
  core::Result<Resolution> respond(std::string_view id, bool allow, core::ApprovalScope scope, core::Decider by,
                                   std::string message);
  // Removes and returns the approvals whose deadline is at or before `now` (denied, by
  // timeout), soonest deadline first.
  std::vector<Resolution> expire(Clock::time_point now);
  // Removes and returns every pending approval of a session (denied, by `by`), soonest deadline first.
  std::vector<Resolution> cancel_session(std::string_view session_id, core::Decider by, std::string message);
  // Removes one (the provider withdrew the question); nullopt if it was not pending.
  std::optional<Resolution> cancel(std::string_view id, core::Decider by, std::string message);
  std::optional<Clock::time_point> next_deadline() const;
  // Soonest deadline first.
  std::vector<Pending> list() const;
  std::size_t size() const { return pending_.size(); }

 private:
  std::map<std::string, Pending, std::less<>> pending_;
  // Resolved ids (bounded, oldest dropped first) so a late answer gets a clear error.
  std::map<std::string, Resolution, std::less<>> resolved_;
  std::deque<std::string> resolved_order_;

  Resolution resolve(Pending p, bool allow, std::optional<core::ApprovalScope> scope, core::Decider by,
                     std::string message);
};

}  // namespace tether::approvals

#include "core/approval_terms.hpp"

#include "core/name_table.hpp"

namespace tether::core {
namespace {

constexpr auto kDecisions = name_table(std::pair{ApprovalDecision::allow, "allow"}, std::pair{ApprovalDecision::deny, "deny"});

constexpr auto kScopes = name_table(std::pair{ApprovalScope::once, "once"}, std::pair{ApprovalScope::session, "session"},
                                    std::pair{ApprovalScope::always, "always"});

constexpr auto kStatuses = name_table(std::pair{ApprovalStatus::pending, "pending"}, std::pair{ApprovalStatus::allowed, "allowed"},
                                      std::pair{ApprovalStatus::denied, "denied"}, std::pair{ApprovalStatus::expired, "expired"});

using K = Decider::Kind;
constexpr auto kDeciders = name_table(std::pair{K::owner, "owner"}, std::pair{K::timeout, "timeout"},
                                      std::pair{K::provider_exit, "provider_exit"}, std::pair{K::daemon_stop, "daemon_stop"},
                                      std::pair{K::cancelled, "cancelled"}, std::pair{K::agent, "agent"});

}  // namespace

std::string_view to_string(ApprovalDecision decision) { return kDecisions.name(decision); }
std::optional<ApprovalDecision> parse_approval_decision(std::string_view name) { return kDecisions.find(name); }
std::string approval_decision_names() { return kDecisions.list(); }

std::string_view to_string(ApprovalScope scope) { return kScopes.name(scope); }
std::optional<ApprovalScope> parse_approval_scope(std::string_view name) { return kScopes.find(name); }
std::string approval_scope_names() { return kScopes.list(); }

std::string_view to_string(ApprovalStatus status) { return kStatuses.name(status); }
std::optional<ApprovalStatus> parse_approval_status(std::string_view name) { return kStatuses.find(name); }

std::string to_string(const Decider& decider) {
  return decider.kind == K::device ? decider.device_id : std::string(kDeciders.name(decider.kind));
}

std::optional<Decider> parse_decider(std::string_view name) {
  if (name.empty()) return std::nullopt;
  if (auto kind = kDeciders.find(name)) return Decider::of(*kind);
  return Decider::device(std::string(name));
}

}  // namespace tether::core

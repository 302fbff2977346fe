// The words of an approval, each with its one conversion to and from the name it has on
// the wire and in the store: the decision, the scope of an answer, the stored status,
// and who resolved it. The approval logic itself is in approvals/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace tether::core {

// An answer's or a rule's decision.
enum class ApprovalDecision { allow, deny };
std::string_view to_string(ApprovalDecision decision);
std::optional<ApprovalDecision> parse_approval_decision(std::string_view name);
std::string approval_decision_names();  // "allow or deny"
inline ApprovalDecision approval_decision(bool allow) { return allow ? ApprovalDecision::allow : ApprovalDecision::deny; }

// How far an answer reaches: this call, the rest of the session, or a stored rule.
enum class ApprovalScope { once, session, always };
std::string_view to_string(ApprovalScope scope);
std::optional<ApprovalScope> parse_approval_scope(std::string_view name);
std::string approval_scope_names();  // "once, session or always"

// A stored approval's state.
enum class ApprovalStatus { pending, allowed, denied, expired };
std::string_view to_string(ApprovalStatus status);
std::optional<ApprovalStatus> parse_approval_status(std::string_view name);

// Who resolved an approval: a paired device (by its id), the owner, or one of the
// daemon's own reasons. On the wire and in the store it is the device id or the
// reason's name; device ids never take those names.
struct Decider {
  enum class Kind { device, owner, timeout, provider_exit, daemon_stop, cancelled, agent };
  Kind kind = Kind::owner;
  std::string device_id;  // for Kind::device only

  static Decider device(std::string id) { return Decider{Kind::device, std::move(id)}; }
  static Decider of(Kind kind) { return Decider{kind, {}}; }
  bool operator==(const Decider&) const = default;
};
std::string to_string(const Decider& decider);
// Nothing for an empty name; any name that is not a reason is a device id.
std::optional<Decider> parse_decider(std::string_view name);

}  // namespace tether::core

// The vocabulary enums' one conversion each: every value round-trips through its wire
// name, the names are the ones the wire and the store have always used, and nothing else parses.
#include <gtest/gtest.h>

#include "core/approval_terms.hpp"
#include "core/link_states.hpp"
#include "core/provider_type.hpp"
#include "core/session_mode.hpp"
#include "core/session_status.hpp"

namespace tether::core {
namespace {

TEST(SessionStatusNames, RoundTrip) {
  using S = SessionStatus;
  for (auto [value, name] : {std::pair{S::starting, "starting"}, std::pair{S::running, "running"},
                             std::pair{S::waiting_for_approval, "waiting_for_approval"}, std::pair{S::idle, "idle"},
                             std::pair{S::exited, "exited"}, std::pair{S::error, "error"}}) {
    EXPECT_EQ(to_string(value), name);
    EXPECT_EQ(parse_session_status(name), value);
  }
  EXPECT_EQ(parse_session_status("Idle"), std::nullopt);
  EXPECT_EQ(parse_session_status(""), std::nullopt);
  EXPECT_EQ(session_status_names(), "starting, running, waiting_for_approval, idle, exited or error");
}

TEST(SessionModeNames, AutoIsAutomatic) {
  EXPECT_EQ(to_string(SessionMode::ask), "ask");
  EXPECT_EQ(to_string(SessionMode::edits), "edits");
  EXPECT_EQ(to_string(SessionMode::automatic), "auto");
  EXPECT_EQ(parse_session_mode("auto"), SessionMode::automatic);
  EXPECT_EQ(parse_session_mode("automatic"), std::nullopt);
  EXPECT_EQ(session_mode_names(), "ask, edits or auto");
}

TEST(ProviderTypeNames, RoundTrip) {
  using P = ProviderType;
  for (auto [value, name] : {std::pair{P::claude, "claude"}, std::pair{P::codex, "codex"},
                             std::pair{P::opencode, "opencode"}, std::pair{P::terminal, "terminal"}}) {
    EXPECT_EQ(to_string(value), name);
    EXPECT_EQ(parse_provider_type(name), value);
  }
  EXPECT_EQ(parse_provider_type("gpt"), std::nullopt);
  EXPECT_EQ(provider_type_names(), "claude, codex, opencode or terminal");
}

TEST(ApprovalTermNames, DecisionScopeStatus) {
  EXPECT_EQ(to_string(ApprovalDecision::allow), "allow");
  EXPECT_EQ(to_string(ApprovalDecision::deny), "deny");
  EXPECT_EQ(parse_approval_decision("deny"), ApprovalDecision::deny);
  EXPECT_EQ(parse_approval_decision("denied"), std::nullopt);
  EXPECT_EQ(approval_decision(true), ApprovalDecision::allow);
  EXPECT_EQ(approval_decision(false), ApprovalDecision::deny);
  EXPECT_EQ(approval_decision_names(), "allow or deny");

  for (auto [value, name] : {std::pair{ApprovalScope::once, "once"}, std::pair{ApprovalScope::session, "session"},
                             std::pair{ApprovalScope::always, "always"}}) {
    EXPECT_EQ(to_string(value), name);
    EXPECT_EQ(parse_approval_scope(name), value);
  }
  EXPECT_EQ(parse_approval_scope(""), std::nullopt);
  EXPECT_EQ(approval_scope_names(), "once, session or always");

  for (auto [value, name] : {std::pair{ApprovalStatus::pending, "pending"}, std::pair{ApprovalStatus::allowed, "allowed"},
                             std::pair{ApprovalStatus::denied, "denied"}, std::pair{ApprovalStatus::expired, "expired"}}) {
    EXPECT_EQ(to_string(value), name);
    EXPECT_EQ(parse_approval_status(name), value);
  }
  EXPECT_EQ(parse_approval_status("allow"), std::nullopt);
}

TEST(DeciderNames, ReasonsByNameAnythingElseIsADevice) {
  using K = Decider::Kind;
  for (auto [kind, name] : {std::pair{K::owner, "owner"}, std::pair{K::timeout, "timeout"},
                            std::pair{K::provider_exit, "provider_exit"}, std::pair{K::daemon_stop, "daemon_stop"},
                            std::pair{K::cancelled, "cancelled"}, std::pair{K::agent, "agent"}}) {
    EXPECT_EQ(to_string(Decider::of(kind)), name);
    EXPECT_EQ(parse_decider(name), Decider::of(kind));
  }
  EXPECT_EQ(parse_decider("dAbCdEfGhIjKlMnOp"), Decider::device("dAbCdEfGhIjKlMnOp"));
  EXPECT_EQ(to_string(Decider::device("dev_phone")), "dev_phone");
  EXPECT_EQ(parse_decider(""), std::nullopt);
}

TEST(LinkStateNames, RoundTrip) {
  for (auto [value, name] : {std::pair{RelayState::disabled, "disabled"}, std::pair{RelayState::connecting, "connecting"},
                             std::pair{RelayState::connected, "connected"}}) {
    EXPECT_EQ(to_string(value), name);
    EXPECT_EQ(parse_relay_state(name), value);
  }
  EXPECT_EQ(parse_relay_state("up"), std::nullopt);
  for (auto [value, name] : {std::pair{PairingState::open, "open"}, std::pair{PairingState::confirming, "confirming"},
                             std::pair{PairingState::paired, "paired"}, std::pair{PairingState::declined, "declined"},
                             std::pair{PairingState::expired, "expired"}}) {
    EXPECT_EQ(to_string(value), name);
    EXPECT_EQ(parse_pairing_state(name), value);
  }
  EXPECT_EQ(parse_pairing_state("used"), std::nullopt);
}

}  // namespace
}  // namespace tether::core

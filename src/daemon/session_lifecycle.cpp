#include "daemon/session_lifecycle.hpp"

namespace tether::daemon {

using core::SessionStatus;

bool is_live(SessionStatus status) {
  switch (status) {
    case SessionStatus::starting:
    case SessionStatus::running:
    case SessionStatus::waiting_for_approval:
    case SessionStatus::idle: return true;
    case SessionStatus::exited:
    case SessionStatus::error: return false;
  }
  return false;
}

std::optional<SessionStatus> next_status(SessionStatus from, SessionEvent event, SessionFacts facts) {
  switch (event) {
    case SessionEvent::started: return SessionStatus::starting;
    // A question still open keeps the session waiting however its turn goes; its answer
    // then makes it running (turn still on) or idle.
    case SessionEvent::turn_started: return facts.questions_open ? SessionStatus::waiting_for_approval : SessionStatus::running;
    case SessionEvent::turn_finished: return facts.questions_open ? SessionStatus::waiting_for_approval : SessionStatus::idle;
    case SessionEvent::question_asked: return SessionStatus::waiting_for_approval;
    case SessionEvent::question_answered:
      if (from != SessionStatus::waiting_for_approval || facts.questions_open) return std::nullopt;
      return facts.turn_active ? SessionStatus::running : SessionStatus::idle;
    case SessionEvent::failed:
    case SessionEvent::exited_failed: return SessionStatus::error;
    case SessionEvent::exited:
    case SessionEvent::stopped: return SessionStatus::exited;
    case SessionEvent::daemon_restarted: return is_live(from) ? std::optional(SessionStatus::exited) : std::nullopt;
  }
  return std::nullopt;
}

}  // namespace tether::daemon

// A session's status, as one table: what each thing that happens to a session makes of the
// status it had. Pure; SessionManager is the one caller and the one writer of the result.
#pragma once

#include <optional>

#include "core/session_status.hpp"

namespace tether::daemon {

enum class SessionEvent {
  started,            // an agent (or terminal) process was launched for the session
  turn_started,       // the agent began working on a prompt
  turn_finished,      // the agent finished the prompt (with or without an error)
  question_asked,     // a tool call now waits for an answer
  question_answered,  // a waiting tool call was answered (or denied on its behalf)
  failed,             // launching or prompting the agent failed
  exited,             // the process ended as expected (asked to stop, or a terminal's program)
  exited_failed,      // the agent ended with a non-zero status nobody asked for
  stopped,            // stop was asked while nothing ran
  daemon_restarted,   // the daemon found the session live in the store at start
};

// What the session knows besides its status.
struct SessionFacts {
  bool turn_active = false;     // between turn_started and turn_finished
  bool questions_open = false;  // tool calls still waiting for an answer
};

// The status after `event`, or nullopt when the event leaves the status as it was.
std::optional<core::SessionStatus> next_status(core::SessionStatus from, SessionEvent event, SessionFacts facts);

// Whether a session in `status` has (or is about to have) a process: every status but
// exited and error.
bool is_live(core::SessionStatus status);

}  // namespace tether::daemon

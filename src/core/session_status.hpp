// SessionStatus: where a session is in its life, with its one conversion to and from
// the name it has on the wire and in the store. Not the agent's own turn states.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tether::core {

enum class SessionStatus { starting, running, waiting_for_approval, idle, exited, error };

std::string_view to_string(SessionStatus status);
std::optional<SessionStatus> parse_session_status(std::string_view name);
std::string session_status_names();  // "starting, running, … or error", for messages

}  // namespace tether::core

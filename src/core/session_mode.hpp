// SessionMode: how much a session's agent may do without asking (see approvals/engine.hpp),
// with its one conversion to and from its wire/store name ("ask", "edits", "auto").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tether::core {

// ask: every standard/elevated/unknown call asks; edits: standard runs without asking;
// automatic ("auto"): standard and elevated run; unknown always asks.
enum class SessionMode { ask, edits, automatic };

std::string_view to_string(SessionMode mode);
std::optional<SessionMode> parse_session_mode(std::string_view name);
std::string session_mode_names();  // "ask, edits or auto", for messages

}  // namespace tether::core

// The environment an agent runs with: the daemon's own (the user's), minus tether's
// variables. tether holds no provider API key; the agent finds its own credentials.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tether::daemon {

// Whether a variable is tether's and must not reach an agent: every name that starts
// with TETHER_ (TETHER_HOME and any future setting or secret).
bool is_tether_variable(std::string_view name);

// `environ` filtered by is_tether_variable ("NAME=value" each).
std::vector<std::string> agent_environment(char** environ_entries);

}  // namespace tether::daemon

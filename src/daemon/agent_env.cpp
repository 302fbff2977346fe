#include "daemon/agent_env.hpp"

namespace tether::daemon {

bool is_tether_variable(std::string_view name) { return name.starts_with("TETHER_"); }

std::vector<std::string> agent_environment(char** environ_entries) {
  std::vector<std::string> env;
  for (char** e = environ_entries; e && *e; ++e) {
    const std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    if (is_tether_variable(entry.substr(0, eq))) continue;
    env.emplace_back(entry);
  }
  return env;
}

}  // namespace tether::daemon

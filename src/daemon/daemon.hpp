// `tether daemon`: sets up the home, identity, store and local API, then runs
// the event loop until SIGTERM/SIGINT or daemon.shutdown.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace tether::daemon {

struct DaemonOptions {
  std::optional<std::string> home;
  int retention_days = 30;
  bool verbose = false;
};

// Exit codes: 0 clean stop, 1 runtime failure (including "already running"),
// 2 refused to start (loose permissions, corrupt key).
int run_daemon(const DaemonOptions& options);

// Adds the `daemon` subcommand; `exit_code` receives its result.
void register_daemon_command(CLI::App& app, int& exit_code);

}  // namespace tether::daemon

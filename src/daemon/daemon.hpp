// `tether daemon`: sets up the home, identity, store and local API, then runs
// the event loop until SIGTERM/SIGINT or daemon.shutdown.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace tether::daemon {

struct DaemonOptions {
  std::optional<std::string> home;
  int retention_days = 30;
  bool verbose = false;
  // The relay link (docs/cli.md); each overrides $TETHER_HOME/config.json.
  std::optional<std::string> relay_url;
  std::optional<std::string> relay_ca;
  std::optional<double> relay_backoff_max_seconds;
  bool debug_echo_accepts = false;  // tests only: echo every relayed connection's frames
  // Direct mode (docs/cli.md).
  std::string listen = "127.0.0.1:7777";
  bool no_direct = false;
  std::vector<std::string> allow_hosts;
  std::size_t max_connections = 1024;  // lowered to fit the open-file limit (fit_connection_caps)
  std::size_t max_handshakes = 256;    // lowered to half of max_connections
  std::size_t max_handshakes_per_ip = 32;
  double handshake_timeout_seconds = 10;
  std::vector<std::string> pass_env;  // --pass-env: names no agent has withheld (agent_env.hpp)
  std::optional<std::string> web_root;
  // Where pairing links open the app (default: the relay's origin, else the direct listener's).
  std::optional<std::string> app_url;
  // Sessions (docs/cli.md).
  std::string claude_bin = "claude";
  std::string opencode_bin = "opencode";
  std::string codex_bin = "codex";
  int approval_timeout_seconds = 600;
};

// Exit codes: 0 clean stop, 1 runtime failure (including "already running"),
// 2 refused to start (loose permissions, corrupt key).
int run_daemon(const DaemonOptions& options);

// Adds the `daemon` subcommand; `exit_code` receives its result.
void register_daemon_command(CLI::App& app, int& exit_code);

}  // namespace tether::daemon

// `tether relay`: its flags, and running the relay in the foreground until SIGTERM/SIGINT.
#pragma once

namespace CLI {
class App;
}

namespace tether::relay {

// Adds the `relay` subcommand; `exit_code` receives its result
// (0 clean stop, 1 runtime failure such as a busy port, 2 refused to start: bad flags or TLS files).
void register_relay_command(CLI::App& app, int& exit_code);

}  // namespace tether::relay

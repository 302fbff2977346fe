// tether: one binary, many subcommands. This file only dispatches.
#include <csignal>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "core/version.hpp"
#include "daemon/daemon.hpp"
#include "daemon/key_command.hpp"
#include "relay/relay_command.hpp"

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"tether — follow and steer your coding agents from anywhere, end-to-end encrypted", "tether"};
  app.set_version_flag("--version", std::string("tether ") + tether::core::kVersion);
  app.require_subcommand(1);
  // Global options (--home, --host) go before the command or after it, as with docker and
  // kubectl: a command passes the options it does not know on to this one.
  app.fallthrough();
  int exit_code = tether::cli::kExitOk;
  tether::daemon::register_daemon_command(app, exit_code);
  tether::daemon::register_key_command(app, exit_code);
  tether::relay::register_relay_command(app, exit_code);
  tether::cli::register_commands(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (tether::cli::report_unknown_command(app)) return tether::cli::kExitUsage;
    // --help and --version are "errors" with exit code 0; the rest are usage errors.
    return app.exit(e) == 0 ? tether::cli::kExitOk : tether::cli::kExitUsage;
  }
  return exit_code;
}

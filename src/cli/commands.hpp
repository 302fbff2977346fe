// The client subcommands of `tether` (everything but `daemon` and `relay`).
// Each command lives in its own cmd_<name>.cpp with its flags and a run function.
#pragma once

namespace CLI {
class App;
}

namespace tether::cli {

// Exit codes shared by all commands (docs/cli.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

void register_commands(CLI::App& app, int& exit_code);

// After a failed parse: when the first word was no command (`tether stauts`), prints
// `tether: unknown command "stauts" (did you mean "status"?)` to stderr and returns true.
bool report_unknown_command(const CLI::App& app);

void register_status(CLI::App& app, int& exit_code);
void register_pair(CLI::App& app, int& exit_code);
void register_devices(CLI::App& app, int& exit_code);
void register_audit(CLI::App& app, int& exit_code);
void register_remote(CLI::App& app, int& exit_code);
void register_sessions(CLI::App& app, int& exit_code);
void register_approvals(CLI::App& app, int& exit_code);
void register_app_hash(CLI::App& app, int& exit_code);

}  // namespace tether::cli

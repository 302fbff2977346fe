// `tether key rotate [--grace-days 30] [--json]`: see key_command.cpp.
#pragma once

#include <CLI/CLI.hpp>

namespace tether::daemon {

void register_key_command(CLI::App& app, int& exit_code);

}  // namespace tether::daemon

#include "cli/commands.hpp"

namespace tether::cli {

void register_commands(CLI::App& app, int& exit_code) {
  register_status(app, exit_code);
  register_pair(app, exit_code);
  register_devices(app, exit_code);
  register_audit(app, exit_code);
}

}  // namespace tether::cli

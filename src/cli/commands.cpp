#include "cli/commands.hpp"

#include <CLI/CLI.hpp>

#include "cli/local_client.hpp"

namespace tether::cli {

void register_commands(CLI::App& app, int& exit_code) {
  app.add_option_function<std::string>("--host", [](const std::string& name) { set_remote_host(name); },
                                        "Send the command to this paired host (see `tether remote`) instead of the local daemon");
  register_status(app, exit_code);
  register_pair(app, exit_code);
  register_devices(app, exit_code);
  register_audit(app, exit_code);
  register_remote(app, exit_code);
  register_sessions(app, exit_code);
  register_approvals(app, exit_code);
  register_app_hash(app, exit_code);
}

}  // namespace tether::cli

#include "cli/commands.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/local_client.hpp"
#include "cli/nearest_command.hpp"
#include "core/home.hpp"
#include "core/text.hpp"

namespace tether::cli {

void register_commands(CLI::App& app, int& exit_code) {
  app.add_option_function<std::string>("--home", [](const std::string& dir) { core::set_home_before_command(dir); },
                                        "State directory for any command (default: $TETHER_HOME, else ~/.tether); "
                                        "given both, the one after the command wins");
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

bool report_unknown_command(const CLI::App& app) {
  if (!app.get_subcommands().empty()) return false;  // a command was found; the error is in its flags
  const auto rest = app.remaining();
  if (rest.empty() || rest.front().empty() || rest.front().front() == '-') return false;
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
  const std::string typed = core::visible_controls(rest.front(), core::KeepControls::none);
  if (const auto near = nearest_command(rest.front(), names)) {
    std::fprintf(stderr, "tether: unknown command \"%s\" (did you mean \"%s\"?)\n", typed.c_str(), near->c_str());
  } else {
    std::fprintf(stderr, "tether: unknown command \"%s\"\n", typed.c_str());
  }
  std::fprintf(stderr, "Run `tether --help` for the list of commands.\n");
  return true;
}

}  // namespace tether::cli

// `tether devices [list|revoke|mode|rename]`: the paired devices of the local daemon.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/local_client.hpp"
#include "cli/output.hpp"
#include "core/utf8.hpp"

namespace tether::cli {
namespace {

namespace json = boost::json;

struct DevicesOptions {
  std::optional<std::string> home;
  bool json = false;
  std::string id;
  std::string value;  // mode or name
};

int print_list(const DevicesOptions& opts) {
  const auto home = core::resolve_home(opts.home);
  auto reply = call_daemon(home, "device.list");
  if (!reply) return report_failure("devices", home, reply.error(), format_of(opts.json));
  if (opts.json) {
    std::printf("%s\n", json::serialize(*reply).c_str());
    return kExitOk;
  }
  const auto& devices = reply->as_object().at("devices").as_array();
  if (devices.empty()) {
    std::printf("No paired devices. Pair one with `tether pair`.\n");
    return kExitOk;
  }
  std::printf("%-17s %-20s %-9s %-19s %-19s %s\n", "ID", "NAME", "MODE", "CREATED", "LAST SEEN", "STATE");
  for (const auto& v : devices) {
    const auto& d = v.as_object();
    const bool revoked = !d.at("revoked_at").is_null();
    const auto live = int_at(d, "live_connections");
    const auto* pending = d.if_contains("pending");
    const std::string state = revoked                                  ? "revoked"
                              : (pending && pending->is_bool() && pending->as_bool()) ? "pairing (SAS not confirmed)"
                              : live > 0                               ? fmt::format("{} live", live)
                                                                       : "offline";
    std::printf("%-17s %-20s %-9s %-19s %-19s %s\n", string_at(d, "id").c_str(), std::string(core::cut_utf8(string_at(d, "name"), 20)).c_str(),
                string_at(d, "mode").c_str(), format_time_ms(d.if_contains("created_at")).c_str(),
                format_time_ms(d.if_contains("last_seen_at")).c_str(), state.c_str());
  }
  return kExitOk;
}

int change(const DevicesOptions& opts, std::string_view method, json::object params, std::string_view done) {
  const auto home = core::resolve_home(opts.home);
  auto reply = call_daemon(home, method, params);
  if (!reply) return report_failure("devices", home, reply.error(), format_of(opts.json));
  if (opts.json) std::printf("%s\n", json::serialize(*reply).c_str());
  else std::printf("%.*s\n", static_cast<int>(done.size()), done.data());
  return kExitOk;
}

}  // namespace

void register_devices(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<DevicesOptions>();
  auto* cmd = app.add_subcommand("devices", "List and manage paired devices");
  cmd->fallthrough();  // --home and --json may follow the sub-subcommand
  cmd->add_option("--home", opts->home, "State directory (default: $TETHER_HOME, else ~/.tether)");
  cmd->add_flag("--json", opts->json, "Print JSON");
  cmd->callback([opts, &exit_code, cmd] {
    if (cmd->get_subcommands().empty()) exit_code = print_list(*opts);
  });

  auto* revoke = cmd->add_subcommand("revoke", "Refuse a device from now on and close its live connections");
  revoke->add_option("ID", opts->id, "Device id (see `tether devices`)")->required();
  revoke->callback([opts, &exit_code] {
    exit_code = change(*opts, "device.revoke", {{"id", opts->id}}, "Revoked " + opts->id + ".");
  });

  auto* mode = cmd->add_subcommand("mode", "Make a device full or read_only (applies to live connections at once)");
  mode->add_option("ID", opts->id, "Device id")->required();
  mode->add_option("MODE", opts->value, "full or read_only")->required()->check(CLI::IsMember({"full", "read_only"}));
  mode->callback([opts, &exit_code] {
    exit_code = change(*opts, "device.set_mode", {{"id", opts->id}, {"mode", opts->value}},
                       opts->id + " is now " + opts->value + ".");
  });

  auto* rename = cmd->add_subcommand("rename", "Rename a device");
  rename->add_option("ID", opts->id, "Device id")->required();
  rename->add_option("NAME", opts->value, "New name (at most 64 bytes)")->required();
  rename->callback([opts, &exit_code] {
    exit_code = change(*opts, "device.rename", {{"id", opts->id}, {"name", opts->value}},
                       opts->id + " is now called \"" + opts->value + "\".");
  });
}

}  // namespace tether::cli

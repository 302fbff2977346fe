// `tether status [--json]`: is the local daemon running, and what it holds.
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
#include "core/link_states.hpp"

namespace tether::cli {
namespace {

namespace json = boost::json;

struct StatusOptions {
  std::optional<std::string> home;
  bool json = false;
};

// "connected to URL (up 5m02s)", "connecting to URL (for 12s; last error: ...)" or "disabled".
std::string relay_line(const json::object& info) {
  const auto* r = info.if_contains("relay");
  if (!r || !r->is_object()) return "unknown";
  const auto& relay = r->as_object();
  const std::string name = string_at(relay, "state");
  const auto state = core::parse_relay_state(name);
  if (!state || *state == core::RelayState::disabled) {
    return name.empty() || state ? "disabled (set --relay or relay.url in config.json)" : "unknown state " + name;
  }
  const std::string since = format_duration(int_at(relay, "seconds_in_state"));
  if (*state == core::RelayState::connected) return fmt::format("connected to {} (up {})", string_at(relay, "url"), since);
  std::string line = fmt::format("connecting to {} (for {})", string_at(relay, "url"), since);
  if (const auto err = string_at(relay, "last_error"); !err.empty()) line += fmt::format("; last error: {}", err);
  return line;
}

// "ok", or "FAILING since TIME: N event(s) (B bytes) lost so far; last error: ...".
std::string storing_line(const json::object& info) {
  const auto* st = info.if_contains("storing");
  if (!st || !st->is_object()) return "unknown";
  const auto& storing = st->as_object();
  if (bool_at(storing, "ok")) return "ok";
  return fmt::format("FAILING since {}: {} event(s) ({} bytes) lost so far; last error: {}",
                     format_time_ms(storing.if_contains("failing_since")), int_at(storing, "lost_events"),
                     int_at(storing, "lost_bytes"), string_at(storing, "last_error"));
}

int run_status(const StatusOptions& opts) {
  const auto home = core::resolve_home(opts.home);
  auto info = call_daemon(home, "daemon.info");
  if (!info) return report_failure("status", home, info.error(), format_of(opts.json));
  if (opts.json) {
    std::printf("%s\n", json::serialize(*info).c_str());
    return kExitOk;
  }
  const auto& o = info->as_object();
  json::object counts;
  if (const auto* c = o.if_contains("counts"); c && c->is_object()) counts = c->as_object();
  std::printf("tether daemon is running\n");
  std::printf("  id                 %s\n", string_at(o, "daemon_id").c_str());
  if (const auto* r = o.if_contains("key_rotation"); r && r->is_object()) {
    std::printf("  key rotation       devices on %s move to it until %s\n", string_at(r->as_object(), "previous_daemon_id").c_str(),
                format_time_ms(r->as_object().if_contains("deadline")).c_str());
  }
  std::printf("  version            %s\n", string_at(o, "version").c_str());
  std::printf("  pid                %lld\n", static_cast<long long>(int_at(o, "pid")));
  std::printf("  uptime             %s\n", format_duration(int_at(o, "uptime_seconds")).c_str());
  std::printf("  home               %s\n", string_at(o, "home").c_str());
  std::printf("  sessions           %lld\n", static_cast<long long>(int_at(counts, "sessions")));
  std::printf("  devices            %lld\n", static_cast<long long>(int_at(counts, "devices")));
  std::printf("  pending approvals  %lld\n", static_cast<long long>(int_at(counts, "pending_approvals")));
  std::printf("  storing            %s\n", storing_line(o).c_str());
  std::printf("  relay              %s\n", relay_line(o).c_str());
  if (const auto* d = o.if_contains("direct"); d && d->is_object()) {
    const std::string origin = string_at(d->as_object(), "origin");
    std::printf("  direct             %s\n", origin.empty() ? "off" : origin.c_str());
  }
  return kExitOk;
}

}  // namespace

void register_status(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<StatusOptions>();
  auto* cmd = app.add_subcommand("status", "Show whether the local daemon is running and what it holds");
  cmd->add_option("--home", opts->home, "State directory (default: $TETHER_HOME, else ~/.tether)");
  cmd->add_flag("--json", opts->json, "Print daemon.info as JSON");
  cmd->callback([opts, &exit_code] { exit_code = run_status(*opts); });
}

}  // namespace tether::cli

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

namespace tether::cli {
namespace {

namespace json = boost::json;

struct StatusOptions {
  std::optional<std::string> home;
  bool json = false;
};

std::string format_uptime(std::int64_t s) {
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  if (s < 86400) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
  return fmt::format("{}d{:02}h", s / 86400, (s % 86400) / 3600);
}

std::int64_t int_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->as_int64() : (v && v->is_uint64() ? static_cast<std::int64_t>(v->as_uint64()) : 0);
}

std::string str_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

int run_status(const StatusOptions& opts) {
  const auto home = core::resolve_home(opts.home);
  auto info = call_daemon(home, "daemon.info");
  if (!info) {
    if (info.error().code == "not_running") {
      std::fprintf(stderr, "daemon not running — start it with `tether daemon` (looked for %s)\n", home.socket().c_str());
    } else {
      std::fprintf(stderr, "tether status: %s\n", info.error().message.c_str());
    }
    return kExitFailure;
  }
  if (opts.json) {
    std::printf("%s\n", json::serialize(*info).c_str());
    return kExitOk;
  }
  const auto& o = info->as_object();
  json::object counts;
  if (const auto* c = o.if_contains("counts"); c && c->is_object()) counts = c->as_object();
  std::printf("tether daemon is running\n");
  std::printf("  id                 %s\n", str_at(o, "daemon_id").c_str());
  std::printf("  version            %s\n", str_at(o, "version").c_str());
  std::printf("  pid                %lld\n", static_cast<long long>(int_at(o, "pid")));
  std::printf("  uptime             %s\n", format_uptime(int_at(o, "uptime_seconds")).c_str());
  std::printf("  home               %s\n", str_at(o, "home").c_str());
  std::printf("  sessions           %lld\n", static_cast<long long>(int_at(counts, "sessions")));
  std::printf("  devices            %lld\n", static_cast<long long>(int_at(counts, "devices")));
  std::printf("  pending approvals  %lld\n", static_cast<long long>(int_at(counts, "pending_approvals")));
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

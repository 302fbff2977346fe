// `tether audit [--json] [--since] [--before] [--limit]`: the audit trail (pairings, connections,
// revocations, decisions), newest first, a page at a time.
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include "cli/commands.hpp"
#include "cli/local_client.hpp"
#include "cli/output.hpp"

namespace tether::cli {
namespace {

namespace json = boost::json;

struct AuditOptions {
  std::optional<std::string> home;
  bool json = false;
  std::optional<std::int64_t> since_minutes;
  std::optional<std::int64_t> before_id;
  int limit = 1000;
};

int run_audit(const AuditOptions& opts) {
  const auto home = core::resolve_home(opts.home);
  json::object params{{"limit", opts.limit}};
  if (opts.since_minutes) {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    params["since"] = now - *opts.since_minutes * 60'000;
  }
  if (opts.before_id) params["before"] = *opts.before_id;
  auto reply = call_daemon(home, "audit.list", params);
  if (!reply) return report_failure("audit", home, reply.error(), format_of(opts.json));
  if (opts.json) {
    std::printf("%s\n", json::serialize(*reply).c_str());
    return kExitOk;
  }
  const auto& entries = reply->as_object().at("entries").as_array();
  for (const auto& v : entries) {
    const auto& e = v.as_object();
    std::printf("%-6lld %s  %-18s %-14s %-16s %s\n", static_cast<long long>(int_at(e, "id")),
                format_time_ms(e.if_contains("time")).c_str(), string_at(e, "actor").c_str(), string_at(e, "action").c_str(),
                string_at(e, "target").c_str(), json::serialize(e.at("detail")).c_str());
  }
  if (const auto* more = reply->as_object().if_contains("more"); more && more->is_bool() && more->as_bool() && !entries.empty()) {
    std::fprintf(stderr, "older entries: tether audit --before %lld\n",
                 static_cast<long long>(int_at(entries.back().as_object(), "id")));
  }
  return kExitOk;
}

}  // namespace

void register_audit(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<AuditOptions>();
  auto* cmd = app.add_subcommand("audit", "Show the audit trail, newest first: pairings, connections, revocations, decisions");
  cmd->add_option("--home", opts->home, "State directory (default: $TETHER_HOME, else ~/.tether)");
  cmd->add_flag("--json", opts->json, "Print JSON");
  cmd->add_option("--since", opts->since_minutes, "Only the last N minutes")->check(CLI::PositiveNumber);
  cmd->add_option("--before", opts->before_id, "Only entries older than entry ID (the next page)")->check(CLI::PositiveNumber);
  cmd->add_option("--limit", opts->limit, "At most this many entries, the newest")->check(CLI::Range(1, 10000))->capture_default_str();
  cmd->callback([opts, &exit_code] { exit_code = run_audit(*opts); });
}

}  // namespace tether::cli

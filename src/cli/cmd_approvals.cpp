// Approvals from the CLI: `approvals` (the inbox), `approve`, `deny`, and `rules`.
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
#include "core/approval_terms.hpp"
#include "core/utf8.hpp"

namespace tether::cli {
namespace {

namespace json = boost::json;

struct ApprovalOptions {
  std::optional<std::string> home;
  bool json = false;
  std::string id;
  bool session = false;
  bool always = false;
  std::optional<std::string> prefix;
  std::string message;
  std::int64_t rule_id = 0;
};

std::string input_summary(const json::object& a) {
  const auto* in = a.if_contains("input");
  if (!in || !in->is_object()) return "";
  const auto& input = in->as_object();
  for (const char* key : {"command", "file_path", "path"}) {
    if (auto v = string_at(input, key); !v.empty()) return std::string(core::cut_utf8(v, 80));
  }
  return std::string(core::cut_utf8(json::serialize(input), 80));
}

int list(const ApprovalOptions& opts) {
  const auto home = core::resolve_home(opts.home);
  auto reply = call_daemon(home, "approval.list");
  if (!reply) return report_failure("approvals", home, reply.error(), format_of(opts.json));
  if (opts.json) {
    std::printf("%s\n", json::serialize(*reply).c_str());
    return kExitOk;
  }
  const auto& approvals = reply->as_object().at("approvals").as_array();
  if (approvals.empty()) {
    std::printf("No pending approvals.\n");
    return kExitOk;
  }
  std::printf("%-14s %-14s %-10s %-9s %-19s %s\n", "ID", "SESSION", "TOOL", "TIER", "ASKED", "WHAT");
  for (const auto& v : approvals) {
    const auto& a = v.as_object();
    std::printf("%-14s %-14s %-10s %-9s %-19s %s\n", string_at(a, "id").c_str(), string_at(a, "session").c_str(),
                string_at(a, "tool").c_str(), string_at(a, "tier").c_str(), format_time_ms(a.if_contains("created")).c_str(),
                input_summary(a).c_str());
  }
  return kExitOk;
}

int respond(const ApprovalOptions& opts, bool allow) {
  const auto home = core::resolve_home(opts.home);
  const auto scope_asked = opts.always ? core::ApprovalScope::always : opts.session ? core::ApprovalScope::session
                                                                                    : core::ApprovalScope::once;
  json::object params{{"id", opts.id}, {"decision", core::to_string(core::approval_decision(allow))},
                      {"scope", core::to_string(scope_asked)}};
  if (!opts.message.empty()) params["message"] = opts.message;
  if (opts.prefix) params["prefix"] = *opts.prefix;
  auto reply = call_daemon(home, "approval.respond", params);
  if (!reply) return report_failure(allow ? "approve" : "deny", home, reply.error(), format_of(opts.json));
  if (opts.json) {
    std::printf("%s\n", json::serialize(*reply).c_str());
  } else {
    const std::string scope = opts.always ? " (always, in this directory)" : opts.session ? " (for this session)" : "";
    std::printf("%s %s%s.\n", allow ? "Allowed" : "Denied", opts.id.c_str(), scope.c_str());
  }
  return kExitOk;
}

int list_rules(const ApprovalOptions& opts) {
  const auto home = core::resolve_home(opts.home);
  auto reply = call_daemon(home, "rule.list");
  if (!reply) return report_failure("rules", home, reply.error(), format_of(opts.json));
  if (opts.json) {
    std::printf("%s\n", json::serialize(*reply).c_str());
    return kExitOk;
  }
  const auto& rules = reply->as_object().at("rules").as_array();
  if (rules.empty()) {
    std::printf("No rules. `tether approve ID --always` adds one.\n");
    return kExitOk;
  }
  std::printf("%-5s %-6s %-12s %-30s %s\n", "ID", "RULE", "TOOL", "PATTERN", "DIRECTORY");
  for (const auto& v : rules) {
    const auto& r = v.as_object();
    const std::string pattern = string_at(r, "pattern");
    std::printf("%-5lld %-6s %-12s %-30s %s\n", static_cast<long long>(int_at(r, "id")), string_at(r, "decision").c_str(),
                string_at(r, "tool").c_str(), pattern.empty() ? "(any)" : pattern.c_str(), string_at(r, "dir").c_str());
  }
  return kExitOk;
}

void add_common(CLI::App* cmd, ApprovalOptions& o) {
  cmd->add_option("--home", o.home, "State directory (default: $TETHER_HOME, else ~/.tether)");
  cmd->add_flag("--json", o.json, "Print JSON");
}

}  // namespace

void register_approvals(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ApprovalOptions>();

  auto* inbox = app.add_subcommand("approvals", "Pending approvals across all sessions, newest first");
  add_common(inbox, *o);
  inbox->callback([o, &exit_code] { exit_code = list(*o); });

  auto* approve = app.add_subcommand("approve", "Allow a pending tool call");
  add_common(approve, *o);
  approve->add_option("ID", o->id, "Approval id (see `tether approvals`)")->required();
  auto* session = approve->add_flag("--session", o->session, "Also allow the same call for the rest of this session");
  auto* always = approve->add_flag("--always", o->always, "Store a rule: allow the same call in this project directory from now on");
  session->excludes(always);
  approve->add_option("--prefix", o->prefix, "With --session/--always for a shell command: allow every command starting with this");
  approve->callback([o, &exit_code] { exit_code = respond(*o, true); });

  auto* deny = app.add_subcommand("deny", "Deny a pending tool call (the agent is told why)");
  add_common(deny, *o);
  deny->add_option("ID", o->id, "Approval id")->required();
  deny->add_option("-m,--message", o->message, "What the agent is told");
  deny->add_flag("--always", o->always, "Store a rule: deny the same call in this project directory from now on");
  deny->callback([o, &exit_code] { exit_code = respond(*o, false); });

  auto* rules = app.add_subcommand("rules", "Stored approval rules");
  add_common(rules, *o);
  rules->fallthrough();
  rules->callback([o, &exit_code, rules] {
    if (rules->get_subcommands().empty()) exit_code = list_rules(*o);
  });
  auto* rm = rules->add_subcommand("rm", "Delete a rule");
  rm->add_option("ID", o->rule_id, "Rule id (see `tether rules`)")->required();
  rm->callback([o, &exit_code] {
    const auto home = core::resolve_home(o->home);
    auto reply = call_daemon(home, "rule.delete", json::object{{"id", o->rule_id}});
    if (!reply) {
      exit_code = report_failure("rules rm", home, reply.error());
      return;
    }
    std::printf("Deleted rule %lld.\n", static_cast<long long>(o->rule_id));
  });
}

}  // namespace tether::cli

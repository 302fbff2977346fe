// Sessions from the CLI: `run`, `ls`, `attach`, `send`, `interrupt`, `stop`, `mode`, `logs`.
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/event_printer.hpp"
#include "cli/local_client.hpp"
#include "cli/output.hpp"
#include "cli/session_stream.hpp"
#include "cli/terminal_attach.hpp"
#include "core/provider_type.hpp"
#include "core/session_status.hpp"

namespace tether::cli {
namespace {

namespace json = boost::json;

struct SessionOptions {
  std::optional<std::string> home;
  bool json = false;
  std::string id;
  std::string text;
  std::vector<std::string> args;  // run: the prompt (claude) or, after --, the command (terminal)
  // run
  std::string provider = "claude";
  std::string cwd;
  std::string mode = "ask";
  std::string model;
  std::string name;
  bool detach = false;
  bool follow = false;
  // attach / logs
  std::int64_t since = 0;
  bool until_idle = false;
  int limit = 200;
};

// The agent is done for now: its turn ended, or it is gone.
bool is_terminal_status(std::optional<core::SessionStatus> s) {
  return s == core::SessionStatus::idle || s == core::SessionStatus::exited || s == core::SessionStatus::error;
}

bool is_terminal_provider(std::string_view provider) {
  return core::parse_provider_type(provider) == core::ProviderType::terminal;
}

// Follows a session, printing events. With `until_idle` it returns once the history is
// replayed and the agent is idle, exited or failed (exit 1 for a failure). `--json`
// prints each event notification's params.
int follow(const SessionOptions& opts, const std::string& id, std::int64_t since, bool until_idle) {
  const auto home = core::resolve_home(opts.home);
  EventPrinter printer(stdout, ::isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr);
  std::optional<core::SessionStatus> last_status;
  bool turn_error = false;
  bool caught_up = false;
  bool overflowed = false;
  bool finished = false;
  std::int64_t subscribed_last = 0;
  bool heard = false;  // since the last (re)connection
  auto on_message = [&](const json::object& msg) {
    heard = true;
    if (const auto* r = msg.if_contains("result"); r && r->is_object()) {
      subscribed_last = int_at(r->as_object(), "last_seq");
      caught_up = since >= subscribed_last;
      return true;
    }
    const std::string method = string_at(msg, "method");
    const auto* p = msg.if_contains("params");
    if (!p || !p->is_object()) return true;
    const auto& params = p->as_object();
    if (method == "session.overflow") {
      std::fprintf(stderr, "tether: fell behind the session; catching up from seq %lld\n",
                   static_cast<long long>(int_at(params, "last_seq")));
      overflowed = true;
      return false;
    }
    if (method != "session.event") return true;
    if (opts.json) {
      std::printf("%s\n", json::serialize(params).c_str());
      std::fflush(stdout);
    } else {
      printer.print(params);
    }
    since = int_at(params, "seq");
    if (string_at(params, "kind") == "status") {
      const auto* d = params.if_contains("data");
      last_status = d && d->is_object() ? core::parse_session_status(string_at(d->as_object(), "status")) : std::nullopt;
      turn_error = d && d->is_object() && d->as_object().contains("turn_error");
    }
    if (since >= subscribed_last) caught_up = true;
    if (until_idle && caught_up && is_terminal_status(last_status)) {
      finished = true;
      return false;
    }
    return true;
  };
  // A lost connection to a remote host (a relay restart, the network) is followed again
  // from the last seq, for up to kResumeFor; a revocation or the daemon stopping ends it.
  constexpr auto kResumeFor = std::chrono::seconds(120);
  std::optional<std::chrono::steady_clock::time_point> lost_at;
  auto backoff = std::chrono::milliseconds(250);
  for (;;) {
    overflowed = false;
    heard = false;
    auto r = follow_session(home, id, since, on_message);
    if (heard) lost_at.reset();
    if (r) {
      if (overflowed) continue;
      break;
    }
    const auto code = r.error().code;
    const bool resumable = current_remote_host() && (code == core::Errc::closed || code == core::Errc::connect || code == core::Errc::timeout);
    const auto now = std::chrono::steady_clock::now();
    if (resumable && code == core::Errc::closed) {
      // It was following: the loss starts now (a reconnect that failed keeps the first).
      if (!lost_at) {
        std::fprintf(stderr, "tether: %s; reconnecting to follow from seq %lld\n", r.error().message.c_str(), static_cast<long long>(since));
        lost_at = now;
        backoff = std::chrono::milliseconds(250);
      }
    }
    if (!resumable || !lost_at || now - *lost_at > kResumeFor) {
      if (lost_at && resumable) r = core::make_error(code, r.error().message + " (gave up reconnecting after 120 s)");
      return report_failure("attach", home, r.error(), format_of(opts.json));
    }
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
  }
  return finished && (last_status == core::SessionStatus::error || turn_error) ? kExitFailure : kExitOk;
}

bool interactive() { return ::isatty(STDIN_FILENO) != 0 && ::isatty(STDOUT_FILENO) != 0; }

int run_session(const SessionOptions& opts) {
  const auto home = core::resolve_home(opts.home);
  std::error_code ec;
  const std::string cwd = opts.cwd.empty() ? std::filesystem::current_path(ec).string()
                                           : std::filesystem::absolute(opts.cwd, ec).string();
  const bool terminal = is_terminal_provider(opts.provider);
  json::object params{{"provider", opts.provider}, {"cwd", cwd}, {"mode", opts.mode}};
  if (terminal) {
    if (!opts.args.empty()) params["command"] = json::array(opts.args.begin(), opts.args.end());
    winsize ws{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
      params["cols"] = ws.ws_col;
      params["rows"] = ws.ws_row;
    }
  } else {
    if (opts.args.empty()) {
      std::fprintf(stderr, "tether run: a prompt is needed (tether run \"what to do\")\n");
      return kExitUsage;
    }
    std::string prompt;
    for (const auto& a : opts.args) prompt += (prompt.empty() ? "" : " ") + a;
    params["prompt"] = prompt;
  }
  if (!opts.model.empty()) params["model"] = opts.model;
  if (!opts.name.empty()) params["name"] = opts.name;
  auto reply = call_daemon(home, "session.create", params, std::chrono::seconds(30));
  if (!reply) return report_failure("run", home, reply.error(), format_of(opts.json));
  const std::string id = string_at(reply->as_object(), "id");
  if (opts.detach) {
    if (opts.json) std::printf("%s\n", json::serialize(*reply).c_str());
    else std::printf("%s\n", id.c_str());
    return kExitOk;
  }
  if (terminal && interactive() && !opts.json && !current_remote_host()) return attach_terminal(home, id);
  if (!opts.json) std::fprintf(stderr, "session %s (detach with Ctrl-C; it keeps running: `tether attach %s`)\n", id.c_str(), id.c_str());
  return follow(opts, id, 0, !opts.follow);
}

int list_sessions(const SessionOptions& opts) {
  const auto home = core::resolve_home(opts.home);
  auto reply = call_daemon(home, "session.list", json::object{{"limit", opts.limit}});
  if (!reply) return report_failure("ls", home, reply.error(), format_of(opts.json));
  if (opts.json) {
    std::printf("%s\n", json::serialize(*reply).c_str());
    return kExitOk;
  }
  const auto& sessions = reply->as_object().at("sessions").as_array();
  if (sessions.empty()) {
    std::printf("No sessions. Start one with `tether run \"prompt\"`.\n");
    return kExitOk;
  }
  std::printf("%-14s %-8s %-21s %-6s %-19s %s\n", "ID", "PROVIDER", "STATUS", "MODE", "ACTIVE", "DIRECTORY");
  for (const auto& v : sessions) {
    const auto& s = v.as_object();
    std::string status = string_at(s, "status");
    if (const auto n = int_at(s, "pending_approvals"); n > 0) status += fmt::format(" ({}?)", n);
    if (bool_at(s, "storing_failed")) status += " (output lost)";
    std::printf("%-14s %-8s %-21s %-6s %-19s %s\n", string_at(s, "id").c_str(), string_at(s, "provider").c_str(),
                status.c_str(), string_at(s, "mode").c_str(), format_time_ms(s.if_contains("updated")).c_str(),
                string_at(s, "cwd").c_str());
  }
  return kExitOk;
}

int print_logs(const SessionOptions& opts) {
  const auto home = core::resolve_home(opts.home);
  EventPrinter printer(stdout, ::isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr);
  std::int64_t since = opts.since;
  for (;;) {
    // A page is bounded by bytes as well as count: follow `more` from `since`.
    auto reply = call_daemon(home, "session.events", json::object{{"session", opts.id}, {"since", since}, {"limit", 1000}});
    if (!reply) return report_failure("logs", home, reply.error(), format_of(opts.json));
    const auto& page = reply->as_object();
    for (const auto& v : page.at("events").as_array()) {
      json::object e = v.as_object();
      e["session"] = opts.id;
      if (opts.json) std::printf("%s\n", json::serialize(e).c_str());
      else printer.print(e);
    }
    const auto* more = page.if_contains("more");
    if (!more || !more->is_bool() || !more->as_bool()) break;
    const std::int64_t next = int_at(page, "since");
    if (next <= since) break;  // a page that does not move on would loop
    since = next;
  }
  return kExitOk;
}

int action(const SessionOptions& opts, std::string_view command, std::string_view method, json::object params,
           const std::string& done) {
  const auto home = core::resolve_home(opts.home);
  auto reply = call_daemon(home, method, params, std::chrono::seconds(30));
  if (!reply) return report_failure(command, home, reply.error(), format_of(opts.json));
  if (opts.json) std::printf("%s\n", json::serialize(*reply).c_str());
  else std::printf("%s\n", done.c_str());
  return kExitOk;
}

void add_common(CLI::App* cmd, SessionOptions& o, bool json = true) {
  cmd->add_option("--home", o.home, "State directory (default: $TETHER_HOME, else ~/.tether)");
  if (json) cmd->add_flag("--json", o.json, "Print JSON");
}

}  // namespace

void register_sessions(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<SessionOptions>();

  auto* run = app.add_subcommand("run", "Start an agent session with a prompt and follow it until the turn ends "
                                         "(--provider terminal: a program in a terminal, attached)");
  add_common(run, *o);
  // One string, not a vector: CLI11 would read "[...]" in a vector's items as a list.
  run->add_option("PROMPT", o->text, "The first prompt; for a terminal, the command after -- (default $SHELL)");
  run->allow_extras();       // a terminal's command arguments,
  run->fallthrough(false);  // its own: so --host goes before `run` (its --home is its own flag)
  run->add_option("--provider", o->provider, "claude, codex, opencode, or terminal")->capture_default_str()->check(CLI::IsMember({"claude", "codex", "opencode", "terminal"}));
  run->add_option("--cwd", o->cwd, "Working directory (default: the current one)");
  run->add_option("--mode", o->mode, "Approvals: ask (every risky call), edits (file edits run), auto (edits and shell run)")
      ->capture_default_str()
      ->check(CLI::IsMember({"ask", "edits", "auto"}));
  run->add_option("--model", o->model, "Model name passed to the agent");
  run->add_option("--name", o->name, "A name for the session");
  run->add_flag("--detach,-d", o->detach, "Print the session id and return at once");
  run->add_flag("--follow,-f", o->follow, "Stay attached after the turn ends (Ctrl-C detaches)");
  run->callback([o, &exit_code, run] {
    o->args.clear();
    if (!o->text.empty()) o->args.push_back(o->text);
    auto extras = run->remaining();
    if (!extras.empty() && extras.front() == "--") extras.erase(extras.begin());  // CLI11 keeps the separator
    o->args.insert(o->args.end(), extras.begin(), extras.end());
    if (!is_terminal_provider(o->provider) && o->args.size() > 1) {
      std::fprintf(stderr, "tether run: give the prompt as one argument (in quotes)\n");
      exit_code = kExitUsage;
      return;
    }
    exit_code = run_session(*o);
  });

  auto* ls = app.add_subcommand("ls", "List sessions, most recently active first");
  add_common(ls, *o);
  ls->add_option("--limit", o->limit, "At most this many")->check(CLI::Range(1, 10000));
  ls->callback([o, &exit_code] { exit_code = list_sessions(*o); });

  auto* attach = app.add_subcommand("attach", "Follow a session live (Ctrl-C detaches; the agent keeps running)");
  add_common(attach, *o);
  attach->add_option("ID", o->id, "Session id (see `tether ls`)")->required();
  attach->add_option("--since", o->since, "Replay the events after this seq first (default 0: the whole history)");
  attach->add_flag("--until-idle", o->until_idle, "Return when the agent finishes its turn");
  attach->callback([o, &exit_code] {
    // A terminal session in a real terminal: raw mode, keystrokes, resize.
    if (!o->json && !current_remote_host() && interactive()) {
      const auto home = core::resolve_home(o->home);
      auto s = call_daemon(home, "session.get", json::object{{"session", o->id}});
      if (s && is_terminal_provider(string_at(s->as_object(), "provider"))) {
        exit_code = attach_terminal(home, o->id);
        return;
      }
    }
    exit_code = follow(*o, o->id, o->since, o->until_idle);
  });

  auto* logs = app.add_subcommand("logs", "Print a session's event history and return");
  add_common(logs, *o);
  logs->add_option("ID", o->id, "Session id")->required();
  logs->add_option("--since", o->since, "Only events after this seq");
  logs->callback([o, &exit_code] { exit_code = print_logs(*o); });

  auto* send = app.add_subcommand("send", "Send the next prompt to a session (resumes it if it had ended)");
  add_common(send, *o);
  send->add_option("ID", o->id, "Session id")->required();
  send->add_option("TEXT", o->text, "The prompt")->required();
  send->callback([o, &exit_code] {
    exit_code = action(*o, "send", "session.send", {{"session", o->id}, {"text", o->text}}, "Sent.");
  });

  auto* interrupt = app.add_subcommand("interrupt", "Interrupt the agent's current turn");
  add_common(interrupt, *o);
  interrupt->add_option("ID", o->id, "Session id")->required();
  interrupt->callback([o, &exit_code] {
    exit_code = action(*o, "interrupt", "session.interrupt", {{"session", o->id}}, "Interrupted.");
  });

  auto* stop = app.add_subcommand("stop", "End a session's agent (history is kept; `send` resumes it)");
  add_common(stop, *o);
  stop->add_option("ID", o->id, "Session id")->required();
  stop->callback([o, &exit_code] { exit_code = action(*o, "stop", "session.stop", {{"session", o->id}}, "Stopping."); });

  auto* mode = app.add_subcommand("mode", "Set a session's approval mode");
  add_common(mode, *o);
  mode->add_option("ID", o->id, "Session id")->required();
  mode->add_option("MODE", o->mode, "ask, edits or auto")->required()->check(CLI::IsMember({"ask", "edits", "auto"}));
  mode->callback([o, &exit_code] {
    exit_code = action(*o, "mode", "session.set_mode", {{"session", o->id}, {"mode", o->mode}}, "Mode is now " + o->mode + ".");
  });
}

}  // namespace tether::cli

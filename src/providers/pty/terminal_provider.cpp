#include "providers/pty/terminal_provider.hpp"

#include <signal.h>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "core/encoding.hpp"
#include "core/env.hpp"
#include "net/child_process.hpp"

namespace tether::providers::pty {

namespace json = boost::json;
using core::env_value;

namespace {

int size_option(const json::object& options, std::string_view key, int fallback) {
  const auto* v = options.if_contains(key);
  return v && v->is_int64() && v->as_int64() >= 1 && v->as_int64() <= 1000 ? static_cast<int>(v->as_int64()) : fallback;
}

}  // namespace

core::Result<std::vector<std::string>> terminal_command(const json::object& options, const std::vector<std::string>& env) {
  if (const auto* c = options.if_contains("command")) {
    if (!c->is_array() || c->as_array().empty()) return core::make_error(core::Errc::invalid_params, "command must be a non-empty array of strings");
    std::vector<std::string> argv;
    for (const auto& a : c->as_array()) {
      if (!a.is_string()) return core::make_error(core::Errc::invalid_params, "command must be a non-empty array of strings");
      argv.emplace_back(a.as_string());
    }
    return argv;
  }
  const std::string shell = env_value(env, "SHELL");
  return std::vector<std::string>{shell.empty() ? "/bin/sh" : shell};
}

core::Result<void> check_terminal_options(const json::object& options, const std::vector<std::string>& env,
                                          const std::string& cwd) {
  auto argv = terminal_command(options, env);
  if (!argv) return argv.error();
  const std::string& program = argv->front();
  // A relative path is the session directory's, as the program will start there.
  const bool relative = program.find('/') != std::string::npos && program.front() != '/';
  if (net::find_executable(relative ? cwd + "/" + program : program, env_value(env, "PATH")).empty()) {
    return core::make_error(core::Errc::invalid_params,
                            fmt::format("cannot run \"{}\": no such executable (looked {})", program,
                                        program.find('/') == std::string::npos ? "on the PATH" : "at that path"));
  }
  return {};
}

ProviderKind terminal_kind(TerminalConfig config) {
  return {.type = core::ProviderType::terminal,
          .check = [](const std::vector<std::string>&) -> core::Result<void> { return {}; },
          .check_options = check_terminal_options,
          .make = provider_maker<TerminalProvider>(config),
          .takes_prompts = false};
}

// A terminal hangs up first, as when its window closes; then SIGTERM, then SIGKILL.
TerminalProvider::TerminalProvider(net::Runtime& runtime, TerminalConfig config, LaunchSpec spec, ProviderEvents& events)
    : runtime_(runtime), config_(config), spec_(std::move(spec)), events_(events),
      process_(runtime_, {{SIGHUP, SIGTERM}, config_.stop_grace}) {}

TerminalProvider::~TerminalProvider() {
  cancel_timers();  // then process_ kills the process group if it still runs
}

void TerminalProvider::cancel_timers() {
  if (cancel_flush_) std::exchange(cancel_flush_, nullptr)();
}

bool TerminalProvider::running() const { return process_.running(); }

core::Result<void> TerminalProvider::start() {
  if (running()) return {};
  auto argv = terminal_command(spec_.options, spec_.env);
  if (!argv) return argv.error();
  auto env = spec_.env;
  if (env_value(env, "TERM").empty()) env.emplace_back("TERM=xterm-256color");
  net::ChildSpec child_spec;
  child_spec.argv = *argv;
  child_spec.cwd = spec_.cwd;
  child_spec.env = std::move(env);
  child_spec.pty = net::ChildSpec::Size{size_option(spec_.options, "cols", 80), size_option(spec_.options, "rows", 24)};
  common::AgentProcess::Handlers handlers;
  handlers.on_output = [this](std::string_view bytes) { on_output(bytes); };
  handlers.on_exit = [this](int status) {
    flush();
    cancel_timers();
    events_.exited(status, "");
  };
  if (auto ok = process_.spawn(std::move(child_spec), std::move(handlers)); !ok) return ok;
  events_.event("terminal_started", json::object{{"command", json::array(argv->begin(), argv->end())},
                                                 {"cols", size_option(spec_.options, "cols", 80)},
                                                 {"rows", size_option(spec_.options, "rows", 24)}});
  events_.turn_started();
  return {};
}

void TerminalProvider::on_output(std::string_view bytes) {
  while (!bytes.empty()) {
    const std::size_t take = std::min(bytes.size(), config_.chunk_bytes - pending_.size());
    pending_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (pending_.size() >= config_.chunk_bytes) flush();
  }
  if (!pending_.empty() && !cancel_flush_) {
    cancel_flush_ = runtime_.after(config_.coalesce, [this] {
      cancel_flush_ = nullptr;
      flush();
    });
  }
}

void TerminalProvider::flush() {
  if (cancel_flush_) std::exchange(cancel_flush_, nullptr)();
  if (pending_.empty()) return;
  const std::string chunk = std::exchange(pending_, {});
  events_.event("terminal_output",
                json::object{{"data", core::base64url_encode({reinterpret_cast<const std::uint8_t*>(chunk.data()), chunk.size()})}});
}

core::Result<void> TerminalProvider::input(std::string_view bytes) {
  if (!running()) return core::make_error(core::Errc::not_running, "the terminal's program has exited");
  process_.write(std::string(bytes));
  return {};
}

core::Result<void> TerminalProvider::send(std::string_view text) {
  if (!running()) return core::make_error(core::Errc::not_running, "the terminal's program has exited; start a new session");
  return input(std::string(text) + "\r");
}

core::Result<void> TerminalProvider::interrupt() { return input("\x03"); }

core::Result<void> TerminalProvider::resize(int cols, int rows) {
  if (!running()) return core::make_error(core::Errc::not_running, "the terminal's program has exited");
  if (cols < 1 || rows < 1 || cols > 1000 || rows > 1000) return core::make_error(core::Errc::invalid_params, "cols and rows must be 1..1000");
  if (!process_.resize(cols, rows)) return core::make_error(core::Errc::io, "the terminal could not be resized");
  events_.event("terminal_resize", json::object{{"cols", cols}, {"rows", rows}});
  return {};
}

void TerminalProvider::stop() { process_.stop(); }

void TerminalProvider::terminate() { process_.terminate(); }

}  // namespace tether::providers::pty

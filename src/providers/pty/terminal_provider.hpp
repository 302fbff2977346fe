// The terminal provider: any program (default the user's $SHELL) in a pseudo-terminal.
// Its output becomes terminal_output events (raw bytes, base64url, in chunks of at most
// 4 KiB or 20 ms), so the event log is the scrollback a late device replays; devices
// type with terminal.input and size the window with terminal.resize.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "net/runtime.hpp"
#include "providers/common/agent_process.hpp"
#include "providers/provider.hpp"

namespace tether::providers::pty {

struct TerminalConfig {
  std::size_t chunk_bytes = 4096;
  std::chrono::milliseconds coalesce{20};
  std::chrono::milliseconds stop_grace{2000};  // SIGHUP → SIGTERM → SIGKILL, this long apart
};

class TerminalProvider final : public Provider {
 public:
  TerminalProvider(net::Runtime& runtime, TerminalConfig config, LaunchSpec spec, ProviderEvents& events);
  ~TerminalProvider() override;

  core::Result<void> start() override;
  // A line typed and Enter.
  core::Result<void> send(std::string_view text) override;
  // Ctrl-C.
  core::Result<void> interrupt() override;
  void answer(std::string_view, const ToolAnswer&) override {}
  void stop() override;
  void terminate() override;
  bool running() const override;
  core::Result<void> input(std::string_view bytes) override;
  core::Result<void> resize(int cols, int rows) override;

 private:
  void on_output(std::string_view bytes);
  void flush();
  void cancel_timers();

  net::Runtime& runtime_;
  TerminalConfig config_;
  LaunchSpec spec_;
  ProviderEvents& events_;
  common::AgentProcess process_;
  std::string pending_;
  std::function<void()> cancel_flush_;
};

// The command a terminal session runs: options.command (a non-empty array of strings),
// else $SHELL from the environment, else /bin/sh. Error "invalid_params" for a bad command.
core::Result<std::vector<std::string>> terminal_command(const boost::json::object& options, const std::vector<std::string>& env);
// Whether a terminal can start with `options`: its command well formed and its program found
// (on the PATH from `env`, or at its path; a relative one in `cwd`).
core::Result<void> check_terminal_options(const boost::json::object& options, const std::vector<std::string>& env,
                                          const std::string& cwd);

// "terminal": the kind the daemon registers.
ProviderKind terminal_kind(TerminalConfig config);

}  // namespace tether::providers::pty

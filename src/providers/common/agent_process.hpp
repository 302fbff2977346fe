// An agent's process as every provider runs it (a net::ChildProcess underneath): found on the
// agents' PATH or reported missing with how to install it, spawned with the session's
// directory and environment, stdout by line (or raw from a terminal), the end of stderr kept
// to say why it failed, and ended in steps. What the agent says is the provider's business.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "net/child_process.hpp"
#include "net/runtime.hpp"

namespace tether::providers::common {

// An agent's command-line program, as the message for a missing one names it.
struct AgentCli {
  std::string_view title;        // "Claude Code CLI"
  std::string_view npm_package;  // "@anthropic-ai/claude-code"
  std::string_view flag;         // the daemon's option for the program's path, "--claude-bin"
  std::string_view flag_note;    // said after that option, or ""
};

// `bin` (a path, or a name on the PATH of `env`) as the file to run, or error "provider_missing"
// saying how to install it.
core::Result<std::string> locate(const AgentCli& cli, const std::string& bin, const std::vector<std::string>& env);

// A ProviderKind::check: can `locate` find `bin` with the agents' environment?
std::function<core::Result<void>(const std::vector<std::string>& env)> installed_check(AgentCli cli, std::string bin);

// How an agent is asked to end, gentlest first; SIGKILL always comes last.
struct Ending {
  std::vector<int> steps;          // 0 closes stdin; any other is a signal to the process group
  std::chrono::milliseconds grace;
};

class AgentProcess {
 public:
  struct Handlers {
    std::function<void(std::string_view line)> on_line;           // pipes: each line of stdout
    std::function<void(std::string_view bytes)> on_output;        // a terminal: its output as it comes
    std::function<void(std::size_t dropped_bytes)> on_overlong;   // a stdout line over the limit, dropped
    std::function<void(int status)> on_exit;                      // `status` as in net::ChildProcess
  };

  AgentProcess(net::Runtime& runtime, Ending ending);
  // Kills the process group if it still runs; no handler runs after this.
  ~AgentProcess();
  AgentProcess(const AgentProcess&) = delete;
  AgentProcess& operator=(const AgentProcess&) = delete;

  // Starts `spec` in place of an exited process. Errors: "provider_missing" (argv[0] is not
  // there), "spawn" (anything else).
  core::Result<void> spawn(net::ChildSpec spec, Handlers handlers);
  bool running() const;
  // stop() or terminate() has begun to end the process (until the next spawn).
  bool stopping() const { return stopping_; }

  // Queued for stdin; dropped when no process runs (or its stdin is closed).
  void write_line(std::string line);
  void write(std::string bytes);
  // A terminal's window size; false without a running terminal.
  bool resize(int cols, int rows);

  // Ends the process at an unhurried pace: the steps one grace apart from now, SIGKILL
  // max(2, steps) graces from now. Nothing if it is already being ended.
  void stop();
  // Ends it now (the daemon is stopping, or the agent is stuck): every step at once, SIGKILL
  // one grace later. Replaces the pace of an earlier stop().
  void terminate();

  // The last 4 KiB the process wrote on stderr.
  std::string_view stderr_tail() const { return stderr_tail_; }
  // It ended with a failure (status ≠ 0) without being asked to: its stderr may say why.
  bool failed_on_its_own(int status) const { return status != 0 && !stopping_; }

 private:
  net::Runtime& runtime_;
  Ending ending_;
  std::unique_ptr<net::ChildProcess> child_;
  std::string stderr_tail_;
  bool stopping_ = false;
};

}  // namespace tether::providers::common

#include "providers/common/agent_process.hpp"

#include <signal.h>

#include <fmt/format.h>

#include <algorithm>

#include "core/env.hpp"

namespace tether::providers::common {

namespace {
constexpr std::size_t kStderrTail = 4096;
}  // namespace

core::Result<std::string> locate(const AgentCli& cli, const std::string& bin, const std::vector<std::string>& env) {
  const std::string found = net::find_executable(bin, core::env_value(env, "PATH"));
  if (!found.empty()) return found;
  return core::make_error(core::Errc::provider_missing,
                          fmt::format("the {} (`{}`) was not found{}; install it (npm install -g {}, or `scripts/bootstrap` "
                                                "for agents/node_modules) or start the daemon with {} PATH{}",
                                                cli.title, bin, bin.find('/') == std::string::npos ? " on PATH" : "", cli.npm_package,
                                                cli.flag, cli.flag_note));
}

std::function<core::Result<void>(const std::vector<std::string>&)> installed_check(AgentCli cli, std::string bin) {
  return [cli, bin = std::move(bin)](const std::vector<std::string>& env) -> core::Result<void> {
    if (auto found = locate(cli, bin, env); !found) return found.error();
    return {};
  };
}

AgentProcess::AgentProcess(net::Runtime& runtime, Ending ending) : runtime_(runtime), ending_(std::move(ending)) {}

AgentProcess::~AgentProcess() = default;  // the ChildProcess kills the group and calls no handler

core::Result<void> AgentProcess::spawn(net::ChildSpec spec, Handlers handlers) {
  net::ChildHandlers child;
  child.on_stdout_line = std::move(handlers.on_line);
  child.on_stdout_data = std::move(handlers.on_output);
  child.on_stdout_overlong = std::move(handlers.on_overlong);
  child.on_stderr = [this](std::string_view chunk) {
    stderr_tail_.append(chunk);
    if (stderr_tail_.size() > kStderrTail) stderr_tail_.erase(0, stderr_tail_.size() - kStderrTail);
  };
  child.on_exit = std::move(handlers.on_exit);
  stderr_tail_.clear();
  stopping_ = false;
  auto spawned = net::ChildProcess::spawn(runtime_, std::move(spec), std::move(child));
  if (!spawned) {
    if (spawned.error().code == core::Errc::not_found) return core::make_error(core::Errc::provider_missing, spawned.error().message);
    return spawned.error();
  }
  child_ = std::move(*spawned);
  return {};
}

bool AgentProcess::running() const { return child_ && child_->running(); }

void AgentProcess::write_line(std::string line) {
  if (child_) child_->write_line(std::move(line));
}

void AgentProcess::write(std::string bytes) {
  if (child_) child_->write(std::move(bytes));
}

bool AgentProcess::resize(int cols, int rows) { return child_ && child_->running() && child_->resize(cols, rows); }

void AgentProcess::stop() {
  if (!running() || stopping_) return;
  stopping_ = true;
  std::vector<net::ChildProcess::EndStep> steps;
  for (std::size_t i = 0; i < ending_.steps.size(); ++i) {
    steps.push_back({ending_.grace * static_cast<int>(i), ending_.steps[i]});
  }
  steps.push_back({ending_.grace * static_cast<int>(std::max<std::size_t>(2, ending_.steps.size())), SIGKILL});
  child_->end(std::move(steps));
}

void AgentProcess::terminate() {
  if (!running()) return;
  stopping_ = true;
  std::vector<net::ChildProcess::EndStep> steps;
  for (int signal : ending_.steps) steps.push_back({std::chrono::milliseconds(0), signal});
  steps.push_back({ending_.grace, SIGKILL});
  child_->end(std::move(steps));
}

}  // namespace tether::providers::common

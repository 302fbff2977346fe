// The Claude Code provider: the real `claude` CLI as a child process speaking
// stream-json on stdin/stdout (stream.hpp), one process per session, kept alive
// across turns, resumed with --resume after it ends.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "net/runtime.hpp"
#include "providers/claude/stream.hpp"
#include "providers/common/agent_process.hpp"
#include "providers/provider.hpp"

namespace tether::providers::claude {

struct ClaudeConfig {
  std::string claude_bin = "claude";  // a path, or a name on the agent's PATH
  std::chrono::milliseconds stop_grace{3000};  // stdin closed → SIGTERM → SIGKILL, this long apart
};

class ClaudeProvider final : public Provider {
 public:
  ClaudeProvider(net::Runtime& runtime, ClaudeConfig config, LaunchSpec spec, ProviderEvents& events);
  ~ClaudeProvider() override;

  core::Result<void> send(std::string_view text) override;
  core::Result<void> interrupt() override;
  void answer(std::string_view request_id, const ToolAnswer& answer) override;
  void stop() override;
  void terminate() override;
  bool running() const override;

 private:
  core::Result<void> spawn_process();
  void on_line(std::string_view line);
  void on_exit(int status);

  net::Runtime& runtime_;
  ClaudeConfig config_;
  LaunchSpec spec_;
  ProviderEvents& events_;
  StreamTranslator translator_;
  common::AgentProcess process_;
  std::uint64_t next_request_ = 1;
  bool in_turn_ = false;
};

// "claude": the kind the daemon registers.
ProviderKind claude_kind(ClaudeConfig config);

}  // namespace tether::providers::claude

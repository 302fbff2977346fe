// The Codex provider: the real `codex app-server` as a child process speaking its
// JSON-RPC protocol on stdin/stdout (app_server.hpp), one process per session, kept alive
// across turns; a new process continues the same thread with thread/resume.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "net/runtime.hpp"
#include "providers/codex/app_server.hpp"
#include "providers/common/agent_process.hpp"
#include "providers/provider.hpp"

namespace tether::providers::codex {

struct CodexConfig {
  std::string codex_bin = "codex";  // a path (best: the native binary), or a name on the agent's PATH
  std::chrono::milliseconds stop_grace{3000};         // stdin closed → SIGTERM → SIGKILL, this long apart
  std::chrono::milliseconds request_timeout{30000};   // the longest wait for any answer (codex may send none)
};

class CodexProvider final : public Provider {
 public:
  CodexProvider(net::Runtime& runtime, CodexConfig config, LaunchSpec spec, ProviderEvents& events);
  ~CodexProvider() override;

  core::Result<void> send(std::string_view text) override;
  core::Result<void> interrupt() override;
  void answer(std::string_view request_id, const ToolAnswer& answer) override;
  void stop() override;
  void terminate() override;
  bool running() const override;

 private:
  // initializing: `initialize` sent; no_thread: initialized, no thread open (a failed
  // start/resume is tried again on the next prompt); opening_thread: thread/start or
  // thread/resume sent; ready: prompts go out as turn/start, one turn at a time.
  enum class Phase { stopped, initializing, no_thread, opening_thread, ready };

  struct Pending {
    std::string method;
    std::function<void()> cancel_timeout;
  };
  // An approval question codex is waiting on, by ApprovalRequest::request_id.
  struct Question {
    boost::json::value id;
    Approval approval = Approval::command;
  };

  core::Result<void> spawn();
  void request(std::string method, const std::function<std::string(std::int64_t)>& line);
  void on_line(std::string_view line);
  void on_response(Response response);
  void on_timeout(std::int64_t id);
  void on_approval(ApprovalRequest request);
  void on_turn_started(const TurnStarted& started);
  void on_turn_end(const TurnEnd& end);
  void open_thread();
  void pump();
  void send_interrupt();
  void mark_resumable();
  void finish_turn(bool is_error);
  void fail_prompts();
  void on_exit(int status);
  void cancel_timers();

  net::Runtime& runtime_;
  CodexConfig config_;
  LaunchSpec spec_;
  ProviderEvents& events_;
  AppServerTranslator translator_;
  common::AgentProcess process_;
  Phase phase_ = Phase::stopped;
  std::int64_t next_id_ = 1;
  std::map<std::int64_t, Pending> pending_;
  std::map<std::string, Question, std::less<>> questions_;
  std::deque<std::string> prompts_;  // not yet sent as turn/start
  std::string thread_id_;
  std::string turn_id_;
  bool in_turn_ = false;           // a turn/start was sent and its turn has not completed
  bool interrupt_wanted_ = false;  // interrupt once the turn's id is known
};

// "codex": the kind the daemon registers.
ProviderKind codex_kind(CodexConfig config);

}  // namespace tether::providers::codex

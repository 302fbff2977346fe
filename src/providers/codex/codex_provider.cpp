#include "providers/codex/codex_provider.hpp"

#include <signal.h>

#include <fmt/format.h>

#include "core/text.hpp"
#include "core/version.hpp"
#include "proto/json_fields.hpp"
#include "providers/codex/text.hpp"

namespace tether::providers::codex {
namespace json = boost::json;

namespace {
constexpr std::size_t kMaxQueuedPrompts = 32;
constexpr std::size_t kMaxOpenQuestions = 256;

constexpr common::AgentCli kCodexCli{
    "Codex CLI", "@openai/codex", "--codex-bin",
    " (best the native binary, node_modules/@openai/codex-<platform>/vendor/<target>/bin/codex)"};

// result.<key>.id of a thread/start, thread/resume or turn/start answer.
std::string id_in(const json::value& result, std::string_view key) {
  const json::object* o = result.if_object();
  const json::object* inner = o ? proto::fields::object_at(*o, key) : nullptr;
  return inner ? std::string(proto::fields::string_at(*inner, "id")) : std::string();
}
}  // namespace

ProviderKind codex_kind(CodexConfig config) {
  return {.type = core::ProviderType::codex, .check = common::installed_check(kCodexCli, config.codex_bin),
          .make = provider_maker<CodexProvider>(config)};
}

// stdin closed (codex exits on EOF), then SIGTERM to the process group, then SIGKILL.
CodexProvider::CodexProvider(net::Runtime& runtime, CodexConfig config, LaunchSpec spec, ProviderEvents& events)
    : runtime_(runtime), config_(std::move(config)), spec_(std::move(spec)), events_(events),
      process_(runtime_, {{0, SIGTERM}, config_.stop_grace}) {}

CodexProvider::~CodexProvider() {
  cancel_timers();  // then process_ kills the process group if it still runs; no handler runs after
}

bool CodexProvider::running() const { return process_.running(); }

void CodexProvider::cancel_timers() {
  for (auto& [id, pending] : pending_) {
    if (pending.cancel_timeout) std::exchange(pending.cancel_timeout, nullptr)();
  }
  pending_.clear();
}

core::Result<void> CodexProvider::spawn() {
  auto bin = common::locate(kCodexCli, config_.codex_bin, spec_.env);
  if (!bin) return bin.error();
  net::ChildSpec child_spec;
  child_spec.argv = command_line(*bin);
  child_spec.cwd = spec_.cwd;
  child_spec.env = spec_.env;
  common::AgentProcess::Handlers handlers;
  handlers.on_line = [this](std::string_view line) { on_line(line); };
  handlers.on_overlong = [this](std::size_t n) {
    events_.event("error", {{"message", fmt::format("codex printed a line of {} bytes, over the limit; it was dropped", n)}});
  };
  handlers.on_exit = [this](int status) { on_exit(status); };
  if (auto ok = process_.spawn(std::move(child_spec), std::move(handlers)); !ok) return ok;
  translator_ = AppServerTranslator{};
  questions_.clear();
  thread_id_ = spec_.resume ? spec_.session_id : "";
  turn_id_.clear();
  in_turn_ = false;
  interrupt_wanted_ = false;
  phase_ = Phase::initializing;
  request("initialize", [](std::int64_t id) { return initialize_request(id, core::kVersion); });
  return {};
}

// Writes one request and arms its timeout: an answer may never come.
void CodexProvider::request(std::string method, const std::function<std::string(std::int64_t)>& line) {
  if (!running()) return;
  const std::int64_t id = next_id_++;
  process_.write_line(line(id));
  auto cancel = runtime_.after(config_.request_timeout, [this, id] { on_timeout(id); });
  pending_.insert_or_assign(id, Pending{std::move(method), std::move(cancel)});
}

core::Result<void> CodexProvider::send(std::string_view text) {
  if (prompts_.size() >= kMaxQueuedPrompts) {
    return core::make_error(core::Errc::busy, fmt::format("{} prompts are already waiting for the current turn", prompts_.size()));
  }
  if (!running()) {
    if (auto ok = spawn(); !ok) return ok;
  }
  const bool was_busy = in_turn_ || !prompts_.empty();
  prompts_.emplace_back(text);
  if (!was_busy) events_.turn_started();
  pump();
  return {};
}

// Starts the next prompt's turn when a thread is open and no turn runs (one at a time:
// a prompt sent during a turn waits for it to end).
void CodexProvider::pump() {
  if (prompts_.empty() || in_turn_) return;
  if (phase_ == Phase::no_thread) {
    open_thread();
    return;
  }
  if (phase_ != Phase::ready) return;
  std::string text = std::move(prompts_.front());
  prompts_.pop_front();
  in_turn_ = true;
  turn_id_.clear();
  interrupt_wanted_ = false;
  request("turn/start", [&](std::int64_t id) { return turn_start_request(id, thread_id_, text); });
}

void CodexProvider::open_thread() {
  phase_ = Phase::opening_thread;
  if (!thread_id_.empty()) {
    request("thread/resume", [&](std::int64_t id) { return thread_resume_request(id, thread_id_, spec_.cwd.string(), spec_.model); });
  } else {
    request("thread/start", [&](std::int64_t id) { return thread_start_request(id, spec_.cwd.string(), spec_.model); });
  }
}

core::Result<void> CodexProvider::interrupt() {
  if (!running()) return core::make_error(core::Errc::not_running, "the agent is not running");
  if (!in_turn_ && prompts_.empty()) return core::make_error(core::Errc::idle, "the agent is not working on a prompt");
  const std::size_t dropped = prompts_.size() - (in_turn_ ? 0 : 1);
  prompts_.clear();
  if (dropped > 0) {
    events_.event("notice", {{"text", fmt::format("{} waiting prompt{} dropped by the interrupt", dropped, dropped == 1 ? " was" : "s were")}});
  }
  if (!in_turn_) {
    // Codex has not been given the prompt yet (it is still starting).
    events_.event("notice", {{"text", "[the turn was interrupted before it started]"}});
    events_.turn_finished(false);
    return {};
  }
  if (turn_id_.empty()) interrupt_wanted_ = true;
  else send_interrupt();
  return {};
}

void CodexProvider::send_interrupt() {
  interrupt_wanted_ = false;
  request("turn/interrupt", [&](std::int64_t id) { return turn_interrupt_request(id, thread_id_, turn_id_); });
}

void CodexProvider::answer(std::string_view request_id, const ToolAnswer& answer) {
  const auto it = questions_.find(request_id);
  if (it == questions_.end()) return;  // withdrawn, or from an earlier process
  if (running()) process_.write_line(approval_answer(it->second.id, it->second.approval, answer.allow, answer.message));
  questions_.erase(it);
}

void CodexProvider::stop() { process_.stop(); }

void CodexProvider::terminate() { process_.terminate(); }

void CodexProvider::on_line(std::string_view line) {
  for (auto& out : translator_.on_line(line)) {
    if (auto* e = std::get_if<Event>(&out)) {
      events_.event(e->kind, std::move(e->data));
    } else if (auto* a = std::get_if<ApprovalRequest>(&out)) {
      on_approval(std::move(*a));
    } else if (auto* resolved = std::get_if<RequestResolved>(&out)) {
      // Still open here: codex withdrew it (an interrupt); answered ones were erased.
      if (const auto it = questions_.find(resolved->request_id); it != questions_.end()) {
        questions_.erase(it);
        events_.tool_request_cancelled(resolved->request_id);
      }
    } else if (auto* r = std::get_if<Response>(&out)) {
      on_response(std::move(*r));
    } else if (auto* started = std::get_if<TurnStarted>(&out)) {
      on_turn_started(*started);
    } else if (auto* end = std::get_if<TurnEnd>(&out)) {
      on_turn_end(*end);
    } else if (auto* reply = std::get_if<Reply>(&out)) {
      if (running()) process_.write_line(std::move(reply->line));
    }
  }
}

void CodexProvider::on_approval(ApprovalRequest request) {
  if (questions_.size() >= kMaxOpenQuestions) {
    if (running()) process_.write_line(approval_answer(request.id, request.approval, false, "too many open questions"));
    events_.event("error", {{"message", "codex asked too many questions at once; one was declined"}});
    return;
  }
  // Recorded before the session sees it: an automatic answer comes back at once.
  questions_.insert_or_assign(request.request_id, Question{request.id, request.approval});
  events_.tool_request(ToolRequest{std::move(request.request_id), std::move(request.tool), std::move(request.input),
                                   std::move(request.tool_use_id)});
}

void CodexProvider::on_response(Response response) {
  const auto it = pending_.find(response.id);
  if (it == pending_.end()) return;  // after its timeout, or not ours
  const std::string method = std::move(it->second.method);
  if (it->second.cancel_timeout) it->second.cancel_timeout();
  pending_.erase(it);

  if (method == "initialize") {
    if (!response.ok) {
      events_.event("error", {{"message", "codex app-server refused to initialize: " + response.error}});
      fail_prompts();
      terminate();
      return;
    }
    if (running()) process_.write_line(initialized_notification());
    phase_ = Phase::no_thread;
    pump();
  } else if (method == "thread/start" || method == "thread/resume") {
    const std::string id = response.ok ? id_in(response.result, "thread") : "";
    if (id.empty()) {
      const std::string why = response.ok ? "the answer had no thread id" : response.error;
      events_.event("error", {{"message", method == "thread/resume"
                                              ? fmt::format("codex could not resume thread {}: {}", thread_id_, why)
                                              : fmt::format("codex could not start a thread: {}", why)}});
      phase_ = Phase::no_thread;
      fail_prompts();
      return;
    }
    thread_id_ = id;
    phase_ = Phase::ready;
    pump();
  } else if (method == "turn/start") {
    if (!response.ok) {
      events_.event("error", {{"message", "codex refused the prompt: " + response.error}});
      if (in_turn_) finish_turn(true);
      return;
    }
    if (in_turn_ && turn_id_.empty()) {
      turn_id_ = id_in(response.result, "turn");
      mark_resumable();
      if (interrupt_wanted_ && !turn_id_.empty()) send_interrupt();
    }
  } else if (method == "turn/interrupt") {
    // "no active turn to interrupt": it ended on its own meanwhile.
    if (!response.ok && in_turn_) events_.event("error", {{"message", "codex did not interrupt the turn: " + response.error}});
  }
}

void CodexProvider::on_timeout(std::int64_t id) {
  const auto it = pending_.find(id);
  if (it == pending_.end()) return;
  const std::string method = std::move(it->second.method);
  pending_.erase(it);  // its timer has fired: nothing to cancel
  const auto seconds = std::chrono::duration_cast<std::chrono::duration<double>>(config_.request_timeout).count();
  events_.event("error", {{"message", fmt::format("codex did not answer {} within {:g} s; stopping it", method, seconds)}});
  terminate();  // an agent that does not answer is stuck; its exit ends the turn
}

void CodexProvider::on_turn_started(const TurnStarted& started) {
  if (!in_turn_ || started.thread_id != thread_id_ || !turn_id_.empty()) return;
  turn_id_ = started.turn_id;
  mark_resumable();
  if (interrupt_wanted_ && !turn_id_.empty()) send_interrupt();
}

void CodexProvider::on_turn_end(const TurnEnd& end) {
  if (!in_turn_ || end.thread_id != thread_id_) return;  // another thread's (a sub-agent's) turn
  if (!turn_id_.empty() && end.turn_id != turn_id_) return;
  finish_turn(end.is_error);
}

// The thread is on disk once a turn has started: from now on a new process resumes it.
void CodexProvider::mark_resumable() {
  if (spec_.resume && spec_.session_id == thread_id_) return;
  spec_.session_id = thread_id_;
  spec_.resume = true;
  events_.resumable_as(thread_id_);
}

void CodexProvider::finish_turn(bool is_error) {
  in_turn_ = false;
  turn_id_.clear();
  interrupt_wanted_ = false;
  events_.turn_finished(is_error);
  if (!prompts_.empty() && running()) {
    events_.turn_started();
    pump();
  }
}

// The prompts cannot be sent (no thread): each caller has said why in an error event.
void CodexProvider::fail_prompts() {
  const bool busy = in_turn_ || !prompts_.empty();
  prompts_.clear();
  in_turn_ = false;
  turn_id_.clear();
  interrupt_wanted_ = false;
  if (busy) events_.turn_finished(true);
}

void CodexProvider::on_exit(int status) {
  cancel_timers();
  phase_ = Phase::stopped;
  in_turn_ = false;
  turn_id_.clear();
  interrupt_wanted_ = false;
  prompts_.clear();
  questions_.clear();
  // The last lines of stderr say why (a bad config.toml, for one).
  events_.exited(status, process_.failed_on_its_own(status) ? core::without_trailing_newlines(strip_ansi(process_.stderr_tail())) : "");
}

}  // namespace tether::providers::codex

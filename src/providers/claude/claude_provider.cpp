#include "providers/claude/claude_provider.hpp"

#include <signal.h>

#include <fmt/format.h>

namespace tether::providers::claude {

namespace {
constexpr std::size_t kStderrTail = 4096;

std::string path_of(const std::vector<std::string>& env) {
  for (const auto& e : env) {
    if (e.rfind("PATH=", 0) == 0) return e.substr(5);
  }
  return "";
}
}  // namespace

ProviderKind claude_kind(ClaudeConfig config) {
  ProviderKind kind;
  kind.name = "claude";
  kind.check = [bin = config.claude_bin](const std::vector<std::string>& env) -> core::Result<void> {
    if (auto found = locate_claude(bin, path_of(env)); !found) return found.error();
    return {};
  };
  kind.make = [config](net::Runtime& runtime, LaunchSpec spec, ProviderEvents& events) -> std::unique_ptr<Provider> {
    return std::make_unique<ClaudeProvider>(runtime, config, std::move(spec), events);
  };
  return kind;
}

core::Result<std::string> locate_claude(const std::string& bin, std::string_view path_env) {
  const std::string found = net::find_executable(bin, path_env);
  if (!found.empty()) return found;
  return core::make_error("provider_missing",
                          fmt::format("the Claude Code CLI (`{}`) was not found{}; install it (npm install -g "
                                      "@anthropic-ai/claude-code, or `scripts/bootstrap` for agents/node_modules) or "
                                      "start the daemon with --claude-bin PATH",
                                      bin, bin.find('/') == std::string::npos ? " on PATH" : ""));
}

ClaudeProvider::ClaudeProvider(net::Runtime& runtime, ClaudeConfig config, LaunchSpec spec, ProviderEvents& events)
    : runtime_(runtime), config_(std::move(config)), spec_(std::move(spec)), events_(events) {}

ClaudeProvider::~ClaudeProvider() {
  child_.reset();  // kills the process group if it still runs; no handler runs after this
}

bool ClaudeProvider::running() const { return child_ && child_->running(); }

core::Result<void> ClaudeProvider::spawn_process() {
  auto bin = locate_claude(config_.claude_bin, path_of(spec_.env));
  if (!bin) return bin.error();
  LaunchOptions launch{*bin, spec_.session_id, spec_.resume, spec_.model};
  net::ChildSpec child_spec;
  child_spec.argv = command_line(launch);
  child_spec.cwd = spec_.cwd;
  child_spec.env = spec_.env;
  net::ChildHandlers handlers;
  handlers.on_stdout_line = [this](std::string_view line) { on_line(line); };
  handlers.on_stdout_overlong = [this](std::size_t n) {
    events_.event("error", {{"message", fmt::format("claude printed a line of {} bytes, over the limit; it was dropped", n)}});
  };
  handlers.on_stderr = [this](std::string_view chunk) {
    stderr_tail_.append(chunk);
    if (stderr_tail_.size() > kStderrTail) stderr_tail_.erase(0, stderr_tail_.size() - kStderrTail);
  };
  handlers.on_exit = [this](int status) { on_exit(status); };
  stderr_tail_.clear();
  stopping_ = false;
  auto child = net::ChildProcess::spawn(runtime_, std::move(child_spec), std::move(handlers));
  if (!child) {
    if (child.error().code == "not_found") return core::make_error("provider_missing", child.error().message);
    return child.error();
  }
  child_ = std::move(*child);
  return {};
}

core::Result<void> ClaudeProvider::send(std::string_view text) {
  if (!running()) {
    if (auto ok = spawn_process(); !ok) return ok;
  }
  child_->write_line(user_message(text));
  in_turn_ = true;
  events_.turn_started();
  return {};
}

core::Result<void> ClaudeProvider::interrupt() {
  if (!running()) return core::make_error("not_running", "the agent is not running");
  if (!in_turn_) return core::make_error("idle", "the agent is not working on a prompt");
  child_->write_line(interrupt_request(fmt::format("tether-int-{}", next_request_++)));
  return {};
}

void ClaudeProvider::answer(std::string_view request_id, const ToolAnswer& answer) {
  if (!running()) return;
  child_->write_line(answer.allow ? allow_response(request_id, answer.input) : deny_response(request_id, answer.message));
}

void ClaudeProvider::stop() {
  if (!running() || stopping_) return;
  escalate(config_.stop_grace, config_.stop_grace * 2);
}

void ClaudeProvider::terminate() {
  if (!running()) return;
  escalate(std::chrono::milliseconds(0), config_.stop_grace);
}

// stdin closed now; SIGTERM to the process group after `term_after`, SIGKILL after `kill_after`.
void ClaudeProvider::escalate(std::chrono::milliseconds term_after, std::chrono::milliseconds kill_after) {
  stopping_ = true;
  child_->end({{std::chrono::milliseconds(0), 0}, {term_after, SIGTERM}, {kill_after, SIGKILL}});
}

void ClaudeProvider::on_line(std::string_view line) {
  for (auto& out : translator_.on_line(line)) {
    if (auto* e = std::get_if<Event>(&out)) {
      events_.event(e->kind, std::move(e->data));
    } else if (auto* p = std::get_if<PermissionRequest>(&out)) {
      events_.tool_request(ToolRequest{std::move(p->request_id), std::move(p->tool), std::move(p->input),
                                       std::move(p->tool_use_id)});
    } else if (auto* c = std::get_if<CancelRequest>(&out)) {
      events_.tool_request_cancelled(c->request_id);
    } else if (auto* i = std::get_if<Init>(&out)) {
      if (!i->session_id.empty()) {
        // From now on a new process continues this conversation.
        spec_.session_id = i->session_id;
        spec_.resume = true;
        events_.resumable_as(i->session_id);
      }
    } else if (auto* t = std::get_if<TurnEnd>(&out)) {
      in_turn_ = false;
      events_.turn_finished(t->is_error);
    } else if (auto* r = std::get_if<Reply>(&out)) {
      if (running()) child_->write_line(std::move(r->line));
    }
    // ControlAck: nothing to do; the turn's result follows an interrupt.
  }
}

void ClaudeProvider::on_exit(int status) {
  in_turn_ = false;
  std::string detail;
  if (status != 0 && !stopping_) {
    // The last lines of stderr say why (e.g. "No conversation found with session ID").
    detail = stderr_tail_;
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r')) detail.pop_back();
  }
  events_.exited(status, detail);
}

}  // namespace tether::providers::claude

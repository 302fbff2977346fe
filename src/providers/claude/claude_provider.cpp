#include "core/text.hpp"
#include "providers/claude/claude_provider.hpp"

#include <signal.h>

#include <fmt/format.h>

namespace tether::providers::claude {

namespace {
constexpr common::AgentCli kClaudeCli{"Claude Code CLI", "@anthropic-ai/claude-code", "--claude-bin", ""};
}  // namespace

ProviderKind claude_kind(ClaudeConfig config) {
  return {.type = core::ProviderType::claude, .check = common::installed_check(kClaudeCli, config.claude_bin),
          .make = provider_maker<ClaudeProvider>(config)};
}

// stdin closed (claude exits on EOF), then SIGTERM to the process group, then SIGKILL.
ClaudeProvider::ClaudeProvider(net::Runtime& runtime, ClaudeConfig config, LaunchSpec spec, ProviderEvents& events)
    : runtime_(runtime), config_(std::move(config)), spec_(std::move(spec)), events_(events),
      process_(runtime_, {{0, SIGTERM}, config_.stop_grace}) {}

ClaudeProvider::~ClaudeProvider() = default;  // the process group is killed if it still runs; no handler runs after

bool ClaudeProvider::running() const { return process_.running(); }

core::Result<void> ClaudeProvider::spawn_process() {
  auto bin = common::locate(kClaudeCli, config_.claude_bin, spec_.env);
  if (!bin) return bin.error();
  LaunchOptions launch{*bin, spec_.session_id, spec_.resume, spec_.model};
  net::ChildSpec child_spec;
  child_spec.argv = command_line(launch);
  child_spec.cwd = spec_.cwd;
  child_spec.env = spec_.env;
  common::AgentProcess::Handlers handlers;
  handlers.on_line = [this](std::string_view line) { on_line(line); };
  handlers.on_overlong = [this](std::size_t n) {
    events_.event("error", {{"message", fmt::format("claude printed a line of {} bytes, over the limit; it was dropped", n)}});
  };
  handlers.on_exit = [this](int status) { on_exit(status); };
  return process_.spawn(std::move(child_spec), std::move(handlers));
}

core::Result<void> ClaudeProvider::send(std::string_view text) {
  if (!running()) {
    if (auto ok = spawn_process(); !ok) return ok;
  }
  process_.write_line(user_message(text));
  in_turn_ = true;
  events_.turn_started();
  return {};
}

core::Result<void> ClaudeProvider::interrupt() {
  if (!running()) return core::make_error(core::Errc::not_running, "the agent is not running");
  if (!in_turn_) return core::make_error(core::Errc::idle, "the agent is not working on a prompt");
  process_.write_line(interrupt_request(fmt::format("tether-int-{}", next_request_++)));
  return {};
}

void ClaudeProvider::answer(std::string_view request_id, const ToolAnswer& answer) {
  if (!running()) return;
  process_.write_line(answer.allow ? allow_response(request_id, answer.input) : deny_response(request_id, answer.message));
}

void ClaudeProvider::stop() { process_.stop(); }

void ClaudeProvider::terminate() { process_.terminate(); }

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
      if (running()) process_.write_line(std::move(r->line));
    }
    // ControlAck: nothing to do; the turn's result follows an interrupt.
  }
}

void ClaudeProvider::on_exit(int status) {
  in_turn_ = false;
  // The last lines of stderr say why (e.g. "No conversation found with session ID").
  events_.exited(status, process_.failed_on_its_own(status) ? core::without_trailing_newlines(process_.stderr_tail()) : "");
}

}  // namespace tether::providers::claude

// What every provider adapter (Claude Code, Codex, OpenCode, terminal) offers the
// daemon, and what the daemon offers back. One adapter per folder under src/providers/.
#pragma once

#include <boost/json/object.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/provider_type.hpp"
#include "core/result.hpp"

namespace tether::net {
class Runtime;
}

namespace tether::providers {

// The agent asks whether a tool may run.
struct ToolRequest {
  std::string request_id;  // the provider's id for this question
  std::string tool;
  boost::json::object input;
  std::string tool_use_id;
};

struct ToolAnswer {
  bool allow = false;
  std::string message;         // for a deny: what the model is told
  boost::json::object input;   // for an allow: the input to run with (usually the request's)
};

// Implemented by the daemon's session; a provider calls it on the event loop's thread.
class ProviderEvents {
 public:
  virtual ~ProviderEvents() = default;
  // A tether event (kinds and data shapes in docs/protocol.md) to commit and stream.
  virtual void event(std::string_view kind, boost::json::object data) = 0;
  virtual void tool_request(ToolRequest request) = 0;
  // The agent withdrew a question (e.g. after an interrupt): it needs no answer now.
  virtual void tool_request_cancelled(std::string_view request_id) = 0;
  // The id the provider resumes by (Claude's session id), once the agent has reported it.
  virtual void resumable_as(std::string_view provider_session_id) = 0;
  // The turn began / finished (is_error: it ended in an error).
  virtual void turn_started() = 0;
  virtual void turn_finished(bool is_error) = 0;
  // The agent's side did what only tether may do (`what`, e.g. "foreign_answer": a
  // permission question answered by someone else): audited and shown to the user as an
  // error; the provider stops its agent itself.
  virtual void security_alert(std::string_view what, std::string_view message, boost::json::object detail) = 0;
  // The agent process is gone (`status` as in net::ChildProcess; `detail` says why when known).
  virtual void exited(int status, std::string_view detail) = 0;
};

struct LaunchSpec {
  std::filesystem::path cwd;
  std::vector<std::string> env;         // the agent's whole environment ("NAME=value")
  std::string model;                    // empty: the agent's default
  std::string session_id;               // the provider session to create or resume
  bool resume = false;                  // resume `session_id` instead of creating it
  boost::json::object options;          // provider-specific (a terminal's command and size, ...)
};

class Provider {
 public:
  virtual ~Provider() = default;
  // Starts the process at once (terminals); prompt-driven agents start on the first send.
  virtual core::Result<void> start() { return {}; }
  // Sends a prompt, starting the agent first when it is not running.
  virtual core::Result<void> send(std::string_view text) = 0;
  virtual core::Result<void> interrupt() = 0;
  virtual void answer(std::string_view request_id, const ToolAnswer& answer) = 0;
  // Ends the agent: stdin closed, then SIGTERM, then SIGKILL after a grace period.
  virtual void stop() = 0;
  // Ends the agent now (the daemon is stopping): stdin closed and SIGTERM at once,
  // SIGKILL after the grace period.
  virtual void terminate() = 0;
  virtual bool running() const = 0;
  // Terminal providers: bytes typed by a device, and the window size. Others refuse.
  virtual core::Result<void> input(std::string_view /*bytes*/) {
    return core::make_error(core::Errc::unsupported, "this session is not a terminal");
  }
  virtual core::Result<void> resize(int /*cols*/, int /*rows*/) {
    return core::make_error(core::Errc::unsupported, "this session is not a terminal");
  }
};

// A kind of agent the daemon can run.
struct ProviderKind {
  core::ProviderType type;
  // Can sessions start at all with this agents' environment (e.g. is the CLI installed)?
  // A clear error (code "provider_missing") when not.
  std::function<core::Result<void>(const std::vector<std::string>& env)> check;
  // Can a session start with these options (a terminal's command: an array of strings whose
  // program is found)? Asked before the session is created, so that a refused
  // session.create leaves no session behind. Null: the options need no check.
  std::function<core::Result<void>(const boost::json::object& options, const std::vector<std::string>& env,
                                   const std::string& cwd)>
      check_options;
  // The provider of one session; it starts its process on the first send (or at once, for a terminal).
  std::function<std::unique_ptr<Provider>(net::Runtime& runtime, LaunchSpec spec, ProviderEvents& events)> make;
  bool takes_prompts = true;  // false: a terminal (no prompt; input and resize instead)
};

// A ProviderKind::make for a provider built as P(runtime, config, spec, events).
template <class P, class Config>
std::function<std::unique_ptr<Provider>(net::Runtime&, LaunchSpec, ProviderEvents&)> provider_maker(Config config) {
  return [config = std::move(config)](net::Runtime& runtime, LaunchSpec spec, ProviderEvents& events) -> std::unique_ptr<Provider> {
    return std::make_unique<P>(runtime, config, std::move(spec), events);
  };
}

}  // namespace tether::providers

// The OpenCode provider: the real `opencode serve` as a child process on 127.0.0.1 (a free
// port, a random password), driven over its HTTP API and event stream (api.hpp,
// events.hpp). One server per session, kept alive across turns; its session is resumed
// by id after the server ends. Every permission question goes to tether's approvals.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <boost/json/object.hpp>

#include "net/runtime.hpp"
#include "providers/common/agent_process.hpp"
#include "providers/opencode/events.hpp"
#include "providers/provider.hpp"

namespace tether::providers::opencode {

struct OpenCodeConfig {
  std::string opencode_bin = "opencode";  // a path, or a name on the agent's PATH
  // Where tether writes the plugin serve loads (api.hpp env_guard_plugin): a file in the
  // daemon's private home, never a shared directory (serve runs what it finds there).
  // Required: a session does not start without it.
  std::filesystem::path plugin_file;
  std::chrono::milliseconds stop_grace{3000};     // SIGTERM → SIGKILL
  std::chrono::milliseconds start_timeout{60000};  // spawn → listening → healthy → stream open → session ready
  std::chrono::milliseconds request_timeout{15000};  // each HTTP call to serve
  std::chrono::milliseconds stream_idle{60000};  // the event stream silent this long (it beats every 10 s) is lost
};

class OpenCodeProvider final : public Provider {
 public:
  OpenCodeProvider(net::Runtime& runtime, OpenCodeConfig config, LaunchSpec spec, ProviderEvents& events);
  ~OpenCodeProvider() override;

  core::Result<void> send(std::string_view text) override;
  core::Result<void> interrupt() override;
  void answer(std::string_view request_id, const ToolAnswer& answer) override;
  void stop() override;
  void terminate() override;
  bool running() const override;

 private:
  using Reply = std::function<void(int status, std::string body)>;
  using Failure = std::function<void(core::Error error)>;

  core::Result<void> launch();
  void on_stdout_line(std::string_view line);
  void check_health(int attempt);
  void open_stream();
  void on_stream_event(std::string_view data);
  void read_config();
  void open_session();
  void create_session();
  void session_ready(std::string id);
  void post_prompt(const std::string& text);
  void drop_pending_permissions();
  // Startup or stream failure: the server is stopped and `message` is the exit's detail.
  void fail(std::string message);
  void on_exit(int status);
  void cancel_io();
  // One call to serve: `on_reply` with any HTTP answer, `on_failure` when there was none.
  void call(std::string method, std::string target, std::string body, Reply on_reply, Failure on_failure);

  net::Runtime& runtime_;
  OpenCodeConfig config_;
  LaunchSpec spec_;
  ProviderEvents& events_;
  EventTranslator translator_;
  common::AgentProcess process_;
  std::string password_;
  std::uint16_t port_ = 0;
  std::string session_id_;  // OpenCode's, once created or found
  bool ready_ = false;      // the session exists and the stream is live: prompts go out at once
  bool stream_live_ = false;
  std::deque<std::string> queued_;  // prompts sent before the server was ready
  std::map<std::string, std::string, std::less<>> pending_;  // permission requests asked and not yet answered → their session
  std::set<std::string, std::less<>> answered_;  // requests tether answered (or OpenCode rejects for it) not yet reported replied
  boost::json::object serve_config_;  // serve's resolved config (GET /config): the user's own permission rules
  void reply(const std::string& request_id, bool allow, std::string_view message);
  void on_replied(const PermissionReplied& replied);
  std::map<std::uint64_t, std::function<void()>> calls_;  // in flight, by our number, to cancel
  std::uint64_t next_call_ = 1;
  std::function<void()> cancel_stream_;
  std::function<void()> cancel_start_deadline_;
  std::function<void()> cancel_retry_;
  std::string failure_;
};

// "opencode": the kind the daemon registers.
ProviderKind opencode_kind(OpenCodeConfig config);

}  // namespace tether::providers::opencode

// Sessions: an agent process (a provider) plus its event log. The manager creates
// and continues them, commits every event before streaming it, and runs each tool
// question through the approval engine: a rule or the mode decides, or the question
// waits for a device's answer — first answer wins, no answer by the deadline denies.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "approvals/engine.hpp"
#include "approvals/pending.hpp"
#include "core/approval_terms.hpp"
#include "core/provider_type.hpp"
#include "core/result.hpp"
#include "core/session_status.hpp"
#include "daemon/clock.hpp"
#include "daemon/live_connections.hpp"
#include "daemon/lost_output.hpp"
#include "daemon/session_lifecycle.hpp"
#include "link/backoff.hpp"
#include "net/runtime.hpp"
#include "proto/dispatcher.hpp"
#include "providers/provider.hpp"
#include "store/store.hpp"

namespace tether::daemon {

struct SessionsConfig {
  std::vector<providers::ProviderKind> providers;  // what session.create may start
  std::chrono::milliseconds approval_timeout = std::chrono::minutes(10);
  std::vector<std::string> agent_env;  // the agents' environment (agent_env.hpp)
  std::vector<std::string> pass_env;   // names kept for every agent (--pass-env; agent_env.hpp withheld)
};

struct CreateRequest {
  std::string provider = "claude";
  std::string cwd;
  std::string prompt;
  std::string model;
  std::string mode = "ask";
  std::string name;
  boost::json::object options;  // provider-specific (LaunchSpec::options)
};

struct RespondRequest {
  std::string approval_id;
  bool allow = false;
  core::ApprovalScope scope = core::ApprovalScope::once;
  std::string message;                   // to the model, on deny
  std::optional<std::string> prefix;     // always/session for a shell tool: allow this command prefix
};

class LiveSession;

class SessionManager {
 public:
  SessionManager(net::Runtime& runtime, store::Store& store, LiveConnections& connections, SessionsConfig config, Clock now);
  ~SessionManager();

  // At start: approvals left pending by a daemon that died are denied, and sessions
  // that were running are marked exited (a later send resumes them).
  core::Result<void> recover();
  // At stop: every pending approval is denied and every agent is told to end.
  void shutdown();

  core::Result<boost::json::object> create(const CreateRequest& request, const proto::Caller& caller);
  core::Result<boost::json::object> get(const std::string& id);
  core::Result<boost::json::array> list(std::size_t limit);
  core::Result<void> send(const std::string& id, const std::string& text, const proto::Caller& caller);
  core::Result<void> interrupt(const std::string& id, const proto::Caller& caller);
  core::Result<void> stop(const std::string& id, const proto::Caller& caller);
  core::Result<void> set_mode(const std::string& id, const std::string& mode, const proto::Caller& caller);
  // Terminal sessions: keystrokes, and the window size.
  core::Result<void> terminal_input(const std::string& id, std::string_view bytes);
  core::Result<void> terminal_resize(const std::string& id, int cols, int rows);
  core::Result<boost::json::object> respond(const RespondRequest& request, const proto::Caller& caller);
  core::Result<boost::json::array> pending_approvals();

  // Commits one event and streams it to the session's subscribers (after the agent
  // output queued before it, so the order holds). Nothing is streamed that the store does
  // not hold: events of a failed commit are lost, and counted (lost_output.hpp) until a
  // commit works again — the next one, or a retry after a backoff of 250 ms doubling to
  // 10 s — which records an `output_lost` event ahead of the session's next events.
  void emit(const std::string& session_id, std::string_view kind, boost::json::object data);
  // An event of an agent's output: queued, and committed with every other one queued in
  // the same loop turn (one read from the agent carries many) in one transaction — one
  // fsync, not one per event — then streamed. Nothing is streamed before its commit.
  void emit_output(const std::string& session_id, std::string_view kind, boost::json::object data);
  // Commits and streams the queued output now, in one transaction; a failed commit is
  // counted as lost (see emit).
  void flush_output();
  // What the store could not take and no `output_lost` event tells yet: empty while storing works.
  const LostOutput& lost_output() const { return lost_; }

  // Used by LiveSession (the provider's callbacks).
  void on_tool_request(LiveSession& session, providers::ToolRequest request);
  void on_tool_request_cancelled(LiveSession& session, std::string_view request_id);
  void on_exited(LiveSession& session, int status, std::string_view detail);
  void on_security_alert(LiveSession& session, std::string_view what, std::string_view message, boost::json::object detail);
  // What `event` makes of the session's status (session_lifecycle's table), recorded as a
  // status event and in its row: the one place a live session's status changes. False when
  // the status stays as it was and there is no detail to tell.
  bool transition(LiveSession& session, SessionEvent event, boost::json::object detail = {});
  // The agent's own id for the session, kept in its row for resuming.
  void set_resume_id(LiveSession& session, std::string_view provider_session_id);
  // Tells the session-list feed (session.watch) about the session's new summary.
  void changed(const LiveSession& session);
  void audit(std::string_view actor, std::string_view action, std::string_view target, const boost::json::object& detail);
  store::Store& store() { return store_; }

 private:
  core::Result<LiveSession*> live(const std::string& id);
  std::unique_ptr<providers::Provider> make_provider(LiveSession& session);
  const providers::ProviderKind* kind(core::ProviderType type) const;
  void resolve(LiveSession& session, const approvals::Resolution& resolution, const std::string& tool_use_id);
  void arm_expiry();
  void queue_event(const std::string& session_id, std::string_view kind, const boost::json::object& data);
  // Commits the untold losses' `output_lost` events, then `output`, in one transaction,
  // and streams them; when that fails, counts `output` as lost and arms a retry.
  void commit(std::vector<store::NewEvent> output, store::TimePoint time);
  void retry_storing_later();
  // session.watch hears of a session whose `storing_failed` changed.
  void feed(std::string_view session_id);
  void expire();

  net::Runtime& runtime_;
  store::Store& store_;
  LiveConnections& connections_;
  SessionsConfig config_;
  Clock now_;
  std::map<std::string, std::unique_ptr<LiveSession>, std::less<>> sessions_;
  approvals::PendingBook pending_;
  std::function<void()> cancel_expiry_;
  bool shutting_down_ = false;
  std::vector<store::NewEvent> output_;  // queued, in order, until flush_output
  store::TimePoint output_time_;         // the first queued one's: the batch's time
  bool output_flush_posted_ = false;
  LostOutput lost_;
  link::Backoff store_retry_{std::chrono::milliseconds(250), std::chrono::seconds(10)};
  std::function<void()> cancel_store_retry_;  // set: a retry is armed
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tether::daemon

// A session the daemon holds in memory: its row, mode, "for this session" grants,
// the provider (when started) and the questions waiting for an answer. It turns the
// provider's callbacks into SessionManager calls.
#pragma once

#include <boost/json/object.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "approvals/engine.hpp"
#include "daemon/session_manager.hpp"
#include "providers/provider.hpp"
#include "store/session_store.hpp"

namespace tether::daemon {

class LiveSession final : public providers::ProviderEvents {
  SessionManager& manager_;

 public:
  LiveSession(SessionManager& manager, store::SessionRow session_row, approvals::Mode session_mode)
      : manager_(manager), row(std::move(session_row)), mode(session_mode) {}

  // A question put to the devices, by approval id.
  struct Asked {
    std::string request_id;
    std::string tool_use_id;
    boost::json::object input;
    approvals::ToolCall call;
  };

  void event(std::string_view kind, boost::json::object data) override {
    manager_.emit_output(row.id, kind, std::move(data));
  }
  void tool_request(providers::ToolRequest request) override { manager_.on_tool_request(*this, std::move(request)); }
  void tool_request_cancelled(std::string_view request_id) override { manager_.on_tool_request_cancelled(*this, request_id); }
  void resumable_as(std::string_view provider_session_id) override { manager_.set_resume_id(*this, provider_session_id); }
  void turn_started() override {
    turn_active = true;
    manager_.transition(*this, SessionEvent::turn_started);
  }
  void turn_finished(bool is_error) override {
    turn_active = false;
    manager_.transition(*this, SessionEvent::turn_finished,
                        is_error ? boost::json::object{{"turn_error", true}} : boost::json::object{});
  }
  void security_alert(std::string_view what, std::string_view message, boost::json::object detail) override {
    manager_.on_security_alert(*this, what, message, std::move(detail));
  }
  void exited(int status, std::string_view detail) override { manager_.on_exited(*this, status, detail); }

  store::SessionRow row;
  approvals::Mode mode;
  std::vector<approvals::Grant> grants;
  std::unique_ptr<providers::Provider> provider;
  std::map<std::string, Asked, std::less<>> asked;
  bool stop_requested = false;
  bool turn_active = false;

  SessionFacts facts() const { return SessionFacts{turn_active, !asked.empty()}; }
};

}  // namespace tether::daemon

// SessionManager's approval half: a tool question through the engine (rules, session
// grants, mode) to an answer or a pending approval; answers, withdrawals, deadlines.
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/encoding.hpp"
#include "crypto/secrets.hpp"
#include "daemon/live_session.hpp"
#include "daemon/params.hpp"
#include "daemon/session_manager.hpp"

namespace tether::daemon {

namespace json = boost::json;

namespace {

std::string new_approval_id() { return "a" + core::hex_encode(crypto::random_bytes(6)); }

json::object approval_json(const store::ApprovalRow& row) {
  boost::system::error_code ec;
  json::value input = json::parse(row.input, ec);
  return json::object{{"id", row.id},           {"session", row.session_id},
                      {"tool", row.tool},       {"tier", row.tier},
                      {"input", ec ? json::value(json::object{}) : input},
                      {"status", core::to_string(row.status)},   {"created", store::to_unix_ms(row.created)}};
}

}  // namespace

void SessionManager::on_tool_request(LiveSession& s, providers::ToolRequest request) {
  if (request.tool.empty()) {
    // Nothing a person could judge: refuse it without asking.
    emit(s.row.id, "error", json::object{{"message", "the agent asked about a tool call without a tool name; denied"}});
    if (s.provider) s.provider->answer(request.request_id, providers::ToolAnswer{false, "tether: malformed tool request; denied", {}});
    return;
  }
  approvals::ToolCall call{request.tool, "", s.row.cwd};
  if (const auto* c = request.input.if_contains("command"); c && c->is_string()) call.command = std::string(c->as_string());
  const auto tier = approvals::classify(request.tool);

  std::vector<approvals::Rule> rules;
  if (auto stored = store_.rules().for_dir(s.row.cwd)) {
    for (auto& r : *stored) rules.push_back({r.id, r.project_dir, r.tool, r.pattern, r.decision});
  } else {
    spdlog::error("session {}: rules unreadable ({}); asking", s.row.id, stored.error().message);
  }
  const auto decision = shutting_down_ ? approvals::Decision{approvals::Verdict::deny, "daemon_stop", std::nullopt}
                                       : approvals::decide(call, s.mode, rules, s.grants);
  if (decision.verdict != approvals::Verdict::ask) {
    const bool allow = decision.verdict == approvals::Verdict::allow;
    const std::string message = allow ? "" : fmt::format("tether denied {} ({})", request.tool, decision.by);
    emit(s.row.id, "approval_resolved",
               json::object{{"approval_id", nullptr}, {"tool", request.tool}, {"tier", approvals::to_string(tier)},
                            {"tool_use_id", request.tool_use_id}, {"decision", core::to_string(core::approval_decision(allow))},
                            {"by", decision.by}, {"automatic", true}});
    audit(decision.by, allow ? "approval_allowed" : "approval_denied", s.row.id,
          json::object{{"tool", request.tool}, {"tool_use_id", request.tool_use_id}});
    if (s.provider) s.provider->answer(request.request_id, providers::ToolAnswer{allow, message, request.input});
    return;
  }

  const std::string id = new_approval_id();
  const auto now = now_();
  const std::string input_text = json::serialize(request.input);
  store::ApprovalRow row{id, s.row.id, request.tool, std::string(approvals::to_string(tier)), input_text,
                         core::ApprovalStatus::pending, std::nullopt, std::nullopt, "", now, std::nullopt};
  if (auto ok = store_.approvals().add(row); !ok) {
    // Fail closed: a question that cannot be recorded is not asked; it is denied.
    spdlog::error("session {}: cannot record an approval: {}", s.row.id, ok.error().message);
    if (s.provider) s.provider->answer(request.request_id, providers::ToolAnswer{false, "tether could not record the approval; denied", {}});
    return;
  }
  pending_.add(approvals::Pending{id, s.row.id, request.request_id,
                                  approvals::Clock::now() + config_.approval_timeout});
  s.asked.emplace(id, LiveSession::Asked{request.request_id, request.tool_use_id, request.input, call});
  json::object asked{{"approval_id", id}, {"tool", request.tool}, {"tier", approvals::to_string(tier)},
                     {"input", request.input}, {"cwd", s.row.cwd}, {"tool_use_id", request.tool_use_id},
                     {"expires", store::to_unix_ms(now + config_.approval_timeout)}};
  emit(s.row.id, "approval_requested", asked);
  asked["change"] = "requested";
  asked["session"] = s.row.id;
  asked["session_name"] = s.row.name;
  connections_.publish_feed(LiveConnections::Feed::inbox, asked);
  if (!transition(s, SessionEvent::question_asked)) changed(s);  // one more question waiting
  arm_expiry();
}

void SessionManager::resolve(LiveSession& s, const approvals::Resolution& r, const std::string& tool_use_id) {
  const auto it = s.asked.find(r.id);
  const auto status = r.allow ? core::ApprovalStatus::allowed
                              : (r.by.kind == core::Decider::Kind::timeout ? core::ApprovalStatus::expired : core::ApprovalStatus::denied);
  if (auto ok = store_.approvals().resolve(r.id, status, r.scope, r.by, r.message, now_()); !ok) {
    spdlog::error("approval {}: cannot record the answer: {}", r.id, ok.error().message);
  }
  const std::string_view scope = r.scope ? core::to_string(*r.scope) : "";
  const std::string by = core::to_string(r.by);
  json::object event{{"approval_id", r.id}, {"decision", core::to_string(core::approval_decision(r.allow))}, {"scope", scope},
                     {"by", by}, {"tool_use_id", tool_use_id}};
  if (!r.message.empty()) event["message"] = r.message;
  if (it != s.asked.end()) event["tool"] = it->second.call.tool;
  emit(s.row.id, "approval_resolved", event);
  event["change"] = "resolved";
  event["session"] = s.row.id;
  connections_.publish_feed(LiveConnections::Feed::inbox, event);
  audit(by, r.allow ? "approval_allowed" : "approval_denied", r.id,
        json::object{{"session", s.row.id}, {"scope", scope}, {"message", r.message}});
  if (s.provider && it != s.asked.end() && !r.request_id.empty()) {
    s.provider->answer(r.request_id, providers::ToolAnswer{r.allow, r.message, it->second.input});
  }
  if (it != s.asked.end()) s.asked.erase(it);
  if (!transition(s, SessionEvent::question_answered)) changed(s);  // one question fewer
  arm_expiry();
}

core::Result<json::object> SessionManager::respond(const RespondRequest& q, const proto::Caller& caller) {
  const std::string by = actor_of(caller);
  std::string message = q.message;
  if (!q.allow && message.empty()) message = "The user denied this tool call.";
  auto resolution = pending_.respond(q.approval_id, q.allow, q.scope, decider_of(caller), message);
  if (!resolution) {
    if (resolution.error().code == core::Errc::not_found) {
      // Decided by an earlier daemon run, perhaps.
      auto row = store_.approvals().get(q.approval_id);
      if (row && *row && (*row)->status != core::ApprovalStatus::pending) {
        return core::make_error(core::Errc::already_resolved, fmt::format("approval {} was already {} by {}", q.approval_id,
                                                                          core::to_string((*row)->status),
                                                                          (*row)->decided_by ? core::to_string(*(*row)->decided_by) : ""));
      }
      return core::make_error(core::Errc::not_found, fmt::format("no pending approval {}", q.approval_id));
    }
    return resolution.error();
  }
  auto s = live(resolution->session_id);
  if (!s) return s.error();
  const auto it = (*s)->asked.find(q.approval_id);
  if (it != (*s)->asked.end() && q.scope != core::ApprovalScope::once) {
    const auto& call = it->second.call;
    auto pattern = approvals::pattern_for(call, q.prefix ? std::optional<std::string_view>(*q.prefix) : std::nullopt);
    if (!pattern) {
      // Put the question back: the answer was malformed, not given.
      pending_.add(approvals::Pending{resolution->id, resolution->session_id, resolution->request_id,
                                      approvals::Clock::now() + config_.approval_timeout});
      return core::make_error(core::Errc::invalid_params, "prefix must be a prefix of the command");
    }
    if (q.scope == core::ApprovalScope::always) {
      auto rule_id =
          store_.rules().add(store::RuleRow{0, call.cwd, call.tool, *pattern, core::approval_decision(q.allow), by, now_()});
      if (rule_id) audit(by, "rule_add", std::to_string(*rule_id), json::object{{"dir", call.cwd}, {"tool", call.tool}, {"pattern", *pattern}});
    } else if (q.allow) {
      (*s)->grants.push_back(approvals::Grant{call.tool, *pattern});
    }
  }
  const std::string tool_use_id = it != (*s)->asked.end() ? it->second.tool_use_id : "";
  resolve(**s, *resolution, tool_use_id);
  return json::object{{"approval_id", q.approval_id},
                      {"decision", core::to_string(core::approval_decision(q.allow))},
                      {"scope", core::to_string(q.scope)}};
}

core::Result<json::array> SessionManager::pending_approvals() {
  auto rows = store_.approvals().pending();
  if (!rows) return rows.error();
  json::array out;
  for (const auto& row : *rows) {
    auto o = approval_json(row);
    if (const auto it = sessions_.find(row.session_id); it != sessions_.end()) {
      o["cwd"] = it->second->row.cwd;
      o["session_name"] = it->second->row.name;
    }
    out.push_back(std::move(o));
  }
  return out;
}

void SessionManager::on_tool_request_cancelled(LiveSession& s, std::string_view request_id) {
  for (const auto& [id, asked] : s.asked) {
    if (asked.request_id != request_id) continue;
    const std::string approval_id = id;
    const std::string tool_use_id = asked.tool_use_id;
    const auto agent = core::Decider::of(core::Decider::Kind::agent);
    if (auto r = pending_.cancel(approval_id, agent, "the agent withdrew the question")) {
      r->request_id.clear();
      resolve(s, *r, tool_use_id);
    }
    return;
  }
}

void SessionManager::arm_expiry() {
  if (cancel_expiry_) std::exchange(cancel_expiry_, nullptr)();
  const auto next = pending_.next_deadline();
  if (!next) return;
  const auto delay = std::max<approvals::Clock::duration>(*next - approvals::Clock::now(), std::chrono::milliseconds(0));
  cancel_expiry_ = runtime_.after(delay + std::chrono::milliseconds(1), [this] {
    cancel_expiry_ = nullptr;
    expire();
  });
}

void SessionManager::expire() {
  for (auto& r : pending_.expire(approvals::Clock::now())) {
    const auto it = sessions_.find(r.session_id);
    if (it == sessions_.end()) continue;
    const auto asked = it->second->asked.find(r.id);
    resolve(*it->second, r, asked == it->second->asked.end() ? "" : asked->second.tool_use_id);
  }
  arm_expiry();
}

}  // namespace tether::daemon

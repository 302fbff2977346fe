#include <boost/json/object.hpp>

#include "daemon/daemon_methods.hpp"
#include "daemon/params.hpp"

namespace tether::daemon {
namespace {

namespace json = boost::json;
using proto::Field;
using proto::FieldType;

const std::vector<Field> kRespond = {{"id", FieldType::string, true, 64},       {"decision", FieldType::string, true, 8},
                                     {"scope", FieldType::string, false, 16},   {"message", FieldType::string, false, 4096},
                                     {"prefix", FieldType::string, false, 4096}};
const std::vector<Field> kRuleId = {{"id", FieldType::integer, true, 0, 1}};

}  // namespace

std::vector<proto::Method> approval_methods(SessionManager& sessions, store::Store& store, LiveConnections& connections,
                                            Clock now) {
  std::vector<proto::Method> m;
  m.push_back({"approval.list", proto::Permission::read, {},
               [&sessions](const json::object&, const proto::Caller&) -> core::Result<json::value> {
                 auto list = sessions.pending_approvals();
                 if (!list) return list.error();
                 return json::value(json::object{{"approvals", std::move(*list)}});
               },
               "Pending approvals across all sessions, newest first (the inbox)."});
  m.push_back({"approval.subscribe", proto::Permission::read, {},
               [&sessions, &connections](const json::object&, const proto::Caller& caller) -> core::Result<json::value> {
                 auto list = sessions.pending_approvals();
                 if (!list) return list.error();
                 if (!connections.subscribe_feed(caller.connection_id, LiveConnections::Feed::inbox)) {
                   return core::make_error(core::Errc::not_streaming, "this connection cannot receive notifications");
                 }
                 return json::value(json::object{{"approvals", std::move(*list)}});
               },
               "The inbox now, then every change as approval.changed notifications."});
  m.push_back({"approval.respond", proto::Permission::write, kRespond,
               [&sessions](const json::object& p, const proto::Caller& caller) -> core::Result<json::value> {
                 const auto decision = core::parse_approval_decision(str_param(p, "decision"));
                 if (!decision) {
                   return core::make_error(core::Errc::invalid_params, "decision must be " + core::approval_decision_names());
                 }
                 const auto scope = core::parse_approval_scope(str_param(p, "scope", "once"));
                 if (!scope) return core::make_error(core::Errc::invalid_params, "scope must be " + core::approval_scope_names());
                 RespondRequest r{str_param(p, "id"), *decision == core::ApprovalDecision::allow, *scope,
                                  str_param(p, "message"), std::nullopt};
                 if (p.contains("prefix")) r.prefix = str_param(p, "prefix");
                 auto answered = sessions.respond(r, caller);
                 if (!answered) return answered.error();
                 return json::value(std::move(*answered));
               },
               "Answers a pending approval; the first answer wins."});
  m.push_back({"rule.list", proto::Permission::read, {},
               [&store](const json::object&, const proto::Caller&) -> core::Result<json::value> {
                 auto rules = store.rules().list();
                 if (!rules) return rules.error();
                 json::array out;
                 for (const auto& r : *rules) {
                   out.push_back(json::object{{"id", r.id}, {"dir", r.project_dir}, {"tool", r.tool}, {"pattern", r.pattern},
                                              {"decision", core::to_string(r.decision)}, {"created_by", r.created_by},
                                              {"created", store::to_unix_ms(r.created)}});
                 }
                 return json::value(json::object{{"rules", std::move(out)}});
               },
               "The stored \"always\" rules."});
  m.push_back({"rule.delete", proto::Permission::write, kRuleId,
               [&store, now](const json::object& p, const proto::Caller& caller) -> core::Result<json::value> {
                 const auto id = int_param(p, "id", 0);
                 if (auto ok = store.rules().remove(id); !ok) return ok.error();
                 store.audit().record(now(), actor_of(caller), "rule_delete", std::to_string(id), "{}");
                 return json::value(json::object{{"deleted", id}});
               },
               "Deletes a stored rule."});
  return m;
}

}  // namespace tether::daemon

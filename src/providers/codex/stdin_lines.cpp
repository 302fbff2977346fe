// The lines tether writes to codex's stdin, and codex's command line (see app_server.hpp).
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "providers/codex/app_server.hpp"

namespace tether::providers::codex {
namespace json = boost::json;

namespace {

// Notifications tether ignores: not sent at all (capabilities.optOutNotificationMethods).
json::array opted_out() {
  return json::array{"account/rateLimits/updated",        "remoteControl/status/changed",
                     "thread/status/changed",             "turn/diff/updated",
                     "item/commandExecution/outputDelta", "item/reasoning/summaryTextDelta",
                     "item/reasoning/summaryPartAdded",   "item/reasoning/textDelta",
                     "item/fileChange/outputDelta",       "skills/changed"};
}

std::string request(std::int64_t id, std::string_view method, json::object params) {
  return json::serialize(json::object{{"id", id}, {"method", method}, {"params", std::move(params)}});
}

}  // namespace

std::string initialize_request(std::int64_t id, std::string_view client_version) {
  // clientInfo.name becomes the `originator` header of codex's model requests.
  return request(id, "initialize",
                 {{"clientInfo", {{"name", "tether"}, {"title", "tether"}, {"version", client_version}}},
                  {"capabilities", {{"experimentalApi", false}, {"optOutNotificationMethods", opted_out()}}}});
}

std::string initialized_notification() { return json::serialize(json::object{{"method", "initialized"}}); }

std::string thread_start_request(std::int64_t id, std::string_view cwd, std::string_view model) {
  json::object params{{"cwd", cwd}};
  if (!model.empty()) params["model"] = model;
  return request(id, "thread/start", std::move(params));
}

// excludeTurns: tether has the history in its own log, and a full hydration is deprecated.
std::string thread_resume_request(std::int64_t id, std::string_view thread_id, std::string_view cwd, std::string_view model) {
  json::object params{{"threadId", thread_id}, {"cwd", cwd}, {"excludeTurns", true}};
  if (!model.empty()) params["model"] = model;
  return request(id, "thread/resume", std::move(params));
}

std::string turn_start_request(std::int64_t id, std::string_view thread_id, std::string_view text) {
  json::array input{json::object{{"type", "text"}, {"text", text}, {"text_elements", json::array()}}};
  return request(id, "turn/start", {{"threadId", thread_id}, {"input", std::move(input)}});
}

std::string turn_interrupt_request(std::int64_t id, std::string_view thread_id, std::string_view turn_id) {
  return request(id, "turn/interrupt", {{"threadId", thread_id}, {"turnId", turn_id}});
}

// v2 has no field for a reason: a declined call reaches the model as "rejected by user".
// v1's denial carries one.
std::string approval_answer(const json::value& id, Approval approval, bool allow, std::string_view message) {
  json::value decision;
  switch (approval) {
    case Approval::command:
    case Approval::file_change:
      decision = allow ? "accept" : "decline";
      break;
    case Approval::legacy_command:
    case Approval::legacy_patch:
      if (allow) decision = "approved";
      else decision = json::object{{"denied", {{"rejection", message}}}};
      break;
  }
  return json::serialize(json::object{{"id", id}, {"result", {{"decision", std::move(decision)}}}});
}

std::vector<std::string> command_line(const std::string& codex_bin) { return {codex_bin, "app-server"}; }

}  // namespace tether::providers::codex

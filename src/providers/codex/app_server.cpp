#include "providers/codex/app_server.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "proto/json_fields.hpp"
#include "providers/codex/items.hpp"
#include "providers/codex/text.hpp"
#include "providers/common/json_lines.hpp"

namespace tether::providers::codex {
namespace json = boost::json;
using namespace proto::fields;

namespace {

constexpr unsigned kMaxDepth = 64;                // tool inputs nest; deeper lines are not JSON to us
constexpr std::size_t kBadLineExcerpt = 200;      // bytes of a non-JSON line kept in the error event
constexpr std::size_t kMaxMethodEcho = 64;        // bytes of an unknown method echoed back
constexpr std::size_t kMaxErrorText = 4096;       // bytes of an error message kept
constexpr std::size_t kMaxRememberedItems = 64;   // fileChange items waiting for their approval or completion
constexpr std::size_t kMaxMessagesPerTurn = 4096; // agent messages given their own delta index

// Notifications that only repeat what other lines say, or concern nothing tether shows.
constexpr std::string_view kIgnored[] = {
    "thread/started",           "thread/status/changed",        "thread/readState/changed",
    "thread/name/updated",      "thread/settings/updated",      "thread/section/changed",
    "thread/goal/updated",      "thread/goal/cleared",          "thread/queue/changed",
    "thread/archived",          "thread/unarchived",            "thread/closed",
    "thread/environment/connected", "thread/environment/disconnected", "thread/attachment/updated",
    "thread/prediction/updated", "thread/project/updated",      "project/changed",
    "skills/changed",           "turn/diff/updated",            "turn/plan/updated",
    "turn/moderationMetadata",  "hook/started",                 "hook/completed",
    "item/plan/delta",          "item/reasoning/summaryTextDelta", "item/reasoning/summaryPartAdded",
    "item/reasoning/textDelta", "item/commandExecution/outputDelta", "item/commandExecution/terminalInteraction",
    "item/fileChange/outputDelta", "item/fileChange/patchUpdated", "item/mcpToolCall/progress",
    "rawResponseItem/completed", "rawResponse/completed",       "account/rateLimits/updated",
    "account/updated",          "remoteControl/status/changed", "mcpServer/startupStatus/updated",
    "app/list/updated",
};

bool ignored(std::string_view method) {
  return std::find(std::begin(kIgnored), std::end(kIgnored), method) != std::end(kIgnored);
}

Event not_json(std::string_view line) {
  std::string excerpt;
  utf8_prefix(line, kBadLineExcerpt, excerpt);
  return make_event("error", {{"message", "codex printed a line that is not JSON"}, {"line", excerpt}});
}

std::string id_key(const json::value& id) { return json::serialize(id); }

// A command as one string: a string as it is, an argv array joined with spaces.
std::string command_text(const json::value* command) {
  if (!command) return "";
  if (const json::string* s = command->if_string()) return std::string(*s);
  std::string joined;
  if (const json::array* argv = command->if_array()) {
    for (const json::value& a : *argv) {
      if (!a.is_string()) continue;
      if (!joined.empty()) joined += ' ';
      joined += a.get_string();
    }
  }
  return joined;
}

// item/commandExecution/requestApproval (v2) or execCommandApproval (v1): the question's input.
json::object command_input(const json::object& params) {
  json::object input;
  const json::value* command = params.if_contains("command");
  std::string text = command_text(command);
  if (command && command->is_array()) input["argv"] = *command;
  const json::object* network = object_at(params, "networkApprovalContext");
  if (text.empty() && network) {
    text = fmt::format("network access to {} ({})", cut_utf8(string_at(*network, "host"), 256),
                       cut_utf8(string_at(*network, "protocol"), 32));
  }
  input["command"] = text;
  if (has_string(params, "cwd")) input["cwd"] = string_at(params, "cwd");
  if (has_string(params, "reason")) input["reason"] = string_at(params, "reason");
  if (const json::array* actions = array_at(params, "commandActions")) input["command_actions"] = *actions;
  if (const json::array* parsed = array_at(params, "parsedCmd")) input["command_actions"] = *parsed;
  if (const std::string_view kind = string_at(params, "kind"); !kind.empty() && kind != "command") input["kind"] = kind;
  if (network) input["network"] = *network;
  return input;
}

// applyPatchApproval (v1): {path: change} → the same list a v2 fileChange item has.
json::array changes_of_map(const json::object& file_changes) {
  json::array list;
  for (const auto& [path, change] : file_changes) {
    json::object entry{{"path", path}};
    if (const json::object* c = change.if_object()) {
      for (const auto& [k, v] : *c) entry[k] = v;
    }
    list.push_back(std::move(entry));
  }
  return list;
}

}  // namespace

std::vector<Output> AppServerTranslator::on_line(std::string_view line) {
  std::vector<Output> out;
  line = common::trim_line(line);
  if (line.empty()) return out;
  // codex writes its JSON from Rust strings, which cannot hold a lone surrogate.
  const auto object = common::parse_object(line, kMaxDepth, common::LoneSurrogates::refuse);
  if (!object) {
    out.push_back(not_json(line));
    return out;
  }
  static const json::object kNoParams;
  const json::object* params_ptr = object_at(*object, "params");
  const json::object& params = params_ptr ? *params_ptr : kNoParams;
  const json::value* id = object->if_contains("id");
  const bool usable_id = id && (id->is_int64() || id->is_uint64() || id->is_string());
  if (has_string(*object, "method")) {
    if (usable_id) on_server_request(string_at(*object, "method"), *id, params, out);
    else on_notification(string_at(*object, "method"), params, *object, out);
    return out;
  }
  if (id && id->is_int64()) {
    Response r{id->get_int64(), true, nullptr, ""};
    if (const json::value* error = object->if_contains("error")) {
      r.ok = false;
      const json::object* e = error->if_object();
      r.error = e && has_string(*e, "message") ? std::string(cut_utf8(string_at(*e, "message"), kMaxErrorText))
                                               : std::string(cut_utf8(json::serialize(*error), kMaxErrorText));
    } else if (const json::value* result = object->if_contains("result")) {
      r.result = *result;
    }
    out.emplace_back(std::move(r));
    return out;
  }
  out.push_back(make_event("raw", {{"line", *object}}));
  return out;
}

void AppServerTranslator::on_server_request(std::string_view method, const json::value& id, const json::object& params,
                                            std::vector<Output>& out) {
  ApprovalRequest request{id_key(id), id, Approval::command, "", {}, ""};
  if (method == "item/commandExecution/requestApproval" || method == "execCommandApproval") {
    request.approval = method == "execCommandApproval" ? Approval::legacy_command : Approval::command;
    request.tool = "command_execution";
    request.input = command_input(params);
    request.tool_use_id = std::string(string_at(params, has_string(params, "itemId") ? "itemId" : "callId"));
  } else if (method == "item/fileChange/requestApproval") {
    request.approval = Approval::file_change;
    request.tool = "file_change";
    request.tool_use_id = std::string(string_at(params, "itemId"));
    const auto known = file_changes_.find(request.tool_use_id);
    request.input["changes"] = known != file_changes_.end() ? known->second : json::array();
  } else if (method == "applyPatchApproval") {
    request.approval = Approval::legacy_patch;
    request.tool = "file_change";
    request.tool_use_id = std::string(string_at(params, "callId"));
    const json::object* changes = object_at(params, "fileChanges");
    bool truncated = false;
    request.input["changes"] = bounded_changes(changes ? changes_of_map(*changes) : json::array(), truncated);
    if (truncated) request.input["changes_truncated"] = true;
  } else {
    // Answer with an error so that codex does not wait (for an approval that counts as a refusal).
    const std::string what = method.empty() ? std::string("a request without a method") : std::string(cut_utf8(method, kMaxMethodEcho));
    const json::object reply{{"id", id}, {"error", {{"code", -32601}, {"message", "tether does not handle " + what}}}};
    out.push_back(make_event("notice", {{"text", fmt::format("codex asked `{}`, which tether does not handle; refused", what)}}));
    out.emplace_back(Reply{json::serialize(reply)});
    return;
  }
  if (request.approval == Approval::file_change || request.approval == Approval::legacy_patch) {
    if (has_string(params, "reason")) request.input["reason"] = string_at(params, "reason");
    if (has_string(params, "grantRoot")) request.input["grant_root"] = string_at(params, "grantRoot");
  }
  out.emplace_back(std::move(request));
}

void AppServerTranslator::on_notification(std::string_view method, const json::object& params, const json::object& line,
                                          std::vector<Output>& out) {
  if (method == "item/agentMessage/delta") {
    if (!has_string(params, "delta")) return;
    out.push_back(make_event("assistant_delta", {{"text", string_at(params, "delta")},
                                                 {"index", message_index(string_at(params, "itemId"))}}));
  } else if (method == "item/started" || method == "item/completed") {
    const json::object* item = object_at(params, "item");
    if (!item) {
      out.push_back(make_event("raw", {{"line", line}}));
    } else if (method == "item/started") {
      on_item_started(*item, out);
    } else {
      on_item_completed(*item, line, out);
    }
  } else if (method == "turn/started") {
    const json::object* turn = object_at(params, "turn");
    out.emplace_back(TurnStarted{std::string(string_at(params, "threadId")), std::string(turn ? string_at(*turn, "id") : "")});
  } else if (method == "turn/completed") {
    on_turn_completed(params, out);
  } else if (method == "thread/tokenUsage/updated") {
    const json::object* usage = object_at(params, "tokenUsage");
    const json::object* last = usage ? object_at(*usage, "last") : nullptr;
    if (!last) return;
    usage_.input = add_counts(usage_.input, count_at(*last, "inputTokens"));
    usage_.output = add_counts(usage_.output, count_at(*last, "outputTokens"));
    usage_.cached = add_counts(usage_.cached, count_at(*last, "cachedInputTokens"));
    usage_.cache_write = add_counts(usage_.cache_write, count_at(*last, "cacheWriteInputTokens"));
    usage_.seen = true;
  } else if (method == "error") {
    const json::object* error = object_at(params, "error");
    const std::string_view message = error ? cut_utf8(string_at(*error, "message"), kMaxErrorText) : std::string_view();
    const std::string text = message.empty() ? std::string("codex reported an error without a message") : std::string(message);
    const json::value* retry = params.if_contains("willRetry");
    if (retry && retry->is_bool() && retry->get_bool()) {
      out.push_back(make_event("notice", {{"text", "retrying the model request: " + text}}));
    } else {
      out.push_back(make_event("error", {{"message", text}}));
      error_reported_ = true;
    }
  } else if (method == "warning" || method == "guardianWarning") {
    out.push_back(make_event("notice", {{"text", cut_utf8(string_at(params, "message"), kMaxErrorText)}}));
  } else if (method == "configWarning") {
    out.push_back(make_event("notice", {{"text", cut_utf8(string_at(params, "summary"), kMaxErrorText)}}));
  } else if (method == "thread/compacted") {
    out.push_back(make_event("notice", {{"text", "codex compacted the conversation's context"}}));
  } else if (method == "serverRequest/resolved") {
    if (const json::value* request_id = params.if_contains("requestId")) out.emplace_back(RequestResolved{id_key(*request_id)});
  } else if (!ignored(method)) {
    out.push_back(make_event("raw", {{"line", line}}));
  }
}

void AppServerTranslator::on_turn_completed(const json::object& params, std::vector<Output>& out) {
  static const json::object kNoTurn;
  const json::object* turn_ptr = object_at(params, "turn");
  const json::object& turn = turn_ptr ? *turn_ptr : kNoTurn;
  const std::string status(string_at(turn, "status"));
  if (usage_.seen) {
    out.push_back(make_event("usage", {{"input_tokens", usage_.input},
                                       {"output_tokens", usage_.output},
                                       {"cache_read_input_tokens", usage_.cached},
                                       {"cache_creation_input_tokens", usage_.cache_write},
                                       {"cost_usd", 0.0}}));
  }
  const bool failed = status == "failed";
  if (status == "interrupted") {
    out.push_back(make_event("notice", {{"text", "[the turn was interrupted]"}}));
  } else if (failed && !error_reported_) {
    const json::object* error = object_at(turn, "error");
    const std::string_view message = error ? cut_utf8(string_at(*error, "message"), kMaxErrorText) : std::string_view();
    out.push_back(make_event("error", {{"message", message.empty() ? std::string_view("the turn failed") : message}}));
  }
  out.emplace_back(TurnEnd{std::string(string_at(params, "threadId")), std::string(string_at(turn, "id")), status, failed});
  reset_turn();
}

void AppServerTranslator::reset_turn() {
  file_changes_.clear();
  message_index_.clear();
  usage_ = {};
  error_reported_ = false;
}

std::int64_t AppServerTranslator::message_index(std::string_view item_id) {
  if (const auto it = message_index_.find(item_id); it != message_index_.end()) return it->second;
  const auto index = static_cast<std::int64_t>(message_index_.size());
  if (message_index_.size() < kMaxMessagesPerTurn) message_index_.emplace(std::string(item_id), index);
  return index;
}

void AppServerTranslator::remember_changes(std::string_view item_id, json::array changes) {
  if (file_changes_.size() >= kMaxRememberedItems) file_changes_.erase(file_changes_.begin());
  file_changes_.insert_or_assign(std::string(item_id), std::move(changes));
}

void AppServerTranslator::forget_changes(std::string_view item_id) {
  if (const auto it = file_changes_.find(item_id); it != file_changes_.end()) file_changes_.erase(it);
}

}  // namespace tether::providers::codex

#include "providers/codex/items.hpp"

#include <fmt/format.h>

#include "proto/json_fields.hpp"
#include "providers/codex/text.hpp"

namespace tether::providers::codex {
namespace json = boost::json;
using namespace proto::fields;

namespace {

constexpr std::size_t kMaxToolResult = 64 << 10;  // a tool_result's content kept in the event
constexpr std::size_t kMaxDiffText = 64 << 10;    // diff text kept across one item's changes
constexpr std::size_t kMaxChanges = 200;          // changes kept of one item

json::object tool_result_data(std::string_view tool_use_id, std::string_view text, bool is_error) {
  json::object data{{"tool_use_id", tool_use_id}, {"content", cut_utf8(text, kMaxToolResult)}, {"is_error", is_error}};
  if (text.size() > kMaxToolResult) data["truncated"] = true;
  return data;
}

// The text blocks of a list of content items ({"type": "text" | "inputText", "text": ...}), joined.
std::string texts_of(const json::array* items) {
  std::string text;
  if (!items) return text;
  for (const json::value& v : *items) {
    const json::object* block = v.if_object();
    if (!block || !has_string(*block, "text")) continue;
    if (!text.empty()) text += '\n';
    text += string_at(*block, "text");
    if (text.size() > kMaxToolResult) break;  // the rest is cut anyway
  }
  return text;
}

std::string joined_strings(const json::array* list, std::string_view separator) {
  std::string text;
  if (!list) return text;
  for (const json::value& v : *list) {
    if (!v.is_string() || v.get_string().empty()) continue;
    if (!text.empty()) text += separator;
    text += v.get_string();
  }
  return text;
}

std::string command_of(const json::object& item) {
  const json::value* command = item.if_contains("command");
  if (command && command->is_string()) return std::string(command->get_string());
  return joined_strings(command ? command->if_array() : nullptr, " ");
}

json::object command_call_input(const json::object& item) {
  json::object input{{"command", command_of(item)}};
  if (has_string(item, "cwd")) input["cwd"] = string_at(item, "cwd");
  if (const json::array* actions = array_at(item, "commandActions")) input["command_actions"] = *actions;
  return input;
}

// An MCP or dynamic tool's arguments as a tool input: an object as it is, anything else wrapped.
json::object arguments_input(const json::object& item) {
  const json::value* arguments = item.if_contains("arguments");
  if (arguments && arguments->is_object()) return arguments->get_object();
  if (!arguments || arguments->is_null()) return {};
  return json::object{{"arguments", *arguments}};
}

std::string mcp_tool_name(const json::object& item) {
  return fmt::format("mcp__{}__{}", cut_utf8(string_at(item, "server"), 128), cut_utf8(string_at(item, "tool"), 128));
}

json::object command_result(const json::object& item) {
  const std::string_view id = string_at(item, "id");
  const std::string_view status = string_at(item, "status");
  const json::value* exit_code = item.if_contains("exitCode");
  const bool has_code = exit_code && exit_code->is_int64();
  const bool nonzero = has_code && exit_code->get_int64() != 0;
  const bool is_error = status != "completed" || nonzero;
  std::string text(string_at(item, "aggregatedOutput"));
  if (text.empty()) {
    if (status == "declined") text = "the command was declined";
    else if (has_code) text = fmt::format("(no output; exit code {})", exit_code->get_int64());
    else if (!status.empty()) text = fmt::format("(no output; {})", cut_utf8(status, 64));
  }
  return tool_result_data(id, text, is_error);
}

json::object file_change_result(const json::object& item) {
  const std::string_view status = string_at(item, "status");
  std::string text;
  if (status != "completed") text = fmt::format("{}:", status.empty() ? std::string_view("not applied") : cut_utf8(status, 64));
  if (const json::array* changes = array_at(item, "changes")) {
    for (const json::value& v : *changes) {
      const json::object* change = v.if_object();
      if (!change) continue;
      const json::object* kind = object_at(*change, "kind");
      const std::string_view how = kind ? string_at(*kind, "type") : string_at(*change, "kind");
      if (!text.empty()) text += '\n';
      text += fmt::format("{} {}", how.empty() ? std::string_view("change") : cut_utf8(how, 32), string_at(*change, "path"));
      if (text.size() > kMaxToolResult) break;
    }
  }
  return tool_result_data(string_at(item, "id"), text, status != "completed");
}

json::object mcp_result(const json::object& item) {
  const json::object* error = object_at(item, "error");
  const json::object* result = object_at(item, "result");
  std::string text = error ? std::string(string_at(*error, "message")) : texts_of(result ? array_at(*result, "content") : nullptr);
  const bool is_error = error != nullptr || string_at(item, "status") == "failed";
  return tool_result_data(string_at(item, "id"), text, is_error);
}

json::object dynamic_result(const json::object& item) {
  const json::value* success = item.if_contains("success");
  const bool failed = (success && success->is_bool() && !success->get_bool()) || string_at(item, "status") == "failed";
  return tool_result_data(string_at(item, "id"), texts_of(array_at(item, "contentItems")), failed);
}

}  // namespace

Event make_event(std::string kind, json::object data) { return Event{std::move(kind), std::move(data)}; }

json::array bounded_changes(const json::array& changes, bool& truncated) {
  json::array out;
  std::size_t budget = kMaxDiffText;
  truncated = false;
  for (const json::value& v : changes) {
    const json::object* change = v.if_object();
    if (!change) continue;
    if (out.size() == kMaxChanges) {
      truncated = true;
      break;
    }
    json::object entry{{"path", string_at(*change, "path")}};
    if (const json::value* kind = change->if_contains("kind"); kind && (kind->is_object() || kind->is_string())) {
      entry["kind"] = *kind;
    }
    const std::string_view diff = string_at(*change, "diff");
    const std::string_view kept = cut_utf8(diff, budget);
    budget -= kept.size();
    entry["diff"] = kept;
    if (kept.size() < diff.size()) {
      entry["diff_truncated"] = true;
      truncated = true;
    }
    out.push_back(std::move(entry));
  }
  return out;
}

void AppServerTranslator::on_item_started(const json::object& item, std::vector<Output>& out) {
  const std::string_view type = string_at(item, "type");
  const std::string_view id = string_at(item, "id");
  if (type == "agentMessage") {
    (void)message_index(id);  // the deltas that follow get this message's index
  } else if (type == "commandExecution") {
    out.push_back(make_event("tool_call", {{"tool_use_id", id}, {"tool", "command_execution"}, {"input", command_call_input(item)}}));
  } else if (type == "fileChange") {
    bool truncated = false;
    const json::array* changes = array_at(item, "changes");
    json::array kept = bounded_changes(changes ? *changes : json::array(), truncated);
    json::object input{{"changes", kept}};
    if (truncated) input["changes_truncated"] = true;
    remember_changes(id, std::move(kept));
    out.push_back(make_event("tool_call", {{"tool_use_id", id}, {"tool", "file_change"}, {"input", std::move(input)}}));
  } else if (type == "mcpToolCall") {
    out.push_back(make_event("tool_call", {{"tool_use_id", id}, {"tool", mcp_tool_name(item)}, {"input", arguments_input(item)}}));
  } else if (type == "dynamicToolCall") {
    const std::string_view tool = string_at(item, "tool");
    out.push_back(make_event("tool_call", {{"tool_use_id", id},
                                           {"tool", tool.empty() ? std::string_view("dynamic_tool") : cut_utf8(tool, 128)},
                                           {"input", arguments_input(item)}}));
  } else if (type == "webSearch") {
    out.push_back(make_event("tool_call", {{"tool_use_id", id}, {"tool", "web_search"}, {"input", {{"query", string_at(item, "query")}}}}));
  }
  // userMessage (tether logged the prompt itself), reasoning and the rest: told when completed.
}

void AppServerTranslator::on_item_completed(const json::object& item, const json::object& line, std::vector<Output>& out) {
  const std::string_view type = string_at(item, "type");
  if (type == "agentMessage") {
    out.push_back(make_event("assistant_text", {{"text", string_at(item, "text")}, {"message_id", string_at(item, "id")}}));
  } else if (type == "reasoning") {
    std::string text = joined_strings(array_at(item, "summary"), "\n\n");
    if (text.empty()) text = joined_strings(array_at(item, "content"), "\n\n");
    if (!text.empty()) out.push_back(make_event("thinking", {{"text", text}}));
  } else if (type == "commandExecution") {
    out.push_back(make_event("tool_result", command_result(item)));
  } else if (type == "fileChange") {
    forget_changes(string_at(item, "id"));
    out.push_back(make_event("tool_result", file_change_result(item)));
  } else if (type == "mcpToolCall") {
    out.push_back(make_event("tool_result", mcp_result(item)));
  } else if (type == "dynamicToolCall") {
    out.push_back(make_event("tool_result", dynamic_result(item)));
  } else if (type == "webSearch") {
    out.push_back(make_event("tool_result", tool_result_data(string_at(item, "id"), "", false)));
  } else if (type != "userMessage") {
    out.push_back(make_event("raw", {{"line", line}}));
  }
}

}  // namespace tether::providers::codex

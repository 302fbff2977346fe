#include "providers/claude/stream.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <cstdint>

#include "core/utf8.hpp"
#include "proto/json_fields.hpp"
#include "providers/common/json_lines.hpp"

namespace tether::providers::claude {
namespace json = boost::json;
using core::cut_utf8;
using core::utf8_prefix;
using namespace proto::fields;
namespace {

constexpr std::size_t kMaxToolResult = 64 << 10;  // a tool_result's content kept in the event
constexpr std::size_t kBadLineExcerpt = 200;      // bytes of a non-JSON line kept in the error event
constexpr std::size_t kMaxSubtypeEcho = 64;       // bytes of an unknown subtype echoed in a Reply
constexpr unsigned kMaxDepth = 64;                // tool inputs nest; deeper lines are not JSON to us

Event event(std::string kind, json::object data) { return Event{std::move(kind), std::move(data)}; }

Event raw(const json::object& line) { return event("raw", {{"line", line}}); }

Event not_json(std::string_view line) {
  std::string excerpt;
  utf8_prefix(line, kBadLineExcerpt, excerpt);
  return event("error", {{"message", "claude printed a line that is not JSON"}, {"line", excerpt}});
}

// A tool_result's content: a string, or a list of blocks whose text blocks are joined.
Event tool_result(const json::object& block) {
  std::string text;
  if (const json::value* content = block.if_contains("content")) {
    if (const json::string* s = content->if_string()) {
      text.assign(s->data(), s->size());
    } else if (const json::array* blocks = content->if_array()) {
      for (const json::value& item : *blocks) {
        const json::object* b = item.if_object();
        if (!b || string_at(*b, "type") != "text" || !has_string(*b, "text")) continue;
        if (!text.empty()) text += '\n';
        text += string_at(*b, "text");
        if (text.size() > kMaxToolResult) break;  // the rest is cut anyway
      }
    }
  }
  json::object data{{"tool_use_id", string_at(block, "tool_use_id")},
                    {"content", cut_utf8(text, kMaxToolResult)},
                    {"is_error", bool_at(block, "is_error")}};
  if (text.size() > kMaxToolResult) data["truncated"] = true;
  return event("tool_result", std::move(data));
}

void on_system(const json::object& line, std::vector<Output>& out) {
  const std::string_view subtype = string_at(line, "subtype");
  if (subtype == "init") {
    out.emplace_back(Init{std::string(string_at(line, "session_id")), std::string(string_at(line, "model"))});
  } else if (subtype == "api_retry") {
    std::string text = fmt::format("retrying the API call (attempt {} of {}", count_at(line, "attempt"), count_at(line, "max_retries"));
    if (const std::int64_t status = count_at(line, "error_status")) text += fmt::format(", HTTP {}", status);
    if (has_string(line, "error")) text += fmt::format(", {}", cut_utf8(string_at(line, "error"), 200));
    out.push_back(event("notice", {{"text", text + ")"}}));
  } else if (subtype == "status" || subtype == "ui_invalidate" || subtype.starts_with("hook_")) {
    // progress and hook chatter: the lines around it already say what happened
  } else {
    out.push_back(raw(line));
  }
}

void on_stream_event(const json::object& line, std::vector<Output>& out) {
  const json::object* ev = object_at(line, "event");
  if (!ev || string_at(*ev, "type") != "content_block_delta") return;
  const json::object* delta = object_at(*ev, "delta");
  if (!delta || string_at(*delta, "type") != "text_delta" || !has_string(*delta, "text")) return;
  out.push_back(event("assistant_delta", {{"text", string_at(*delta, "text")}, {"index", count_at(*ev, "index")}}));
}

void on_assistant(const json::object& line, std::vector<Output>& out) {
  const json::object* message = object_at(line, "message");
  const json::array* content = message ? array_at(*message, "content") : nullptr;
  if (!content) {
    out.push_back(raw(line));
    return;
  }
  const bool synthetic = string_at(*message, "model") == "<synthetic>";
  const std::string_view message_id = string_at(*message, "id");
  for (const json::value& item : *content) {
    const json::object* block = item.if_object();
    if (!block) continue;
    const std::string_view type = string_at(*block, "type");
    if (type == "text" && has_string(*block, "text")) {
      const std::string_view text = string_at(*block, "text");
      if (synthetic && text.starts_with("API Error")) {
        out.push_back(event("error", {{"message", text}}));
      } else {
        out.push_back(event("assistant_text", {{"text", text}, {"message_id", message_id}}));
      }
    } else if (type == "tool_use") {
      const json::object* input = object_at(*block, "input");
      out.push_back(event("tool_call", {{"tool_use_id", string_at(*block, "id")},
                                        {"tool", string_at(*block, "name")},
                                        {"input", input ? *input : json::object()}}));
    } else if (type == "thinking" && has_string(*block, "thinking")) {
      out.push_back(event("thinking", {{"text", string_at(*block, "thinking")}}));
    }
  }
}

void on_user(const json::object& line, std::vector<Output>& out) {
  const json::object* message = object_at(line, "message");
  const json::value* content = message ? message->if_contains("content") : nullptr;
  if (content && content->is_string()) {
    out.push_back(event("notice", {{"text", content->get_string()}}));
    return;
  }
  const json::array* blocks = content ? content->if_array() : nullptr;
  if (!blocks) {
    out.push_back(raw(line));
    return;
  }
  for (const json::value& item : *blocks) {
    const json::object* block = item.if_object();
    if (!block) continue;
    const std::string_view type = string_at(*block, "type");
    if (type == "tool_result") {
      out.push_back(tool_result(*block));
    } else if (type == "text" && has_string(*block, "text")) {
      out.push_back(event("notice", {{"text", string_at(*block, "text")}}));
    }
  }
}

// The message of a failed turn: the result text, else the errors list, else the subtype.
std::string failure_message(const json::object& line) {
  if (!string_at(line, "result").empty()) return std::string(string_at(line, "result"));
  std::string joined;
  if (const json::array* errors = array_at(line, "errors")) {
    for (const json::value& e : *errors) {
      if (!e.is_string() || e.get_string().empty()) continue;
      if (!joined.empty()) joined += "; ";
      joined += e.get_string();
    }
  }
  if (!joined.empty()) return joined;
  const std::string_view subtype = string_at(line, "subtype");
  return "the turn failed (" + std::string(subtype.empty() ? "no reason given" : subtype) + ")";
}

void on_result(const json::object& line, std::vector<Output>& out) {
  static const json::object kNoUsage;
  const json::object* usage = object_at(line, "usage");
  const json::object& u = usage ? *usage : kNoUsage;
  out.push_back(event("usage", {{"input_tokens", count_at(u, "input_tokens")},
                                {"output_tokens", count_at(u, "output_tokens")},
                                {"cache_read_input_tokens", count_at(u, "cache_read_input_tokens")},
                                {"cache_creation_input_tokens", count_at(u, "cache_creation_input_tokens")},
                                {"cost_usd", number_at(line, "total_cost_usd")}}));
  // An interrupt (or a deny that interrupts) ends the turn as "error_during_execution" with an
  // aborted_* terminal_reason: that is a turn the user cut short, not one that failed.
  const bool interrupted = string_at(line, "terminal_reason").starts_with("aborted_");
  const bool is_error = bool_at(line, "is_error") && !interrupted;
  if (interrupted) out.push_back(event("notice", {{"text", "[the turn was interrupted]"}}));
  if (is_error) out.push_back(event("error", {{"message", failure_message(line)}}));
  out.emplace_back(TurnEnd{is_error, std::string(string_at(line, "subtype")),
                           std::string(string_at(line, "terminal_reason")), std::string(string_at(line, "result"))});
}

void on_control_request(const json::object& line, std::vector<Output>& out) {
  const json::object* request = object_at(line, "request");
  if (!request || !has_string(line, "request_id")) {
    out.push_back(raw(line));
    return;
  }
  const std::string_view request_id = string_at(line, "request_id");
  const std::string_view subtype = string_at(*request, "subtype");
  if (subtype == "can_use_tool") {
    const json::object* input = object_at(*request, "input");
    out.emplace_back(PermissionRequest{std::string(request_id), std::string(string_at(*request, "tool_name")),
                                       input ? *input : json::object(), std::string(string_at(*request, "tool_use_id"))});
    return;
  }
  const std::string what = subtype.empty() ? "a control_request without a subtype" : std::string(cut_utf8(subtype, kMaxSubtypeEcho));
  const json::object reply{{"type", "control_response"},
                           {"response", {{"subtype", "error"}, {"request_id", request_id}, {"error", "tether does not handle " + what}}}};
  out.emplace_back(Reply{json::serialize(reply)});
}

void on_control_response(const json::object& line, std::vector<Output>& out) {
  const json::object* response = object_at(line, "response");
  if (!response || !has_string(*response, "request_id")) {
    out.push_back(raw(line));
    return;
  }
  out.emplace_back(ControlAck{std::string(string_at(*response, "request_id")), string_at(*response, "subtype") == "success"});
}

void on_control_cancel(const json::object& line, std::vector<Output>& out) {
  if (!has_string(line, "request_id")) {
    out.push_back(raw(line));
    return;
  }
  out.emplace_back(CancelRequest{std::string(string_at(line, "request_id"))});
}

}  // namespace

std::vector<Output> StreamTranslator::on_line(std::string_view line) {
  std::vector<Output> out;
  line = common::trim_line(line);
  if (line.empty()) return out;
  const auto object = common::parse_object(line, kMaxDepth, common::LoneSurrogates::repair);
  if (!object) {
    out.push_back(not_json(line));
    return out;
  }
  const std::string_view type = string_at(*object, "type");
  if (type == "system") on_system(*object, out);
  else if (type == "stream_event") on_stream_event(*object, out);
  else if (type == "assistant") on_assistant(*object, out);
  else if (type == "user") on_user(*object, out);
  else if (type == "result") on_result(*object, out);
  else if (type == "control_request") on_control_request(*object, out);
  else if (type == "control_response") on_control_response(*object, out);
  else if (type == "control_cancel_request") on_control_cancel(*object, out);
  else out.push_back(raw(*object));
  return out;
}

}  // namespace tether::providers::claude

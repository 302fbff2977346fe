#include "providers/opencode/events.hpp"

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "core/utf8.hpp"
#include "proto/json_fields.hpp"
#include "providers/common/json_lines.hpp"

namespace tether::providers::opencode {
namespace json = boost::json;
using core::cut_utf8;
using proto::fields::add_counts;
using proto::fields::count_at;
using proto::fields::has_string;
using proto::fields::number_at;
using proto::fields::object_at;
using proto::fields::string_at;

namespace {

constexpr std::size_t kMaxToolResult = 64 << 10;  // a tool_result's content kept in the event
constexpr std::size_t kMaxText = 4 << 20;          // a text part's deltas kept for an interrupted turn
constexpr std::size_t kBadEventExcerpt = 200;      // bytes of a non-JSON event kept in the error
constexpr unsigned kMaxDepth = 64;

Event event(std::string kind, json::object data) { return Event{std::move(kind), std::move(data)}; }

std::string_view error_message(const json::object& error) {
  if (const json::object* data = object_at(error, "data")) {
    if (has_string(*data, "message")) return string_at(*data, "message");
  }
  return string_at(error, "message");
}

}  // namespace

void EventTranslator::set_session(std::string session_id) {
  session_ = std::move(session_id);
  children_.clear();
}

void EventTranslator::prompt_sent() {
  if (!turn_open_) {
    turn_error_ = false;
    usage_ = {};
  }
  turn_open_ = true;
  turn_started_ = false;
}

bool EventTranslator::ours(const json::object& properties) const {
  return !session_.empty() && string_at(properties, "sessionID") == session_;
}

EventTranslator::Part& EventTranslator::part(const std::string& id, std::string_view message_id, std::string_view type) {
  auto it = parts_.find(id);
  if (it == parts_.end()) {
    Part p;
    p.message_id = std::string(message_id);
    p.type = std::string(type);
    p.index = parts_per_message_[p.message_id]++;
    it = parts_.emplace(id, std::move(p)).first;
  }
  return it->second;
}

std::vector<Output> EventTranslator::on_event(std::string_view data) {
  std::vector<Output> out;
  data = common::trim_line(data);
  if (data.empty()) return out;
  const auto object = common::parse_object(data, kMaxDepth, common::LoneSurrogates::repair);
  if (!object) {
    out.push_back(event("error", {{"message", "OpenCode sent an event that is not JSON"},
                                  {"line", core::utf8_excerpt(data, kBadEventExcerpt)}}));
    return out;
  }
  // Questions held from an earlier event whose tool input did not follow at once: ask now.
  std::vector<std::string> held_before;
  for (const auto& [call_id, props] : held_) held_before.push_back(call_id);
  dispatch(*object, out);
  for (const auto& call_id : held_before) {
    if (const auto it = held_.find(call_id); it != held_.end()) {
      out.emplace_back(ask(it->second));
      held_.erase(it);
    }
  }
  return out;
}

void EventTranslator::dispatch(const json::object& object, std::vector<Output>& out) {
  static const json::object kNone;
  const json::object* props_ptr = object_at(object, "properties");
  const json::object& props = props_ptr ? *props_ptr : kNone;
  const std::string_view type = string_at(object, "type");

  if (type == "server.connected") {
    out.emplace_back(Connected{});
  } else if (type == "session.created" || type == "session.updated") {
    // A subagent's session: its questions are ours to answer.
    if (const json::object* info = object_at(props, "info")) {
      const std::string_view parent = string_at(*info, "parentID");
      if (!parent.empty() && (parent == session_ || children_.contains(parent)) && has_string(*info, "id")) {
        children_.emplace(string_at(*info, "id"));
      }
    }
  } else if (type == "session.status") {
    if (!ours(props)) return;
    const json::object* status = object_at(props, "status");
    const std::string_view kind = status ? string_at(*status, "type") : std::string_view();
    if (kind == "busy" || kind == "retry") {
      if (turn_open_) turn_started_ = true;
    }
    if (kind == "retry") {
      out.push_back(event("notice", {{"text", fmt::format("retrying the model request (attempt {}): {}",
                                                          count_at(*status, "attempt"),
                                                          cut_utf8(string_at(*status, "message"), 300))}}));
    } else if (kind == "idle") {
      on_idle(out);
    }
  } else if (type == "session.idle") {
    if (ours(props)) on_idle(out);
  } else if (type == "session.error") {
    // Some errors (e.g. a provider that fails to load) come without a session.
    if (ours(props) || (!has_string(props, "sessionID") && turn_open_)) on_session_error(props, out);
  } else if (type == "session.compacted") {
    if (ours(props)) out.push_back(event("notice", {{"text", "OpenCode compacted the conversation"}}));
  } else if (type == "message.updated") {
    const json::object* info = object_at(props, "info");
    if (ours(props) && info && has_string(*info, "id")) roles_[std::string(string_at(*info, "id"))] = std::string(string_at(*info, "role"));
  } else if (type == "message.part.updated") {
    const json::object* p = object_at(props, "part");
    if (ours(props) && p) on_part(*p, out);
  } else if (type == "message.part.delta") {
    if (ours(props)) on_delta(props, out);
  } else if (type == "permission.asked") {
    const std::string_view session = string_at(props, "sessionID");
    if (!session.empty() && (session == session_ || children_.contains(session))) on_permission(props, out);
  } else if (type == "permission.replied") {
    const std::string_view session = string_at(props, "sessionID");
    if (!session.empty() && (session == session_ || children_.contains(session)) && has_string(props, "requestID")) {
      const std::string_view request = string_at(props, "requestID");
      std::erase_if(held_, [&](const auto& held) { return string_at(held.second, "id") == request; });
      out.emplace_back(PermissionReplied{std::string(request), std::string(string_at(props, "reply"))});
    }
  } else if (type == "server.heartbeat" || type == "session.diff" || type == "session.deleted" ||
             type == "message.removed" || type == "message.part.removed" || type == "todo.updated" ||
             type == "file.edited" || type == "file.watcher.updated") {
    // Noise, or state tether does not mirror (the tool calls already say what changed).
  } else if (ours(props)) {
    out.push_back(event("raw", {{"line", object}}));
  }
}

void EventTranslator::on_part(const json::object& p, std::vector<Output>& out) {
  const std::string_view message_id = string_at(p, "messageID");
  const auto role = roles_.find(message_id);
  if (role == roles_.end() || role->second != "assistant") return;  // the user's own parts, or an earlier turn's
  const std::string id(string_at(p, "id"));
  const std::string_view type = string_at(p, "type");
  if (id.empty()) return;
  Part& part = this->part(id, message_id, type);
  const json::object* time = object_at(p, "time");
  const bool ended = time && time->contains("end");

  if (type == "text") {
    const std::string_view text = string_at(p, "text");
    if (part.finished) return;
    if (ended) {
      part.finished = true;
      if (!text.empty()) out.push_back(event("assistant_text", {{"text", text}, {"message_id", message_id}}));
    } else if (text.size() >= part.text.size()) {
      part.text.assign(cut_utf8(text, kMaxText));
    }
  } else if (type == "reasoning") {
    const std::string_view text = string_at(p, "text");
    if (ended && !part.finished) {
      part.finished = true;
      if (!text.empty()) out.push_back(event("thinking", {{"text", text}}));
    }
  } else if (type == "tool") {
    on_tool_part(p, part, out);
  } else if (type == "step-finish") {
    const json::object* tokens = object_at(p, "tokens");
    if (!tokens || part.finished) return;
    part.finished = true;
    const json::object* cache = object_at(*tokens, "cache");
    // Counts a hostile server sends near the int64 limit are held there, never overflowed.
    usage_.input = add_counts(usage_.input, count_at(*tokens, "input"));
    usage_.output = add_counts(usage_.output, add_counts(count_at(*tokens, "output"), count_at(*tokens, "reasoning")));
    if (cache) {
      usage_.cache_read = add_counts(usage_.cache_read, count_at(*cache, "read"));
      usage_.cache_write = add_counts(usage_.cache_write, count_at(*cache, "write"));
    }
    usage_.cost += number_at(p, "cost");
    usage_.any = true;
  } else if (type == "step-start" || type == "snapshot" || type == "patch" || type == "agent" || type == "subtask" ||
             type == "file" || type == "compaction" || type == "retry") {
    // Bookkeeping of OpenCode's own (snapshots, steps); nothing a device shows.
  } else {
    out.push_back(event("raw", {{"line", p}}));
  }
}

void EventTranslator::on_tool_part(const json::object& p, Part& part, std::vector<Output>& out) {
  static const json::object kNone;
  const json::object* state_ptr = object_at(p, "state");
  const json::object& state = state_ptr ? *state_ptr : kNone;
  const std::string_view status = string_at(state, "status");
  const std::string call_id(string_at(p, "callID"));
  const std::string_view tool = string_at(p, "tool");
  const json::object* input_ptr = object_at(state, "input");
  const json::object input = input_ptr ? *input_ptr : json::object();
  part.call_id = call_id;
  if (status != "pending" && !call_id.empty()) tool_inputs_[call_id] = ToolInput{std::string(tool), input};
  if (status == "pending" || status.empty()) {
    if (!part.called && !call_id.empty()) uncalled_.insert(call_id);
    return;
  }
  if (!part.called) {
    part.called = true;
    uncalled_.erase(call_id);
    out.push_back(event("tool_call", {{"tool_use_id", call_id}, {"tool", tool}, {"input", input}}));
    if (const auto held = held_.find(call_id); held != held_.end()) {
      out.emplace_back(ask(held->second));
      held_.erase(held);
    }
  }
  if (part.finished || (status != "completed" && status != "error")) return;
  part.finished = true;
  const bool failed = status == "error";
  const std::string_view text = string_at(state, failed ? "error" : "output");
  json::object data{{"tool_use_id", call_id}, {"content", cut_utf8(text, kMaxToolResult)}, {"is_error", failed}};
  if (text.size() > kMaxToolResult) data["truncated"] = true;
  out.push_back(event("tool_result", std::move(data)));
}

void EventTranslator::on_delta(const json::object& props, std::vector<Output>& out) {
  if (string_at(props, "field") != "text" || !has_string(props, "delta")) return;
  const std::string_view message_id = string_at(props, "messageID");
  const auto role = roles_.find(message_id);
  if (role == roles_.end() || role->second != "assistant") return;
  const std::string id(string_at(props, "partID"));
  if (id.empty()) return;
  Part& part = this->part(id, message_id, "text");
  if (part.type != "text" || part.finished) return;  // reasoning streams too: it is shown whole, as thinking
  const std::string_view delta = string_at(props, "delta");
  if (part.text.size() + delta.size() <= kMaxText) part.text.append(delta);
  out.push_back(event("assistant_delta", {{"text", delta}, {"index", part.index}}));
}

void EventTranslator::on_permission(const json::object& props, std::vector<Output>& out) {
  const json::object* tool = object_at(props, "tool");
  const std::string_view call_id = tool ? string_at(*tool, "callID") : std::string_view();
  if (!call_id.empty() && uncalled_.contains(call_id)) {
    held_[std::string(call_id)] = props;  // its tool part goes running with the input next
    return;
  }
  out.emplace_back(ask(props));
}

PermissionAsked EventTranslator::ask(const json::object& props) const {
  const std::string_view permission = string_at(props, "permission");
  const json::object* tool = object_at(props, "tool");
  const std::string call_id(tool ? string_at(*tool, "callID") : std::string_view());
  const json::object* metadata = object_at(props, "metadata");

  // The input a person judges: the tool call's own when the question is about that tool
  // (edit covers write and patch), else what OpenCode says it is asking about.
  json::object input;
  const auto known = tool_inputs_.find(call_id);
  const bool same_tool = known != tool_inputs_.end() &&
                         (known->second.tool == permission ||
                          (permission == "edit" && (known->second.tool == "write" || known->second.tool == "patch" ||
                                                    known->second.tool == "apply_patch" || known->second.tool == "multiedit")));
  if (same_tool) {
    input = known->second.input;
  } else {
    if (metadata) input = *metadata;
    if (const json::value* patterns = props.if_contains("patterns"); patterns && patterns->is_array()) {
      input["patterns"] = *patterns;
    }
  }
  // tether's rules match a shell call by its command line.
  if (permission == "bash" && !has_string(input, "command")) {
    std::string command(metadata ? string_at(*metadata, "command") : std::string_view());
    if (command.empty()) {
      if (const json::value* patterns = props.if_contains("patterns"); patterns && patterns->is_array()) {
        for (const json::value& p : patterns->get_array()) {
          if (!p.is_string()) continue;
          if (!command.empty()) command += '\n';
          command += p.get_string();
        }
      }
    }
    input["command"] = command;
  }
  return PermissionAsked{std::string(string_at(props, "id")), std::string(permission), std::move(input), call_id,
                         std::string(string_at(props, "sessionID"))};
}

void EventTranslator::on_session_error(const json::object& props, std::vector<Output>& out) {
  static const json::object kNone;
  const json::object* error_ptr = object_at(props, "error");
  const json::object& error = error_ptr ? *error_ptr : kNone;
  const std::string_view name = string_at(error, "name");
  const std::string_view message = error_message(error);
  if (turn_open_) turn_started_ = true;
  if (name == "MessageAbortedError") {
    out.push_back(event("notice", {{"text", "[interrupted] OpenCode aborted the turn"}}));
    return;
  }
  std::string text(name.empty() ? "OpenCode reported an error" : name);
  if (const json::object* data = object_at(error, "data"); data && count_at(*data, "statusCode") > 0) {
    text += fmt::format(" (HTTP {})", count_at(*data, "statusCode"));
  }
  if (!message.empty()) text += fmt::format(": {}", cut_utf8(message, 2000));
  out.push_back(event("error", {{"message", text}}));
  if (turn_open_) turn_error_ = true;
}

std::vector<Output> EventTranslator::fail_turn() {
  std::vector<Output> out;
  if (!turn_open_) return out;
  turn_error_ = true;
  end_turn(out);
  return out;
}

void EventTranslator::on_idle(std::vector<Output>& out) {
  if (!turn_open_ || !turn_started_) return;  // a repeated idle, or one from before the prompt
  end_turn(out);
}

void EventTranslator::end_turn(std::vector<Output>& out) {
  // Text cut short (an interrupt) is still the assistant's: it goes out as it stood. A
  // tool call cut short gets its result, so no call stays open.
  for (auto& [id, p] : parts_) {
    if (p.type == "text" && !p.finished && !p.text.empty()) {
      out.push_back(event("assistant_text", {{"text", p.text}, {"message_id", p.message_id}}));
    } else if (p.type == "tool" && p.called && !p.finished) {
      out.push_back(event("tool_result", {{"tool_use_id", p.call_id},
                                          {"content", "the turn ended before this tool call finished"},
                                          {"is_error", true}}));
    }
  }
  if (usage_.any) {
    out.push_back(event("usage", {{"input_tokens", usage_.input},
                                  {"output_tokens", usage_.output},
                                  {"cache_read_input_tokens", usage_.cache_read},
                                  {"cache_creation_input_tokens", usage_.cache_write},
                                  {"cost_usd", usage_.cost}}));
  }
  // Questions still held: asked now (a person may still answer them; the agent decides).
  for (const auto& [call_id, props] : held_) out.emplace_back(ask(props));
  held_.clear();
  out.emplace_back(TurnEnd{turn_error_});
  turn_open_ = false;
  turn_started_ = false;
  turn_error_ = false;
  usage_ = {};
  roles_.clear();
  parts_.clear();
  parts_per_message_.clear();
  tool_inputs_.clear();
  uncalled_.clear();
}

}  // namespace tether::providers::opencode

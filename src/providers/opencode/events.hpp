// OpenCode's event stream (`GET /event` of `opencode serve`: one JSON object per SSE
// event, {"type", "properties"}) translated into tether events, tool questions and turn
// boundaries. Pure and defensive: any input gives outputs, never an exception. The
// mapping table is in docs/providers/opencode.md.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tether::providers::opencode {

// A tether event (kinds and data shapes as the Claude provider's; docs/protocol.md).
struct Event {
  std::string kind;
  boost::json::object data;
};

// permission.asked for the session (or one of its subagents' sessions).
struct PermissionAsked {
  std::string request_id;  // OpenCode's "per_…", answered with POST /permission/:id/reply
  std::string tool;        // the permission name OpenCode reports ("bash", "edit", "webfetch", ...)
  boost::json::object input;
  std::string tool_use_id;  // the tool call's callID
  std::string session_id;   // OpenCode's session that asks (the session's, or a subagent's)
};

// permission.replied: the question is settled (by us, or by someone else).
struct PermissionReplied {
  std::string request_id;
  std::string reply;  // "once" | "always" | "reject"
};

// server.connected: the stream is live.
struct Connected {};

// The turn is over (the session went idle after a prompt).
struct TurnEnd {
  bool is_error = false;
};

using Output = std::variant<Event, PermissionAsked, PermissionReplied, Connected, TurnEnd>;

class EventTranslator {
 public:
  // Whose events count: OpenCode's session id. Sessions it creates (subagents) count
  // for their permission questions.
  void set_session(std::string session_id);
  const std::string& session() const { return session_; }

  // A prompt was accepted: the next idle (after OpenCode reports the session busy or
  // failed) ends the turn. Idles before that belong to an earlier turn and are ignored.
  void prompt_sent();
  bool in_turn() const { return turn_open_; }

  // One event's data (the JSON text of one SSE event).
  std::vector<Output> on_event(std::string_view data);

  // The prompt was refused: the open turn ends as failed (nothing if none is open).
  std::vector<Output> fail_turn();

 private:
  struct Part {
    std::string message_id;
    std::string type;  // "text", "reasoning", "tool", ...
    std::int64_t index = 0;
    std::string text;  // text parts: the deltas so far (capped)
    std::string call_id;  // tool parts
    bool finished = false;  // its final event (text, thinking, tool_result) went out
    bool called = false;    // tool parts: tool_call went out
  };
  struct Usage {
    std::int64_t input = 0, output = 0, cache_read = 0, cache_write = 0;
    double cost = 0;
    bool any = false;
  };

  bool ours(const boost::json::object& properties) const;
  void dispatch(const boost::json::object& object, std::vector<Output>& out);
  void on_part(const boost::json::object& part, std::vector<Output>& out);
  void on_tool_part(const boost::json::object& part, Part& p, std::vector<Output>& out);
  void on_delta(const boost::json::object& properties, std::vector<Output>& out);
  void on_permission(const boost::json::object& properties, std::vector<Output>& out);
  PermissionAsked ask(const boost::json::object& properties) const;
  void on_session_error(const boost::json::object& properties, std::vector<Output>& out);
  void on_idle(std::vector<Output>& out);
  void end_turn(std::vector<Output>& out);
  Part& part(const std::string& id, std::string_view message_id, std::string_view type);

  std::string session_;
  std::set<std::string, std::less<>> children_;  // subagent sessions
  std::map<std::string, std::string, std::less<>> roles_;  // message id → "user" | "assistant"
  std::map<std::string, std::int64_t, std::less<>> parts_per_message_;
  std::map<std::string, Part, std::less<>> parts_;
  struct ToolInput {
    std::string tool;
    boost::json::object input;
  };
  std::map<std::string, ToolInput, std::less<>> tool_inputs_;  // by callID
  std::set<std::string, std::less<>> uncalled_;  // callIDs of tool parts still pending (no input yet)
  // A question that came before its tool call's input: held (for one event at most) so
  // tool_call goes out first and the question shows the tool's input. By callID.
  std::map<std::string, boost::json::object, std::less<>> held_;
  Usage usage_;
  bool turn_open_ = false;
  bool turn_started_ = false;  // busy (or an error) seen since the prompt
  bool turn_error_ = false;
};

}  // namespace tether::providers::opencode

// The Codex CLI's app-server protocol (`codex app-server`: JSON-RPC 2.0 style, one JSON
// object per line on stdio, no "jsonrpc" member), both ways. Pure: stdout lines in,
// tether events, approval questions and replies out; stdin lines built here.
// Defensive: any line, however malformed, gives outputs, never an exception.
// The mapping is described in docs/providers/codex.md.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tether::providers::codex {

// A tether event to commit to the session's log (the same kinds and data as the Claude
// provider; docs/protocol.md):
//   assistant_delta {text, index}          item/agentMessage/delta (index: the message's place in the turn)
//   assistant_text  {text, message_id}     item/completed agentMessage
//   thinking        {text}                 item/completed reasoning (its summary)
//   tool_call       {tool_use_id, tool, input}   item/started commandExecution / fileChange / mcpToolCall / dynamicToolCall
//   tool_result     {tool_use_id, content, is_error[, truncated]}   the same items completed
//   usage           {input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens, cost_usd}
//                                          the turn's thread/tokenUsage/updated "last" values, summed, at turn/completed
//   notice          {text}                 warnings, retries, an interrupted turn
//   error           {message[, line]}      error notifications, a failed turn, lines that are not JSON
//   raw             {line}                 anything else, kept
struct Event {
  std::string kind;
  boost::json::object data;
};

// What a server request asks, and so how it is answered.
enum class Approval {
  command,         // item/commandExecution/requestApproval → {"decision": "accept" | "decline"}
  file_change,     // item/fileChange/requestApproval      → {"decision": "accept" | "decline"}
  legacy_command,  // execCommandApproval (v1)             → {"decision": "approved" | {"denied": …}}
  legacy_patch,    // applyPatchApproval (v1)              → the same
};

// Codex asks whether a tool may run. `request_id` is the JSON text of the server's id
// (`0`, `"abc"`), unique among the questions open on one connection.
struct ApprovalRequest {
  std::string request_id;
  boost::json::value id;
  Approval approval = Approval::command;
  std::string tool;            // "command_execution" or "file_change"
  boost::json::object input;   // command_execution: {command (one string), cwd, ...}; file_change: {changes, ...}
  std::string tool_use_id;     // the item id (the model's call id)
};

// serverRequest/resolved: the question needs no answer any more (answered, or the turn ended).
struct RequestResolved {
  std::string request_id;
};

// The answer to one of our requests (we only send integer ids).
struct Response {
  std::int64_t id = 0;
  bool ok = true;
  boost::json::value result;  // ok
  std::string error;          // !ok: the error's message
};

struct TurnStarted {
  std::string thread_id;
  std::string turn_id;
};

// turn/completed. The usage/notice/error events come before it in the same output.
struct TurnEnd {
  std::string thread_id;
  std::string turn_id;
  std::string status;  // "completed", "interrupted", "failed", ...
  bool is_error = false;
};

// A line to write back at once (an error answer to a server request tether does not handle).
struct Reply {
  std::string line;
};

using Output = std::variant<Event, ApprovalRequest, RequestResolved, Response, TurnStarted, TurnEnd, Reply>;

// Keeps what later lines need: a fileChange item's changes (its approval request carries
// only the item id), the text index of each agent message, and the turn's token usage.
class AppServerTranslator {
 public:
  std::vector<Output> on_line(std::string_view line);

  struct Usage {
    std::int64_t input = 0, output = 0, cached = 0, cache_write = 0;
    bool seen = false;
  };

 private:
  void on_notification(std::string_view method, const boost::json::object& params, const boost::json::object& line,
                       std::vector<Output>& out);
  void on_server_request(std::string_view method, const boost::json::value& id, const boost::json::object& params,
                         std::vector<Output>& out);
  void on_item_started(const boost::json::object& item, std::vector<Output>& out);
  void on_item_completed(const boost::json::object& item, const boost::json::object& line, std::vector<Output>& out);
  void on_turn_completed(const boost::json::object& params, std::vector<Output>& out);
  void reset_turn();
  std::int64_t message_index(std::string_view item_id);
  void remember_changes(std::string_view item_id, boost::json::array changes);
  void forget_changes(std::string_view item_id);

  std::map<std::string, boost::json::array, std::less<>> file_changes_;  // by item id, until the item completes
  std::map<std::string, std::int64_t, std::less<>> message_index_;       // agent message item id → index in the turn
  Usage usage_;
  bool error_reported_ = false;  // an `error` notification already told this turn's failure
};

// stdin lines (each without the trailing '\n'). Request ids are ours, integers.
std::string initialize_request(std::int64_t id, std::string_view client_version);
std::string initialized_notification();
// No approvalPolicy or sandbox: the user's Codex configuration decides them.
std::string thread_start_request(std::int64_t id, std::string_view cwd, std::string_view model);
std::string thread_resume_request(std::int64_t id, std::string_view thread_id, std::string_view cwd, std::string_view model);
std::string turn_start_request(std::int64_t id, std::string_view thread_id, std::string_view text);
std::string turn_interrupt_request(std::int64_t id, std::string_view thread_id, std::string_view turn_id);
// The answer to an approval request: accept/decline (v2) or approved/denied (v1).
std::string approval_answer(const boost::json::value& id, Approval approval, bool allow, std::string_view message);

// The argv (argv[0] = codex_bin): `app-server`, nothing else. Never
// --dangerously-bypass-approvals-and-sandbox, and no approval or sandbox override.
std::vector<std::string> command_line(const std::string& codex_bin);

}  // namespace tether::providers::codex

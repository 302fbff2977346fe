// The Claude Code CLI's stream-json protocol (`claude -p --input-format stream-json
// --output-format stream-json --verbose --permission-prompt-tool stdio`), both ways.
// Pure: stdout lines in, tether events and requests out; stdin lines built here.
// Defensive: any line, however malformed, gives outputs, never an exception.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tether::providers::claude {

// A tether event to commit to the session's log (kinds and data in docs/protocol.md):
//   assistant_delta {text, index}            streamed text (stream_event text_delta)
//   assistant_text  {text, message_id}       a finished text block (assistant line)
//   thinking        {text}                   a finished thinking block
//   tool_call       {tool_use_id, tool, input}
//   tool_result     {tool_use_id, content, is_error[, truncated]}   content: text, at most 64 KiB
//   notice          {text}                   CLI-made user lines ("[Request interrupted by user]"), api_retry, ...
//   usage           {input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens, cost_usd}
//   error           {message[, line]}        API errors, lines that are not JSON
//   raw             {line}                   anything else, kept (line: the JSON object, or text cut to 4 KiB)
struct Event {
  std::string kind;
  boost::json::object data;
};

// can_use_tool: the CLI asks whether a tool may run. Answer with allow_response/deny_response.
struct PermissionRequest {
  std::string request_id;
  std::string tool;
  boost::json::object input;
  std::string tool_use_id;
};

// control_cancel_request: the CLI withdrew a question (e.g. after an interrupt).
struct CancelRequest {
  std::string request_id;
};

// system:init — the CLI's session id (what --resume takes) and model.
struct Init {
  std::string session_id;
  std::string model;
};

// result — the turn is over. The usage/error events come before it in the same output.
struct TurnEnd {
  bool is_error = false;
  std::string subtype;          // "success", "error_during_execution", ...
  std::string terminal_reason;  // "completed", "aborted_streaming", "aborted_tools", "api_error", ...
  std::string result;           // the final text
};

// A control_response to one of our requests (matched by request_id; the body is ignored).
struct ControlAck {
  std::string request_id;
  bool ok = true;
};

// A line to write back at once (e.g. an error answer to a control request we do not handle).
struct Reply {
  std::string line;
};

using Output = std::variant<Event, PermissionRequest, CancelRequest, Init, TurnEnd, ControlAck, Reply>;

// Stateless apart from nothing today; a class so per-stream state can be added.
class StreamTranslator {
 public:
  std::vector<Output> on_line(std::string_view line);
};

// stdin lines (each without the trailing '\n').
std::string user_message(std::string_view text);
std::string allow_response(std::string_view request_id, const boost::json::object& input);
std::string deny_response(std::string_view request_id, std::string_view message);
std::string interrupt_request(std::string_view request_id);

struct LaunchOptions {
  std::string claude_bin;  // path or name on PATH
  std::string session_id;  // --session-id for a new session, --resume when resume is true
  bool resume = false;
  std::string model;       // empty: the CLI's default
};

// The argv (argv[0] = claude_bin): -p, stream-json both ways, --verbose,
// --permission-prompt-tool stdio, --include-partial-messages, and the session/model
// flags. Never --dangerously-skip-permissions or a bypass permission mode.
std::vector<std::string> command_line(const LaunchOptions& options);

}  // namespace tether::providers::claude

#include "providers/claude/stream.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdint>
#include <string>

namespace tether::providers::claude {
namespace {
namespace json = boost::json;

// Real stdout lines of Claude Code 2.1.197 (docs/providers/claude.md), trimmed.
constexpr std::string_view kInit =
    R"({"type":"system","subtype":"init","cwd":"/w","session_id":"55555f9c-d239-43cd-bf58-a2b71ca69c0e","tools":["Task","Bash","Write"],"mcp_servers":[],"model":"claude-opus-4-8[1m]","permissionMode":"default","apiKeySource":"ANTHROPIC_API_KEY","claude_code_version":"2.1.197","output_style":"default","uuid":"07265471-aaaa","fast_mode_state":"off"})";
constexpr std::string_view kTextDelta =
    R"({"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"slow "}},"session_id":"s","parent_tool_use_id":null,"uuid":"u"})";
constexpr std::string_view kAssistantText =
    R"({"type":"assistant","message":{"id":"msg_7efffde1","type":"message","role":"assistant","model":"claude-opus-4-8","content":[{"type":"text","text":"I'll run a command."}],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10},"context_management":null},"parent_tool_use_id":null,"session_id":"55555f9c","uuid":"6bfc1b6d","request_id":"req_fake_b11a7d0a1f68"})";
constexpr std::string_view kAssistantToolUse =
    R"({"type":"assistant","message":{"id":"msg_7efffde1","type":"message","role":"assistant","model":"claude-opus-4-8","content":[{"type":"tool_use","id":"toolu_7a1d1437","name":"Bash","input":{"command":"echo hello > out.txt","description":"Run test command"}}],"stop_reason":null},"parent_tool_use_id":null,"session_id":"55555f9c","uuid":"a5641d1b","request_id":"req_fake_b11a7d0a1f68"})";
constexpr std::string_view kApiError =
    R"({"type":"assistant","message":{"id":"m1","model":"<synthetic>","role":"assistant","content":[{"type":"text","text":"API Error: 400 fake error 400"}]},"error":"unknown","session_id":"s","uuid":"u"})";
constexpr std::string_view kToolResultAllowed =
    R"j({"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_7a1d1437","type":"tool_result","content":"(Bash completed with no output)","is_error":false}]},"parent_tool_use_id":null,"session_id":"55555f9c","uuid":"b6d2576b","timestamp":"2026-11-22T21:48:20.218Z","tool_use_result":{"stdout":"","stderr":"","interrupted":false,"isImage":false,"noOutputExpected":false}})j";
constexpr std::string_view kToolResultDenied =
    R"({"type":"user","message":{"role":"user","content":[{"type":"tool_result","content":"Denied by remote approver: not allowed in test","is_error":true,"tool_use_id":"toolu_69adc505"}]},"parent_tool_use_id":null,"session_id":"054b9bdf","uuid":"fd6e13fc","timestamp":"t","tool_use_result":"Error: Denied by remote approver: not allowed in test"})";
constexpr std::string_view kInterrupted =
    R"({"type":"user","message":{"role":"user","content":[{"type":"text","text":"[Request interrupted by user]"}]},"parent_tool_use_id":null,"session_id":"196cadd9","uuid":"u","timestamp":"t"})";
constexpr std::string_view kResultSuccess =
    R"({"type":"result","subtype":"success","is_error":false,"api_error_status":null,"duration_ms":264,"num_turns":2,"result":"done","stop_reason":"end_turn","session_id":"55555f9c","total_cost_usd":0.00035,"usage":{"input_tokens":20,"cache_creation_input_tokens":3,"cache_read_input_tokens":4,"output_tokens":10},"modelUsage":{},"permission_denials":[],"terminal_reason":"completed","fast_mode_state":"off","uuid":"d89c34b6"})";
constexpr std::string_view kResultApiError =
    R"({"type":"result","subtype":"success","is_error":true,"api_error_status":400,"num_turns":1,"result":"API Error: 400 fake error 400","session_id":"s","total_cost_usd":0,"usage":{"input_tokens":0,"output_tokens":0},"terminal_reason":"completed"})";
// 2.1.330: the same result with "type" near the end.
constexpr std::string_view kResultInterrupted330 =
    R"({"duration_api_ms":0,"is_error":true,"num_turns":2,"stop_reason":null,"session_id":"196cadd9","total_cost_usd":0,"usage":{},"terminal_reason":"aborted_streaming","errors":["[ede_diagnostic] result_type=user"],"subtype":"error_during_execution","type":"result","uuid":"u"})";
constexpr std::string_view kCanUseTool =
    R"({"type":"control_request","request_id":"e0b0f069-50fd-4f60-9da2-b01ccbc1bd56","request":{"subtype":"can_use_tool","tool_name":"Bash","display_name":"Bash","input":{"command":"echo hello > out.txt","description":"Run test command"},"description":"Run test command","permission_suggestions":[],"blocked_path":"/w/out.txt","tool_use_id":"toolu_7a1d1437968a4747b93dbce7"}})";
constexpr std::string_view kHookCallback =
    R"({"type":"control_request","request_id":"f801c40e","request":{"subtype":"hook_callback","callback_id":"hook_0","input":{"hook_event_name":"PreToolUse"},"tool_use_id":"toolu_186a"}})";
constexpr std::string_view kInterruptAck = R"({"type":"control_response","response":{"subtype":"success","request_id":"int-1"}})";
constexpr std::string_view kInterruptAck330 =
    R"({"type":"control_response","response":{"subtype":"success","request_id":"int-1","response":{"still_queued":[]}}})";
constexpr std::string_view kCancel = R"({"type":"control_cancel_request","request_id":"e0b0f069"})";
constexpr std::string_view kApiRetry =
    R"({"type":"system","subtype":"api_retry","attempt":1,"max_retries":10,"retry_delay_ms":521.98,"error_status":529,"error":"overloaded","uuid":"u","session_id":"s"})";
constexpr std::string_view kPermissionDenied330 =
    R"({"type":"system","subtype":"permission_denied","tool_name":"Bash","tool_use_id":"toolu_1","message":"needs approval","uuid":"u","session_id":"s"})";

std::vector<Output> translate(std::string_view line) { return StreamTranslator{}.on_line(line); }

template <class T>
T only(std::string_view line) {
  const auto out = translate(line);
  EXPECT_EQ(out.size(), 1u) << line.substr(0, 300);
  if (out.size() != 1 || !std::holds_alternative<T>(out[0])) {
    ADD_FAILURE() << "unexpected output for " << line.substr(0, 300);
    return T{};
  }
  return std::get<T>(out[0]);
}

Event only_event(std::string_view line, std::string_view kind) {
  Event e = only<Event>(line);
  EXPECT_EQ(e.kind, kind) << line.substr(0, 300);
  return e;
}

std::string_view str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view("<missing>");
}

TEST(ClaudeStream, InitGivesSessionAndModel) {
  const auto init = only<Init>(kInit);
  EXPECT_EQ(init.session_id, "55555f9c-d239-43cd-bf58-a2b71ca69c0e");
  EXPECT_EQ(init.model, "claude-opus-4-8[1m]");
}

TEST(ClaudeStream, TextDeltaIsAnAssistantDelta) {
  const auto e = only_event(kTextDelta, "assistant_delta");
  EXPECT_EQ(str(e.data, "text"), "slow ");
  EXPECT_EQ(e.data.at("index").as_int64(), 0);
}

TEST(ClaudeStream, OtherStreamEventsAreDropped) {
  for (std::string_view line : {
           R"({"type":"stream_event","event":{"type":"message_start","message":{"id":"m"}},"session_id":"s"})",
           R"({"type":"stream_event","event":{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t","name":"Bash","input":{}}}})",
           R"({"type":"stream_event","event":{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"command\""}}})",
           R"({"type":"stream_event","event":{"type":"content_block_stop","index":0}})",
           R"({"type":"stream_event","event":{"type":"message_stop"},"abandoned_blocks":{"api_message_id":"msg_1","from_block_index":1}})",
           R"({"type":"stream_event"})",
       }) {
    EXPECT_TRUE(translate(line).empty()) << line;
  }
}

TEST(ClaudeStream, AssistantTextBlock) {
  const auto e = only_event(kAssistantText, "assistant_text");
  EXPECT_EQ(str(e.data, "text"), "I'll run a command.");
  EXPECT_EQ(str(e.data, "message_id"), "msg_7efffde1");
}

TEST(ClaudeStream, AssistantToolUseBlock) {
  const auto e = only_event(kAssistantToolUse, "tool_call");
  EXPECT_EQ(str(e.data, "tool_use_id"), "toolu_7a1d1437");
  EXPECT_EQ(str(e.data, "tool"), "Bash");
  EXPECT_EQ(json::serialize(e.data.at("input")), R"({"command":"echo hello > out.txt","description":"Run test command"})");
}

TEST(ClaudeStream, ThinkingBlock) {
  const auto e = only_event(
      R"({"type":"assistant","message":{"id":"m","content":[{"type":"thinking","thinking":"let me see","signature":"sig"}]}})",
      "thinking");
  EXPECT_EQ(str(e.data, "text"), "let me see");
}

TEST(ClaudeStream, EachBlockOfAnAssistantLineIsAnEvent) {
  const auto out = translate(
      R"({"type":"assistant","message":{"id":"m","content":[{"type":"text","text":"a"},{"type":"redacted_thinking","data":"x"},{"type":"tool_use","id":"t","name":"Write","input":{"file_path":"/f"}}]}})");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(std::get<Event>(out[0]).kind, "assistant_text");
  EXPECT_EQ(std::get<Event>(out[1]).kind, "tool_call");
}

TEST(ClaudeStream, SyntheticApiErrorIsAnError) {
  const auto e = only_event(kApiError, "error");
  EXPECT_EQ(str(e.data, "message"), "API Error: 400 fake error 400");
  // The same text from a real model is just text.
  only_event(R"({"type":"assistant","message":{"model":"claude","content":[{"type":"text","text":"API Error: none"}]}})", "assistant_text");
}

TEST(ClaudeStream, ToolResults) {
  auto e = only_event(kToolResultAllowed, "tool_result");
  EXPECT_EQ(str(e.data, "tool_use_id"), "toolu_7a1d1437");
  EXPECT_EQ(str(e.data, "content"), "(Bash completed with no output)");
  EXPECT_FALSE(e.data.at("is_error").as_bool());
  EXPECT_FALSE(e.data.contains("truncated"));

  e = only_event(kToolResultDenied, "tool_result");
  EXPECT_EQ(str(e.data, "content"), "Denied by remote approver: not allowed in test");
  EXPECT_TRUE(e.data.at("is_error").as_bool());
}

TEST(ClaudeStream, ToolResultListContentJoinsTextBlocks) {
  const auto e = only_event(
      R"({"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"one"},{"type":"image","source":{}},{"type":"text","text":"two"},{"type":"text","text":5}]}]}})",
      "tool_result");
  EXPECT_EQ(str(e.data, "content"), "one\ntwo");
  EXPECT_FALSE(e.data.at("is_error").as_bool());
}

TEST(ClaudeStream, LongToolResultIsCutAtACharacterBoundary) {
  // 'a' then 40,000 two-byte characters: 80,001 bytes; 64 KiB falls inside a character.
  std::string text = "a";
  for (int i = 0; i < 40000; ++i) text += "\xC3\xA9";
  const std::string line = R"({"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t","content":")" + text + R"("}]}})";
  const auto e = only_event(line, "tool_result");
  const auto content = str(e.data, "content");
  EXPECT_EQ(content.size(), 65535u);  // 1 + 2 * 32767: the split character is left out
  EXPECT_EQ(content, std::string_view(text).substr(0, 65535));
  EXPECT_TRUE(e.data.at("truncated").as_bool());
}

TEST(ClaudeStream, CliMadeUserTextIsANotice) {
  EXPECT_EQ(str(only_event(kInterrupted, "notice").data, "text"), "[Request interrupted by user]");
  EXPECT_EQ(str(only_event(R"({"type":"user","message":{"role":"user","content":"plain"}})", "notice").data, "text"), "plain");
}

TEST(ClaudeStream, ResultGivesUsageThenTurnEnd) {
  const auto out = translate(kResultSuccess);
  ASSERT_EQ(out.size(), 2u);
  const auto& usage = std::get<Event>(out[0]);
  EXPECT_EQ(usage.kind, "usage");
  EXPECT_EQ(usage.data.at("input_tokens").as_int64(), 20);
  EXPECT_EQ(usage.data.at("output_tokens").as_int64(), 10);
  EXPECT_EQ(usage.data.at("cache_read_input_tokens").as_int64(), 4);
  EXPECT_EQ(usage.data.at("cache_creation_input_tokens").as_int64(), 3);
  EXPECT_DOUBLE_EQ(usage.data.at("cost_usd").as_double(), 0.00035);
  const auto& end = std::get<TurnEnd>(out[1]);
  EXPECT_FALSE(end.is_error);
  EXPECT_EQ(end.subtype, "success");
  EXPECT_EQ(end.terminal_reason, "completed");
  EXPECT_EQ(end.result, "done");
}

TEST(ClaudeStream, FailedResultGivesUsageErrorTurnEnd) {
  auto out = translate(kResultApiError);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(std::get<Event>(out[0]).kind, "usage");
  const auto& error = std::get<Event>(out[1]);
  EXPECT_EQ(error.kind, "error");
  EXPECT_EQ(str(error.data, "message"), "API Error: 400 fake error 400");
  EXPECT_TRUE(std::get<TurnEnd>(out[2]).is_error);
  EXPECT_EQ(std::get<TurnEnd>(out[2]).subtype, "success");

  out = translate(R"({"type":"result","is_error":true,"subtype":"error_max_turns"})");
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(str(std::get<Event>(out[1]).data, "message"), "the turn failed (error_max_turns)");
}

// An interrupted turn ends "error_during_execution" with an aborted_* reason: a turn the
// user cut short, told as such, not an error.
TEST(ClaudeStream, AnInterruptedTurnIsANoticeNotAnError) {
  auto out = translate(kResultInterrupted330);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(std::get<Event>(out[0]).kind, "usage");
  EXPECT_EQ(std::get<Event>(out[0]).data.at("input_tokens").as_int64(), 0);
  EXPECT_EQ(std::get<Event>(out[1]).kind, "notice");
  EXPECT_EQ(str(std::get<Event>(out[1]).data, "text"), "[the turn was interrupted]");
  EXPECT_FALSE(std::get<TurnEnd>(out[2]).is_error);
  EXPECT_EQ(std::get<TurnEnd>(out[2]).terminal_reason, "aborted_streaming");
}

TEST(ClaudeStream, CanUseToolIsAPermissionRequest) {
  const auto req = only<PermissionRequest>(kCanUseTool);
  EXPECT_EQ(req.request_id, "e0b0f069-50fd-4f60-9da2-b01ccbc1bd56");
  EXPECT_EQ(req.tool, "Bash");
  EXPECT_EQ(req.tool_use_id, "toolu_7a1d1437968a4747b93dbce7");
  EXPECT_EQ(json::serialize(req.input), R"({"command":"echo hello > out.txt","description":"Run test command"})");
}

TEST(ClaudeStream, OtherControlRequestsAreAnsweredWithAnError) {
  const auto reply = only<Reply>(kHookCallback);
  EXPECT_EQ(json::parse(reply.line),
            json::parse(R"({"type":"control_response","response":{"subtype":"error","request_id":"f801c40e","error":"tether does not handle hook_callback"}})"));
  const auto no_subtype = only<Reply>(R"({"type":"control_request","request_id":"r","request":{}})");
  EXPECT_NE(no_subtype.line.find("without a subtype"), std::string::npos);
}

TEST(ClaudeStream, ControlResponsesAreAcks) {
  for (auto line : {kInterruptAck, kInterruptAck330}) {
    const auto ack = only<ControlAck>(line);
    EXPECT_EQ(ack.request_id, "int-1");
    EXPECT_TRUE(ack.ok);
  }
  EXPECT_FALSE(only<ControlAck>(R"({"type":"control_response","response":{"subtype":"error","request_id":"x","error":"no"}})").ok);
}

TEST(ClaudeStream, CancelRequest) { EXPECT_EQ(only<CancelRequest>(kCancel).request_id, "e0b0f069"); }

TEST(ClaudeStream, SystemLines) {
  EXPECT_EQ(str(only_event(kApiRetry, "notice").data, "text"), "retrying the API call (attempt 1 of 10, HTTP 529, overloaded)");
  for (std::string_view line : {
           R"({"type":"system","subtype":"status","status":"requesting","session_id":"s"})",
           R"({"type":"system","subtype":"ui_invalidate","event":"ui.render"})",
           R"({"type":"system","subtype":"hook_started","hook_id":"80ee","hook_name":"PreToolUse:Bash"})",
           R"({"type":"system","subtype":"hook_response","hook_id":"80ee","exit_code":0,"outcome":"success"})",
       }) {
    EXPECT_TRUE(translate(line).empty()) << line;
  }
  const auto raw = only_event(kPermissionDenied330, "raw");
  EXPECT_EQ(raw.data.at("line"), json::parse(kPermissionDenied330));
}

TEST(ClaudeStream, UnknownObjectsAreKeptRaw) {
  for (std::string_view line : {R"({"type":"something_new","x":[1,2]})", R"({"no_type":true})", R"({"type":7})", R"({})"}) {
    const auto e = only_event(line, "raw");
    EXPECT_EQ(e.data.at("line"), json::parse(line)) << line;
  }
}

TEST(ClaudeStream, BlankLinesGiveNothingAndLineEndsAreIgnored) {
  for (std::string_view line : {"", " ", "\r\n", "\t \n"}) EXPECT_TRUE(translate(line).empty());
  EXPECT_EQ(only<CancelRequest>(std::string(kCancel) + "\r\n").request_id, "e0b0f069");
}

TEST(ClaudeStream, LinesThatAreNotJsonObjectsAreErrors) {
  for (std::string_view line : {"hello", "[1,2]", "42", "\"str\"", "null", "true", "{\"type\":\"user\"", "{\"a\":1}}", "{\"a\":1} x",
                                "Error: When using --print, --output-format=stream-json requires --verbose"}) {
    const auto e = only_event(line, "error");
    EXPECT_EQ(str(e.data, "message"), "claude printed a line that is not JSON") << line;
    EXPECT_EQ(str(e.data, "line"), line);
  }
}

TEST(ClaudeStream, EveryPrefixOfARealLineIsHandled) {
  for (auto line : {kInit, kAssistantToolUse, kToolResultDenied, kResultSuccess, kCanUseTool}) {
    for (std::size_t n = 1; n < line.size(); ++n) {
      const auto prefix = line.substr(0, n);
      const auto out = translate(prefix);
      if (prefix.find_first_not_of(" ") == std::string_view::npos) continue;
      ASSERT_EQ(out.size(), 1u) << prefix;
      EXPECT_EQ(std::get<Event>(out[0]).kind, "error") << prefix;
    }
  }
}

TEST(ClaudeStream, ErrorExcerptIsShortValidUtf8) {
  std::string line = std::string("\xff\xfe not json ") + std::string(1000, 'x');
  auto e = only_event(line, "error");
  const auto excerpt = str(e.data, "line");
  EXPECT_LE(excerpt.size(), 200u);
  EXPECT_EQ(excerpt.substr(0, 6), "\xEF\xBF\xBD\xEF\xBF\xBD");
  // The excerpt survives a JSON round trip (it is valid UTF-8).
  EXPECT_EQ(json::parse(json::serialize(e.data)).as_object(), e.data);

  // Invalid UTF-8 inside an otherwise valid object is refused, not passed on.
  e = only_event("{\"type\":\"user\",\"message\":{\"content\":\"\xc3\"}}", "error");
  EXPECT_EQ(json::parse(json::serialize(e.data)).as_object(), e.data);
}

TEST(ClaudeStream, NulBytes) {
  const std::string bare("{\"type\":\"user\"\0}", 16);
  auto e = only_event(bare, "error");
  EXPECT_EQ(str(e.data, "line"), bare);
  // Escaped NUL inside a string is fine and kept.
  e = only_event(R"({"type":"user","message":{"content":"a\u0000b"}})", "notice");
  EXPECT_EQ(str(e.data, "text"), std::string_view("a\0b", 3));
}

TEST(ClaudeStream, DeepNestingFailsCleanly) {
  const std::size_t depth = 100000;
  const std::string arrays = std::string(depth, '[') + std::string(depth, ']');
  auto e = only_event(arrays, "error");
  EXPECT_EQ(str(e.data, "line").size(), 200u);
  const std::string in_input =
      R"({"type":"control_request","request_id":"r","request":{"subtype":"can_use_tool","input":{"a":)" + arrays + "}}}";
  only_event(in_input, "error");
  // Moderate nesting in a tool input is still accepted.
  const std::string ok = R"({"type":"control_request","request_id":"r","request":{"subtype":"can_use_tool","input":{"a":)" +
                         std::string(40, '[') + std::string(40, ']') + "}}}";
  EXPECT_EQ(only<PermissionRequest>(ok).request_id, "r");
}

TEST(ClaudeStream, HugeStrings) {
  const std::string big(10 << 20, 'x');
  const auto e = only_event(R"({"type":"assistant","message":{"id":"m","content":[{"type":"text","text":")" + big + R"("}]}})",
                            "assistant_text");
  EXPECT_EQ(str(e.data, "text").size(), big.size());
  // A huge non-JSON line only keeps its excerpt.
  EXPECT_EQ(str(only_event(big, "error").data, "line").size(), 200u);
  // A huge unknown subtype is not echoed in full.
  const auto reply = only<Reply>(R"({"type":"control_request","request_id":"r","request":{"subtype":")" + big + R"("}})");
  EXPECT_LT(reply.line.size(), 300u);
}

TEST(ClaudeStream, WrongTypesNeverThrow) {
  // Each line is a valid object with fields of the wrong type.
  EXPECT_EQ(only<Init>(R"({"type":"system","subtype":"init","session_id":5,"model":null})").session_id, "");
  EXPECT_EQ(only_event(R"({"type":"system","subtype":7})", "raw").kind, "raw");
  EXPECT_EQ(str(only_event(R"({"type":"system","subtype":"api_retry","attempt":"one","max_retries":-3,"error_status":1e300,"error":{}})", "notice").data, "text"),
            "retrying the API call (attempt 0 of 0, HTTP 9223372036854775807)");
  EXPECT_TRUE(translate(R"({"type":"stream_event","event":[]})").empty());
  EXPECT_TRUE(translate(R"({"type":"stream_event","event":{"type":"content_block_delta","delta":{"type":"text_delta","text":1}}})").empty());
  EXPECT_EQ(only_event(R"({"type":"stream_event","event":{"type":"content_block_delta","index":"x","delta":{"type":"text_delta","text":"t"}}})", "assistant_delta")
                .data.at("index").as_int64(), 0);
  only_event(R"({"type":"assistant","message":"hi"})", "raw");
  only_event(R"({"type":"assistant","message":{"content":"hi"}})", "raw");
  EXPECT_TRUE(translate(R"({"type":"assistant","message":{"content":[1,null,"x",{"type":5},{"type":"text"},{"type":"thinking","thinking":[]}]}})").empty());
  const auto call = only_event(R"({"type":"assistant","message":{"id":1,"model":2,"content":[{"type":"tool_use","id":3,"name":4,"input":[1]}]}})", "tool_call");
  EXPECT_EQ(str(call.data, "tool"), "");
  EXPECT_TRUE(call.data.at("input").as_object().empty());
  only_event(R"({"type":"user","message":{"content":{}}})", "raw");
  only_event(R"({"type":"user"})", "raw");
  const auto result = only_event(R"({"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":[],"content":{"a":1},"is_error":"yes"}]}})", "tool_result");
  EXPECT_EQ(str(result.data, "content"), "");
  EXPECT_FALSE(result.data.at("is_error").as_bool());
  auto out = translate(R"({"type":"result","is_error":"true","usage":{"input_tokens":"5","output_tokens":-2,"cache_read_input_tokens":1.5,"cache_creation_input_tokens":18446744073709551615},"total_cost_usd":"1","result":[]})");
  ASSERT_EQ(out.size(), 2u);
  const auto& usage = std::get<Event>(out[0]).data;
  EXPECT_EQ(usage.at("input_tokens").as_int64(), 0);
  EXPECT_EQ(usage.at("output_tokens").as_int64(), 0);
  EXPECT_EQ(usage.at("cache_read_input_tokens").as_int64(), 1);
  EXPECT_EQ(usage.at("cache_creation_input_tokens").as_int64(), INT64_MAX);
  EXPECT_EQ(usage.at("cost_usd").as_double(), 0.0);
  EXPECT_FALSE(std::get<TurnEnd>(out[1]).is_error);
  only_event(R"({"type":"control_request","request_id":1,"request":{"subtype":"can_use_tool"}})", "raw");
  only_event(R"({"type":"control_request","request_id":"r","request":"can_use_tool"})", "raw");
  const auto bare = only<PermissionRequest>(R"({"type":"control_request","request_id":"r","request":{"subtype":"can_use_tool","tool_name":{},"input":"x"}})");
  EXPECT_EQ(bare.tool, "");
  EXPECT_TRUE(bare.input.empty());
  only_event(R"({"type":"control_response","response":{"request_id":5}})", "raw");
  only_event(R"({"type":"control_response"})", "raw");
  EXPECT_FALSE(only<ControlAck>(R"({"type":"control_response","response":{"request_id":"r","subtype":true}})").ok);
  only_event(R"({"type":"control_cancel_request","request_id":null})", "raw");
}

TEST(ClaudeStream, LoneSurrogateEscapesBecomeReplacementCharacters) {
  // JSON.stringify writes "\ud800" for a string cut inside a surrogate pair; Boost.JSON refuses it.
  EXPECT_EQ(str(only_event(R"({"type":"user","message":{"content":"a\ud800b\udc00\\ud800\ud83d\ude00"}})", "notice").data, "text"),
            "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\\ud800\xF0\x9F\x98\x80");
  EXPECT_EQ(str(only_event(R"({"type":"user","message":{"content":"\ud83d"}})", "notice").data, "text"), "\xEF\xBF\xBD");
  // A line that is broken in other ways as well stays an error.
  only_event(R"({"type":"user","message":{"content":"\ud800"})", "error");
}

TEST(ClaudeStdin, UserMessage) {
  EXPECT_EQ(user_message("Please create out.txt"),
            R"({"type":"user","message":{"role":"user","content":"Please create out.txt"},"parent_tool_use_id":null,"session_id":""})");
  const auto quoted = json::parse(user_message("a \"q\"\nb\\")).as_object();
  EXPECT_EQ(quoted.at("message").at("content").as_string(), "a \"q\"\nb\\");
}

TEST(ClaudeStdin, AllowAlwaysCarriesUpdatedInput) {
  const auto input = json::parse(R"({"command":"echo hello > out.txt","description":"Run test command"})").as_object();
  EXPECT_EQ(allow_response("e0b0f069", input),
            R"({"type":"control_response","response":{"subtype":"success","request_id":"e0b0f069","response":{"behavior":"allow","updatedInput":{"command":"echo hello > out.txt","description":"Run test command"}}}})");
  EXPECT_EQ(allow_response("r", {}),
            R"({"type":"control_response","response":{"subtype":"success","request_id":"r","response":{"behavior":"allow","updatedInput":{}}}})");
}

TEST(ClaudeStdin, DenyAndInterrupt) {
  EXPECT_EQ(deny_response("8e337021", "Denied by remote approver: not allowed in test"),
            R"({"type":"control_response","response":{"subtype":"success","request_id":"8e337021","response":{"behavior":"deny","message":"Denied by remote approver: not allowed in test"}}})");
  EXPECT_EQ(interrupt_request("int-1"), R"({"type":"control_request","request_id":"int-1","request":{"subtype":"interrupt"}})");
}

TEST(ClaudeStdin, OurLinesReadBackThroughTheTranslator) {
  // The CLI's ack of our interrupt, built from our request id, matches it.
  const auto request = json::parse(interrupt_request("int-7")).as_object();
  const std::string ack = R"({"type":"control_response","response":{"subtype":"success","request_id":")" +
                          std::string(request.at("request_id").as_string()) + R"("}})";
  EXPECT_EQ(only<ControlAck>(ack).request_id, "int-7");
}

TEST(ClaudeCommandLine, NewSessionResumeAndModel) {
  const std::vector<std::string> base{"claude", "-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose",
                                      "--permission-prompt-tool", "stdio", "--include-partial-messages"};
  EXPECT_EQ(command_line({"claude", "", false, ""}), base);

  auto expected = base;
  expected.insert(expected.end(), {"--session-id", "55555f9c"});
  EXPECT_EQ(command_line({"claude", "55555f9c", false, ""}), expected);

  expected = base;
  expected.insert(expected.end(), {"--resume", "55555f9c", "--model", "claude-test-model"});
  EXPECT_EQ(command_line({"claude", "55555f9c", true, "claude-test-model"}), expected);

  for (const auto& arg : command_line({"/x/claude", "s", true, "m"})) {
    EXPECT_EQ(arg.find("dangerously"), std::string::npos);
    EXPECT_EQ(arg.find("bypass"), std::string::npos);
  }
}

}  // namespace
}  // namespace tether::providers::claude

// The app-server translator on real stdout lines of codex 0.169.0 (the shared codex.md,
// sections 4-8, and captures from this adapter's probes), trimmed; then hostile input.
#include "providers/codex/app_server.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <string>

namespace tether::providers::codex {
namespace {
namespace json = boost::json;

constexpr std::string_view kInitializeResult =
    R"~({"id":1,"result":{"userAgent":"tether/0.169.0 (Debian 12.0.0; x86_64) unknown (tether; 0.1)","codexHome":"/w/home","platformFamily":"unix","platformOs":"linux"}})~";
constexpr std::string_view kConfigWarning =
    R"({"method":"configWarning","params":{"summary":"Codex could not find bubblewrap on PATH. Codex will use the bundled bubblewrap in the meantime.","details":null},"emittedAtMs":1795463574469})";
constexpr std::string_view kThreadStartResult =
    R"({"id":2,"result":{"thread":{"id":"01a209f7-f3c9-79f3-9a58-4f3ea779bb1a","sessionId":"01a209f7-f3c9","preview":"","ephemeral":false,"modelProvider":"fake","model":"fake-model","status":{"type":"idle"},"path":"/w/home/sessions/2026/11/23/rollout.jsonl","cwd":"/w/ws","cliVersion":"0.169.0","turns":[]},"model":"fake-model","approvalPolicy":"on-request","sandbox":{"type":"readOnly","networkAccess":false}}})";
constexpr std::string_view kThreadStarted =
    R"({"method":"thread/started","params":{"thread":{"id":"01a209f7-f3c9-79f3-9a58-4f3ea779bb1a","turns":[]}},"emittedAtMs":1})";
constexpr std::string_view kTurnStartResult =
    R"({"id":3,"result":{"turn":{"id":"01a209f7-f3e4-7cb0-a1b7-19614940e2af","items":[],"itemsView":"notLoaded","status":"inProgress","error":null,"startedAt":null,"completedAt":null,"durationMs":null}}})";
constexpr std::string_view kWarning =
    R"({"method":"warning","params":{"threadId":"01a209f7","message":"Model metadata for `fake-model` not found. Defaulting to fallback metadata; this can degrade performance and cause issues."},"emittedAtMs":1})";
constexpr std::string_view kTurnStarted =
    R"({"method":"turn/started","params":{"threadId":"01a209f7-f3c9-79f3-9a58-4f3ea779bb1a","turn":{"id":"01a209f7-f3e4-7cb0-a1b7-19614940e2af","status":"inProgress","items":[]}},"emittedAtMs":1})";
constexpr std::string_view kUserMessageStarted =
    R"({"method":"item/started","params":{"item":{"type":"userMessage","id":"01a209f7-f416","clientId":null,"content":[{"type":"text","text":"Please create out.txt","text_elements":[]}]},"threadId":"t","turnId":"u"}})";
constexpr std::string_view kAgentMessageStarted =
    R"({"method":"item/started","params":{"item":{"type":"agentMessage","moderation":null,"id":"msg_2_68c112ef","text":"","phase":null},"threadId":"t","turnId":"u"}})";
constexpr std::string_view kAgentDelta =
    R"({"method":"item/agentMessage/delta","params":{"threadId":"t","turnId":"u","itemId":"msg_2_68c112ef","delta":"I'll run a command."},"emittedAtMs":1})";
constexpr std::string_view kAgentCompleted =
    R"({"method":"item/completed","params":{"item":{"type":"agentMessage","id":"msg_2_68c112ef","text":"I'll run a command.","phase":null},"threadId":"t","turnId":"u"}})";
constexpr std::string_view kCommandStarted =
    R"({"method":"item/started","params":{"item":{"type":"commandExecution","id":"call_4_0af38fa3","command":"/bin/bash -lc 'echo hello > out.txt'","cwd":"/w/ws","processId":null,"source":"agent","status":"inProgress","commandActions":[{"type":"unknown","command":"echo hello > out.txt"}],"aggregatedOutput":null,"exitCode":null,"durationMs":null},"threadId":"t","turnId":"u"}})";
constexpr std::string_view kCommandApproval =
    R"({"method":"item/commandExecution/requestApproval","id":0,"params":{"kind":"command","threadId":"01a209f7","turnId":"01a209f7-f3e4","itemId":"call_4_0af38fa3","startedAtMs":1795463574624,"environmentId":"local","reason":"the test runs this outside the sandbox","command":"/bin/bash -lc 'echo hello > out.txt'","cwd":"/w/ws","commandActions":[{"type":"unknown","command":"echo hello > out.txt"}],"proposedExecpolicyAmendment":["/bin/bash","-lc","echo hello > out.txt"],"availableDecisions":["accept",{"acceptWithExecpolicyAmendment":{"execpolicy_amendment":["/bin/bash","-lc","echo hello > out.txt"]}},"cancel"]}})";
constexpr std::string_view kResolved =
    R"({"method":"serverRequest/resolved","params":{"threadId":"01a209f7","requestId":0},"emittedAtMs":1})";
constexpr std::string_view kCommandCompleted =
    R"({"method":"item/completed","params":{"item":{"type":"commandExecution","id":"call_4_0af38fa3","command":"/bin/bash -lc 'echo hello > out.txt'","cwd":"/w/ws","processId":"34223","source":"unifiedExecStartup","status":"completed","commandActions":[],"aggregatedOutput":null,"exitCode":0,"durationMs":0},"threadId":"t","turnId":"u"}})";
constexpr std::string_view kCommandDeclined =
    R"({"method":"item/completed","params":{"item":{"type":"commandExecution","id":"call_c180039c","command":"/bin/bash -lc 'echo hello > out.txt'","cwd":"/w/ws","processId":null,"source":"agent","status":"declined","commandActions":[],"aggregatedOutput":null,"exitCode":null,"durationMs":null},"threadId":"t","turnId":"u"}})";
constexpr std::string_view kTokenUsage1 =
    R"({"method":"thread/tokenUsage/updated","params":{"threadId":"t","turnId":"u","tokenUsage":{"total":{"totalTokens":110,"inputTokens":100,"cachedInputTokens":0,"cacheWriteInputTokens":0,"outputTokens":10,"reasoningOutputTokens":0},"last":{"totalTokens":110,"inputTokens":100,"cachedInputTokens":0,"cacheWriteInputTokens":0,"outputTokens":10,"reasoningOutputTokens":0},"modelContextWindow":258400}}})";
constexpr std::string_view kTokenUsage2 =
    R"({"method":"thread/tokenUsage/updated","params":{"threadId":"t","turnId":"u","tokenUsage":{"total":{"totalTokens":220,"inputTokens":200,"cachedInputTokens":7,"cacheWriteInputTokens":0,"outputTokens":20,"reasoningOutputTokens":0},"last":{"totalTokens":110,"inputTokens":100,"cachedInputTokens":7,"cacheWriteInputTokens":3,"outputTokens":10,"reasoningOutputTokens":0},"modelContextWindow":258400}}})";
constexpr std::string_view kTurnCompleted =
    R"({"method":"turn/completed","params":{"threadId":"01a209f7-f3c9-79f3-9a58-4f3ea779bb1a","turn":{"id":"01a209f7-f3e4-7cb0-a1b7-19614940e2af","items":[],"itemsView":"summary","status":"completed","error":null,"durationMs":251}},"emittedAtMs":1})";
constexpr std::string_view kTurnInterrupted =
    R"({"method":"turn/completed","params":{"threadId":"t","turn":{"id":"01a209ef-8675","items":[],"itemsView":"notLoaded","status":"interrupted","error":null,"durationMs":86}},"emittedAtMs":1})";
constexpr std::string_view kErrorFinal =
    R"({"method":"error","params":{"error":{"message":"We’re currently experiencing high demand, which may cause temporary errors.","codexErrorInfo":"internalServerError","additionalDetails":null},"willRetry":false,"threadId":"t","turnId":"u"}})";
constexpr std::string_view kErrorRetry =
    R"({"method":"error","params":{"error":{"message":"We’re currently experiencing high demand","codexErrorInfo":"internalServerError"},"willRetry":true,"threadId":"t","turnId":"u"}})";
constexpr std::string_view kTurnFailed =
    R"({"method":"turn/completed","params":{"threadId":"t","turn":{"id":"u","items":[],"status":"failed","error":{"message":"Missing environment variable: `FAKE_API_KEY`.","codexErrorInfo":"other"}}}})";
constexpr std::string_view kReasoning =
    R"({"method":"item/completed","params":{"item":{"type":"reasoning","id":"rs_d60d7538","summary":["thinking hard","and more"],"content":[]},"threadId":"t","turnId":"u"}})";
constexpr std::string_view kFileChangeStarted =
    R"({"method":"item/started","params":{"item":{"type":"fileChange","id":"call_3_6954cba0","changes":[{"path":"/w/ws/patched.txt","kind":{"type":"add"},"diff":"patched line\n"}],"status":"inProgress"},"threadId":"t","turnId":"u"}})";
constexpr std::string_view kFileChangeApproval =
    R"({"method":"item/fileChange/requestApproval","id":1,"params":{"threadId":"01a209f8","turnId":"01a209f8","itemId":"call_3_6954cba0","startedAtMs":1795463579030,"reason":null,"grantRoot":null}})";
constexpr std::string_view kFileChangeDeclined =
    R"({"method":"item/completed","params":{"item":{"type":"fileChange","id":"call_3_6954cba0","changes":[{"path":"/w/ws/patched.txt","kind":{"type":"add"},"diff":"patched line\n"}],"status":"declined"},"threadId":"t","turnId":"u"}})";
constexpr std::string_view kNotInitialized = R"({"error":{"code":-32600,"message":"Not initialized"},"id":1})";
constexpr std::string_view kNoRollout =
    R"({"error":{"code":-32600,"message":"no rollout found for thread id 01a209f6-0000"},"id":3})";
constexpr std::string_view kLegacyExec =
    R"({"method":"execCommandApproval","id":"legacy-1","params":{"conversationId":"c","callId":"call_9","approvalId":null,"command":["/bin/bash","-lc","rm -rf build"],"cwd":"/w/ws","reason":null,"parsedCmd":[]}})";
constexpr std::string_view kUserInput =
    R"({"method":"item/tool/requestUserInput","id":5,"params":{"threadId":"t","turnId":"u","itemId":"i","questions":[],"isBlocking":true,"autoResolutionMs":null}})";

std::vector<Output> run(AppServerTranslator& t, std::string_view line) { return t.on_line(line); }

template <class T>
T only(AppServerTranslator& t, std::string_view line) {
  auto out = t.on_line(line);
  EXPECT_EQ(out.size(), 1u) << line.substr(0, 300);
  if (out.size() != 1 || !std::holds_alternative<T>(out[0])) {
    ADD_FAILURE() << "unexpected output for " << line.substr(0, 300);
    return T{};
  }
  return std::get<T>(std::move(out[0]));
}

Event only_event(AppServerTranslator& t, std::string_view line, std::string_view kind) {
  auto e = only<Event>(t, line);
  EXPECT_EQ(e.kind, kind) << line.substr(0, 300);
  return e;
}

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string("<missing>");
}

TEST(CodexTranslator, ResponsesCarryTheirIdAndResult) {
  AppServerTranslator t;
  auto init = only<Response>(t, kInitializeResult);
  EXPECT_EQ(init.id, 1);
  EXPECT_TRUE(init.ok);
  auto thread = only<Response>(t, kThreadStartResult);
  EXPECT_EQ(thread.id, 2);
  EXPECT_EQ(thread.result.at("thread").at("id").as_string(), "01a209f7-f3c9-79f3-9a58-4f3ea779bb1a");
  auto turn = only<Response>(t, kTurnStartResult);
  EXPECT_EQ(turn.result.at("turn").at("id").as_string(), "01a209f7-f3e4-7cb0-a1b7-19614940e2af");

  auto refused = only<Response>(t, kNotInitialized);
  EXPECT_EQ(refused.id, 1);
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.error, "Not initialized");
  EXPECT_EQ(only<Response>(t, kNoRollout).error, "no rollout found for thread id 01a209f6-0000");
}

TEST(CodexTranslator, ATurnWithACommandApproval) {
  AppServerTranslator t;
  EXPECT_TRUE(run(t, kThreadStarted).empty());
  EXPECT_EQ(str(only_event(t, kWarning, "notice").data, "text").substr(0, 14), "Model metadata");
  auto started = only<TurnStarted>(t, kTurnStarted);
  EXPECT_EQ(started.thread_id, "01a209f7-f3c9-79f3-9a58-4f3ea779bb1a");
  EXPECT_EQ(started.turn_id, "01a209f7-f3e4-7cb0-a1b7-19614940e2af");
  EXPECT_TRUE(run(t, kUserMessageStarted).empty());  // tether logs the prompt itself
  EXPECT_TRUE(run(t, kAgentMessageStarted).empty());
  auto delta = only_event(t, kAgentDelta, "assistant_delta");
  EXPECT_EQ(str(delta.data, "text"), "I'll run a command.");
  EXPECT_EQ(delta.data.at("index").as_int64(), 0);
  auto text = only_event(t, kAgentCompleted, "assistant_text");
  EXPECT_EQ(str(text.data, "text"), "I'll run a command.");
  EXPECT_EQ(str(text.data, "message_id"), "msg_2_68c112ef");

  auto call = only_event(t, kCommandStarted, "tool_call");
  EXPECT_EQ(str(call.data, "tool"), "command_execution");
  EXPECT_EQ(str(call.data, "tool_use_id"), "call_4_0af38fa3");
  EXPECT_EQ(str(call.data.at("input").as_object(), "command"), "/bin/bash -lc 'echo hello > out.txt'");

  auto ask = only<ApprovalRequest>(t, kCommandApproval);
  EXPECT_EQ(ask.request_id, "0");
  EXPECT_EQ(ask.id, json::value(0));
  EXPECT_EQ(ask.approval, Approval::command);
  EXPECT_EQ(ask.tool, "command_execution");
  EXPECT_EQ(ask.tool_use_id, "call_4_0af38fa3");
  EXPECT_EQ(str(ask.input, "command"), "/bin/bash -lc 'echo hello > out.txt'");
  EXPECT_EQ(str(ask.input, "cwd"), "/w/ws");
  EXPECT_EQ(str(ask.input, "reason"), "the test runs this outside the sandbox");
  EXPECT_FALSE(ask.input.contains("argv"));  // the command was one string already
  EXPECT_EQ(ask.input.at("command_actions").as_array().size(), 1u);

  EXPECT_EQ(only<RequestResolved>(t, kResolved).request_id, "0");
  auto result = only_event(t, kCommandCompleted, "tool_result");
  EXPECT_EQ(str(result.data, "tool_use_id"), "call_4_0af38fa3");
  EXPECT_EQ(result.data.at("is_error"), json::value(false));
  EXPECT_EQ(str(result.data, "content"), "(no output; exit code 0)");

  EXPECT_TRUE(run(t, kTokenUsage1).empty());
  EXPECT_TRUE(run(t, kTokenUsage2).empty());
  auto end = run(t, kTurnCompleted);
  ASSERT_EQ(end.size(), 2u);
  const auto& usage = std::get<Event>(end[0]);
  EXPECT_EQ(usage.kind, "usage");
  EXPECT_EQ(usage.data.at("input_tokens").as_int64(), 200);  // the two requests' "last", summed
  EXPECT_EQ(usage.data.at("output_tokens").as_int64(), 20);
  EXPECT_EQ(usage.data.at("cache_read_input_tokens").as_int64(), 7);
  EXPECT_EQ(usage.data.at("cache_creation_input_tokens").as_int64(), 3);
  const auto& turn_end = std::get<TurnEnd>(end[1]);
  EXPECT_EQ(turn_end.status, "completed");
  EXPECT_FALSE(turn_end.is_error);
  EXPECT_EQ(turn_end.turn_id, "01a209f7-f3e4-7cb0-a1b7-19614940e2af");

  // The next turn starts counting afresh.
  auto next = run(t, kTurnCompleted);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<TurnEnd>(next[0]));
}

TEST(CodexTranslator, DeclinedCommandIsAnErrorResult) {
  AppServerTranslator t;
  auto result = only_event(t, kCommandDeclined, "tool_result");
  EXPECT_EQ(result.data.at("is_error"), json::value(true));
  EXPECT_EQ(str(result.data, "content"), "the command was declined");

  auto failed = only_event(
      t, R"({"method":"item/completed","params":{"item":{"type":"commandExecution","id":"c2","status":"failed","aggregatedOutput":"boom\n","exitCode":1}}})",
      "tool_result");
  EXPECT_EQ(failed.data.at("is_error"), json::value(true));
  EXPECT_EQ(str(failed.data, "content"), "boom\n");
  auto nonzero = only_event(
      t, R"({"method":"item/completed","params":{"item":{"type":"commandExecution","id":"c3","status":"completed","aggregatedOutput":null,"exitCode":2}}})",
      "tool_result");
  EXPECT_EQ(nonzero.data.at("is_error"), json::value(true));
  EXPECT_EQ(str(nonzero.data, "content"), "(no output; exit code 2)");
}

TEST(CodexTranslator, EachAgentMessageOfATurnHasItsOwnDeltaIndex) {
  AppServerTranslator t;
  (void)run(t, kAgentMessageStarted);
  auto second = std::string(kAgentDelta);
  second.replace(second.find("msg_2_68c112ef"), 14, "msg_6_d2d64213");
  EXPECT_EQ(only_event(t, kAgentDelta, "assistant_delta").data.at("index").as_int64(), 0);
  EXPECT_EQ(only_event(t, second, "assistant_delta").data.at("index").as_int64(), 1);
  EXPECT_EQ(only_event(t, kAgentDelta, "assistant_delta").data.at("index").as_int64(), 0);
  (void)run(t, kTurnCompleted);
  EXPECT_EQ(only_event(t, second, "assistant_delta").data.at("index").as_int64(), 0);
}

TEST(CodexTranslator, ReasoningSummaryIsThinking) {
  AppServerTranslator t;
  EXPECT_EQ(str(only_event(t, kReasoning, "thinking").data, "text"), "thinking hard\n\nand more");
  const std::string empty = R"({"method":"item/completed","params":{"item":{"type":"reasoning","id":"r","summary":[],"content":[]}}})";
  EXPECT_TRUE(run(t, empty).empty());
}

TEST(CodexTranslator, FileChangeApprovalGetsTheChangesOfItsItem) {
  AppServerTranslator t;
  auto call = only_event(t, kFileChangeStarted, "tool_call");
  EXPECT_EQ(str(call.data, "tool"), "file_change");
  auto ask = only<ApprovalRequest>(t, kFileChangeApproval);
  EXPECT_EQ(ask.approval, Approval::file_change);
  EXPECT_EQ(ask.tool, "file_change");
  EXPECT_EQ(ask.request_id, "1");
  EXPECT_EQ(ask.tool_use_id, "call_3_6954cba0");
  ASSERT_EQ(ask.input.at("changes").as_array().size(), 1u);
  const auto& change = ask.input.at("changes").as_array()[0].as_object();
  EXPECT_EQ(str(change, "path"), "/w/ws/patched.txt");
  EXPECT_EQ(str(change, "diff"), "patched line\n");
  EXPECT_EQ(str(change.at("kind").as_object(), "type"), "add");

  auto result = only_event(t, kFileChangeDeclined, "tool_result");
  EXPECT_EQ(result.data.at("is_error"), json::value(true));
  EXPECT_EQ(str(result.data, "content"), "declined:\nadd /w/ws/patched.txt");
  // Its changes are forgotten once it completed.
  EXPECT_TRUE(only<ApprovalRequest>(t, kFileChangeApproval).input.at("changes").as_array().empty());
}

TEST(CodexTranslator, LegacyExecApprovalJoinsTheArgvAndKeepsIt) {
  AppServerTranslator t;
  auto ask = only<ApprovalRequest>(t, kLegacyExec);
  EXPECT_EQ(ask.approval, Approval::legacy_command);
  EXPECT_EQ(ask.request_id, "\"legacy-1\"");
  EXPECT_EQ(ask.id, json::value("legacy-1"));
  EXPECT_EQ(ask.tool, "command_execution");
  EXPECT_EQ(ask.tool_use_id, "call_9");
  EXPECT_EQ(str(ask.input, "command"), "/bin/bash -lc rm -rf build");
  EXPECT_EQ(ask.input.at("argv").as_array().size(), 3u);
}

TEST(CodexTranslator, AnInterruptedTurnSaysSoAndIsNoError) {
  AppServerTranslator t;
  auto out = run(t, kTurnInterrupted);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(std::get<Event>(out[0]).kind, "notice");
  EXPECT_NE(str(std::get<Event>(out[0]).data, "text").find("interrupted"), std::string::npos);
  EXPECT_EQ(std::get<TurnEnd>(out[1]).status, "interrupted");
  EXPECT_FALSE(std::get<TurnEnd>(out[1]).is_error);
}

TEST(CodexTranslator, AFailedTurnGivesOneErrorEvent) {
  AppServerTranslator t;
  EXPECT_EQ(only_event(t, kErrorRetry, "notice").kind, "notice");
  EXPECT_EQ(str(only_event(t, kErrorFinal, "error").data, "message"),
            "We’re currently experiencing high demand, which may cause temporary errors.");
  auto out = run(t, kTurnFailed);
  ASSERT_EQ(out.size(), 1u);  // the error was told already
  EXPECT_TRUE(std::get<TurnEnd>(out[0]).is_error);

  // Without an error notification the turn's own error is told.
  out = run(t, kTurnFailed);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(str(std::get<Event>(out[0]).data, "message"), "Missing environment variable: `FAKE_API_KEY`.");
  EXPECT_TRUE(std::get<TurnEnd>(out[1]).is_error);
}

TEST(CodexTranslator, UnhandledServerRequestsAreRefusedAtOnce) {
  AppServerTranslator t;
  auto out = run(t, kUserInput);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(std::get<Event>(out[0]).kind, "notice");
  const auto reply = json::parse(std::get<Reply>(out[1]).line).as_object();
  EXPECT_EQ(reply.at("id"), json::value(5));
  EXPECT_EQ(reply.at("error").at("code"), json::value(-32601));
  EXPECT_NE(str(reply.at("error").as_object(), "message").find("item/tool/requestUserInput"), std::string::npos);
}

TEST(CodexTranslator, ChatterIsDroppedAndTheUnknownKept) {
  AppServerTranslator t;
  EXPECT_TRUE(run(t, R"({"method":"thread/status/changed","params":{"threadId":"t","status":{"type":"idle"}}})").empty());
  EXPECT_TRUE(run(t, R"({"method":"turn/diff/updated","params":{"diff":"x"}})").empty());
  EXPECT_EQ(str(only_event(t, kConfigWarning, "notice").data, "text").substr(0, 21), "Codex could not find ");
  auto raw = only_event(t, R"({"method":"something/new","params":{"x":1}})", "raw");
  EXPECT_EQ(raw.data.at("line").at("method"), json::value("something/new"));
  auto item = only_event(t, R"({"method":"item/completed","params":{"item":{"type":"contextCompaction","id":"c"}}})", "raw");
  EXPECT_TRUE(item.data.at("line").is_object());
}

// --- hostile input ---

TEST(CodexTranslator, LinesThatAreNotObjectsAreErrorsWithAValidExcerpt) {
  AppServerTranslator t;
  for (std::string_view line : {std::string_view("not json"), std::string_view("[1,2]"), std::string_view("\"s\""),
                                std::string_view("{\"id\":1,"), std::string_view("\xff\xfe{}")}) {
    auto e = only_event(t, line, "error");
    std::string excerpt = str(e.data, "line");
    boost::system::error_code ec;
    (void)json::parse(json::serialize(json::value(excerpt)), ec);
    EXPECT_FALSE(ec) << line;
  }
  EXPECT_TRUE(run(t, "   \r\n").empty());
  std::string deep(200, '[');
  deep += std::string(200, ']');
  EXPECT_EQ(only<Event>(t, deep).kind, "error");
  std::string long_line(100000, 'x');
  EXPECT_LE(str(only_event(t, long_line, "error").data, "line").size(), 200u);
}

TEST(CodexTranslator, MistypedFieldsNeverThrow) {
  AppServerTranslator t;
  const std::string_view lines[] = {
      R"({"id":true,"result":{}})",
      R"({"id":null,"error":{}})",
      R"({"id":1.5,"result":1})",
      R"({"id":-3,"error":"flat"})",
      R"({"method":7,"params":{}})",
      R"({"method":"item/started","params":[]})",
      R"({"method":"item/started","params":{"item":5}})",
      R"({"method":"item/started","params":{"item":{"type":"commandExecution","command":{"x":1},"id":7}}})",
      R"({"method":"item/started","params":{"item":{"type":"fileChange","changes":[1,{"path":2,"kind":3,"diff":[]}]}}})",
      R"({"method":"item/completed","params":{"item":{"type":"commandExecution","exitCode":"x","status":5}}})",
      R"({"method":"item/completed","params":{"item":{"type":"mcpToolCall","server":1,"result":{"content":"x"},"error":7}}})",
      R"({"method":"item/completed","params":{"item":{"type":"agentMessage"}}})",
      R"({"method":"item/agentMessage/delta","params":{"delta":5}})",
      R"({"method":"turn/completed","params":{"turn":"x"}})",
      R"({"method":"thread/tokenUsage/updated","params":{"tokenUsage":{"last":{"inputTokens":-5,"outputTokens":1e300}}}})",
      R"({"method":"error","params":{"error":"flat","willRetry":"yes"}})",
      R"({"method":"serverRequest/resolved","params":{}})",
      R"({"method":"item/commandExecution/requestApproval","id":{"x":1},"params":{}})",
      R"({"method":"item/commandExecution/requestApproval","id":9,"params":"x"})",
      R"({"method":"item/fileChange/requestApproval","id":10})",
      R"({"method":"applyPatchApproval","id":11,"params":{"fileChanges":{"a":{"type":"add","content":"x"},"b":3}}})",
      R"({"method":"","id":12,"params":{}})",
  };
  for (auto line : lines) {
    std::vector<Output> out;
    EXPECT_NO_THROW(out = t.on_line(line)) << line;
    for (const auto& o : out) {
      if (const auto* e = std::get_if<Event>(&o)) EXPECT_NO_THROW((void)json::serialize(e->data));
    }
  }
  // Usage counts are clamped: negative reads as 0, huge as the largest count.
  auto end = run(t, R"({"method":"turn/completed","params":{"turn":{"status":"completed"}}})");
  ASSERT_EQ(end.size(), 2u);
  EXPECT_EQ(std::get<Event>(end[0]).data.at("input_tokens").as_int64(), 0);
  EXPECT_GT(std::get<Event>(end[0]).data.at("output_tokens").as_int64(), 1'000'000'000'000LL);
  // An approval request without a command still asks, with an empty command.
  auto ask = only<ApprovalRequest>(t, R"({"method":"item/commandExecution/requestApproval","id":9,"params":"x"})");
  EXPECT_EQ(str(ask.input, "command"), "");
  EXPECT_EQ(ask.tool, "command_execution");
}

TEST(CodexTranslator, BigOutputsAndDiffsAreCutAtACharacterBoundary) {
  AppServerTranslator t;
  std::string output;
  while (output.size() < (70u << 10)) output += "é";  // two bytes each
  output += "x";
  json::object item{{"type", "commandExecution"}, {"id", "c"}, {"status", "completed"}, {"exitCode", 0},
                    {"aggregatedOutput", output}};
  const std::string line = json::serialize(json::object{{"method", "item/completed"}, {"params", {{"item", item}}}});
  auto result = only_event(t, line, "tool_result");
  EXPECT_EQ(result.data.at("truncated"), json::value(true));
  const std::string content = str(result.data, "content");
  EXPECT_LE(content.size(), 64u << 10);
  EXPECT_EQ(content.size() % 2, 0u);  // no half character

  json::array changes;
  for (int i = 0; i < 3; ++i) changes.push_back(json::object{{"path", "f" + std::to_string(i)}, {"diff", std::string(40 << 10, 'd')}});
  const std::string started = json::serialize(
      json::object{{"method", "item/started"}, {"params", {{"item", {{"type", "fileChange"}, {"id", "p"}, {"changes", changes}}}}}});
  auto call = only_event(t, started, "tool_call");
  const auto& input = call.data.at("input").as_object();
  EXPECT_EQ(input.at("changes_truncated"), json::value(true));
  std::size_t total = 0;
  for (const auto& c : input.at("changes").as_array()) total += c.at("diff").as_string().size();
  EXPECT_EQ(total, 64u << 10);
}

TEST(CodexTranslator, NetworkApprovalsNameTheHost) {
  AppServerTranslator t;
  auto ask = only<ApprovalRequest>(
      t, R"({"method":"item/commandExecution/requestApproval","id":4,"params":{"kind":"command","itemId":"n","command":null,"networkApprovalContext":{"host":"example.com","protocol":"https"}}})");
  EXPECT_EQ(str(ask.input, "command"), "network access to example.com (https)");
  EXPECT_EQ(str(ask.input.at("network").as_object(), "host"), "example.com");
}

}  // namespace
}  // namespace tether::providers::codex

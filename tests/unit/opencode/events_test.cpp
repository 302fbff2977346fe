// EventTranslator on OpenCode 1.18.33's real /event data (captured against the fake
// chat-completions server; trimmed): text turns, tool calls with permission questions,
// denials, interrupts, errors, subagents, and input that is not what it should be.
#include "providers/opencode/events.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <string>
#include <vector>

namespace tether::providers::opencode {
namespace {
namespace json = boost::json;

constexpr std::string_view kSession = "ses_df52c7260ffeEUAvs5jVID14tS";

constexpr std::string_view kConnected = R"({"id":"evt_1","type":"server.connected","properties":{}})";
constexpr std::string_view kUserMessage =
    R"({"id":"evt_2","type":"message.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","info":{"id":"msg_user","role":"user","sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","time":{"created":1795477966311},"agent":"build","model":{"providerID":"fake","modelID":"fake-model"}}}})";
constexpr std::string_view kUserPart =
    R"({"id":"evt_3","type":"message.part.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","part":{"type":"text","text":"[text:hello there]","messageID":"msg_user","sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","id":"prt_user"},"time":1795477966311}})";
constexpr std::string_view kBusy =
    R"({"id":"evt_4","type":"session.status","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","status":{"type":"busy"}}})";
constexpr std::string_view kAssistantMessage =
    R"({"id":"evt_5","type":"message.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","info":{"id":"msg_a1","parentID":"msg_user","role":"assistant","mode":"build","agent":"build","cost":0,"tokens":{"input":0,"output":0,"reasoning":0,"cache":{"read":0,"write":0}},"modelID":"fake-model","providerID":"fake","time":{"created":1795477966312},"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS"}}})";
constexpr std::string_view kStepStart =
    R"({"id":"evt_6","type":"message.part.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","part":{"id":"prt_step","messageID":"msg_a1","sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","type":"step-start"},"time":1795477968810}})";
constexpr std::string_view kTextStart =
    R"({"id":"evt_7","type":"message.part.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","part":{"id":"prt_text","messageID":"msg_a1","sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","type":"text","text":"","time":{"start":1795477968817}},"time":1795477968817}})";
constexpr std::string_view kDelta =
    R"({"id":"evt_8","type":"message.part.delta","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","messageID":"msg_a1","partID":"prt_text","field":"text","delta":"hello there"}})";
constexpr std::string_view kTextEnd =
    R"({"id":"evt_9","type":"message.part.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","part":{"id":"prt_text","messageID":"msg_a1","sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","type":"text","text":"hello there","time":{"start":1795477968817,"end":1795477968823}},"time":1795477968823}})";
constexpr std::string_view kStepFinish =
    R"({"id":"evt_10","type":"message.part.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","part":{"id":"prt_fin","reason":"stop","messageID":"msg_a1","sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","type":"step-finish","tokens":{"total":15,"input":10,"output":5,"reasoning":2,"cache":{"write":1,"read":3}},"cost":0.25},"time":1795477968830}})";
constexpr std::string_view kIdleStatus =
    R"({"id":"evt_11","type":"session.status","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","status":{"type":"idle"}}})";
constexpr std::string_view kIdle = R"({"id":"evt_12","type":"session.idle","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS"}})";

constexpr std::string_view kToolPending =
    R"({"id":"evt_20","type":"message.part.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","part":{"id":"prt_tool","messageID":"msg_a1","sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","type":"tool","tool":"bash","callID":"call_6bba90a0926b","state":{"status":"pending","input":{},"raw":""}},"time":1795477955446}})";
constexpr std::string_view kToolRunning =
    R"({"id":"evt_21","type":"message.part.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","part":{"type":"tool","tool":"bash","callID":"call_6bba90a0926b","state":{"status":"running","input":{"command":"echo hi > out.txt","description":"run"},"time":{"start":1795477955506}},"id":"prt_tool","sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","messageID":"msg_a1"},"time":1795477955506}})";
constexpr std::string_view kPermissionAsked =
    R"({"id":"evt_22","type":"permission.asked","properties":{"id":"per_20ad36462001Yau0S0LoIh8yQQ","sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","permission":"bash","patterns":["echo hi > out.txt"],"metadata":{"command":"echo hi > out.txt"},"always":["echo *"],"tool":{"messageID":"msg_a1","callID":"call_6bba90a0926b"}}})";
constexpr std::string_view kPermissionReplied =
    R"({"id":"evt_23","type":"permission.replied","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","requestID":"per_20ad36462001Yau0S0LoIh8yQQ","reply":"reject"}})";
constexpr std::string_view kToolCompleted =
    R"j({"id":"evt_24","type":"message.part.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","part":{"type":"tool","tool":"bash","callID":"call_6bba90a0926b","state":{"status":"completed","input":{"command":"echo hi > out.txt","description":"run"},"output":"(no output)","metadata":{"output":"(no output)","exit":0,"truncated":false},"title":"echo hi > out.txt","time":{"start":1,"end":2}},"id":"prt_tool","sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","messageID":"msg_a1"}}})j";
constexpr std::string_view kToolRejected =
    R"({"id":"evt_25","type":"message.part.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","part":{"type":"tool","tool":"bash","callID":"call_6bba90a0926b","state":{"status":"error","input":{"command":"echo hi > out.txt","description":"run"},"error":"The user rejected permission to use this specific tool call with the following feedback: no thanks","time":{"start":1795477955506,"end":1795477955768}},"id":"prt_tool","sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","messageID":"msg_a1"}}})";
constexpr std::string_view kAborted =
    R"({"id":"evt_30","type":"session.error","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","error":{"name":"MessageAbortedError","data":{"message":"Aborted"}}}})";
constexpr std::string_view kApiError =
    R"({"id":"evt_31","type":"session.error","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","error":{"name":"APIError","data":{"message":"Bad Request: fake error 400","statusCode":400,"isRetryable":false,"responseBody":"{}"}}}})";
constexpr std::string_view kRetry =
    R"({"id":"evt_32","type":"session.status","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","status":{"type":"retry","attempt":2,"message":"Internal Server Error","next":1795477999999}}})";
constexpr std::string_view kPluginAdded = R"({"id":"evt_40","type":"plugin.added","properties":{"name":"x"}})";
constexpr std::string_view kHeartbeat = R"({"id":"evt_41","type":"server.heartbeat","properties":{}})";

// Kinds and data of the Event outputs; other outputs as "<TurnEnd error=…>" etc.
std::vector<std::string> describe(const std::vector<Output>& outs) {
  std::vector<std::string> d;
  for (const auto& o : outs) {
    if (const auto* e = std::get_if<Event>(&o)) {
      d.push_back(e->kind + " " + json::serialize(e->data));
    } else if (const auto* p = std::get_if<PermissionAsked>(&o)) {
      d.push_back("<asked " + p->request_id + " " + p->tool + " " + json::serialize(p->input) + " " + p->tool_use_id + ">");
    } else if (const auto* r = std::get_if<PermissionReplied>(&o)) {
      d.push_back("<replied " + r->request_id + ">");
    } else if (std::holds_alternative<Connected>(o)) {
      d.emplace_back("<connected>");
    } else if (const auto* t = std::get_if<TurnEnd>(&o)) {
      d.push_back(t->is_error ? "<turn end: error>" : "<turn end>");
    }
  }
  return d;
}

class Translator : public ::testing::Test {
 protected:
  Translator() { t.set_session(std::string(kSession)); }
  std::vector<std::string> feed(std::initializer_list<std::string_view> events) {
    std::vector<std::string> all;
    for (auto e : events) {
      for (auto& d : describe(t.on_event(e))) all.push_back(std::move(d));
    }
    return all;
  }
  EventTranslator t;
};

TEST_F(Translator, ATextTurn) {
  EXPECT_EQ(feed({kConnected}), (std::vector<std::string>{"<connected>"}));
  t.prompt_sent();
  EXPECT_TRUE(t.in_turn());
  EXPECT_EQ(feed({kUserMessage, kUserPart, kBusy, kAssistantMessage, kStepStart, kTextStart, kDelta, kTextEnd, kStepFinish,
                  kPluginAdded, kHeartbeat, kIdleStatus, kIdle}),
            (std::vector<std::string>{
                R"(assistant_delta {"text":"hello there","index":1})",
                R"(assistant_text {"text":"hello there","message_id":"msg_a1"})",
                R"(usage {"input_tokens":10,"output_tokens":7,"cache_read_input_tokens":3,"cache_creation_input_tokens":1,"cost_usd":2.5E-1})",
                "<turn end>"}));
  EXPECT_FALSE(t.in_turn());
}

TEST_F(Translator, IdlesBeforeTheTurnStartsAreAnEarlierTurns) {
  t.prompt_sent();
  EXPECT_TRUE(feed({kIdle, kIdleStatus}).empty());  // e.g. the second idle after an abort
  EXPECT_EQ(feed({kBusy, kIdle, kIdle}), (std::vector<std::string>{"<turn end>"}));
  EXPECT_TRUE(feed({kBusy, kIdle}).empty()) << "no turn is open";
}

TEST_F(Translator, AToolCallAndItsPermissionQuestion) {
  t.prompt_sent();
  EXPECT_EQ(feed({kBusy, kAssistantMessage, kToolPending, kToolRunning, kPermissionAsked, kPermissionReplied, kToolCompleted}),
            (std::vector<std::string>{
                R"(tool_call {"tool_use_id":"call_6bba90a0926b","tool":"bash","input":{"command":"echo hi > out.txt","description":"run"}})",
                R"(<asked per_20ad36462001Yau0S0LoIh8yQQ bash {"command":"echo hi > out.txt","description":"run"} call_6bba90a0926b>)",
                "<replied per_20ad36462001Yau0S0LoIh8yQQ>",
                R"j(tool_result {"tool_use_id":"call_6bba90a0926b","content":"(no output)","is_error":false})j"}));
  EXPECT_TRUE(feed({kToolCompleted}).empty()) << "a result goes out once";
}

TEST_F(Translator, AQuestionBeforeItsToolInputWaitsForIt) {
  // Warm servers report the question between the tool's pending and running updates.
  t.prompt_sent();
  EXPECT_TRUE(feed({kBusy, kAssistantMessage, kToolPending, kPermissionAsked}).empty());
  EXPECT_EQ(feed({kToolRunning}),
            (std::vector<std::string>{
                R"(tool_call {"tool_use_id":"call_6bba90a0926b","tool":"bash","input":{"command":"echo hi > out.txt","description":"run"}})",
                R"(<asked per_20ad36462001Yau0S0LoIh8yQQ bash {"command":"echo hi > out.txt","description":"run"} call_6bba90a0926b>)"}));
}

TEST_F(Translator, AHeldQuestionWaitsOneEventAtMost) {
  t.prompt_sent();
  EXPECT_TRUE(feed({kAssistantMessage, kToolPending, kPermissionAsked}).empty());
  EXPECT_EQ(feed({kBusy}), (std::vector<std::string>{
                               R"(<asked per_20ad36462001Yau0S0LoIh8yQQ bash {"command":"echo hi > out.txt","patterns":["echo hi > out.txt"]} call_6bba90a0926b>)"}));
  EXPECT_EQ(feed({kToolRunning}).size(), 1u) << "the tool call, and the question only once";
  // Answered elsewhere while held: never asked.
  EventTranslator other;
  other.set_session(std::string(kSession));
  other.prompt_sent();
  for (auto e : {kAssistantMessage, kToolPending, kPermissionAsked}) EXPECT_TRUE(describe(other.on_event(e)).empty());
  EXPECT_EQ(describe(other.on_event(kPermissionReplied)), (std::vector<std::string>{"<replied per_20ad36462001Yau0S0LoIh8yQQ>"}));
  EXPECT_EQ(describe(other.on_event(kToolRunning)).size(), 1u);
}

TEST_F(Translator, ARejectedToolIsAnErrorResult) {
  t.prompt_sent();
  EXPECT_EQ(feed({kAssistantMessage, kToolRejected}),
            (std::vector<std::string>{
                R"(tool_call {"tool_use_id":"call_6bba90a0926b","tool":"bash","input":{"command":"echo hi > out.txt","description":"run"}})",
                R"(tool_result {"tool_use_id":"call_6bba90a0926b","content":"The user rejected permission to use this specific tool call with the following feedback: no thanks","is_error":true})"}));
}

TEST_F(Translator, AQuestionWithoutAKnownToolCallShowsWhatOpenCodeAsksAbout) {
  // No tool part seen: the input is the metadata and the patterns; bash gets its command.
  EXPECT_EQ(feed({kPermissionAsked}),
            (std::vector<std::string>{
                R"(<asked per_20ad36462001Yau0S0LoIh8yQQ bash {"command":"echo hi > out.txt","patterns":["echo hi > out.txt"]} call_6bba90a0926b>)"}));
  // A bash question with only patterns: they make the command.
  EXPECT_EQ(
      feed({R"({"type":"permission.asked","properties":{"id":"per_2","sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","permission":"bash","patterns":["ls","pwd"]}})"}),
      (std::vector<std::string>{R"(<asked per_2 bash {"patterns":["ls","pwd"],"command":"ls\npwd"} >)"}));
  // external_directory about a bash call: not the bash input, the directory asked about.
  EXPECT_EQ(feed({kAssistantMessage, kToolRunning,
                  R"({"type":"permission.asked","properties":{"id":"per_3","sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","permission":"external_directory","patterns":["/etc/*"],"metadata":{"filepath":"/etc/x"},"tool":{"callID":"call_6bba90a0926b"}}})"})
                .back(),
            R"(<asked per_3 external_directory {"filepath":"/etc/x","patterns":["/etc/*"]} call_6bba90a0926b>)");
}

TEST_F(Translator, AnEditQuestionAboutTheWriteToolCarriesItsInput) {
  t.prompt_sent();
  const auto out = feed(
      {kAssistantMessage,
       R"({"type":"message.part.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","part":{"id":"prt_w","messageID":"msg_a1","type":"tool","tool":"write","callID":"call_w","state":{"status":"running","input":{"filePath":"/w/a.txt","content":"x"}}}}})",
       R"({"type":"permission.asked","properties":{"id":"per_w","sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","permission":"edit","patterns":["a.txt"],"metadata":{"filepath":"/w/a.txt","diff":"+x"},"tool":{"callID":"call_w"}}})"});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1], R"(<asked per_w edit {"filePath":"/w/a.txt","content":"x"} call_w>)");
}

TEST_F(Translator, OtherSessionsAreIgnoredButSubagentsQuestionsCount) {
  constexpr std::string_view kOther =
      R"({"type":"permission.asked","properties":{"id":"per_o","sessionID":"ses_other","permission":"bash","metadata":{"command":"ls"}}})";
  EXPECT_TRUE(feed({kOther}).empty());
  EXPECT_TRUE(feed({R"({"type":"session.status","properties":{"sessionID":"ses_other","status":{"type":"idle"}}})",
                    R"({"type":"todo.updated","properties":{"sessionID":"ses_other"}})"})
                  .empty());
  // The task tool makes a child session; its questions are the session's.
  EXPECT_TRUE(feed({R"({"type":"session.created","properties":{"sessionID":"ses_other","info":{"id":"ses_other","parentID":"ses_df52c7260ffeEUAvs5jVID14tS"}}})"})
                  .empty());
  EXPECT_EQ(feed({kOther}), (std::vector<std::string>{R"(<asked per_o bash {"command":"ls"} >)"}));
}

TEST_F(Translator, AnInterruptKeepsThePartialTextOnce) {
  t.prompt_sent();
  const auto partial_end =
      R"({"type":"message.part.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","part":{"id":"prt_text","messageID":"msg_a1","sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","type":"text","text":"hello there","time":{"start":1,"end":2}}}})";
  EXPECT_EQ(feed({kBusy, kAssistantMessage, kTextStart, kDelta, kAborted, kIdleStatus, kIdle, partial_end, kIdle}),
            (std::vector<std::string>{R"(assistant_delta {"text":"hello there","index":0})",
                                      R"(notice {"text":"[interrupted] OpenCode aborted the turn"})",
                                      R"(assistant_text {"text":"hello there","message_id":"msg_a1"})", "<turn end>"}));
}

TEST_F(Translator, AnInterruptedToolCallGetsAResult) {
  t.prompt_sent();
  EXPECT_EQ(feed({kBusy, kAssistantMessage, kToolRunning, kPermissionAsked, kAborted, kIdle, kToolRejected}),
            (std::vector<std::string>{
                R"(tool_call {"tool_use_id":"call_6bba90a0926b","tool":"bash","input":{"command":"echo hi > out.txt","description":"run"}})",
                R"(<asked per_20ad36462001Yau0S0LoIh8yQQ bash {"command":"echo hi > out.txt","description":"run"} call_6bba90a0926b>)",
                R"(notice {"text":"[interrupted] OpenCode aborted the turn"})",
                R"(tool_result {"tool_use_id":"call_6bba90a0926b","content":"the turn ended before this tool call finished","is_error":true})",
                "<turn end>"}));
}

TEST_F(Translator, AModelErrorFailsTheTurn) {
  t.prompt_sent();
  EXPECT_EQ(feed({kRetry, kApiError, kIdle}),
            (std::vector<std::string>{R"(notice {"text":"retrying the model request (attempt 2): Internal Server Error"})",
                                      R"(error {"message":"APIError (HTTP 400): Bad Request: fake error 400"})",
                                      "<turn end: error>"}));
}

TEST_F(Translator, ARefusedPromptEndsTheTurnAsFailed) {
  EXPECT_TRUE(describe(t.fail_turn()).empty());
  t.prompt_sent();
  EXPECT_EQ(describe(t.fail_turn()), (std::vector<std::string>{"<turn end: error>"}));
  EXPECT_FALSE(t.in_turn());
}

TEST_F(Translator, ReasoningIsShownWholeAsThinking) {
  t.prompt_sent();
  EXPECT_EQ(
      feed({kAssistantMessage,
            R"({"type":"message.part.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","part":{"id":"prt_r","messageID":"msg_a1","type":"reasoning","text":"","time":{"start":1}}}})",
            R"({"type":"message.part.delta","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","messageID":"msg_a1","partID":"prt_r","field":"text","delta":"hmm"}})",
            R"({"type":"message.part.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","part":{"id":"prt_r","messageID":"msg_a1","type":"reasoning","text":"hmm","time":{"start":1,"end":2}}}})"}),
      (std::vector<std::string>{R"(thinking {"text":"hmm"})"}));
}

TEST_F(Translator, LongToolOutputIsCut) {
  t.prompt_sent();
  const std::string output(70000, 'x');
  const std::string completed =
      R"({"type":"message.part.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","part":{"id":"prt_t","messageID":"msg_a1","type":"tool","tool":"bash","callID":"c","state":{"status":"completed","input":{"command":"yes"},"output":")" +
      output + R"("}}}})";
  (void)t.on_event(kAssistantMessage);
  const auto outs = t.on_event(completed);
  ASSERT_EQ(outs.size(), 2u);
  const auto& result = std::get<Event>(outs[1]);
  EXPECT_EQ(result.kind, "tool_result");
  EXPECT_EQ(result.data.at("content").as_string().size(), 64u << 10);
  EXPECT_EQ(result.data.at("truncated"), json::value(true));
}

TEST_F(Translator, OddInputNeverThrows) {
  EXPECT_EQ(feed({"not json"}), (std::vector<std::string>{R"(error {"message":"OpenCode sent an event that is not JSON","line":"not json"})"}));
  EXPECT_TRUE(feed({"", "   ", "[]"}).size() == 1u);  // blank data is nothing; an array is not an event
  EXPECT_TRUE(feed({R"({"type":42})", R"({"type":"message.part.updated","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","part":7}})",
                    R"({"type":"permission.asked","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","tool":"x","patterns":"y"}})"})
                  .size() == 1u);  // only the malformed question comes out, with an empty id
  // A lone UTF-16 surrogate (JavaScript writes them) is replaced, not fatal.
  t.prompt_sent();
  (void)t.on_event(kAssistantMessage);
  EXPECT_EQ(
      feed({R"({"type":"message.part.delta","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","messageID":"msg_a1","partID":"p","field":"text","delta":"a\ud83d b \ud83d\ude00 \\ud800"}})"}),
      (std::vector<std::string>{"assistant_delta {\"text\":\"a\xEF\xBF\xBD b \xF0\x9F\x98\x80 \\\\ud800\",\"index\":0}"}));
  // Unknown events of the session are kept raw; others' are not.
  EXPECT_EQ(feed({R"({"type":"session.brand_new","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","x":1}})",
                  R"({"type":"session.brand_new","properties":{"sessionID":"ses_x"}})"}),
            (std::vector<std::string>{
                R"(raw {"line":{"type":"session.brand_new","properties":{"sessionID":"ses_df52c7260ffeEUAvs5jVID14tS","x":1}}})"}));
}

}  // namespace
}  // namespace tether::providers::opencode

// The lines tether writes to codex app-server, in the shapes the shared codex.md verified.
#include "providers/codex/app_server.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <utility>

namespace tether::providers::codex {
namespace {
namespace json = boost::json;

json::object parse(const std::string& line) {
  EXPECT_EQ(line.find('\n'), std::string::npos);
  return json::parse(line).as_object();
}

TEST(CodexStdinLines, InitializeNamesTetherAndOptsOutOfChatter) {
  auto o = parse(initialize_request(1, "0.1.0"));
  EXPECT_EQ(o.at("id"), json::value(1));
  EXPECT_EQ(o.at("method"), json::value("initialize"));
  EXPECT_FALSE(o.contains("jsonrpc"));
  const auto& params = o.at("params").as_object();
  EXPECT_EQ(params.at("clientInfo").at("name"), json::value("tether"));
  EXPECT_EQ(params.at("clientInfo").at("version"), json::value("0.1.0"));
  const auto& caps = params.at("capabilities").as_object();
  EXPECT_EQ(caps.at("experimentalApi"), json::value(false));
  const auto& out = caps.at("optOutNotificationMethods").as_array();
  EXPECT_NE(std::find(out.begin(), out.end(), json::value("thread/status/changed")), out.end());
  EXPECT_EQ(parse(initialized_notification()), (json::object{{"method", "initialized"}}));
}

TEST(CodexStdinLines, ThreadsLeaveApprovalsAndSandboxToTheUsersConfig) {
  auto start = parse(thread_start_request(2, "/w/ws", ""));
  EXPECT_EQ(start.at("method"), json::value("thread/start"));
  EXPECT_EQ(start.at("params").as_object(), (json::object{{"cwd", "/w/ws"}}));
  auto with_model = parse(thread_start_request(2, "/w/ws", "gpt-5.5"));
  EXPECT_EQ(with_model.at("params").at("model"), json::value("gpt-5.5"));

  auto resume = parse(thread_resume_request(3, "01a209f8-0d8f", "/w/ws", ""));
  EXPECT_EQ(resume.at("method"), json::value("thread/resume"));
  const auto& params = resume.at("params").as_object();
  EXPECT_EQ(params.at("threadId"), json::value("01a209f8-0d8f"));
  EXPECT_EQ(params.at("excludeTurns"), json::value(true));
  for (const json::object* o : {&std::as_const(start).at("params").as_object(), &params}) {
    EXPECT_FALSE(o->contains("approvalPolicy"));
    EXPECT_FALSE(o->contains("sandbox"));
  }
}

TEST(CodexStdinLines, TurnStartAndInterrupt) {
  auto turn = parse(turn_start_request(4, "t1", "line one\nline \"two\""));
  EXPECT_EQ(turn.at("method"), json::value("turn/start"));
  EXPECT_EQ(turn.at("params").at("threadId"), json::value("t1"));
  const auto& input = turn.at("params").at("input").as_array();
  ASSERT_EQ(input.size(), 1u);
  EXPECT_EQ(input[0].at("type"), json::value("text"));
  EXPECT_EQ(input[0].at("text"), json::value("line one\nline \"two\""));

  auto interrupt = parse(turn_interrupt_request(5, "t1", "u1"));
  EXPECT_EQ(interrupt.at("method"), json::value("turn/interrupt"));
  EXPECT_EQ(interrupt.at("params").as_object(), (json::object{{"threadId", "t1"}, {"turnId", "u1"}}));
}

TEST(CodexStdinLines, ApprovalAnswersUseCodexDecisions) {
  EXPECT_EQ(parse(approval_answer(json::value(0), Approval::command, true, "")),
            (json::object{{"id", 0}, {"result", {{"decision", "accept"}}}}));
  EXPECT_EQ(parse(approval_answer(json::value(0), Approval::command, false, "no")),
            (json::object{{"id", 0}, {"result", {{"decision", "decline"}}}}));
  EXPECT_EQ(parse(approval_answer(json::value("s"), Approval::file_change, false, "no")),
            (json::object{{"id", "s"}, {"result", {{"decision", "decline"}}}}));
  EXPECT_EQ(parse(approval_answer(json::value(7), Approval::legacy_command, true, "")),
            (json::object{{"id", 7}, {"result", {{"decision", "approved"}}}}));
  EXPECT_EQ(parse(approval_answer(json::value(7), Approval::legacy_patch, false, "not here")),
            (json::object{{"id", 7}, {"result", {{"decision", {{"denied", {{"rejection", "not here"}}}}}}}}));
}

TEST(CodexStdinLines, CommandLineIsTheAppServerAndNothingThatBypassesApprovals) {
  const auto argv = command_line("/opt/codex");
  EXPECT_EQ(argv, (std::vector<std::string>{"/opt/codex", "app-server"}));
  for (const auto& a : argv) {
    EXPECT_EQ(a.find("dangerously"), std::string::npos);
    EXPECT_EQ(a.find("approval"), std::string::npos);
    EXPECT_EQ(a.find("sandbox"), std::string::npos);
  }
}

}  // namespace
}  // namespace tether::providers::codex

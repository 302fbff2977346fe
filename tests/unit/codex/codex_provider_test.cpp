// CodexProvider against a scripted stand-in for `codex app-server`
// (tests/data/codex/fake_app_server.py, python3): the start-up sequence, one turn at a
// time, approvals answered in Codex's decisions, withdrawn questions, interrupt before the
// turn id is known, resume, and a request that is never answered.
#include "providers/codex/codex_provider.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <fstream>
#include <sstream>

#include "unit/run_until.hpp"
#include "unit/temp_dir.hpp"

namespace tether::providers::codex {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

struct Recorder final : ProviderEvents {
  void event(std::string_view kind, json::object data) override { events.push_back({std::string(kind), std::move(data)}); }
  void tool_request(ToolRequest request) override {
    requests.push_back(request);
    if (on_request) on_request(requests.back());
  }
  void tool_request_cancelled(std::string_view request_id) override { cancelled.emplace_back(request_id); }
  void resumable_as(std::string_view id) override { resumable.emplace_back(id); }
  void turn_started() override { ++started; }
  void turn_finished(bool is_error) override { finished.push_back(is_error); }
  void security_alert(std::string_view, std::string_view, boost::json::object) override {}
  void exited(int s, std::string_view) override { status = s; }

  std::vector<std::string> texts(std::string_view kind, std::string_view key = "text") const {
    std::vector<std::string> out;
    for (const auto& e : events) {
      if (e.kind != kind) continue;
      const auto* v = e.data.if_contains(key);
      out.emplace_back(v && v->is_string() ? std::string(v->get_string()) : "");
    }
    return out;
  }

  std::vector<Event> events;
  std::vector<ToolRequest> requests;
  std::function<void(const ToolRequest&)> on_request;
  std::vector<std::string> cancelled, resumable;
  int started = 0;
  std::vector<bool> finished;
  std::optional<int> status;
};

class CodexProviderTest : public tether::testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    bin_ = dir_ / "codex";
    std::filesystem::copy_file(std::filesystem::path(TETHER_TEST_DATA_DIR) / "codex" / "fake_app_server.py", bin_);
    std::filesystem::permissions(bin_, std::filesystem::perms::owner_all);
    log_ = dir_ / "stdin.log";
  }

  std::unique_ptr<CodexProvider> make(LaunchSpec spec = {}, std::chrono::milliseconds timeout = 10s) {
    spec.cwd = dir_;
    spec.env = {"PATH=/usr/bin:/bin", "FAKE_LOG=" + log_.string()};
    return std::make_unique<CodexProvider>(runtime_, CodexConfig{bin_.string(), 1s, timeout}, std::move(spec), events_);
  }

  // Runs the loop for `d` (so that a line that should not be written would have been).
  void run_for(std::chrono::milliseconds d) {
    const auto until = std::chrono::steady_clock::now() + d;
    (void)run_until([&] { return std::chrono::steady_clock::now() >= until; });
  }

  // Runs the loop until `done` holds or 10 s pass.
  bool run_until(const std::function<bool()>& done) { return tether::testing::run_until(runtime_, done); }

  // Every JSON line the fake read from stdin, in order.
  std::vector<json::object> stdin_lines() const {
    std::vector<json::object> out;
    std::ifstream in(log_);
    for (std::string line; std::getline(in, line);) out.push_back(json::parse(line).as_object());
    return out;
  }
  std::vector<std::string> methods() const {
    std::vector<std::string> out;
    for (const auto& l : stdin_lines()) {
      if (const auto* m = l.if_contains("method")) out.emplace_back(m->as_string());
    }
    return out;
  }

  net::Runtime runtime_;
  Recorder events_;
  std::filesystem::path bin_, log_;
};

TEST_F(CodexProviderTest, APromptStartsTheServerAThreadAndATurn) {
  auto p = make();
  ASSERT_TRUE(p->send("hello"));
  ASSERT_TRUE(run_until([&] { return !events_.finished.empty(); }));
  EXPECT_EQ(events_.started, 1);
  EXPECT_EQ(events_.finished, std::vector<bool>{false});
  EXPECT_EQ(events_.texts("assistant_delta"), std::vector<std::string>{"echo: hello"});
  EXPECT_EQ(events_.texts("assistant_text"), std::vector<std::string>{"echo: hello"});
  ASSERT_EQ(events_.texts("usage", "none").size(), 1u);
  EXPECT_EQ(events_.resumable, std::vector<std::string>{"thread-1"});
  EXPECT_EQ(methods(), (std::vector<std::string>{"initialize", "initialized", "thread/start", "turn/start"}));
  const auto start = stdin_lines()[2];
  EXPECT_FALSE(start.at("params").as_object().contains("approvalPolicy"));
  EXPECT_TRUE(p->running());

  // The same process and thread take the next prompt.
  ASSERT_TRUE(p->send("again"));
  ASSERT_TRUE(run_until([&] { return events_.finished.size() == 2; }));
  EXPECT_EQ(methods().back(), "turn/start");
  EXPECT_EQ(stdin_lines().back().at("params").at("threadId"), json::value("thread-1"));
  EXPECT_EQ(events_.texts("assistant_text").back(), "echo: again");
  p->stop();
  ASSERT_TRUE(run_until([&] { return events_.status.has_value(); }));
  EXPECT_EQ(events_.status, 0);
}

TEST_F(CodexProviderTest, APromptSentDuringATurnWaitsForItsEnd) {
  auto p = make();
  ASSERT_TRUE(p->send("[slow]"));
  ASSERT_TRUE(p->send("next"));
  ASSERT_TRUE(run_until([&] { return events_.finished.size() == 2; }));
  EXPECT_EQ(events_.texts("assistant_text"), (std::vector<std::string>{"slow done", "echo: next"}));
  EXPECT_EQ(events_.started, 2);
  EXPECT_EQ(events_.finished, (std::vector<bool>{false, false}));
}

TEST_F(CodexProviderTest, ApprovalsAreAskedAndAnsweredWithCodexDecisions) {
  auto p = make();
  events_.on_request = [&](const ToolRequest& r) {
    runtime_.post([&, id = r.request_id] { p->answer(id, ToolAnswer{true, "", {}}); });
  };
  ASSERT_TRUE(p->send("[ask]"));
  ASSERT_TRUE(run_until([&] { return !events_.finished.empty(); }));
  ASSERT_EQ(events_.requests.size(), 1u);
  const auto& asked = events_.requests[0];
  EXPECT_EQ(asked.tool, "command_execution");
  EXPECT_EQ(asked.request_id, "0");
  EXPECT_EQ(asked.tool_use_id, "call_turn-1");
  EXPECT_EQ(asked.input.at("command"), json::value("/bin/bash -lc 'touch x'"));
  EXPECT_EQ(events_.texts("assistant_text").back(), "decision: accept");
  EXPECT_EQ(stdin_lines().back(), (json::object{{"id", 0}, {"result", {{"decision", "accept"}}}}));
  EXPECT_TRUE(events_.cancelled.empty());  // answered, so its serverRequest/resolved withdraws nothing

  events_.on_request = [&](const ToolRequest& r) {
    runtime_.post([&, id = r.request_id] { p->answer(id, ToolAnswer{false, "no thanks", {}}); });
  };
  ASSERT_TRUE(p->send("[ask]"));
  ASSERT_TRUE(run_until([&] { return events_.finished.size() == 2; }));
  EXPECT_EQ(events_.texts("assistant_text").back(), "decision: decline");
  EXPECT_EQ(stdin_lines().back(), (json::object{{"id", 1}, {"result", {{"decision", "decline"}}}}));
  // A stale answer (the question is gone) writes nothing.
  const auto before = stdin_lines().size();
  p->answer("1", ToolAnswer{true, "", {}});
  p->answer("\"nope\"", ToolAnswer{true, "", {}});
  run_for(200ms);
  EXPECT_EQ(stdin_lines().size(), before);
}

TEST_F(CodexProviderTest, AWithdrawnQuestionIsCancelled) {
  auto p = make();
  ASSERT_TRUE(p->send("[withdraw]"));
  ASSERT_TRUE(run_until([&] { return !events_.finished.empty(); }));
  ASSERT_EQ(events_.requests.size(), 1u);
  EXPECT_EQ(events_.cancelled, std::vector<std::string>{events_.requests[0].request_id});
  // Answering it afterwards writes nothing.
  p->answer(events_.requests[0].request_id, ToolAnswer{true, "", {}});
  run_for(200ms);
  for (const auto& l : stdin_lines()) EXPECT_FALSE(l.contains("result")) << "an answer was written";
}

TEST_F(CodexProviderTest, InterruptWaitsForTheTurnIdThenEndsTheTurn) {
  auto p = make();
  ASSERT_TRUE(p->send("[long][late]"));
  ASSERT_TRUE(p->send("queued"));
  ASSERT_TRUE(run_until([&] {
    const auto m = methods();
    return std::find(m.begin(), m.end(), "turn/start") != m.end();
  }));
  ASSERT_TRUE(p->interrupt());  // turn/start is not answered yet: the turn id is not known
  ASSERT_TRUE(run_until([&] { return !events_.finished.empty(); }));
  EXPECT_EQ(events_.finished, std::vector<bool>{false});
  const auto m = methods();
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m[4], "turn/interrupt");
  EXPECT_EQ(stdin_lines()[4].at("params").at("turnId"), json::value("turn-1"));
  const auto notices = events_.texts("notice");
  EXPECT_TRUE(std::any_of(notices.begin(), notices.end(), [](const std::string& t) { return t.find("1 waiting prompt was dropped") != std::string::npos; }));
  EXPECT_TRUE(std::any_of(notices.begin(), notices.end(), [](const std::string& t) { return t.find("interrupted") != std::string::npos; }));
  run_for(200ms);
  const auto later = methods();
  EXPECT_EQ(std::count(later.begin(), later.end(), "turn/start"), 1) << "the queued prompt was sent";
  auto idle = p->interrupt();
  ASSERT_FALSE(idle);
  EXPECT_EQ(idle.error().code, core::Errc::idle);
}

TEST_F(CodexProviderTest, InterruptDuringStartUpDropsThePrompt) {
  auto p = make();
  ASSERT_TRUE(p->send("never sent"));
  ASSERT_TRUE(p->interrupt());  // codex has not even answered initialize
  EXPECT_EQ(events_.finished, std::vector<bool>{false});
  run_for(300ms);
  const auto m = methods();
  EXPECT_EQ(std::count(m.begin(), m.end(), "turn/start"), 0);
  EXPECT_EQ(events_.finished.size(), 1u);
  EXPECT_TRUE(p->running());
  ASSERT_TRUE(p->send("now"));
  ASSERT_TRUE(run_until([&] { return events_.finished.size() == 2; }));
  EXPECT_EQ(events_.texts("assistant_text"), std::vector<std::string>{"echo: now"});
}

TEST_F(CodexProviderTest, ResumeOpensTheKnownThread) {
  LaunchSpec spec;
  spec.session_id = "known-thread";
  spec.resume = true;
  auto p = make(spec);
  ASSERT_TRUE(p->send("[text]"));
  ASSERT_TRUE(run_until([&] { return !events_.finished.empty(); }));
  EXPECT_EQ(methods(), (std::vector<std::string>{"initialize", "initialized", "thread/resume", "turn/start"}));
  EXPECT_EQ(stdin_lines()[2].at("params").at("threadId"), json::value("known-thread"));
  EXPECT_EQ(stdin_lines()[3].at("params").at("threadId"), json::value("known-thread"));
  EXPECT_EQ(events_.finished, std::vector<bool>{false});
}

TEST_F(CodexProviderTest, AThreadThatCannotBeResumedFailsThePromptAndIsTriedAgain) {
  LaunchSpec spec;
  spec.session_id = "gone-thread";
  spec.resume = true;
  auto p = make(spec);
  ASSERT_TRUE(p->send("one"));
  ASSERT_TRUE(run_until([&] { return !events_.finished.empty(); }));
  EXPECT_EQ(events_.finished, std::vector<bool>{true});
  ASSERT_EQ(events_.texts("error", "message").size(), 1u);
  EXPECT_NE(events_.texts("error", "message")[0].find("could not resume thread gone-thread: no rollout found"), std::string::npos);
  EXPECT_TRUE(p->running());
  ASSERT_TRUE(p->send("two"));
  ASSERT_TRUE(run_until([&] { return events_.finished.size() == 2; }));
  const auto m = methods();
  EXPECT_EQ(std::count(m.begin(), m.end(), "thread/resume"), 2);
  EXPECT_EQ(std::count(m.begin(), m.end(), "turn/start"), 0);
}

TEST_F(CodexProviderTest, ARequestWithoutAnAnswerTimesOutAndStopsTheAgent) {
  auto p = make({}, 300ms);
  ASSERT_TRUE(p->send("[hang]"));
  ASSERT_TRUE(run_until([&] { return events_.status.has_value(); }));
  const auto errors = events_.texts("error", "message");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("did not answer turn/start within 0.3 s"), std::string::npos) << errors[0];
  EXPECT_FALSE(p->running());
}

TEST_F(CodexProviderTest, AMissingBinaryIsProviderMissing) {
  auto kind = codex_kind(CodexConfig{"codex-not-installed-here", 1s, 1s});
  EXPECT_EQ(kind.type, core::ProviderType::codex);
  auto checked = kind.check({"PATH=/nonexistent"});
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, core::Errc::provider_missing);
  EXPECT_NE(checked.error().message.find("npm install -g @openai/codex"), std::string::npos);
  EXPECT_NE(checked.error().message.find("--codex-bin"), std::string::npos);

  auto p = kind.make(runtime_, LaunchSpec{dir_, {"PATH=/nonexistent"}, "", "", false, {}}, events_);
  auto sent = p->send("hi");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, core::Errc::provider_missing);
  EXPECT_TRUE(kind.takes_prompts);
}

}  // namespace
}  // namespace tether::providers::codex

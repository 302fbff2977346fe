// AgentProcess with real processes (/bin/sh): lines and the exit status, the end of stderr,
// a missing program, and the two paces of ending (stop, terminate) with their SIGKILL.
#include "providers/common/agent_process.hpp"

#include <signal.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "unit/run_until.hpp"
#include "unit/temp_dir.hpp"

namespace tether::providers::common {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class AgentProcessTest : public tether::testing::TempDirTest {
 protected:
  // Starts `script` under /bin/sh in `process`.
  void start(AgentProcess& process, const std::string& script, std::optional<net::ChildSpec::Size> terminal = {},
             std::size_t max_line = 1024 * 1024) {
    AgentProcess::Handlers h;
    h.on_line = [this](std::string_view l) { lines.emplace_back(l); };
    if (terminal) h.on_output = [this](std::string_view d) { output.append(d); };
    h.on_overlong = [this](std::size_t n) { dropped.push_back(n); };
    h.on_exit = [this](int s) { status = s; };
    net::ChildSpec spec;
    spec.argv = {"/bin/sh", "-c", script};
    spec.cwd = dir_;
    spec.env = {"PATH=/usr/bin:/bin"};
    spec.pty = terminal;
    spec.max_line_bytes = max_line;
    auto ok = process.spawn(std::move(spec), std::move(h));
    ASSERT_TRUE(ok) << ok.error().message;
    started = Clock::now();
  }
  // Until the script has printed `line` (its traps are set).
  bool wait_for_line(const std::string& line) {
    return tether::testing::run_until(runtime, [&] { return std::find(lines.begin(), lines.end(), line) != lines.end(); });
  }
  bool wait_for_exit() {
    return tether::testing::run_until(runtime, [&] { return status.has_value(); }, 20s);
  }
  // Since the start, or since `started` was set again.
  std::chrono::milliseconds elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  }

  net::Runtime runtime;
  std::vector<std::string> lines;
  std::string output;
  std::vector<std::size_t> dropped;
  std::optional<int> status;
  Clock::time_point started;
};

TEST_F(AgentProcessTest, LinesThenTheExitStatusAndWhyFromStderr) {
  AgentProcess process(runtime, {{0, SIGTERM}, 1s});
  start(process, "echo one; echo two; echo 'No conversation found' >&2; exit 3");
  ASSERT_TRUE(wait_for_exit());
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(status, 3);
  EXPECT_FALSE(process.running());
  EXPECT_TRUE(process.failed_on_its_own(3));
  EXPECT_FALSE(process.failed_on_its_own(0));
  EXPECT_EQ(core::without_trailing_newlines(process.stderr_tail()), "No conversation found");
}

TEST_F(AgentProcessTest, OnlyTheEndOfStderrIsKept) {
  AgentProcess process(runtime, {{0}, 1s});
  start(process, "head -c 10000 /dev/zero | tr '\\0' e >&2; printf END >&2");
  ASSERT_TRUE(wait_for_exit());
  EXPECT_EQ(process.stderr_tail().size(), 4096u);
  EXPECT_TRUE(process.stderr_tail().ends_with("eeeEND"));
}

TEST_F(AgentProcessTest, AnOverlongLineIsReportedAndDropped) {
  AgentProcess process(runtime, {{0}, 1s});
  start(process, "head -c 5000 /dev/zero | tr '\\0' x; echo; echo after", {}, 1000);
  ASSERT_TRUE(wait_for_exit());
  EXPECT_EQ(dropped, (std::vector<std::size_t>{5000}));
  EXPECT_EQ(lines, (std::vector<std::string>{"after"}));
}

TEST_F(AgentProcessTest, ATerminalsOutputComesRawAndItsWindowResizes) {
  AgentProcess process(runtime, {{SIGHUP, SIGTERM}, 1s});
  EXPECT_FALSE(process.resize(100, 30));  // nothing runs yet
  start(process, "read l; stty size", net::ChildSpec::Size{80, 24});
  EXPECT_TRUE(process.resize(100, 30));
  process.write("go\r");
  ASSERT_TRUE(wait_for_exit());
  EXPECT_NE(output.find("30 100"), std::string::npos) << output;
  EXPECT_TRUE(lines.empty());
}

TEST_F(AgentProcessTest, AMissingProgramIsProviderMissing) {
  AgentProcess process(runtime, {{0}, 1s});
  net::ChildSpec spec;
  spec.argv = {"no-such-agent-here"};
  spec.env = {"PATH=/usr/bin:/bin"};
  auto ok = process.spawn(std::move(spec), {});
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().code, core::Errc::provider_missing);
  EXPECT_NE(ok.error().message.find("no-such-agent-here"), std::string::npos);
  EXPECT_FALSE(process.running());
  process.write_line("dropped");  // no process: nothing happens
}

TEST_F(AgentProcessTest, StopTakesTheFirstStepAtOnce) {
  // Ends on EOF: closing stdin (step 0) is enough.
  AgentProcess process(runtime, {{0, SIGTERM}, 10s});
  start(process, "while read l; do echo \"got $l\"; done; echo eof");
  process.write_line("x");
  process.stop();
  EXPECT_TRUE(process.stopping());
  ASSERT_TRUE(wait_for_exit());
  EXPECT_EQ(lines, (std::vector<std::string>{"got x", "eof"}));
  EXPECT_EQ(status, 0);
  EXPECT_LT(elapsed(), 10s);
}

TEST_F(AgentProcessTest, StopKillsAfterTwoGracesWhenTheStepsAreIgnored) {
  AgentProcess process(runtime, {{0, SIGTERM}, 200ms});
  start(process, "trap '' TERM; echo ready; sleep 30");
  ASSERT_TRUE(wait_for_line("ready"));
  started = Clock::now();
  process.stop();
  process.stop();  // once per process: the first pace holds
  ASSERT_TRUE(wait_for_exit());
  EXPECT_EQ(status, 128 + SIGKILL);
  EXPECT_GE(elapsed(), 400ms);
  EXPECT_FALSE(process.failed_on_its_own(*status));  // it was being stopped
}

TEST_F(AgentProcessTest, TerminateTakesEveryStepAtOnceAndKillsAfterOneGrace) {
  // Deaf to EOF; SIGTERM (the second step) ends it, and it comes at once.
  AgentProcess process(runtime, {{0, SIGTERM}, 10s});
  start(process, "trap 'exit 9' TERM; echo ready; while :; do sleep 0.05; done");
  ASSERT_TRUE(wait_for_line("ready"));
  started = Clock::now();
  process.terminate();
  ASSERT_TRUE(wait_for_exit());
  EXPECT_EQ(status, 9);
  EXPECT_LT(elapsed(), 10s);

  AgentProcess deaf(runtime, {{SIGTERM}, 200ms});
  status.reset();
  start(deaf, "trap '' TERM; echo ready2; sleep 30");
  ASSERT_TRUE(wait_for_line("ready2"));
  started = Clock::now();
  deaf.terminate();
  ASSERT_TRUE(wait_for_exit());
  EXPECT_EQ(status, 128 + SIGKILL);
  EXPECT_GE(elapsed(), 200ms);
}

TEST_F(AgentProcessTest, ASpawnAfterAnExitStartsAfresh) {
  AgentProcess process(runtime, {{0, SIGTERM}, 200ms});
  start(process, "echo first >&2; sleep 30");
  process.terminate();
  ASSERT_TRUE(wait_for_exit());
  status.reset();
  start(process, "echo second >&2; exit 2");
  EXPECT_FALSE(process.stopping());
  ASSERT_TRUE(wait_for_exit());
  EXPECT_EQ(process.stderr_tail(), "second\n");
  EXPECT_TRUE(process.failed_on_its_own(2));
}

TEST(AgentCli, AMissingProgramSaysHowToInstallIt) {
  const AgentCli cli{"Test CLI", "test-cli", "--test-bin", " (a note)"};
  auto missing = locate(cli, "no-such-agent-here", {"PATH=/usr/bin:/bin"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::Errc::provider_missing);
  EXPECT_EQ(missing.error().message,
            "the Test CLI (`no-such-agent-here`) was not found on PATH; install it (npm install -g test-cli, or "
            "`scripts/bootstrap` for agents/node_modules) or start the daemon with --test-bin PATH (a note)");
  auto by_path = locate(cli, "/nowhere/agent", {"PATH=/usr/bin:/bin"});
  ASSERT_FALSE(by_path);
  EXPECT_NE(by_path.error().message.find("(`/nowhere/agent`) was not found; install it"), std::string::npos);
  auto found = locate(cli, "sh", {"HOME=/h", "PATH=/nowhere:/bin"});
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, "/bin/sh");
}

}  // namespace
}  // namespace tether::providers::common

// ChildProcess with real processes (/bin/sh): lines both ways, the exit status after
// stdout is drained, the environment and directory given, no inherited descriptors,
// overlong lines dropped, and the process group killed.
#include "net/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "unit/temp_dir.hpp"

namespace tether::net {
namespace {

using namespace std::chrono_literals;

class ChildProcessTest : public tether::testing::TempDirTest {
 protected:
  // Runs `script` under /bin/sh until it exits (or 20 s pass); collects its output.
  std::unique_ptr<ChildProcess> start(const std::string& script, std::vector<std::string> env = {"PATH=/usr/bin:/bin"},
                                      std::size_t max_line = 1024 * 1024, std::optional<ChildSpec::Size> terminal = {}) {
    ChildHandlers h = handlers();
    if (terminal) h.on_stdout_data = [this](std::string_view d) { raw.append(d); };
    ChildSpec spec;
    spec.argv = {"/bin/sh", "-c", script};
    spec.cwd = dir_;
    spec.env = std::move(env);
    spec.max_line_bytes = max_line;
    spec.pty = terminal;
    auto child = ChildProcess::spawn(runtime, std::move(spec), h);
    EXPECT_TRUE(child) << child.error().message;
    return child ? std::move(*child) : nullptr;
  }
  // Collect into the members below; the exit stops the loop.
  ChildHandlers handlers() {
    ChildHandlers h;
    h.on_stdout_line = [this](std::string_view l) { lines.emplace_back(l); };
    h.on_stdout_overlong = [this](std::size_t n) { dropped.push_back(n); };
    h.on_stderr = [this](std::string_view c) { err.append(c); };
    h.on_exit = [this](int s) {
      status = s;
      runtime.stop();
    };
    return h;
  }
  void run() {
    auto cancel = runtime.after(20s, [this] { runtime.stop(); });
    runtime.run();
    cancel();
  }

  Runtime runtime;
  std::vector<std::string> lines;
  std::string raw;
  std::vector<std::size_t> dropped;
  std::string err;
  std::optional<int> status;
};

TEST_F(ChildProcessTest, LinesInAndOutThenTheExitStatus) {
  auto child = start("while read l; do echo \"got $l\"; done; echo bye >&2; exit 7");
  child->write_line("one");
  child->write_line("two");
  child->close_stdin();
  run();
  EXPECT_EQ(lines, (std::vector<std::string>{"got one", "got two"}));
  EXPECT_EQ(err, "bye\n");
  EXPECT_EQ(status, 7);
  EXPECT_FALSE(child->running());
}

TEST_F(ChildProcessTest, GetsOnlyTheGivenEnvironmentAndDirectory) {
  auto child = start("echo \"$MARK\"; echo \"${HOME:-none}\"; pwd", {"PATH=/usr/bin:/bin", "MARK=here"});
  run();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "here");
  EXPECT_EQ(lines[1], "none");
  EXPECT_EQ(std::filesystem::canonical(lines[2]), std::filesystem::canonical(dir_));
}

TEST_F(ChildProcessTest, InheritsNoDescriptorBeyondTheThreeStandardOnes) {
  const int leak = ::open("/dev/null", O_RDONLY);  // not close-on-exec: must still not reach the child
  ASSERT_GE(leak, 3);
  auto child = start("ls /proc/self/fd | wc -l");
  run();
  ::close(leak);
  ASSERT_EQ(lines.size(), 1u);
  // 0, 1, 2 and the one `ls` opens to read the directory.
  EXPECT_EQ(std::stoi(lines[0]), 4);
}

TEST_F(ChildProcessTest, AnOverlongLineIsDroppedAndTheNextOneComesThrough) {
  auto child = start("head -c 5000 /dev/zero | tr '\\0' x; echo; echo after", {"PATH=/usr/bin:/bin"}, 1000);
  run();
  EXPECT_EQ(dropped, (std::vector<std::size_t>{5000}));
  EXPECT_EQ(lines, (std::vector<std::string>{"after"}));
  EXPECT_EQ(status, 0);
}

TEST_F(ChildProcessTest, SignalGroupReachesGrandchildrenAndReportsTheSignal) {
  auto child = start("sleep 30 & echo $!; wait");
  auto kill_soon = runtime.after(300ms, [&] { child->signal_group(SIGTERM); });
  run();
  EXPECT_EQ(status, 128 + SIGTERM);
  ASSERT_EQ(lines.size(), 1u);
  const pid_t grandchild = std::stoi(lines[0]);
  // The sleep was in the same process group: gone (or a zombie about to be reaped by init).
  for (int i = 0; i < 100 && ::kill(grandchild, 0) == 0; ++i) ::usleep(20'000);
  std::string state;
  if (FILE* f = std::fopen(("/proc/" + std::to_string(grandchild) + "/stat").c_str(), "r")) {
    char buf[256] = {};
    if (std::fgets(buf, sizeof buf, f)) state = buf;
    std::fclose(f);
  }
  EXPECT_TRUE(state.empty() || state.find(") Z") != std::string::npos) << state;
}

TEST_F(ChildProcessTest, EndRunsItsStepsInOrderAndALaterCallReplacesThem) {
  // The shell ignores SIGTERM: only the SIGKILL step can end it, after stdin closed.
  auto child = start("trap '' TERM; while read l; do :; done; echo stdin-closed; sleep 30");
  child->end({{0ms, 0}, {50ms, SIGTERM}, {60s, SIGKILL}});
  child->end({{0ms, 0}, {50ms, SIGTERM}, {200ms, SIGKILL}});  // replaces the 60 s plan
  run();
  EXPECT_EQ(lines, (std::vector<std::string>{"stdin-closed"}));
  EXPECT_EQ(status, 128 + SIGKILL);
}

TEST_F(ChildProcessTest, AMissingProgramIsNotFound) {
  ChildHandlers h;
  ChildSpec spec;
  spec.argv = {"no-such-program-here"};
  spec.env = {"PATH=/usr/bin:/bin"};
  auto child = ChildProcess::spawn(runtime, std::move(spec), h);
  ASSERT_FALSE(child);
  EXPECT_EQ(child.error().code, core::Errc::not_found);
  EXPECT_NE(child.error().message.find("no-such-program-here"), std::string::npos);
}

TEST_F(ChildProcessTest, InATerminalTheProgramSeesATtyOfTheGivenSizeAndGetsResized) {
  auto child = start("stty size; read l; stty size; echo \"typed $l\"", {"PATH=/usr/bin:/bin"}, 1024, ChildSpec::Size{100, 30});
  auto type = runtime.after(300ms, [&] {
    EXPECT_TRUE(child->resize(120, 40));
    child->write("hello\r");
  });
  run();
  EXPECT_EQ(status, 0);
  EXPECT_NE(raw.find("30 100"), std::string::npos) << raw;
  EXPECT_NE(raw.find("40 120"), std::string::npos) << raw;
  EXPECT_NE(raw.find("typed hello"), std::string::npos) << raw;
  EXPECT_TRUE(lines.empty());
}

// An environment that sets PATH twice is searched on its first PATH, the one the child's
// own getenv("PATH") returns (and providers::common::locate searches).
TEST_F(ChildProcessTest, ANameIsLookedUpOnTheFirstPathOfTheEnvironment) {
  const auto first = dir_ / "first";
  const auto second = dir_ / "second";
  for (const auto& d : {first, second}) {
    std::filesystem::create_directory(d);
    const auto probe = d / "tether-probe";
    std::FILE* f = std::fopen(probe.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fprintf(f, "#!/bin/sh\necho %s\n", d.filename().c_str());
    std::fclose(f);
    std::filesystem::permissions(probe, std::filesystem::perms::owner_all);
  }
  ChildSpec spec;
  spec.argv = {"tether-probe"};
  spec.env = {"PATH=" + first.string(), "PATH=" + second.string()};
  auto child = ChildProcess::spawn(runtime, spec, handlers());
  ASSERT_TRUE(child) << child.error().message;
  run();
  EXPECT_EQ(status, 0);
  EXPECT_EQ(lines, (std::vector<std::string>{"first"}));

  // The first PATH has no such program: not found, though the second one has it.
  spec.env = {"PATH=/nonexistent", "PATH=" + second.string()};
  auto missing = ChildProcess::spawn(runtime, spec, handlers());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::Errc::not_found);
  EXPECT_EQ(missing.error().message, "tether-probe: no such executable (looked on PATH=/nonexistent)");
}

TEST(FindExecutable, SearchesThePathInOrder) {
  EXPECT_EQ(find_executable("sh", "/nonexistent:/bin"), "/bin/sh");
  EXPECT_EQ(find_executable("sh", "/nonexistent"), "");
  EXPECT_EQ(find_executable("/bin/sh", ""), "/bin/sh");
  EXPECT_EQ(find_executable("/etc/passwd", ""), "");  // not executable
}

}  // namespace
}  // namespace tether::net

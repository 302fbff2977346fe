// kill -9 a process that appends events as fast as it can, 20 times; after each,
// no event it had reported is lost and seq has no gap.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>

#include "store/store.hpp"
#include "store_fixture.hpp"

namespace tether::store {
namespace {

using CrashTest = TempDirTest;

struct Child {
  pid_t pid;
  int out;  // read end of its stdout
};

Child spawn_child(const std::filesystem::path& db) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execl(STORE_CRASH_CHILD, STORE_CRASH_CHILD, db.c_str(), "session-1", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  return {pid, fds[0]};
}

// Reads what the child printed; returns the highest seq it reported.
std::int64_t drain(int fd, std::string& carry) {
  std::int64_t last = 0;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    carry.append(buf, static_cast<std::size_t>(n));
  }
  std::size_t start = 0;
  for (std::size_t nl; (nl = carry.find('\n', start)) != std::string::npos; start = nl + 1) {
    last = std::max<std::int64_t>(last, std::stoll(carry.substr(start, nl - start)));
  }
  return last;
}

TEST_F(CrashTest, KillNineLosesNoReportedEventAndLeavesNoGap) {
  std::mt19937 rng(20261123);
  std::uniform_int_distribution<int> delay_ms(30, 400);
  std::int64_t previous_total = 0;
  for (int round = 0; round < 20; ++round) {
    Child child = spawn_child(db_path());
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ASSERT_EQ(::kill(child.pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child.pid, &status, 0), child.pid);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child ended on its own: status " << status;
    std::string carry;
    const std::int64_t reported = drain(child.out, carry);
    ::close(child.out);

    auto store = Store::open(db_path());
    ASSERT_TRUE(store) << store.error().message;
    auto events = (*store)->events().read("session-1", 0, 10'000'000);
    ASSERT_TRUE(events);
    const auto n = static_cast<std::int64_t>(events->size());
    EXPECT_GE(n, reported) << "round " << round << ": an event reported durable was lost";
    EXPECT_GE(n, previous_total) << "round " << round;
    for (std::int64_t i = 0; i < n; ++i) ASSERT_EQ((*events)[static_cast<std::size_t>(i)].seq, i + 1) << "gap in seq, round " << round;
    EXPECT_EQ(*(*store)->events().last_seq("session-1"), n);
    previous_total = n;
  }
  EXPECT_GT(previous_total, 0) << "the child never appended anything";
}

}  // namespace
}  // namespace tether::store

// How many connections fit under an open-file limit with a reserve kept (net/open_files.hpp).
#include "net/open_files.hpp"

#include <sys/resource.h>

#include <gtest/gtest.h>

namespace tether::net {
namespace {

TEST(ConnectionBudget, KeepsTheReserveBelowTheLimit) {
  EXPECT_EQ(connection_budget(1024, 128, 10000), 896u);
  EXPECT_EQ(connection_budget(256, 128, 10000), 128u);
}

TEST(ConnectionBudget, NeverMoreThanWanted) {
  EXPECT_EQ(connection_budget(1u << 20, 128, 1024), 1024u);
  EXPECT_EQ(connection_budget(std::nullopt, 128, 1024), 1024u);  // unlimited
}

TEST(ConnectionBudget, ASmallLimitGivesHalfAndNeverNothing) {
  EXPECT_EQ(connection_budget(200, 128, 10000), 100u);
  EXPECT_EQ(connection_budget(1, 128, 10000), 1u);
  EXPECT_EQ(connection_budget(0, 128, 10000), 1u);
}

TEST(RaiseOpenFileLimit, RaisesTowardsWhatIsWantedNotPastTheHardLimit) {
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  if (saved.rlim_max == RLIM_INFINITY || saved.rlim_max < 128) GTEST_SKIP() << "needs a finite hard limit of 128 or more";
  rlimit low = saved;
  low.rlim_cur = 64;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  EXPECT_EQ(raise_open_file_limit(100), 100u);
  EXPECT_EQ(raise_open_file_limit(80), 100u);  // never lowered
  EXPECT_EQ(raise_open_file_limit(saved.rlim_max + 1000), static_cast<std::size_t>(saved.rlim_max));
  ::setrlimit(RLIMIT_NOFILE, &saved);
}

}  // namespace
}  // namespace tether::net

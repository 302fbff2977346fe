#include "relay/token_bucket.hpp"

#include <gtest/gtest.h>

namespace tether::relay {
namespace {

using namespace std::chrono_literals;
using Clock = TokenBucket::Clock;
const Clock::time_point t0{};

TEST(TokenBucket, BurstPassesThenDebtIsPaidByPausing) {
  TokenBucket b(1000, 2000, t0);
  EXPECT_EQ(b.consume(2000, t0), Clock::duration::zero());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(b.consume(500, t0)), 500ms);
  // after the pause the debt is gone
  EXPECT_NEAR(b.tokens(t0 + 500ms), 0.0, 1e-6);
}

TEST(TokenBucket, RefillsAtTheRateUpToTheBurst) {
  TokenBucket b(1000, 2000, t0);
  (void)b.consume(2000, t0);
  EXPECT_NEAR(b.tokens(t0 + 1s), 1000.0, 1e-6);
  EXPECT_NEAR(b.tokens(t0 + 10s), 2000.0, 1e-6);
}

TEST(TokenBucket, AFrameLargerThanTheBurstIsNeverRefusedOnlyDelayed) {
  TokenBucket b(1000, 100, t0);
  const auto pause = b.consume(10'100, t0);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(pause), 10s);
}

TEST(TokenBucket, LongRunAverageIsTheRate) {
  TokenBucket b(1000, 1000, t0);
  auto now = t0;
  std::size_t sent = 0;
  for (int i = 0; i < 100; ++i) {
    sent += 300;
    now += b.consume(300, now);
  }
  const double seconds = std::chrono::duration<double>(now - t0).count();
  EXPECT_NEAR(static_cast<double>(sent - 1000) / seconds, 1000.0, 15.0);
}

TEST(TokenBucket, ZeroRateMeansUnlimited) {
  TokenBucket b(0, 0, t0);
  EXPECT_EQ(b.consume(1 << 30, t0), Clock::duration::zero());
}

}  // namespace
}  // namespace tether::relay

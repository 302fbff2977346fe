#include "link/backoff.hpp"

#include <gtest/gtest.h>

namespace tether::link {
namespace {

using namespace std::chrono_literals;
using ms = std::chrono::milliseconds;

TEST(Backoff, DoublesUpToTheCapWithJitterInTheUpperHalf) {
  Backoff b(500ms, 30s);
  // random 1.0 gives the full delay, 0.0 half of it
  EXPECT_EQ(std::chrono::duration_cast<ms>(b.next(1.0)), 500ms);
  EXPECT_EQ(std::chrono::duration_cast<ms>(b.next(1.0)), 1000ms);
  EXPECT_EQ(std::chrono::duration_cast<ms>(b.next(0.0)), 1000ms);  // 2 s, lower half
  for (int i = 0; i < 100; ++i) {
    const auto d = b.next(0.999);
    EXPECT_LE(d, 30s);
  }
  EXPECT_GE(b.next(0.0), 15s);
  EXPECT_LE(b.next(1.0), 30s);
}

TEST(Backoff, ResetStartsOver) {
  Backoff b(500ms, 2s);
  for (int i = 0; i < 5; ++i) (void)b.next(0.5);
  b.reset();
  EXPECT_EQ(std::chrono::duration_cast<ms>(b.next(1.0)), 500ms);
}

TEST(Backoff, ACapBelowTheInitialDelayWins) {
  Backoff b(500ms, 200ms);
  EXPECT_LE(b.next(1.0), 200ms);
}

}  // namespace
}  // namespace tether::link

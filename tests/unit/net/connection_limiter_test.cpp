#include "net/connection_limiter.hpp"

#include <gtest/gtest.h>

namespace tether::net {
namespace {

using A = ConnectionLimiter::Admission;

TEST(ConnectionLimiter, CapsEachAddress) {
  ConnectionLimiter l(100, 2);
  EXPECT_EQ(l.admit(1, "10.0.0.1"), A::admitted);
  EXPECT_EQ(l.admit(2, "10.0.0.1"), A::admitted);
  EXPECT_EQ(l.admit(3, "10.0.0.1"), A::address_full);
  EXPECT_EQ(l.admit(4, "10.0.0.2"), A::admitted);
  l.release(1);
  EXPECT_EQ(l.admit(5, "10.0.0.1"), A::admitted);
  EXPECT_EQ(l.count_for("10.0.0.1"), 2u);
  EXPECT_EQ(l.total(), 3u);
}

TEST(ConnectionLimiter, CapsTheTotal) {
  ConnectionLimiter l(2, 10);
  EXPECT_EQ(l.admit(1, "a"), A::admitted);
  EXPECT_EQ(l.admit(2, "b"), A::admitted);
  EXPECT_EQ(l.admit(3, "c"), A::total_full);
  l.release(2);
  EXPECT_EQ(l.admit(3, "c"), A::admitted);
}

TEST(ConnectionLimiter, ExemptConnectionsLeaveTheAddressBudgetButNotTheTotal) {
  ConnectionLimiter l(3, 1);
  EXPECT_EQ(l.admit(1, "a"), A::admitted);
  l.exempt(1);
  l.exempt(1);
  EXPECT_EQ(l.count_for("a"), 0u);
  EXPECT_EQ(l.admit(2, "a"), A::admitted);
  EXPECT_EQ(l.admit(3, "a"), A::address_full);
  l.release(1);  // releasing an exempt connection does not free another's address slot
  EXPECT_EQ(l.count_for("a"), 1u);
  EXPECT_EQ(l.total(), 1u);
  l.release(42);  // unknown ids are ignored
}

}  // namespace
}  // namespace tether::net

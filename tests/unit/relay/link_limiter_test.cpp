#include "relay/link_limiter.hpp"

#include <gtest/gtest.h>

namespace tether::relay {
namespace {

using A = LinkLimiter::Admission;
constexpr auto kNew = std::nullopt;  // a daemon id with no link yet

TEST(LinkLimiter, BoundsEachAddress) {
  LinkLimiter l(100, 2);
  EXPECT_EQ(l.admit(1, "10.0.0.1", kNew), A::admitted);
  EXPECT_EQ(l.admit(2, "10.0.0.1", kNew), A::admitted);
  EXPECT_EQ(l.admit(3, "10.0.0.1", kNew), A::address_full);
  EXPECT_EQ(l.admit(4, "10.0.0.2", kNew), A::admitted);
  EXPECT_EQ(l.count_for("10.0.0.1"), 2u);  // the refused one is not counted
  l.release(1);
  EXPECT_EQ(l.admit(5, "10.0.0.1", kNew), A::admitted);
  EXPECT_EQ(l.total(), 3u);
}

TEST(LinkLimiter, BoundsTheTotal) {
  LinkLimiter l(2, 10);
  EXPECT_EQ(l.admit(1, "a", kNew), A::admitted);
  EXPECT_EQ(l.admit(2, "b", kNew), A::admitted);
  EXPECT_EQ(l.admit(3, "c", kNew), A::relay_full);
  EXPECT_EQ(l.total(), 2u);
  l.release(2);
  EXPECT_EQ(l.admit(3, "c", kNew), A::admitted);
}

TEST(LinkLimiter, AReplacingLinkFromTheSameAddressTakesThePlaceOfTheOld) {
  LinkLimiter l(1, 1);
  EXPECT_EQ(l.admit(1, "a", kNew), A::admitted);
  EXPECT_EQ(l.admit(2, "a", 1), A::admitted);  // full on both bounds, but it replaces
  EXPECT_EQ(l.total(), 1u);
  EXPECT_EQ(l.count_for("a"), 1u);
  l.release(1);  // the replaced link's end, later: it no longer counts
  EXPECT_EQ(l.total(), 1u);
  EXPECT_EQ(l.admit(3, "a", kNew), A::relay_full);
}

TEST(LinkLimiter, AReplacingLinkFromAnotherAddressMovesThere) {
  LinkLimiter l(1, 1);
  EXPECT_EQ(l.admit(1, "a", kNew), A::admitted);
  EXPECT_EQ(l.admit(2, "b", 1), A::admitted);  // the total does not grow
  EXPECT_EQ(l.count_for("a"), 0u);
  EXPECT_EQ(l.count_for("b"), 1u);
}

TEST(LinkLimiter, AReplacingLinkStillNeedsRoomAtItsOwnAddress) {
  LinkLimiter l(10, 1);
  EXPECT_EQ(l.admit(1, "a", kNew), A::admitted);
  EXPECT_EQ(l.admit(2, "b", kNew), A::admitted);
  EXPECT_EQ(l.admit(3, "b", 1), A::address_full);  // b is full; replacing a's link frees a, not b
  EXPECT_EQ(l.count_for("a"), 1u);               // a refused replacement leaves the old link counted
  EXPECT_EQ(l.total(), 2u);
}

TEST(LinkLimiter, UnknownIdsAreIgnored) {
  LinkLimiter l(1, 1);
  l.release(42);
  EXPECT_EQ(l.admit(1, "a", 42), A::admitted);  // replacing a link that is not counted: a new link
  EXPECT_EQ(l.admit(2, "b", 42), A::relay_full);
  EXPECT_EQ(l.total(), 1u);
}

}  // namespace
}  // namespace tether::relay

#include "relay/router.hpp"

#include <gtest/gtest.h>

namespace tether::relay {
namespace {

using namespace std::chrono_literals;
const Clock::time_point t0{};

TEST(Router, ANewLinkReplacesTheOldOneAndAStaleUnlinkChangesNothing) {
  Router r(4, 10s);
  EXPECT_FALSE(r.link("d", 1));
  EXPECT_EQ(r.link("d", 2), std::optional<ConnId>(1));
  r.unlink("d", 1);  // the replaced link ending must not unlink the new one
  EXPECT_EQ(r.link_of("d"), std::optional<ConnId>(2));
  r.unlink("d", 2);
  EXPECT_FALSE(r.link_of("d"));
  EXPECT_EQ(r.link_count(), 0u);
}

TEST(Router, ConnectToAnUnknownDaemonIsRefused) {
  Router r(4, 10s);
  auto c = r.begin_connect("nobody", 5, "tok", t0);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, core::Errc::not_linked);
}

TEST(Router, AcceptTakesTheTokenOnce) {
  Router r(4, 10s);
  r.link("d", 1);
  auto link = r.begin_connect("d", 5, "tok", t0);
  ASSERT_TRUE(link);
  EXPECT_EQ(*link, 1u);
  EXPECT_FALSE(r.take_accept("other", t0 + 1s));
  auto p = r.take_accept("tok", t0 + 1s);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->client, 5u);
  EXPECT_EQ(p->daemon_id, "d");
  EXPECT_FALSE(r.take_accept("tok", t0 + 1s));
  EXPECT_EQ(r.pending_count(), 0u);
  EXPECT_EQ(r.pending_for("d"), 0u);
}

TEST(Router, PendingConnectsPerDaemonAreCapped) {
  Router r(2, 10s);
  r.link("d", 1);
  r.link("e", 2);
  ASSERT_TRUE(r.begin_connect("d", 10, "a", t0));
  ASSERT_TRUE(r.begin_connect("d", 11, "b", t0));
  auto third = r.begin_connect("d", 12, "c", t0);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, core::Errc::too_many_pending);
  EXPECT_TRUE(r.begin_connect("e", 13, "d", t0));  // another daemon has its own budget
  r.cancel_client(10);
  EXPECT_TRUE(r.begin_connect("d", 12, "c", t0));
}

TEST(Router, ExpiresAfterTheAcceptTimeoutAndNotBefore) {
  Router r(4, 10s);
  r.link("d", 1);
  ASSERT_TRUE(r.begin_connect("d", 5, "a", t0));
  ASSERT_TRUE(r.begin_connect("d", 6, "b", t0 + 5s));
  EXPECT_TRUE(r.expire(t0 + 9s).empty());
  auto gone = r.expire(t0 + 10s);
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].client, 5u);
  EXPECT_FALSE(r.take_accept("b", t0 + 15s));  // past its deadline even before a sweep
  EXPECT_EQ(r.expire(t0 + 15s).size(), 1u);
  EXPECT_EQ(r.pending_count(), 0u);
}

TEST(Router, ACancelledClientIsForgotten) {
  Router r(4, 10s);
  r.link("d", 1);
  ASSERT_TRUE(r.begin_connect("d", 5, "a", t0));
  r.cancel_client(5);
  r.cancel_client(5);
  EXPECT_FALSE(r.take_accept("a", t0));
  EXPECT_TRUE(r.expire(t0 + 1h).empty());
}

}  // namespace
}  // namespace tether::relay

// LiveConnections against a real store: replay after `since`, then live, with appends
// landing during the replay — every event exactly once, in order; overflow drops a
// subscriber that falls behind and tells it where to resume.
#include "daemon/live_connections.hpp"

#include <gtest/gtest.h>

#include <functional>

#include <boost/json/parse.hpp>

#include "recording_connection.hpp"
#include "store/store.hpp"
#include "unit/run_until.hpp"
#include "unit/temp_dir.hpp"

namespace tether::daemon {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

class LiveConnectionsTest : public tether::testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    store_ = std::move(store::Store::open(dir_ / "t.db")).value();
  }

  // What the session manager does for each event: commit, then publish.
  void append(int n) {
    for (int i = 0; i < n; ++i) {
      auto seq = store_->events().append("s1", "assistant_delta", R"({"text":"x"})", std::chrono::system_clock::now());
      ASSERT_TRUE(seq);
      subs_->publish(store::Event{"s1", *seq, std::chrono::system_clock::now(), "assistant_delta", R"({"text":"x"})"});
    }
  }
  // The registry under test, with connection 1 (outlet_) in it.
  void make(SubscriptionLimits limits = {}) {
    subs_ = std::make_unique<LiveConnections>(runtime_, store_->events(), limits);
    subs_->join(1, "", outlet_);
  }
  void run_for(std::chrono::milliseconds d) {
    auto cancel = runtime_.after(d, [this] { runtime_.stop(); });
    runtime_.run();
    runtime_.restart();
    cancel();
  }
  // Runs the loop until `n` events have reached the outlet, or 10 s have passed (then the
  // test's expectation reports what is missing).
  void run_until_delivered(std::size_t n) {
    tether::testing::run_until(runtime_, [&] { return outlet_->seqs().size() >= n; });
  }
  std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {
    std::vector<std::int64_t> v;
    for (auto s = from; s <= to; ++s) v.push_back(s);
    return v;
  }

  net::Runtime runtime_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<RecordingConnection> outlet_ = std::make_shared<RecordingConnection>();
  std::unique_ptr<LiveConnections> subs_;
};

TEST_F(LiveConnectionsTest, ReplaysAfterSinceThenGoesLiveWithAppendsDuringTheReplay) {
  make(SubscriptionLimits{100, 1 << 20, 2 << 20});
  append(1000);
  auto last = subs_->subscribe(1, "s1", 250);
  ASSERT_TRUE(last);
  EXPECT_EQ(*last, 1000);
  EXPECT_TRUE(outlet_->lines.empty()) << "the replay must wait for the subscribe reply";
  // Appends interleave with the replay's pages (each page is a separate loop step).
  for (int i = 0; i < 5; ++i) runtime_.post([this] { append(7); });
  run_until_delivered(750 + 35);
  append(3);  // live
  EXPECT_EQ(outlet_->seqs(), range(251, 1038));
}

TEST_F(LiveConnectionsTest, ASinceBeyondTheLogGetsWhatComesNext) {
  make();
  append(10);
  ASSERT_TRUE(subs_->subscribe(1, "s1", 5000));
  run_for(50ms);
  append(2);
  EXPECT_EQ(outlet_->seqs(), (std::vector<std::int64_t>{11, 12}));
}

TEST_F(LiveConnectionsTest, ASubscriberTooFarBehindIsDroppedAndToldWhereToResume) {
  make(SubscriptionLimits{100, 1 << 20, 4096});
  ASSERT_TRUE(subs_->subscribe(1, "s1", 0));
  run_for(20ms);
  append(2);
  outlet_->queued = 5000;  // the peer stopped reading
  append(1);
  outlet_->queued = 0;
  append(1);
  EXPECT_EQ(outlet_->seqs(), (std::vector<std::int64_t>{1, 2}));
  ASSERT_EQ(outlet_->overflows(), 1u);
  const auto notice = json::parse(outlet_->lines.back()).as_object();
  EXPECT_EQ(notice.at("params").at("last_seq").as_int64(), 2);
  EXPECT_EQ(subs_->count("s1"), 0u);
  // Resubscribing from last_seq gets the rest, exactly once.
  ASSERT_TRUE(subs_->subscribe(1, "s1", 2));
  run_until_delivered(4);
  EXPECT_EQ(outlet_->seqs(), (std::vector<std::int64_t>{1, 2, 3, 4}));
}

TEST_F(LiveConnectionsTest, ReplayWaitsWhileThePeerIsBehind) {
  make(SubscriptionLimits{10, 100, 1 << 20});
  append(50);
  outlet_->queued = 1000;
  ASSERT_TRUE(subs_->subscribe(1, "s1", 0));
  run_for(30ms);
  EXPECT_TRUE(outlet_->seqs().empty());
  outlet_->queued = 0;
  run_until_delivered(50);
  EXPECT_EQ(outlet_->seqs(), range(1, 50));
}

TEST_F(LiveConnectionsTest, AClosedConnectionStopsItsSubscriptions) {
  make();
  ASSERT_TRUE(subs_->subscribe(1, "s1", 0));
  EXPECT_EQ(subs_->count("s1"), 1u);
  subs_->leave(1);
  EXPECT_EQ(subs_->count("s1"), 0u);
  EXPECT_FALSE(subs_->subscribe(99, "s1", 0)) << "a connection that cannot take notifications";
}

TEST_F(LiveConnectionsTest, TheInboxReachesItsSubscribersUntilTheyLeaveOrFallBehind) {
  make(SubscriptionLimits{100, 1 << 20, 4096});
  auto other = std::make_shared<RecordingConnection>();
  subs_->join(2, "", other);
  EXPECT_TRUE(subs_->subscribe_feed(1, LiveConnections::Feed::inbox));
  EXPECT_FALSE(subs_->subscribe_feed(99, LiveConnections::Feed::inbox));
  subs_->publish_feed(LiveConnections::Feed::inbox, json::object{{"change", "requested"}, {"approval_id", "a1"}});
  ASSERT_EQ(outlet_->lines.size(), 1u);
  EXPECT_EQ(json::parse(outlet_->lines[0]).at("method").as_string(), "approval.changed");
  EXPECT_EQ(json::parse(outlet_->lines[0]).at("params").at("approval_id").as_string(), "a1");
  EXPECT_TRUE(other->lines.empty()) << "only subscribers get the inbox";
  outlet_->queued = 5000;
  subs_->publish_feed(LiveConnections::Feed::inbox, json::object{{"change", "resolved"}, {"approval_id", "a1"}});
  EXPECT_EQ(json::parse(outlet_->lines.back()).at("method").as_string(), "approval.overflow");
  outlet_->queued = 0;
  subs_->publish_feed(LiveConnections::Feed::inbox, json::object{{"change", "requested"}, {"approval_id", "a2"}});
  EXPECT_EQ(outlet_->lines.size(), 2u) << "dropped after falling behind";
  EXPECT_TRUE(subs_->subscribe_feed(1, LiveConnections::Feed::inbox));
  subs_->leave(1);
  subs_->publish_feed(LiveConnections::Feed::inbox, json::object{{"change", "requested"}, {"approval_id", "a3"}});
  EXPECT_EQ(outlet_->lines.size(), 2u);
}

TEST_F(LiveConnectionsTest, TheSessionFeedIsSeparateFromTheInbox) {
  make(SubscriptionLimits{100, 1 << 20, 4096});
  auto other = std::make_shared<RecordingConnection>();
  subs_->join(2, "", other);
  EXPECT_TRUE(subs_->subscribe_feed(1, LiveConnections::Feed::sessions));
  EXPECT_TRUE(subs_->subscribe_feed(2, LiveConnections::Feed::inbox));
  subs_->publish_feed(LiveConnections::Feed::sessions, json::object{{"id", "s1"}, {"status", "running"}});
  ASSERT_EQ(outlet_->lines.size(), 1u);
  EXPECT_EQ(json::parse(outlet_->lines[0]).at("method").as_string(), "session.changed");
  EXPECT_EQ(json::parse(outlet_->lines[0]).at("params").at("status").as_string(), "running");
  EXPECT_TRUE(other->lines.empty()) << "an inbox subscriber does not get the session feed";
  subs_->publish_feed(LiveConnections::Feed::inbox, json::object{{"change", "requested"}});
  EXPECT_EQ(outlet_->lines.size(), 1u) << "nor the other way round";
  outlet_->queued = 5000;
  subs_->publish_feed(LiveConnections::Feed::sessions, json::object{{"id", "s1"}});
  EXPECT_EQ(json::parse(outlet_->lines.back()).at("method").as_string(), "session.list_overflow");
  outlet_->queued = 0;
  subs_->publish_feed(LiveConnections::Feed::sessions, json::object{{"id", "s1"}});
  EXPECT_EQ(outlet_->lines.size(), 2u) << "dropped after falling behind";
}

}  // namespace
}  // namespace tether::daemon

namespace tether::daemon {
namespace {

TEST(EventNotificationTest, EmbedsTheStoredDataAsIsAndEscapesOnlyWhatNeedsIt) {
  const auto time = store::from_unix_ms(1795467890123);
  EXPECT_EQ(event_notification(store::Event{"s3fa9c01b2d4e", 42, time, "tool_call", R"({"tool":"Bash"})"}),
            R"({"jsonrpc":"2.0","method":"session.event","params":{"session":"s3fa9c01b2d4e","seq":42,)"
            R"("time":1795467890123,"kind":"tool_call","data":{"tool":"Bash"}}})");
  const auto odd = json::parse(event_notification(store::Event{"s\"1\\", 7, time, "k\n", ""}));
  EXPECT_EQ(odd.at("params").at("session").as_string(), "s\"1\\");
  EXPECT_EQ(odd.at("params").at("kind").as_string(), "k\n");
  EXPECT_TRUE(odd.at("params").at("data").as_object().empty());
}

TEST_F(LiveConnectionsTest, RevokingADeviceClosesItsConnectionsAndNoOthers) {
  make();
  auto a = std::make_shared<RecordingConnection>();
  auto b = std::make_shared<RecordingConnection>();
  auto c = std::make_shared<RecordingConnection>();
  subs_->join(2, "d1", a);
  subs_->join(3, "d1", b);
  subs_->join(4, "d2", c);
  EXPECT_EQ(subs_->device_count("d1"), 2u);
  EXPECT_EQ(subs_->device_count("d2"), 1u);
  EXPECT_EQ(subs_->device_count(""), 0u) << "local connections belong to no device";
  EXPECT_EQ(subs_->local_count(), 1u);
  subs_->revoke_device("d1");
  EXPECT_EQ(a->revoked, 1);
  EXPECT_EQ(b->revoked, 1);
  EXPECT_EQ(c->revoked, 0);
  EXPECT_EQ(outlet_->revoked, 0);
  subs_->revoke_device("");
  EXPECT_EQ(outlet_->revoked, 0) << "no device id reaches the local connections";
}

TEST_F(LiveConnectionsTest, AModeChangeReachesEveryConnectionOfThatDeviceOnly) {
  make();
  auto a = std::make_shared<RecordingConnection>();
  auto c = std::make_shared<RecordingConnection>();
  subs_->join(2, "d1", a);
  subs_->join(4, "d2", c);
  subs_->set_device_role("d1", proto::Role::read_only);
  EXPECT_EQ(a->role, proto::Role::read_only);
  EXPECT_FALSE(c->role);
  EXPECT_FALSE(outlet_->role);
}

TEST_F(LiveConnectionsTest, AConnectionWhoseOwnerEndedItIsNeitherCountedNorSentTo) {
  make();
  auto gone = std::make_shared<RecordingConnection>();
  subs_->join(2, "d1", gone);
  ASSERT_TRUE(subs_->subscribe(2, "s1", 0));
  gone.reset();  // the transport dropped it without leave()
  EXPECT_EQ(subs_->device_count("d1"), 0u);
  EXPECT_FALSE(subs_->subscribe(2, "s1", 0));
  EXPECT_FALSE(subs_->subscribe_feed(2, LiveConnections::Feed::inbox));
  append(3);
  run_for(20ms);  // the pending replay step finds it gone
  EXPECT_EQ(subs_->count("s1"), 0u);
}

TEST_F(LiveConnectionsTest, LeavingForgetsTheConnectionItsDeviceAndItsFeeds) {
  make();
  auto a = std::make_shared<RecordingConnection>();
  subs_->join(2, "d1", a);
  ASSERT_TRUE(subs_->subscribe_feed(2, LiveConnections::Feed::inbox));
  subs_->leave(2);
  EXPECT_EQ(subs_->device_count("d1"), 0u);
  subs_->revoke_device("d1");
  EXPECT_EQ(a->revoked, 0);
  subs_->publish_feed(LiveConnections::Feed::inbox, json::object{{"change", "requested"}});
  EXPECT_TRUE(a->lines.empty());
}

}  // namespace
}  // namespace tether::daemon

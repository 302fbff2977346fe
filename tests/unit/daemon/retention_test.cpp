// Retention against a real store: a prune larger than one batch runs one batch per loop
// turn, so other work on the loop runs between batches, and everything old goes; and the
// batch sizer that keeps each batch near its time target.
#include "daemon/retention.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "store/store.hpp"
#include "unit/temp_dir.hpp"

namespace tether::daemon {
namespace {

using namespace std::chrono_literals;

class RetentionTest : public tether::testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    store_ = std::move(store::Store::open(dir_ / "t.db")).value();
  }
  void add(const char* session, int n, std::chrono::system_clock::time_point when) {
    std::vector<store::NewEvent> batch(static_cast<std::size_t>(n), store::NewEvent{session, "k", "{}"});
    ASSERT_TRUE(store_->events().append_batch(batch, when));
  }
  void run_until_idle(Retention& r) {
    // Each loop turn: count one "request" and go again while the prune runs.
    std::function<void()> request = [&] {
      ++requests_;
      if (r.running()) runtime_.post(request);
    };
    runtime_.post(request);
    runtime_.run();
    runtime_.restart();
  }

  net::Runtime runtime_;
  std::unique_ptr<store::Store> store_;
  int requests_ = 0;
  std::chrono::system_clock::time_point now_ = std::chrono::system_clock::now();
};

TEST_F(RetentionTest, PrunesOldEventsInBatchesBetweenOtherWork) {
  add("old", 250, now_ - 40 * 24h);
  add("new", 30, now_ - 1h);
  Retention retention(runtime_, store_->events(), store_->audit(), 30 * 24h, 100);
  retention.start(now_);
  EXPECT_TRUE(retention.running());
  run_until_idle(retention);
  EXPECT_FALSE(retention.running());
  EXPECT_EQ(retention.last_pruned(), 250);
  EXPECT_GE(requests_, 3);  // three batches, with the loop's other work between them
  EXPECT_TRUE(store_->events().read("old", 0, 10)->empty());
  EXPECT_EQ(store_->events().read("new", 0, 100)->size(), 30u);
  EXPECT_EQ(*store_->events().last_seq("old"), 250);  // seq never restarts
}

TEST_F(RetentionTest, PrunesTheAuditLogWithTheSameRetention) {
  for (int i = 0; i < 250; ++i) ASSERT_TRUE(store_->audit().append(now_ - 40 * 24h, "unknown", "connect_refused", "", "{}"));
  ASSERT_TRUE(store_->audit().append(now_ - 1h, "owner", "revoke", "d1", "{}"));
  add("new", 3, now_ - 1h);
  Retention retention(runtime_, store_->events(), store_->audit(), 30 * 24h, 100);
  retention.start(now_);
  run_until_idle(retention);
  EXPECT_EQ(retention.last_pruned_audit(), 250);
  auto left = store_->audit().list(std::nullopt, std::nullopt, 1000);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].action, "revoke");
  EXPECT_EQ(store_->events().read("new", 0, 10)->size(), 3u);
}

TEST_F(RetentionTest, StopAbandonsARunningPrune) {
  add("old", 300, now_ - 40 * 24h);
  Retention retention(runtime_, store_->events(), store_->audit(), 30 * 24h, 100);
  retention.start(now_);
  retention.stop();
  runtime_.run();
  runtime_.restart();
  EXPECT_EQ(store_->events().read("old", 0, 1000)->size(), 300u);
  retention.start(now_);  // stopped for good
  EXPECT_FALSE(retention.running());
}

TEST(BatchSizer, HalvesAfterASlowBatchAndDoublesAfterAFastOneWithinItsBounds) {
  BatchSizer sizer(50, 1000, 2000us);
  EXPECT_EQ(sizer.size(), 250u);
  sizer.took(5000us);
  EXPECT_EQ(sizer.size(), 125u);
  sizer.took(1500us);  // within the target: kept
  EXPECT_EQ(sizer.size(), 125u);
  for (int i = 0; i < 10; ++i) sizer.took(9000us);
  EXPECT_EQ(sizer.size(), 50u);
  for (int i = 0; i < 10; ++i) sizer.took(100us);
  EXPECT_EQ(sizer.size(), 1000u);
  BatchSizer small(50, 100, 2000us);  // a maximum below the first size wins
  EXPECT_EQ(small.size(), 100u);
}

}  // namespace
}  // namespace tether::daemon

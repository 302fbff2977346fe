#include "store/event_store.hpp"

#include <gtest/gtest.h>

#include "store/store.hpp"
#include "store_fixture.hpp"

namespace tether::store {
namespace {

using namespace std::chrono_literals;

class EventStoreTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    auto s = Store::open(db_path());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(s).value();
  }
  EventStore& events() { return store_->events(); }
  std::unique_ptr<Store> store_;
  TimePoint now_ = from_unix_ms(1'700'000'000'000);
};

TEST_F(EventStoreTest, SeqIsPerSessionAndGapFree) {
  EXPECT_EQ(*events().append("a", "k", "{}", now_), 1);
  EXPECT_EQ(*events().append("a", "k", "{}", now_), 2);
  EXPECT_EQ(*events().append("b", "k", "{}", now_), 1);
  EXPECT_EQ(*events().append("a", "k", "{}", now_), 3);
  EXPECT_EQ(*events().last_seq("a"), 3);
  EXPECT_EQ(*events().last_seq("b"), 1);
  EXPECT_EQ(*events().last_seq("none"), 0);
}

TEST_F(EventStoreTest, BatchAppendsAreContiguous) {
  ASSERT_TRUE(events().append("a", "k", "{}", now_));
  std::vector<NewEvent> batch = {{"a", "x", "1"}, {"b", "x", "2"}, {"a", "x", "3"}};
  auto seqs = events().append_batch(batch, now_);
  ASSERT_TRUE(seqs);
  EXPECT_EQ(*seqs, (std::vector<std::int64_t>{2, 1, 3}));
}

TEST_F(EventStoreTest, ReadReturnsEventsAfterSinceInOrder) {
  for (int i = 1; i <= 10; ++i) ASSERT_TRUE(events().append("s", "k", "{\"i\":" + std::to_string(i) + "}", now_ + i * 1ms));
  auto all = events().read("s", 0, 100);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 10u);
  EXPECT_EQ(all->front().seq, 1);
  EXPECT_EQ(all->front().data, "{\"i\":1}");
  EXPECT_EQ(all->front().time, now_ + 1ms);
  auto tail = events().read("s", 7, 100);
  ASSERT_EQ(tail->size(), 3u);
  EXPECT_EQ((*tail)[0].seq, 8);
  auto page = events().read("s", 2, 4);
  ASSERT_EQ(page->size(), 4u);
  EXPECT_EQ(page->back().seq, 6);
  EXPECT_TRUE(events().read("s", 10, 100)->empty());
  EXPECT_TRUE(events().read("other", 0, 100)->empty());
}

TEST_F(EventStoreTest, KeepsArbitraryBytesOfData) {
  const std::string data = std::string("{\"t\":\"") + "é\\u0000\xf0\x9f\x98\x80" + "\"}";
  ASSERT_TRUE(events().append("s", "k", data, now_));
  EXPECT_EQ(events().read("s", 0, 1)->front().data, data);
}

TEST_F(EventStoreTest, RetentionPrunesOnlyOldEvents) {
  const auto day = 24h;
  ASSERT_TRUE(events().append("s", "old", "{}", now_ - 40 * day));
  ASSERT_TRUE(events().append("s", "old", "{}", now_ - 31 * day));
  ASSERT_TRUE(events().append("s", "new", "{}", now_ - 29 * day));
  ASSERT_TRUE(events().append("t", "new", "{}", now_));
  auto pruned = events().prune_before(now_ - 30 * day);
  ASSERT_TRUE(pruned);
  EXPECT_EQ(*pruned, 2);
  auto left = events().read("s", 0, 10);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().seq, 3);
  EXPECT_EQ(left->front().kind, "new");
  EXPECT_EQ(events().read("t", 0, 10)->size(), 1u);
}

TEST_F(EventStoreTest, PrunesInBatchesOldestFirst) {
  const auto day = 24h;
  ASSERT_TRUE(events().append("s", "k", "{}", now_ - 50 * day));
  ASSERT_TRUE(events().append("t", "k", "{}", now_ - 60 * day));
  ASSERT_TRUE(events().append("s", "k", "{}", now_ - 40 * day));
  ASSERT_TRUE(events().append("s", "k", "{}", now_));
  EXPECT_EQ(*events().prune_before(now_ - 30 * day, 2), 2);
  // The two oldest went: t's only event and s's first.
  EXPECT_TRUE(events().read("t", 0, 10)->empty());
  ASSERT_EQ(events().read("s", 0, 10)->front().seq, 2);
  EXPECT_EQ(*events().prune_before(now_ - 30 * day, 2), 1);
  EXPECT_EQ(*events().prune_before(now_ - 30 * day, 2), 0);
  EXPECT_EQ(events().read("s", 0, 10)->size(), 1u);
  // The prune's own commits skip the fsync; appends keep synchronous=FULL (2).
  EXPECT_EQ(*store_->db().query_int("PRAGMA synchronous"), 2);
}

TEST_F(EventStoreTest, TheCountFollowsAppendsAndPrunes) {
  ASSERT_TRUE(events().append("s", "k", "{}", now_ - 40 * 24h));
  const std::vector<NewEvent> two{{"s", "k", "{}"}, {"t", "k", "{}"}};
  ASSERT_TRUE(events().append_batch(two, now_));
  EXPECT_EQ(store_->counts()->events, 3);
  EXPECT_EQ(*events().prune_before(now_ - 30 * 24h), 1);
  EXPECT_EQ(store_->counts()->events, 2);
}

TEST_F(EventStoreTest, SeqDoesNotRestartAfterPruningEverything) {
  ASSERT_TRUE(events().append("s", "k", "{}", now_ - 100 * 24h));
  ASSERT_TRUE(events().append("s", "k", "{}", now_ - 100 * 24h));
  EXPECT_EQ(*events().prune_before(now_), 2);
  EXPECT_EQ(*events().append("s", "k", "{}", now_), 3);
}

TEST_F(EventStoreTest, SurvivesReopen) {
  ASSERT_TRUE(events().append("s", "k", "{}", now_));
  store_.reset();
  auto again = Store::open(db_path());
  ASSERT_TRUE(again);
  EXPECT_EQ(*(*again)->events().append("s", "k", "{}", now_), 2);
}

}  // namespace
}  // namespace tether::store

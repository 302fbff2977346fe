// Checkpointer: a store in WAL mode hands its checkpoints to the checkpointer's thread;
// a commit that takes the log past 1,000 pages wakes it, and it copies the log into the
// database file while the writer goes on. What was written stays readable throughout.
#include "store/checkpointer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "store/store.hpp"
#include "store_fixture.hpp"

namespace tether::store {
namespace {

using namespace std::chrono_literals;

class CheckpointerTest : public TempDirTest {};

TEST_F(CheckpointerTest, ALogPastAThousandPagesIsCopiedIntoTheDatabaseByTheCheckpointer) {
  auto opened = Store::open(db_path());
  ASSERT_TRUE(opened) << opened.error().message;
  auto store = std::move(opened).value();
  const Checkpointer* checkpointer = store->checkpointer();
  ASSERT_NE(checkpointer, nullptr);
  EXPECT_EQ(checkpointer->runs(), 0u);
  const auto db_size_before = std::filesystem::file_size(db_path());

  // ≈ 6 MB of events in commits of 50: the log passes 1,000 pages (4 MB) on the way.
  const std::string data = "{\"text\":\"" + std::string(4000, 'x') + "\"}";
  const TimePoint now = from_unix_ms(1'700'000'000'000);
  for (int i = 0; i < 30; ++i) {
    std::vector<NewEvent> batch(50, NewEvent{"s", "k", data});
    ASSERT_TRUE(store->events().append_batch(batch, now));
  }
  for (int i = 0; i < 500 && checkpointer->runs() == 0; ++i) std::this_thread::sleep_for(20ms);
  ASSERT_GE(checkpointer->runs(), 1u) << "no checkpoint within 10 s";
  EXPECT_GT(std::filesystem::file_size(db_path()), db_size_before + 2'000'000);

  auto last = store->events().last_seq("s");
  ASSERT_TRUE(last);
  EXPECT_EQ(*last, 1500);
}

TEST_F(CheckpointerTest, ClosingTheStoreLeavesEverythingInTheDatabaseFile) {
  {
    auto store = Store::open(db_path());
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE((*store)->events().append("s", "k", "{\"n\":1}", from_unix_ms(1'700'000'000'000)));
  }
  EXPECT_FALSE(std::filesystem::exists(db_path().string() + "-wal"));
  auto store = Store::open(db_path());
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(*(*store)->events().last_seq("s"), 1);
}

}  // namespace
}  // namespace tether::store

#include "store/audit_log.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "store/store.hpp"
#include "store_fixture.hpp"

namespace tether::store {
namespace {

class AuditLogTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    store_ = std::move(Store::open(db_path())).value();
    previous_ = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
  }
  void TearDown() override {
    spdlog::set_default_logger(previous_);
    store_.reset();
    TempDirTest::TearDown();
  }
  std::unique_ptr<Store> store_;
  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> previous_;
  TimePoint now_ = from_unix_ms(1'700'000'000'000);
};

TEST_F(AuditLogTest, RecordWritesTheEntryAndLogsNothing) {
  store_->audit().record(now_, "owner", "revoke", "d1", R"({"why":"lost"})");
  auto entries = store_->audit().list(std::nullopt, std::nullopt, 10);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].action, "revoke");
  EXPECT_EQ((*entries)[0].target, "d1");
  EXPECT_EQ(log_.str(), "");
}

TEST_F(AuditLogTest, ListsTheNewestFirstAndPagesOlderWithBeforeId) {
  for (int i = 0; i < 5; ++i) store_->audit().record(now_ + std::chrono::seconds(i), "owner", "revoke", std::to_string(i), "{}");
  auto page = store_->audit().list(std::nullopt, std::nullopt, 2);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].target, "4");
  EXPECT_EQ((*page)[1].target, "3");
  auto older = store_->audit().list(std::nullopt, (*page)[1].id, 10);
  ASSERT_TRUE(older);
  ASSERT_EQ(older->size(), 3u);
  EXPECT_EQ((*older)[0].target, "2");
  EXPECT_EQ((*older)[2].target, "0");
  auto recent = store_->audit().list(now_ + std::chrono::seconds(3), std::nullopt, 10);
  ASSERT_TRUE(recent);
  EXPECT_EQ(recent->size(), 2u);
}

TEST_F(AuditLogTest, AFailedRecordIsLoggedAtErrorLevelWithWhatWasLost) {
  ASSERT_TRUE(store_->db().exec("DROP TABLE audit"));
  store_->audit().record(now_, "owner", "revoke", "d1", R"({"why":"lost"})");
  const std::string line = log_.str();
  EXPECT_NE(line.find("[error]"), std::string::npos) << line;
  EXPECT_NE(line.find("audit entry not written"), std::string::npos) << line;
  EXPECT_NE(line.find("action revoke target d1"), std::string::npos) << line;
}

TEST_F(AuditLogTest, PruneBeforeDeletesTheOldestEntriesOlderThanTheCutoffAtMostLimit) {
  using namespace std::chrono_literals;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store_->audit().append(now_ - 40 * 24h + 1s * i, "unknown", "connect_refused", "", "{}"));
  ASSERT_TRUE(store_->audit().append(now_, "owner", "revoke", "d1", "{}"));
  auto first = store_->audit().prune_before(now_ - 30 * 24h, 3);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, 3);
  auto rest = store_->audit().prune_before(now_ - 30 * 24h, 3);
  ASSERT_TRUE(rest);
  EXPECT_EQ(*rest, 2);  // fewer than the limit: none older are left
  auto entries = store_->audit().list(std::nullopt, std::nullopt, 10);
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].action, "revoke");
}

}  // namespace
}  // namespace tether::store

#include "store/device_store.hpp"

#include <gtest/gtest.h>

#include "store/store.hpp"
#include "store_fixture.hpp"

namespace tether::store {
namespace {

using namespace std::chrono_literals;

class DeviceStoreTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    store_ = std::move(Store::open(db_path())).value();
  }
  Device device(std::string id, std::string key) { return Device{id, "phone " + id, key, "full", now_, {}, {}}; }
  std::unique_ptr<Store> store_;
  TimePoint now_ = from_unix_ms(1'700'000'000'000);
};

TEST_F(DeviceStoreTest, AddGetFindList) {
  auto& d = store_->devices();
  ASSERT_TRUE(d.add(device("a", "KEY_A")));
  ASSERT_TRUE(d.add(device("b", "KEY_B")));
  auto a = d.get("a");
  ASSERT_TRUE(a && *a);
  EXPECT_EQ((*a)->name, "phone a");
  EXPECT_EQ((*a)->created, now_);
  EXPECT_FALSE((*a)->last_seen);
  auto b = d.find_by_key("KEY_B");
  ASSERT_TRUE(b && *b);
  EXPECT_EQ((*b)->id, "b");
  EXPECT_FALSE(*d.find_by_key("nope"));
  EXPECT_EQ(d.list()->size(), 2u);
}

TEST_F(DeviceStoreTest, AKeyCanBeRegisteredOnlyOnce) {
  auto& d = store_->devices();
  ASSERT_TRUE(d.add(device("a", "KEY")));
  EXPECT_FALSE(d.add(device("b", "KEY")));
}

TEST_F(DeviceStoreTest, ModeRenameTouchRevoke) {
  auto& d = store_->devices();
  ASSERT_TRUE(d.add(device("a", "KEY")));
  ASSERT_TRUE(d.set_mode("a", "read_only"));
  ASSERT_TRUE(d.rename("a", "tablet"));
  ASSERT_TRUE(d.touch("a", now_ + 5s));
  auto a = **d.get("a");
  EXPECT_EQ(a.mode, "read_only");
  EXPECT_EQ(a.name, "tablet");
  EXPECT_EQ(a.last_seen, now_ + 5s);
  ASSERT_TRUE(d.revoke("a", now_ + 10s));
  ASSERT_TRUE(d.revoke("a", now_ + 20s));  // idempotent, keeps the first time
  a = **d.get("a");
  EXPECT_EQ(a.revoked, now_ + 10s);
  // a revoked device cannot be changed back
  EXPECT_EQ(d.set_mode("a", "full").error().code, core::Errc::not_found);
  EXPECT_EQ(d.rename("a", "x").error().code, core::Errc::not_found);
}

TEST_F(DeviceStoreTest, UnknownIdsAreNotFound) {
  auto& d = store_->devices();
  EXPECT_EQ(d.set_mode("zz", "full").error().code, core::Errc::not_found);
  EXPECT_EQ(d.revoke("zz", now_).error().code, core::Errc::not_found);
  EXPECT_FALSE(*d.get("zz"));
}

TEST_F(DeviceStoreTest, ModeIsConstrained) {
  auto& d = store_->devices();
  auto bad = device("a", "KEY");
  bad.mode = "admin";
  EXPECT_FALSE(d.add(bad));
}

TEST_F(DeviceStoreTest, PairingsAreOneTimeAndBurnAfterFailures) {
  auto& p = store_->pairings();
  ASSERT_TRUE(p.add(Pairing{"p1", "h1", "phone", "full", now_, now_ + 300s}));
  ASSERT_TRUE(p.add(Pairing{"p2", "h2", "", "read_only", now_, now_ + 300s}));
  ASSERT_TRUE(p.add(Pairing{"old", "h3", "", "full", now_ - 600s, now_ - 300s}));
  EXPECT_EQ(p.open_offers(now_)->size(), 2u);
  ASSERT_TRUE(p.mark_used("p1", "dev", now_ + 1s));
  EXPECT_EQ(p.mark_used("p1", "dev2", now_ + 2s).error().code, core::Errc::already_used);
  EXPECT_EQ((**p.get("p1")).device_id, "dev");
  EXPECT_EQ(p.open_offers(now_)->size(), 1u);
  EXPECT_EQ(*p.record_failure(now_, 3), 0);
  EXPECT_EQ(*p.record_failure(now_, 3), 0);
  EXPECT_EQ((**p.get("p2")).failed_attempts, 2);
  EXPECT_EQ((**p.get("p1")).failed_attempts, 0);  // used offers are not counted
  EXPECT_EQ(*p.record_failure(now_, 3), 1);       // third failure burns p2
  EXPECT_TRUE(p.open_offers(now_)->empty());
}

TEST_F(DeviceStoreTest, AuditAppendsAndLists) {
  auto& a = store_->audit();
  ASSERT_TRUE(a.append(now_, "owner", "pair", "dev1", R"({"name":"phone"})"));
  ASSERT_TRUE(a.append(now_ + 10s, "dev1", "connect", "", ""));
  auto all = a.list(std::nullopt, std::nullopt, 100);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->at(1).action, "pair");  // newest first
  EXPECT_EQ(all->at(1).detail, R"({"name":"phone"})");
  EXPECT_EQ(all->at(0).detail, "{}");
  auto recent = a.list(now_ + 5s, std::nullopt, 100);
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ(recent->at(0).actor, "dev1");
}

}  // namespace
}  // namespace tether::store

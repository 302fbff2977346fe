#include "store/approval_store.hpp"

#include <gtest/gtest.h>

#include "store/store.hpp"
#include "store_fixture.hpp"

namespace tether::store {
namespace {

using namespace std::chrono_literals;

core::Decider who(std::string_view name) { return *core::parse_decider(name); }

class ApprovalStoreTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    store_ = std::move(Store::open(db_path())).value();
  }
  ApprovalRow approval(std::string id, std::string session, TimePoint at) {
    return ApprovalRow{id, session, "Bash", "elevated", R"({"command":"ls"})", core::ApprovalStatus::pending, std::nullopt,
                       std::nullopt, "", at, std::nullopt};
  }
  std::unique_ptr<Store> store_;
  TimePoint now_ = from_unix_ms(1'700'000'000'000);
};

TEST_F(ApprovalStoreTest, AddIsPending) {
  auto& a = store_->approvals();
  auto row = approval("ap1", "s1", now_);
  row.status = core::ApprovalStatus::allowed;  // ignored: a new approval is always pending
  ASSERT_TRUE(a.add(row));
  auto got = a.get("ap1");
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->session_id, "s1");
  EXPECT_EQ((*got)->tool, "Bash");
  EXPECT_EQ((*got)->tier, "elevated");
  EXPECT_EQ((*got)->input, R"({"command":"ls"})");
  EXPECT_EQ((*got)->status, core::ApprovalStatus::pending);
  EXPECT_EQ((*got)->scope, std::nullopt);
  EXPECT_EQ((*got)->decided_by, std::nullopt);
  EXPECT_EQ((*got)->created, now_);
  EXPECT_FALSE((*got)->decided);
  EXPECT_FALSE(*a.get("ap2"));
  EXPECT_EQ(store_->counts()->pending_approvals, 1);
}

TEST_F(ApprovalStoreTest, PendingIsNewestFirst) {
  auto& a = store_->approvals();
  ASSERT_TRUE(a.add(approval("old", "s1", now_)));
  ASSERT_TRUE(a.add(approval("new", "s2", now_ + 2s)));
  ASSERT_TRUE(a.add(approval("mid", "s1", now_ + 1s)));
  ASSERT_TRUE(a.add(approval("done", "s1", now_ + 3s)));
  ASSERT_TRUE(a.resolve("done", core::ApprovalStatus::allowed, core::ApprovalScope::once, who("owner"), "", now_ + 4s));
  auto p = a.pending();
  ASSERT_TRUE(p);
  ASSERT_EQ(p->size(), 3u);
  EXPECT_EQ(p->at(0).id, "new");
  EXPECT_EQ(p->at(1).id, "mid");
  EXPECT_EQ(p->at(2).id, "old");
}

TEST_F(ApprovalStoreTest, ResolveRecordsTheAnswer) {
  auto& a = store_->approvals();
  ASSERT_TRUE(a.add(approval("ap1", "s1", now_)));
  ASSERT_TRUE(a.resolve("ap1", core::ApprovalStatus::denied, core::ApprovalScope::always, who("dev_phone"), "not on main", now_ + 5s));
  auto row = **a.get("ap1");
  EXPECT_EQ(row.status, core::ApprovalStatus::denied);
  EXPECT_EQ(row.scope, core::ApprovalScope::always);
  EXPECT_EQ(row.decided_by, who("dev_phone"));
  EXPECT_EQ(row.message, "not on main");
  EXPECT_EQ(row.decided, now_ + 5s);
  EXPECT_EQ(store_->counts()->pending_approvals, 0);
}

TEST_F(ApprovalStoreTest, OnlyThePendingRowChangesAndTheFirstAnswerStays) {
  auto& a = store_->approvals();
  ASSERT_TRUE(a.add(approval("ap1", "s1", now_)));
  ASSERT_TRUE(a.resolve("ap1", core::ApprovalStatus::allowed, core::ApprovalScope::once, who("dev_x"), "", now_ + 1s));
  auto again = a.resolve("ap1", core::ApprovalStatus::denied, core::ApprovalScope::once, who("dev_y"), "no", now_ + 2s);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::already_resolved);
  EXPECT_NE(again.error().message.find("allowed by dev_x"), std::string::npos) << again.error().message;
  auto row = **a.get("ap1");
  EXPECT_EQ(row.status, core::ApprovalStatus::allowed);
  EXPECT_EQ(row.decided_by, who("dev_x"));
  EXPECT_EQ(row.decided, now_ + 1s);
}

TEST_F(ApprovalStoreTest, ResolveUnknownIsNotFound) {
  auto r = store_->approvals().resolve("nope", core::ApprovalStatus::allowed, core::ApprovalScope::once, who("owner"), "", now_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::not_found);
}

TEST_F(ApprovalStoreTest, ResolveRejectsStatusesThatAreNotOutcomes) {
  auto& a = store_->approvals();
  ASSERT_TRUE(a.add(approval("ap1", "s1", now_)));
  EXPECT_EQ(a.resolve("ap1", core::ApprovalStatus::pending, std::nullopt, who("owner"), "", now_).error().code, core::Errc::invalid);
  EXPECT_EQ((**a.get("ap1")).status, core::ApprovalStatus::pending);
  ASSERT_TRUE(a.resolve("ap1", core::ApprovalStatus::expired, std::nullopt, who("timeout"), "no answer", now_ + 60s));
  EXPECT_EQ((**a.get("ap1")).status, core::ApprovalStatus::expired);
}

TEST_F(ApprovalStoreTest, DenyAllPendingDeniesOnlyPendingOnes) {
  auto& a = store_->approvals();
  ASSERT_TRUE(a.add(approval("b", "s1", now_ + 1s)));
  ASSERT_TRUE(a.add(approval("a", "s2", now_)));
  ASSERT_TRUE(a.add(approval("kept", "s1", now_)));
  ASSERT_TRUE(a.resolve("kept", core::ApprovalStatus::allowed, core::ApprovalScope::session, who("owner"), "", now_ + 2s));
  auto changed = a.deny_all_pending(who("daemon_stop"), "the daemon restarted; denied", now_ + 10s);
  ASSERT_TRUE(changed) << changed.error().message;
  ASSERT_EQ(changed->size(), 2u);
  EXPECT_EQ(changed->at(0).id, "a");  // oldest first
  EXPECT_EQ(changed->at(1).id, "b");
  for (const auto& row : *changed) {
    EXPECT_EQ(row.status, core::ApprovalStatus::denied);
    EXPECT_EQ(row.decided_by, who("daemon_stop"));
    EXPECT_EQ(row.message, "the daemon restarted; denied");
    EXPECT_EQ(row.decided, now_ + 10s);
  }
  EXPECT_EQ((**a.get("b")).status, core::ApprovalStatus::denied);
  auto kept = **a.get("kept");
  EXPECT_EQ(kept.status, core::ApprovalStatus::allowed);
  EXPECT_EQ(kept.decided_by, who("owner"));
  EXPECT_TRUE(a.pending()->empty());
  EXPECT_TRUE(a.deny_all_pending(who("daemon_stop"), "", now_ + 20s)->empty());
}

TEST_F(ApprovalStoreTest, AnUnknownStoredValueIsCorruptNotGuessed) {
  auto& a = store_->approvals();
  ASSERT_TRUE(a.add(approval("ap1", "s1", now_)));
  EXPECT_FALSE(store_->db().exec("UPDATE approvals SET status = 'maybe' WHERE id = 'ap1'"));  // the schema's CHECK
  ASSERT_TRUE(store_->db().exec("UPDATE approvals SET status = 'denied', scope = 'forever' WHERE id = 'ap1'"));
  auto got = a.get("ap1");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, core::Errc::corrupt);
  EXPECT_NE(got.error().message.find("approvals.scope holds \"forever\""), std::string::npos) << got.error().message;
}

}  // namespace
}  // namespace tether::store

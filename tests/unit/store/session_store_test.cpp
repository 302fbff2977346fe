#include "store/session_store.hpp"

#include <gtest/gtest.h>

#include "store/store.hpp"
#include "store_fixture.hpp"

namespace tether::store {
namespace {

using namespace std::chrono_literals;

class SessionStoreTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    store_ = std::move(Store::open(db_path())).value();
  }
  SessionRow session(std::string id, TimePoint at) {
    return SessionRow{id, "fix " + id, core::ProviderType::claude, "/home/u/proj", core::SessionMode::ask,
                      core::SessionStatus::starting, "", R"({"model":"opus"})", at, at};
  }
  std::unique_ptr<Store> store_;
  TimePoint now_ = from_unix_ms(1'700'000'000'000);
};

TEST_F(SessionStoreTest, CreateAndGetRoundTrip) {
  auto& s = store_->sessions();
  ASSERT_TRUE(s.create(session("s1", now_)));
  auto got = s.get("s1");
  ASSERT_TRUE(got && *got);
  const SessionRow& row = **got;
  EXPECT_EQ(row.id, "s1");
  EXPECT_EQ(row.name, "fix s1");
  EXPECT_EQ(row.provider, core::ProviderType::claude);
  EXPECT_EQ(row.cwd, "/home/u/proj");
  EXPECT_EQ(row.mode, core::SessionMode::ask);
  EXPECT_EQ(row.status, core::SessionStatus::starting);
  EXPECT_EQ(row.provider_session_id, "");
  EXPECT_EQ(row.config, R"({"model":"opus"})");
  EXPECT_EQ(row.created, now_);
  EXPECT_EQ(row.updated, now_);
  EXPECT_FALSE(*s.get("s2"));
}

TEST_F(SessionStoreTest, EmptyConfigIsStoredAsAnEmptyObject) {
  auto row = session("s1", now_);
  row.config.clear();
  ASSERT_TRUE(store_->sessions().create(row));
  EXPECT_EQ((**store_->sessions().get("s1")).config, "{}");
}

TEST_F(SessionStoreTest, IdsAreUnique) {
  ASSERT_TRUE(store_->sessions().create(session("s1", now_)));
  EXPECT_FALSE(store_->sessions().create(session("s1", now_ + 1s)));
  EXPECT_EQ((**store_->sessions().get("s1")).created, now_);
}

TEST_F(SessionStoreTest, SettersChangeOneFieldAndUpdatedTime) {
  auto& s = store_->sessions();
  ASSERT_TRUE(s.create(session("s1", now_)));
  ASSERT_TRUE(s.set_status("s1", core::SessionStatus::running, now_ + 1s));
  auto row = **s.get("s1");
  EXPECT_EQ(row.status, core::SessionStatus::running);
  EXPECT_EQ(row.mode, core::SessionMode::ask);
  EXPECT_EQ(row.updated, now_ + 1s);
  EXPECT_EQ(row.created, now_);

  ASSERT_TRUE(s.set_mode("s1", core::SessionMode::automatic, now_ + 2s));
  ASSERT_TRUE(s.set_provider_session_id("s1", "claude-abc", now_ + 3s));
  row = **s.get("s1");
  EXPECT_EQ(row.mode, core::SessionMode::automatic);
  EXPECT_EQ(row.status, core::SessionStatus::running);
  EXPECT_EQ(row.provider_session_id, "claude-abc");
  EXPECT_EQ(row.updated, now_ + 3s);

  ASSERT_TRUE(s.touch("s1", now_ + 4s));
  row = **s.get("s1");
  EXPECT_EQ(row.updated, now_ + 4s);
  EXPECT_EQ(row.status, core::SessionStatus::running);
  EXPECT_EQ(row.provider_session_id, "claude-abc");
}

TEST_F(SessionStoreTest, SettersOnAnUnknownIdAreNotFound) {
  auto& s = store_->sessions();
  ASSERT_TRUE(s.create(session("s1", now_)));
  EXPECT_EQ(s.set_status("zz", core::SessionStatus::running, now_).error().code, core::Errc::not_found);
  EXPECT_EQ(s.set_mode("zz", core::SessionMode::automatic, now_).error().code, core::Errc::not_found);
  EXPECT_EQ(s.set_provider_session_id("zz", "x", now_).error().code, core::Errc::not_found);
  EXPECT_EQ(s.touch("zz", now_).error().code, core::Errc::not_found);
  EXPECT_EQ((**s.get("s1")).status, core::SessionStatus::starting);  // the other row is untouched
}

TEST_F(SessionStoreTest, ListIsNewestActivityFirstAndLimited) {
  auto& s = store_->sessions();
  ASSERT_TRUE(s.create(session("old", now_)));
  ASSERT_TRUE(s.create(session("mid", now_ + 10s)));
  ASSERT_TRUE(s.create(session("new", now_ + 20s)));
  ASSERT_TRUE(s.touch("old", now_ + 30s));  // activity moves it to the front
  auto all = s.list(10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(all->at(0).id, "old");
  EXPECT_EQ(all->at(1).id, "new");
  EXPECT_EQ(all->at(2).id, "mid");
  auto two = s.list(2);
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ(two->at(1).id, "new");
  EXPECT_TRUE(s.list(0)->empty());
}

TEST_F(SessionStoreTest, SummariesCarryTheLastSeqInListOrder) {
  auto& s = store_->sessions();
  ASSERT_TRUE(s.create(session("a", now_)));
  ASSERT_TRUE(s.create(session("b", now_ + 10s)));
  ASSERT_TRUE(store_->events().append("a", "k", "{}", now_));
  ASSERT_TRUE(store_->events().append("a", "k", "{}", now_));
  auto all = s.list_summaries(10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->at(0).row.id, "b");
  EXPECT_EQ(all->at(0).last_seq, 0);  // no event yet
  EXPECT_EQ(all->at(1).row.id, "a");
  EXPECT_EQ(all->at(1).last_seq, 2);
  EXPECT_EQ(all->at(1).row.cwd, s.get("a")->value().cwd);
  EXPECT_EQ(s.list_summaries(1)->size(), 1u);
}

TEST_F(SessionStoreTest, CountsSeeSessions) {
  ASSERT_TRUE(store_->sessions().create(session("a", now_)));
  ASSERT_TRUE(store_->sessions().create(session("b", now_)));
  EXPECT_EQ(store_->counts()->sessions, 2);
}

TEST_F(SessionStoreTest, AnUnknownStoredValueIsCorruptNotGuessed) {
  auto& s = store_->sessions();
  ASSERT_TRUE(s.create(session("s1", now_)));
  ASSERT_TRUE(store_->db().exec("UPDATE sessions SET status = 'paused' WHERE id = 's1'"));
  auto got = s.get("s1");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, core::Errc::corrupt);
  EXPECT_NE(got.error().message.find("sessions.status holds \"paused\""), std::string::npos) << got.error().message;
  EXPECT_EQ(s.list(10).error().code, core::Errc::corrupt);
}

}  // namespace
}  // namespace tether::store

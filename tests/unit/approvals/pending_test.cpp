#include "approvals/pending.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tether::approvals {
namespace {

// A decider by its wire name ("owner", "timeout", or a device id).
core::Decider who(std::string_view name) { return *core::parse_decider(name); }

using namespace std::chrono_literals;

class PendingBookTest : public ::testing::Test {
 protected:
  Pending pending(std::string id, std::string session, Clock::duration after) {
    return Pending{id, std::move(session), "req_" + id, t0_ + after};
  }
  PendingBook book_;
  Clock::time_point t0_ = Clock::time_point(1000h);
};

TEST_F(PendingBookTest, AnswerResolvesAndRemoves) {
  book_.add(pending("ap1", "s1", 60s));
  ASSERT_EQ(book_.size(), 1u);
  auto r = book_.respond("ap1", true, core::ApprovalScope::always, who("dev_phone"), "");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->id, "ap1");
  EXPECT_EQ(r->session_id, "s1");
  EXPECT_EQ(r->request_id, "req_ap1");
  EXPECT_TRUE(r->allow);
  EXPECT_EQ(r->scope, core::ApprovalScope::always);
  EXPECT_EQ(core::to_string(r->by), "dev_phone");
  EXPECT_EQ(book_.size(), 0u);
  EXPECT_TRUE(book_.list().empty());
  EXPECT_FALSE(book_.next_deadline());
}

TEST_F(PendingBookTest, ADenyCarriesItsMessage) {
  book_.add(pending("ap1", "s1", 60s));
  auto r = book_.respond("ap1", false, core::ApprovalScope::once, who("owner"), "use the staging database");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->allow);
  EXPECT_EQ(r->message, "use the staging database");
}

TEST_F(PendingBookTest, FirstAnswerWins) {
  book_.add(pending("ap1", "s1", 60s));
  ASSERT_TRUE(book_.respond("ap1", true, core::ApprovalScope::once, who("dev_x"), ""));
  auto late = book_.respond("ap1", false, core::ApprovalScope::once, who("dev_y"), "no");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, core::Errc::already_resolved);
  EXPECT_NE(late.error().message.find("already allowed by device dev_x"), std::string::npos) << late.error().message;
}

TEST_F(PendingBookTest, LateAnswerAfterADenyNamesTheDenier) {
  book_.add(pending("ap1", "s1", 60s));
  ASSERT_TRUE(book_.respond("ap1", false, core::ApprovalScope::once, who("owner"), ""));
  auto late = book_.respond("ap1", true, core::ApprovalScope::once, who("dev_y"), "");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, core::Errc::already_resolved);
  EXPECT_NE(late.error().message.find("already denied by the owner"), std::string::npos) << late.error().message;
}

TEST_F(PendingBookTest, LateAnswerAfterTimeout) {
  book_.add(pending("ap1", "s1", 60s));
  ASSERT_EQ(book_.expire(t0_ + 60s).size(), 1u);
  auto late = book_.respond("ap1", true, core::ApprovalScope::once, who("dev_x"), "");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, core::Errc::already_resolved);
  EXPECT_NE(late.error().message.find("already denied by timeout"), std::string::npos) << late.error().message;
}

TEST_F(PendingBookTest, LateAnswerAfterCancel) {
  book_.add(pending("ap1", "s1", 60s));
  ASSERT_TRUE(book_.cancel("ap1", who("cancelled"), ""));
  auto late = book_.respond("ap1", true, core::ApprovalScope::once, who("dev_x"), "");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, core::Errc::already_resolved);
  EXPECT_NE(late.error().message.find("already denied"), std::string::npos) << late.error().message;
}

TEST_F(PendingBookTest, UnknownIdIsNotFound) {
  auto r = book_.respond("nope", true, core::ApprovalScope::once, who("dev_x"), "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::not_found);
  book_.add(pending("ap1", "s1", 60s));
  EXPECT_EQ(book_.respond("ap2", true, core::ApprovalScope::once, who("dev_x"), "").error().code, core::Errc::not_found);
  EXPECT_EQ(book_.size(), 1u);  // a wrong id changes nothing
}

TEST_F(PendingBookTest, ResolvedMemoryIsBounded) {
  const auto n = PendingBook::kResolvedMemory;
  for (std::size_t i = 0; i <= n; ++i) {
    const auto id = "ap" + std::to_string(i);
    book_.add(pending(id, "s1", 60s));
    ASSERT_TRUE(book_.respond(id, true, core::ApprovalScope::once, who("dev_x"), ""));
  }
  // ap0 was the oldest of n + 1 resolutions: forgotten; ap1 and the newest are remembered
  EXPECT_EQ(book_.respond("ap0", true, core::ApprovalScope::once, who("dev_x"), "").error().code, core::Errc::not_found);
  EXPECT_EQ(book_.respond("ap1", true, core::ApprovalScope::once, who("dev_x"), "").error().code, core::Errc::already_resolved);
  EXPECT_EQ(book_.respond("ap" + std::to_string(n), true, core::ApprovalScope::once, who("dev_x"), "").error().code, core::Errc::already_resolved);
}

TEST_F(PendingBookTest, ExpireTakesDueOnesSoonestFirst) {
  book_.add(pending("late", "s1", 90s));
  book_.add(pending("b", "s1", 30s));
  book_.add(pending("a", "s2", 10s));
  book_.add(pending("exact", "s2", 60s));
  book_.add(pending("future", "s1", 61s));
  EXPECT_TRUE(book_.expire(t0_ + 9s).empty());
  auto due = book_.expire(t0_ + 60s);  // a deadline at `now` is due
  ASSERT_EQ(due.size(), 3u);
  EXPECT_EQ(due[0].id, "a");
  EXPECT_EQ(due[1].id, "b");
  EXPECT_EQ(due[2].id, "exact");
  for (const auto& r : due) {
    EXPECT_FALSE(r.allow);
    EXPECT_EQ(core::to_string(r.by), "timeout");
    EXPECT_EQ(r.scope, std::nullopt);
    EXPECT_NE(r.message.find("timeout"), std::string::npos);
    EXPECT_NE(r.message.find("denied"), std::string::npos);
  }
  EXPECT_EQ(book_.size(), 2u);
  EXPECT_EQ(book_.next_deadline(), t0_ + 61s);
  EXPECT_TRUE(book_.expire(t0_ + 60s).empty());  // each expires once
}

TEST_F(PendingBookTest, EqualDeadlinesExpireInIdOrder) {
  book_.add(pending("c", "s1", 5s));
  book_.add(pending("a", "s1", 5s));
  book_.add(pending("b", "s1", 5s));
  auto due = book_.expire(t0_ + 5s);
  ASSERT_EQ(due.size(), 3u);
  EXPECT_EQ(due[0].id, "a");
  EXPECT_EQ(due[1].id, "b");
  EXPECT_EQ(due[2].id, "c");
}

TEST_F(PendingBookTest, CancelSessionTakesOnlyThatSession) {
  book_.add(pending("x2", "s1", 20s));
  book_.add(pending("y", "s2", 5s));
  book_.add(pending("x1", "s1", 10s));
  auto gone = book_.cancel_session("s1", who("provider_exit"), "the agent exited");
  ASSERT_EQ(gone.size(), 2u);
  EXPECT_EQ(gone[0].id, "x1");
  EXPECT_EQ(gone[1].id, "x2");
  for (const auto& r : gone) {
    EXPECT_EQ(r.session_id, "s1");
    EXPECT_FALSE(r.allow);
    EXPECT_EQ(core::to_string(r.by), "provider_exit");
    EXPECT_EQ(r.message, "the agent exited");
  }
  ASSERT_EQ(book_.size(), 1u);
  EXPECT_EQ(book_.list().front().id, "y");
  EXPECT_TRUE(book_.cancel_session("s1", who("provider_exit"), "").empty());
  EXPECT_TRUE(book_.cancel_session("nobody", who("daemon_stop"), "").empty());
  auto late = book_.respond("x1", true, core::ApprovalScope::once, who("dev_x"), "");
  EXPECT_EQ(late.error().code, core::Errc::already_resolved);
  EXPECT_NE(late.error().message.find("denied by the provider exiting"), std::string::npos) << late.error().message;
}

TEST_F(PendingBookTest, CancelOne) {
  book_.add(pending("ap1", "s1", 60s));
  book_.add(pending("ap2", "s1", 60s));
  auto r = book_.cancel("ap1", who("cancelled"), "the provider withdrew the question");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, "ap1");
  EXPECT_FALSE(r->allow);
  EXPECT_EQ(core::to_string(r->by), "cancelled");
  EXPECT_EQ(book_.size(), 1u);
  EXPECT_FALSE(book_.cancel("ap1", who("cancelled"), ""));
  EXPECT_FALSE(book_.cancel("never", who("cancelled"), ""));
  EXPECT_EQ(book_.size(), 1u);
}

TEST_F(PendingBookTest, NextDeadlineAndListFollowTheSoonest) {
  EXPECT_FALSE(book_.next_deadline());
  book_.add(pending("b", "s1", 30s));
  book_.add(pending("a", "s1", 50s));
  book_.add(pending("c", "s1", 10s));
  EXPECT_EQ(book_.next_deadline(), t0_ + 10s);
  auto all = book_.list();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, "c");
  EXPECT_EQ(all[1].id, "b");
  EXPECT_EQ(all[2].id, "a");
  ASSERT_TRUE(book_.respond("c", true, core::ApprovalScope::once, who("owner"), ""));
  EXPECT_EQ(book_.next_deadline(), t0_ + 30s);
}

TEST_F(PendingBookTest, AddingAnIdAgainReplacesIt) {
  book_.add(pending("ap1", "s1", 10s));
  book_.add(pending("ap1", "s1", 99s));
  EXPECT_EQ(book_.size(), 1u);
  EXPECT_EQ(book_.next_deadline(), t0_ + 99s);
}

}  // namespace
}  // namespace tether::approvals

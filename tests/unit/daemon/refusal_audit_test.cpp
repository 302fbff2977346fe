// Refused connection attempts reach the audit log at a bounded rate: once per key and
// source per interval, at most so many rows per interval, and a row that counts the rest.
#include "daemon/refusal_audit.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace tether::daemon {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

const RefusalAudit::TimePoint t0 = std::chrono::system_clock::time_point(1'700'000'000'000ms);

TEST(RefusalAudit, ARepeatedKeyAndSourceIsWrittenOncePerIntervalAndTheRestCounted) {
  RefusalAudit audit(60s, 20);
  auto first = audit.refuse("k1", "relay", "unknown_key", "", t0);
  ASSERT_EQ(first.size(), 1u);
  const auto detail = json::parse(first[0].detail).as_object();
  EXPECT_EQ(detail.at("reason").as_string(), "unknown_key");
  EXPECT_EQ(detail.at("source").as_string(), "relay");
  EXPECT_EQ(detail.at("key").as_string(), "k1");
  for (int i = 0; i < 500; ++i) EXPECT_TRUE(audit.refuse("k1", "relay", "unknown_key", "", t0 + 10s).empty());
  EXPECT_EQ(audit.refuse("k1", "direct", "unknown_key", "", t0 + 20s).size(), 1u);  // another source

  auto next = audit.refuse("k1", "relay", "unknown_key", "", t0 + 61s);
  ASSERT_EQ(next.size(), 2u);
  const auto summary = json::parse(next[0].detail).as_object();
  EXPECT_EQ(summary.at("reason").as_string(), "suppressed");
  EXPECT_EQ(summary.at("suppressed").as_int64(), 500);
  EXPECT_EQ(json::parse(next[1].detail).as_object().at("key").as_string(), "k1");
}

TEST(RefusalAudit, FreshKeysEveryTimeStillWriteAtMostTheRowsOfAnInterval) {
  RefusalAudit audit(60s, 20);
  std::size_t rows = 0;
  for (int i = 0; i < 1000; ++i) rows += audit.refuse("key" + std::to_string(i), "relay", "unknown_key", "", t0 + 1ms * i).size();
  EXPECT_EQ(rows, 20u);
  auto after = audit.refuse("another", "relay", "unknown_key", "", t0 + 2min);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(json::parse(after[0].detail).as_object().at("suppressed").as_int64(), 980);
}

TEST(RefusalAudit, AQuietIntervalWritesNoSummary) {
  RefusalAudit audit(60s, 20);
  EXPECT_EQ(audit.refuse("k1", "relay", "revoked", "d1", t0).size(), 1u);
  auto later = audit.refuse("k1", "relay", "revoked", "d1", t0 + 5min);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].target, "d1");
}

}  // namespace
}  // namespace tether::daemon

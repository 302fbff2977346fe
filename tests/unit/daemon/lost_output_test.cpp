// LostOutput: what a failing store could not take, per session, told as one output_lost
// event each (events, bytes of data, from, to, the last reason); the whole as one total.
#include "daemon/lost_output.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace tether::daemon {
namespace {

namespace json = boost::json;

store::TimePoint at(std::int64_t ms) { return store::from_unix_ms(ms); }

TEST(LostOutput, CountsEachSessionsEventsAndBytesBetweenItsFirstAndLastLoss) {
  LostOutput lost;
  EXPECT_TRUE(lost.empty());
  const std::vector<store::NewEvent> first{{"a", "terminal_output", R"({"data":"abcd"})"},
                                           {"b", "assistant_delta", R"({"text":"x"})"},
                                           {"a", "terminal_output", R"({"data":"ef"})"}};
  lost.add(first, at(1000), "database or disk is full");
  const std::vector<store::NewEvent> second{{"a", "status", R"({"status":"idle"})"}};
  lost.add(second, at(3000), "disk I/O error");
  EXPECT_TRUE(lost.has("a"));
  EXPECT_TRUE(lost.has("b"));
  EXPECT_FALSE(lost.has("c"));

  const auto events = lost.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].session_id, "a");
  EXPECT_EQ(events[0].kind, "output_lost");
  EXPECT_EQ(json::parse(events[0].data), json::parse(R"({"events":3,"bytes":45,"from":1000,"to":3000,"reason":"disk I/O error"})"));
  EXPECT_EQ(events[1].session_id, "b");
  EXPECT_EQ(json::parse(events[1].data),
            json::parse(R"({"events":1,"bytes":12,"from":1000,"to":1000,"reason":"database or disk is full"})"));

  const auto total = lost.total();
  EXPECT_EQ(total.events, 4);
  EXPECT_EQ(total.bytes, 57);
  EXPECT_EQ(total.from, at(1000));
  EXPECT_EQ(total.to, at(3000));
  EXPECT_EQ(total.reason, "disk I/O error");

  lost.clear();
  EXPECT_TRUE(lost.empty());
  EXPECT_TRUE(lost.events().empty());
}

}  // namespace
}  // namespace tether::daemon

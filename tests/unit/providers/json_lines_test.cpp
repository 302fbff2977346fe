#include "providers/common/json_lines.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace tether::providers::common {
namespace {

TEST(JsonLines, TrimmingDropsTheWhiteSpaceAround) {
  EXPECT_EQ(trim_line(" \t{\"a\":1} \r\n"), "{\"a\":1}");
  EXPECT_EQ(trim_line("x"), "x");
  EXPECT_EQ(trim_line(" \t\r\n"), "");
  EXPECT_EQ(trim_line(""), "");
}

TEST(JsonLines, AnObjectIsRead) {
  const auto o = parse_object(R"({"type":"x","n":[1,2]})", 8, LoneSurrogates::refuse);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->at("type").as_string(), "x");
}

TEST(JsonLines, ANumberTooLargeForADoubleBecomesNullSoTheObjectStaysJson) {
  const auto o = parse_object(R"({"error":{"code":-23e600},"n":[1e999,2.5],"id":16666666666666666666666666666666})", 8,
                              LoneSurrogates::refuse);
  ASSERT_TRUE(o);
  EXPECT_TRUE(o->at("error").at("code").is_null());
  EXPECT_TRUE(o->at("n").at(0).is_null());
  EXPECT_EQ(o->at("n").at(1).as_double(), 2.5);
  EXPECT_TRUE(o->at("id").is_double());  // large, but finite: kept
  boost::system::error_code ec;
  const auto back = boost::json::parse(boost::json::serialize(*o), ec);
  EXPECT_FALSE(ec) << boost::json::serialize(*o);
  EXPECT_TRUE(back.is_object());
}

TEST(JsonLines, AnythingButAnObjectIsNone) {
  EXPECT_FALSE(parse_object("not json", 8, LoneSurrogates::repair));
  EXPECT_FALSE(parse_object(R"({"a":)", 8, LoneSurrogates::repair));
  EXPECT_FALSE(parse_object("[1,2]", 8, LoneSurrogates::repair));
  EXPECT_FALSE(parse_object(R"("text")", 8, LoneSurrogates::repair));
  EXPECT_FALSE(parse_object("", 8, LoneSurrogates::repair));
}

TEST(JsonLines, NestingPastTheLimitIsNone) {
  EXPECT_TRUE(parse_object(R"({"a":{"b":{}}})", 3, LoneSurrogates::refuse));
  EXPECT_FALSE(parse_object(R"({"a":{"b":{"c":{}}}})", 3, LoneSurrogates::refuse));
}

TEST(JsonLines, LoneSurrogatesAreRepairedOnlyWhenAsked) {
  constexpr std::string_view kCutPair = R"({"text":"a\ud83d"})";  // JSON.stringify of a string cut inside a pair
  EXPECT_FALSE(parse_object(kCutPair, 8, LoneSurrogates::refuse));
  const auto repaired = parse_object(kCutPair, 8, LoneSurrogates::repair);
  ASSERT_TRUE(repaired);
  EXPECT_EQ(repaired->at("text").as_string(), "a\xEF\xBF\xBD");
  // A whole pair needs no repair either way.
  const auto pair = parse_object(R"({"text":"\uD83D\uDE00"})", 8, LoneSurrogates::refuse);
  ASSERT_TRUE(pair);
  EXPECT_EQ(pair->at("text").as_string(), "\xF0\x9F\x98\x80");
}

}  // namespace
}  // namespace tether::providers::common

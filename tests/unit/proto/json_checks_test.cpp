#include "proto/json_checks.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/utf8.hpp"

namespace tether::proto {
namespace {

namespace json = boost::json;

TEST(JsonNumbers, OutOfRangeLiteralsAreCountedAtAnyDepth) {
  EXPECT_EQ(count_non_finite(json::parse(R"({"a":1,"b":[2.5,"x",{"c":1e308}],"d":null})")), 0u);
  EXPECT_EQ(count_non_finite(json::parse(R"({"a":1e999,"b":[[-1e999]],"c":{"d":{"e":2e400}}})")), 3u);
  EXPECT_EQ(count_non_finite(json::parse("1e999")), 1u);
}

TEST(JsonNumbers, NullingLeavesValidJsonAndTouchesNothingElse) {
  json::value v = json::parse(R"({"a":1e999,"b":[-1e999,3,"1e999"],"c":{"d":1.5}})");
  EXPECT_EQ(null_non_finite(v), 2u);
  EXPECT_EQ(json::serialize(v), R"({"a":null,"b":[null,3,"1e999"],"c":{"d":1.5E0}})");
  EXPECT_EQ(count_non_finite(v), 0u);
  EXPECT_EQ(null_non_finite(v), 0u);
}

TEST(JsonChecks, SerializedTextIsAlwaysUtf8) {
  json::object o{{"ok", "caf\u00e9"}, {"cut", std::string("\xe6\x97", 2)}, {std::string("k\xff", 2), 1},
                 {"deep", json::array{std::string("\xc3")}}};
  const std::string text = serialize_utf8(o);
  EXPECT_TRUE(core::utf8_valid(text)) << text;
  const json::value back = json::parse(text);
  EXPECT_EQ(back.at("ok").as_string(), "caf\u00e9");
  EXPECT_EQ(back.at("cut").as_string(), "\uFFFD\uFFFD");
  EXPECT_EQ(back.at("k\uFFFD").as_int64(), 1);
  EXPECT_EQ(back.at("deep").at(0).as_string(), "\uFFFD");
  // Valid text is written as json::serialize writes it.
  json::object fine{{"a", "\u65e5"}, {"b", json::array{1, 2}}};
  EXPECT_EQ(serialize_utf8(fine), json::serialize(fine));
}

TEST(JsonNumbers, DeepValuesAreWalkedWithoutRecursion) {
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += '[';
  deep += "1e999";
  for (int i = 0; i < 10000; ++i) deep += ']';
  json::parse_options options;
  options.max_depth = 20000;
  json::value v = json::parse(deep, {}, options);
  EXPECT_EQ(null_non_finite(v), 1u);
}

}  // namespace
}  // namespace tether::proto

#include "proto/json_numbers.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

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

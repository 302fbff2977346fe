#include "proto/json_fields.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <cmath>
#include <limits>

namespace tether::proto::fields {
namespace {
namespace json = boost::json;

constexpr auto kMax = std::numeric_limits<std::int64_t>::max();

json::object parsed(std::string_view text) { return json::parse(text).as_object(); }

TEST(JsonFields, AMissingOrMistypedFieldReadsAsEmpty) {
  const auto o = parsed(R"({"s":"text","n":5,"o":{"k":1},"a":[1],"b":true,"null":null})");
  EXPECT_EQ(string_at(o, "s"), "text");
  EXPECT_EQ(string_at(o, "n"), "");
  EXPECT_EQ(string_at(o, "absent"), "");
  EXPECT_TRUE(has_string(o, "s"));
  EXPECT_FALSE(has_string(o, "null"));
  ASSERT_NE(object_at(o, "o"), nullptr);
  EXPECT_EQ(object_at(o, "o")->at("k").as_int64(), 1);
  EXPECT_EQ(object_at(o, "a"), nullptr);
  ASSERT_NE(array_at(o, "a"), nullptr);
  EXPECT_EQ(array_at(o, "o"), nullptr);
  EXPECT_TRUE(bool_at(o, "b"));
  EXPECT_FALSE(bool_at(o, "n"));
  EXPECT_FALSE(bool_at(o, "absent"));
}

TEST(JsonFields, AnEmptyStringIsAString) {
  const auto o = parsed(R"({"s":""})");
  EXPECT_TRUE(has_string(o, "s"));
  EXPECT_EQ(string_at(o, "s"), "");
}

TEST(JsonFields, IntegersKeepTheirSignAndClampAboveTheRange) {
  const auto o = parsed(R"({"neg":-3,"pos":7,"huge":18446744073709551615,"fraction":2.5,"text":"4"})");
  EXPECT_EQ(int_at(o, "neg"), -3);
  EXPECT_EQ(int_at(o, "pos"), 7);
  EXPECT_EQ(int_at(o, "huge"), kMax);
  EXPECT_EQ(int_at(o, "fraction"), 0);
  EXPECT_EQ(int_at(o, "text"), 0);
}

TEST(JsonFields, ACountIsNeverNegativeAndClamps) {
  const auto o = parsed(R"({"neg":-3,"pos":7,"huge":18446744073709551615,"fraction":2.5,"big":1e300,"text":"4"})");
  EXPECT_EQ(count_at(o, "neg"), 0);
  EXPECT_EQ(count_at(o, "pos"), 7);
  EXPECT_EQ(count_at(o, "huge"), kMax);
  EXPECT_EQ(count_at(o, "fraction"), 2);
  EXPECT_EQ(count_at(o, "big"), kMax);
  EXPECT_EQ(count_at(o, "text"), 0);
  json::object nan{{"n", std::nan("")}};
  EXPECT_EQ(count_at(nan, "n"), 0);
  EXPECT_EQ(add_counts(kMax - 1, 5), kMax);
  EXPECT_EQ(add_counts(2, 3), 5);
}

TEST(JsonFields, ANumberIsFiniteOrZero) {
  const auto o = parsed(R"({"cost":0.25,"n":3,"text":"1"})");
  EXPECT_DOUBLE_EQ(number_at(o, "cost"), 0.25);
  EXPECT_DOUBLE_EQ(number_at(o, "n"), 3);
  EXPECT_DOUBLE_EQ(number_at(o, "text"), 0);
  json::object inf{{"x", std::numeric_limits<double>::infinity()}};
  EXPECT_DOUBLE_EQ(number_at(inf, "x"), 0);
}

}  // namespace
}  // namespace tether::proto::fields

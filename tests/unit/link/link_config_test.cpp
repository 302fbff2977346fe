#include "link/link_config.hpp"

#include <gtest/gtest.h>

namespace tether::link {
namespace {

TEST(LinkConfig, ReadsTheRelaySection) {
  auto s = parse_config_json(R"({"relay":{"url":"wss://r.example","ca_file":"/ca.pem","backoff_max_seconds":2.5}})");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->url, std::optional<std::string>("wss://r.example"));
  EXPECT_EQ(s->ca_file, std::optional<std::string>("/ca.pem"));
  EXPECT_EQ(s->backoff_max_seconds, std::optional<double>(2.5));
  s = parse_config_json("{}");
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->url);
  EXPECT_TRUE(parse_config_json(R"({"relay":null})"));
}

TEST(LinkConfig, RefusesTyposAndWrongTypes) {
  for (const char* bad : {"", "[]", "{", R"({"relais":{}})", R"({"relay":{"URL":"x"}})", R"({"relay":{"url":1}})",
                          R"({"relay":"wss://x"})", R"({"relay":{"backoff_max_seconds":"3"}})",
                          R"({"relay":{"backoff_max_seconds":0}})", R"({"relay":{"ca_file":false}})"}) {
    auto r = parse_config_json(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::Errc::bad_config);
  }
  EXPECT_NE(parse_config_json(R"({"relay":{"URL":"x"}})").error().message.find("relay.URL"), std::string::npos);
}

}  // namespace
}  // namespace tether::link

#include "relay/relay_options.hpp"

#include <gtest/gtest.h>

namespace tether::relay {
namespace {

TEST(ListenAddress, Parses) {
  auto a = parse_listen_address("127.0.0.1:8443");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->address, "127.0.0.1");
  EXPECT_EQ(a->port, 8443);
  a = parse_listen_address("[::1]:0");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->address, "::1");
  EXPECT_EQ(a->port, 0);
  for (const char* bad : {"8443", "localhost:8443", "1.2.3.4:", "1.2.3.4:70000", "::1:80", "[x]:1"}) {
    EXPECT_FALSE(parse_listen_address(bad)) << bad;
  }
}

}  // namespace
}  // namespace tether::relay

#include "net/host_check.hpp"

#include <gtest/gtest.h>

namespace tether::net {
namespace {

TEST(HostCheck, BuiltInsPass) {
  const HostAllowlist none;
  for (const char* h : {"localhost", "localhost:7777", "LOCALHOST:7777", "localhost.", "app.localhost", "a.b.localhost:1",
                        "127.0.0.1", "127.0.0.1:7777", "10.1.2.3:80", "[::1]", "[::1]:7777", "[fe80::1]:8080"}) {
    EXPECT_TRUE(host_allowed(h, none)) << h;
  }
}

TEST(HostCheck, OtherNamesAreRefused) {
  const HostAllowlist none;
  for (const char* h : {"evil.example", "attacker.com", "attacker.com:7777", "localhost.attacker.com", "notlocalhost",
                        "127.0.0.1.nip.io", "", ":7777", "[::1", "[::1]x", "[not-v6]:1", "localhost:", "localhost:99999x",
                        "local host", "localhost:77a", "a/b"}) {
    EXPECT_FALSE(host_allowed(h, none)) << h;
  }
}

TEST(HostCheck, ConfiguredNamesAndDomains) {
  const HostAllowlist list{{"my-box.lan", ".tail1234.ts.net"}};
  EXPECT_TRUE(host_allowed("my-box.lan:7777", list));
  EXPECT_TRUE(host_allowed("MY-BOX.lan", list));
  EXPECT_FALSE(host_allowed("sub.my-box.lan", list));
  EXPECT_TRUE(host_allowed("tail1234.ts.net", list));
  EXPECT_TRUE(host_allowed("laptop.tail1234.ts.net:443", list));
  EXPECT_FALSE(host_allowed("eviltail1234.ts.net", list));
}

TEST(HostCheck, HostNameParsing) {
  EXPECT_EQ(host_name("Example.com:80"), "example.com");
  EXPECT_EQ(host_name("[::1]:80"), "[::1]");
  EXPECT_EQ(host_name("[::1"), "");
  EXPECT_EQ(host_name("a:b"), "");
}

// A name with an empty label is malformed; one trailing dot (the root) is not a label.
// "x.lo-.." once read as "x.lo-.", which a second reading made "x.lo-".
TEST(HostCheck, EmptyLabelsAreMalformed) {
  EXPECT_EQ(host_name("localhost."), "localhost");
  for (const char* h : {"x.lo-..", "localhost..", "a..b", ".localhost", "..localhost:80", ".", "..", ".:80"}) {
    EXPECT_EQ(host_name(h), "") << h;
    EXPECT_FALSE(host_allowed(h, HostAllowlist{{".localhost", "a..b"}})) << h;
  }
  const HostAllowlist domain{{".tail1234.ts.net"}};
  EXPECT_FALSE(host_allowed("..tail1234.ts.net", domain));
  EXPECT_FALSE(host_allowed("a..tail1234.ts.net", domain));
}

TEST(OriginCheck, SameOriginOrNone) {
  EXPECT_TRUE(origin_allowed("", "localhost:7777"));
  EXPECT_TRUE(origin_allowed("http://localhost:7777", "localhost:7777"));
  EXPECT_TRUE(origin_allowed("https://LOCALHOST:7777", "localhost:7777"));
  EXPECT_FALSE(origin_allowed("http://evil.example", "localhost:7777"));
  EXPECT_FALSE(origin_allowed("http://localhost:7778", "localhost:7777"));
  EXPECT_FALSE(origin_allowed("null", "localhost:7777"));
  EXPECT_FALSE(origin_allowed("http://localhost:7777.evil.example", "localhost:7777"));
}

}  // namespace
}  // namespace tether::net

#include "link/relay_url.hpp"

#include <gtest/gtest.h>

namespace tether::link {
namespace {

TEST(RelayUrl, ParsesWssWithDefaultsPortsAndPrefix) {
  auto u = parse_relay_url("wss://relay.example.com");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "relay.example.com");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target("/v1/daemon"), "/v1/daemon");
  u = parse_relay_url("wss://relay.example.com:8443/tether/");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->target("/v1/daemon"), "/tether/v1/daemon");
  u = parse_relay_url("wss://[2001:db8::1]:9000");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "2001:db8::1");
  EXPECT_EQ(u->port, 9000);
}

TEST(RelayUrl, PlainWsOnlyForLoopback) {
  for (const char* ok : {"ws://127.0.0.1:8443", "ws://localhost:1", "ws://[::1]:2", "ws://relay.localhost", "ws://127.8.9.10"}) {
    EXPECT_TRUE(parse_relay_url(ok)) << ok;
  }
  for (const char* bad : {"ws://relay.example.com", "ws://10.0.0.1:80", "ws://128.0.0.1", "ws://localhost.evil.com"}) {
    auto r = parse_relay_url(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("wss://"), std::string::npos);
  }
}

TEST(RelayUrl, RefusesMalformedUrls) {
  for (const char* bad : {"", "https://x", "wss://", "wss://:443", "wss://h:0", "wss://h:65536", "wss://h:x", "wss://h:",
                          "wss://u@h", "wss://h/p?q", "wss://h/#f", "wss://[::1", "wss://[nope]:1", "wss://h_h"}) {
    auto r = parse_relay_url(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::Errc::bad_url);
  }
}

TEST(RelayUrl, Loopback) {
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_FALSE(is_loopback_host("127.0.0.1.nip.io"));
  EXPECT_FALSE(is_loopback_host("::2"));
}

}  // namespace
}  // namespace tether::link

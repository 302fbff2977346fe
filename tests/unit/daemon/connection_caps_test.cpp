// The direct listener's caps fitted to the open-file limit (fit_connection_caps).
#include <gtest/gtest.h>

#include "daemon/direct_listener.hpp"

namespace tether::daemon {
namespace {

TEST(ConnectionCaps, AHighLimitKeepsTheDefaults) {
  DirectOptions o;
  fit_connection_caps(o, 1u << 20);
  EXPECT_EQ(o.max_connections, 1024u);
  EXPECT_EQ(o.max_handshakes, 256u);
  EXPECT_EQ(o.max_handshakes_per_address, 32u);
}

TEST(ConnectionCaps, ALowLimitKeepsTheReserveAndHalfForDevices) {
  DirectOptions o;
  fit_connection_caps(o, 256);
  EXPECT_EQ(o.max_connections, 256u - kDescriptorReserve);
  EXPECT_EQ(o.max_handshakes, (256u - kDescriptorReserve) / 2);
}

TEST(ConnectionCaps, HandshakesNeverTakeEveryPlace) {
  DirectOptions o;
  o.max_connections = 100;
  o.max_handshakes = 100;
  fit_connection_caps(o, std::nullopt);  // unlimited
  EXPECT_EQ(o.max_connections, 100u);
  EXPECT_EQ(o.max_handshakes, 50u);
}

}  // namespace
}  // namespace tether::daemon

#include "daemon/device_role.hpp"

#include <gtest/gtest.h>

namespace tether::daemon {
namespace {

TEST(DeviceRole, TheTwoModeNamesGiveTheirRoles) {
  EXPECT_EQ(device_role("full"), proto::Role::full);
  EXPECT_EQ(device_role("read_only"), proto::Role::read_only);
}

TEST(DeviceRole, NoOtherNameIsAMode) {
  for (const char* bad : {"", "owner", "Full", "read-only", "full ", "readonly"}) {
    EXPECT_FALSE(device_role(bad)) << bad;
  }
}

}  // namespace
}  // namespace tether::daemon

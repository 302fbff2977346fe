#include "core/errc.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace tether::core {
namespace {

TEST(Errc, EveryCodeRoundTripsThroughItsWireName) {
#define TETHER_TEST_ERRC(name)                         \
  EXPECT_EQ(to_string(Errc::name), #name);             \
  EXPECT_EQ(errc_from_string(#name), Errc::name);
  TETHER_CORE_ERRC_LIST(TETHER_TEST_ERRC)
#undef TETHER_TEST_ERRC
}

TEST(Errc, UnknownNamesAreNotCodes) {
  EXPECT_EQ(errc_from_string(""), std::nullopt);
  EXPECT_EQ(errc_from_string("Not_Found"), std::nullopt);
  EXPECT_EQ(errc_from_string("not_found "), std::nullopt);
  EXPECT_EQ(errc_from_string("no_such_code"), std::nullopt);
}

TEST(Errc, StreamsAsItsWireName) {
  std::ostringstream os;
  os << Errc::bad_mac;
  EXPECT_EQ(os.str(), "bad_mac");
}

}  // namespace
}  // namespace tether::core

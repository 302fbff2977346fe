// SAS derivation pinned to fixed values (the TypeScript side pins the same ones).
#include <gtest/gtest.h>

#include "crypto/identity.hpp"
#include "crypto/sas.hpp"

namespace tether::crypto {
namespace {

std::array<std::uint8_t, 32> filled(std::uint8_t byte) {
  std::array<std::uint8_t, 32> h{};
  h.fill(byte);
  return h;
}

TEST(Sas, MatchesTheSpecifiedDerivation) {
  ASSERT_TRUE(init());
  std::array<std::uint8_t, 32> counting{};
  for (std::size_t i = 0; i < counting.size(); ++i) counting[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(sas_from_handshake_hash(counting), "867836");
  EXPECT_EQ(sas_from_handshake_hash(filled(0)), "580782");
}

TEST(Sas, KeepsLeadingZeros) {
  ASSERT_TRUE(init());
  EXPECT_EQ(sas_from_handshake_hash(filled(227)), "000962");
}

}  // namespace
}  // namespace tether::crypto

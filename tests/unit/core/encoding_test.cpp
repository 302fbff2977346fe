#include "core/encoding.hpp"

#include <gtest/gtest.h>

#include <random>

namespace tether::core {
namespace {

Bytes bytes_of(std::string_view s) { return Bytes(s.begin(), s.end()); }

TEST(Base64Url, Rfc4648VectorsWithoutPadding) {
  EXPECT_EQ(base64url_encode(bytes_of("")), "");
  EXPECT_EQ(base64url_encode(bytes_of("f")), "Zg");
  EXPECT_EQ(base64url_encode(bytes_of("fo")), "Zm8");
  EXPECT_EQ(base64url_encode(bytes_of("foo")), "Zm9v");
  EXPECT_EQ(base64url_encode(bytes_of("foob")), "Zm9vYg");
  EXPECT_EQ(base64url_encode(bytes_of("fooba")), "Zm9vYmE");
  EXPECT_EQ(base64url_encode(bytes_of("foobar")), "Zm9vYmFy");
}

TEST(Base64Url, UsesUrlAlphabet) {
  const Bytes b{0xfb, 0xff, 0xbf};
  EXPECT_EQ(base64url_encode(b), "-_-_");
  EXPECT_EQ(*base64url_decode("-_-_"), b);
}

TEST(Base64Url, RoundTripsRandomBytes) {
  std::mt19937 rng(42);
  for (std::size_t len = 0; len < 200; ++len) {
    Bytes b(len);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    auto back = base64url_decode(base64url_encode(b));
    ASSERT_TRUE(back) << len;
    EXPECT_EQ(*back, b);
  }
}

TEST(Base64Url, RejectsPaddingAndStandardAlphabet) {
  EXPECT_FALSE(base64url_decode("Zg=="));
  EXPECT_FALSE(base64url_decode("+/+/"));
  EXPECT_FALSE(base64url_decode("Zm9v\n"));
  EXPECT_EQ(base64url_decode("a b").error().code, core::Errc::bad_base64url);
}

TEST(Base64Url, RejectsImpossibleLengthAndNonCanonicalTail) {
  EXPECT_FALSE(base64url_decode("Z"));
  EXPECT_FALSE(base64url_decode("Zh"));  // 'h' leaves non-zero trailing bits
  EXPECT_TRUE(base64url_decode("Zg"));
}

TEST(Hex, EncodesLowercaseAndDecodesEitherCase) {
  const Bytes b{0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(hex_encode(b), "0001abff");
  EXPECT_EQ(*hex_decode("0001ABff"), b);
  EXPECT_EQ(*hex_decode(""), Bytes{});
}

TEST(Hex, RejectsOddLengthAndNonHex) {
  EXPECT_EQ(hex_decode("abc").error().code, core::Errc::bad_hex);
  EXPECT_EQ(hex_decode("zz").error().code, core::Errc::bad_hex);
  EXPECT_FALSE(hex_decode("0x00"));
}

}  // namespace
}  // namespace tether::core

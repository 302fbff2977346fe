#include "crypto/identity.hpp"

#include <gtest/gtest.h>

#include "core/encoding.hpp"

namespace tether::crypto {
namespace {

class IdentityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(init()); }
};

TEST_F(IdentityTest, FileRoundTripKeepsTheKeys) {
  const auto id = Identity::generate();
  auto back = Identity::decode_file(id.encode_file());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->public_key(), id.public_key());
  EXPECT_EQ(back->x25519_public(), id.x25519_public());
  EXPECT_EQ(back->id(), id.id());
}

TEST_F(IdentityTest, IdIsBase64UrlOfThePublicKey) {
  const auto id = Identity::generate();
  EXPECT_EQ(id.id().size(), 43u);
  auto raw = core::base64url_decode(id.id());
  ASSERT_TRUE(raw);
  EXPECT_TRUE(std::equal(raw->begin(), raw->end(), id.public_key().begin()));
}

// What a version-2 pairing offer relies on: the Noise key a device derives from the id alone
// is the one the daemon uses.
TEST_F(IdentityTest, TheNoiseKeyIsDerivedFromTheIdAlone) {
  for (int i = 0; i < 16; ++i) {
    const auto id = Identity::generate();
    auto derived = x25519_of_ed25519(id.public_key());
    ASSERT_TRUE(derived) << derived.error().message;
    EXPECT_EQ(*derived, id.x25519_public());
  }
  std::array<std::uint8_t, 32> not_a_point{};
  not_a_point.fill(0xff);  // y >= p
  EXPECT_FALSE(x25519_of_ed25519(not_a_point));
}

TEST_F(IdentityTest, TwoGeneratedIdentitiesDiffer) {
  EXPECT_NE(Identity::generate().id(), Identity::generate().id());
}

TEST_F(IdentityTest, SignaturesVerifyOnlyForTheSignedMessageAndKey) {
  const auto id = Identity::generate();
  const std::vector<std::uint8_t> msg{1, 2, 3};
  auto sig = id.sign(msg);
  EXPECT_TRUE(Identity::verify(id.public_key(), msg, sig));
  auto other_msg = msg;
  other_msg[0] ^= 1;
  EXPECT_FALSE(Identity::verify(id.public_key(), other_msg, sig));
  sig[5] ^= 0x10;
  EXPECT_FALSE(Identity::verify(id.public_key(), msg, sig));
  const auto other = Identity::generate();
  EXPECT_FALSE(Identity::verify(other.public_key(), msg, id.sign(msg)));
}

TEST_F(IdentityTest, SeedFixesTheKeys) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(7);
  auto a = Identity::from_seed(seed);
  auto b = Identity::from_seed(seed);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->id(), b->id());
  EXPECT_FALSE(Identity::from_seed(std::span(seed).first(31)));
}

TEST_F(IdentityTest, CorruptFilesAreRefused) {
  const auto good = Identity::generate().encode_file();
  const std::string cases[] = {
      "",
      "garbage",
      good.substr(0, good.size() - 1),                    // no final newline
      good.substr(0, good.size() - 5) + "\n",             // short seed
      "tether-daemon-key v1\n" + std::string(43, '*') + "\n",
      "tether-daemon-key v2\n" + good.substr(21),
      good + "extra\n",
  };
  for (const auto& text : cases) {
    auto r = Identity::decode_file(text);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, core::Errc::corrupt_key);
  }
}

}  // namespace
}  // namespace tether::crypto

// The signed statement of a key rotation: made by the old key, checked against the daemon id
// a device paired with, and refused when any part of it changes.
#include "crypto/key_rotation.hpp"

#include <gtest/gtest.h>

namespace tether::crypto {
namespace {

class KeyRotationTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(init()); }
};

TEST_F(KeyRotationTest, TheOldKeySignsTheNewOneAndTheFileRoundTrips) {
  const auto old_id = Identity::generate();
  const auto new_id = Identity::generate();
  const auto r = sign_rotation(old_id, new_id, 1'800'000'000'000);
  EXPECT_EQ(r.old_id, old_id.id());
  EXPECT_EQ(r.new_id, new_id.id());
  EXPECT_TRUE(r.verify());
  auto decoded = decode_rotation_file(encode_rotation_file(r));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->statement(), r.statement());
  EXPECT_EQ(decoded->signature, r.signature);
}

TEST_F(KeyRotationTest, AnyChangeOrAnotherSignerIsRefused) {
  const auto old_id = Identity::generate();
  const auto new_id = Identity::generate();
  const auto r = sign_rotation(old_id, new_id, 1'800'000'000'000);
  auto later = r;
  later.deadline_ms += 1;
  EXPECT_FALSE(later.verify());
  auto other_key = r;
  other_key.new_id = Identity::generate().id();
  EXPECT_FALSE(other_key.verify());
  auto other_noise = r;
  other_noise.noise_key[0] = other_noise.noise_key[0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(other_noise.verify());
  // Signed by the new key (or anyone) instead of the key the device knows: refused.
  auto self_signed = sign_rotation(new_id, new_id, r.deadline_ms);
  self_signed.old_id = old_id.id();
  EXPECT_FALSE(self_signed.verify());
  auto garbage = r;
  garbage.signature = "!!";
  EXPECT_FALSE(garbage.verify());
}

TEST_F(KeyRotationTest, AMalformedFileIsCorrupt) {
  const auto r = sign_rotation(Identity::generate(), Identity::generate(), 1'800'000'000'000);
  const std::string good = encode_rotation_file(r);
  for (const std::string& bad : {std::string(), std::string("tether-key-rotation v2\n"), good.substr(0, good.size() - 1),
                                 good + "extra\n", good.substr(0, good.find('\n') + 1)}) {
    auto d = decode_rotation_file(bad);
    ASSERT_FALSE(d) << bad;
    EXPECT_EQ(d.error().code, core::Errc::corrupt);
  }
  std::string no_deadline = good;
  no_deadline.replace(no_deadline.find("1800000000000"), 13, "soon");
  EXPECT_FALSE(decode_rotation_file(no_deadline));
}

}  // namespace
}  // namespace tether::crypto

// tether's IK handshake and Channel: the attacks the channel must turn into errors.
#include <gtest/gtest.h>

#include "crypto/identity.hpp"
#include "crypto/ik_handshake.hpp"

namespace tether::crypto {
namespace {

const core::Bytes kHello{'h', 'e', 'l', 'l', 'o'};

// Deterministic ephemerals: seed, seed+1, ... so tests never depend on chance.
EphemeralSource counting_ephemerals(std::uint8_t seed) {
  return [seed]() mutable {
    Key32 secret{};
    secret.fill(seed++);
    return KeyPair::from_secret(secret).value();
  };
}

class IkTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(init()); }

  KeyPair client_ = KeyPair::generate();
  KeyPair daemon_ = KeyPair::generate();

  IkHandshake initiator(const Key32& daemon_public, std::uint8_t seed = 1) {
    return IkHandshake::initiator(client_, daemon_public, {counting_ephemerals(seed), {}}).value();
  }
  IkHandshake responder(PeerCheck accept = {}, std::uint8_t seed = 101) {
    return IkHandshake::responder(daemon_, std::move(accept), {counting_ephemerals(seed), {}}).value();
  }

  struct Pair {
    Channel initiator;
    Channel responder;
  };
  Pair establish(std::uint8_t seed = 1) {
    auto init = initiator(daemon_.public_key(), seed);
    auto resp = responder({}, static_cast<std::uint8_t>(seed + 100));
    auto m1 = init.write_message(kHello);
    EXPECT_EQ(*resp.read_message(*m1), kHello);
    auto m2 = resp.write_message({});
    EXPECT_TRUE(init.read_message(*m2)->empty());
    return Pair{init.finish().value(), resp.finish().value()};
  }
};

TEST_F(IkTest, EstablishesAChannelBothWays) {
  auto [a, b] = establish();
  EXPECT_EQ(a.remote_static(), daemon_.public_key());
  EXPECT_EQ(b.remote_static(), client_.public_key());
  EXPECT_EQ(a.handshake_hash(), b.handshake_hash());
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(*b.decrypt(*a.encrypt(kHello)), kHello);
    EXPECT_EQ(*a.decrypt(*b.encrypt(kHello)), kHello);
  }
}

TEST_F(IkTest, SasIsTheSameOnBothEndsAndDiffersAcrossHandshakes) {
  auto first = establish(1);
  auto second = establish(2);
  EXPECT_EQ(first.initiator.sas(), first.responder.sas());
  EXPECT_EQ(second.initiator.sas(), second.responder.sas());
  EXPECT_EQ(first.initiator.sas().size(), 6u);
  EXPECT_NE(first.initiator.handshake_hash(), second.initiator.handshake_hash());
  EXPECT_NE(first.initiator.sas(), second.initiator.sas());
}

TEST_F(IkTest, ReplayKillsTheChannel) {
  auto [a, b] = establish();
  auto m = a.encrypt(kHello);
  ASSERT_TRUE(b.decrypt(*m));
  EXPECT_EQ(b.decrypt(*m).error().code, core::Errc::bad_mac);
  EXPECT_TRUE(b.dead());
  EXPECT_EQ(b.encrypt(kHello).error().code, core::Errc::dead);
}

TEST_F(IkTest, ReorderKillsTheChannel) {
  auto [a, b] = establish();
  auto m1 = a.encrypt(kHello);
  auto m2 = a.encrypt(kHello);
  EXPECT_EQ(b.decrypt(*m2).error().code, core::Errc::bad_mac);
  EXPECT_EQ(b.decrypt(*m1).error().code, core::Errc::dead);
}

TEST_F(IkTest, DropMakesTheNextMessageFail) {
  auto [a, b] = establish();
  (void)a.encrypt(kHello);  // lost on the way
  EXPECT_EQ(b.decrypt(*a.encrypt(kHello)).error().code, core::Errc::bad_mac);
  EXPECT_TRUE(b.dead());
}

TEST_F(IkTest, EveryFlippedBitOfATransportMessageFails) {
  auto [a, b] = establish();
  const auto m = *a.encrypt(kHello);  // ciphertext bytes then the 16-byte tag
  for (std::size_t bit = 0; bit < m.size() * 8; ++bit) {
    auto pair = establish();
    auto flipped = *pair.initiator.encrypt(kHello);
    flipped[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_EQ(pair.responder.decrypt(flipped).error().code, core::Errc::bad_mac) << "bit " << bit;
    EXPECT_TRUE(pair.responder.dead());
  }
}

TEST_F(IkTest, EveryFlippedByteOfTheHandshakeMessagesFails) {
  const auto m1 = *initiator(daemon_.public_key()).write_message(kHello);
  for (std::size_t i = 0; i < m1.size(); ++i) {  // ephemeral, sealed static and its tag, payload tag
    auto copy = m1;
    copy[i] ^= 0x01;
    auto resp = responder();
    EXPECT_FALSE(resp.read_message(copy)) << "msg 1 byte " << i;
    EXPECT_EQ(resp.write_message({}).error().code, core::Errc::dead);
  }
  for (std::size_t i = 0;; ++i) {
    auto init = initiator(daemon_.public_key());
    auto resp = responder();
    ASSERT_TRUE(resp.read_message(*init.write_message({})));
    auto m2 = *resp.write_message(kHello);
    if (i == m2.size()) break;
    m2[i] ^= 0x80;
    EXPECT_FALSE(init.read_message(m2)) << "msg 2 byte " << i;
    EXPECT_EQ(init.finish().error().code, core::Errc::dead);
  }
}

TEST_F(IkTest, TruncatedMessagesOfEveryLengthFail) {
  const auto m1 = *initiator(daemon_.public_key()).write_message(kHello);
  ASSERT_EQ(m1.size(), 32u + 48u + kHello.size() + 16u);
  for (std::size_t n = 0; n < m1.size(); ++n) {
    auto resp = responder();
    auto r = resp.read_message(std::span(m1).first(n));
    ASSERT_FALSE(r) << n;
    EXPECT_TRUE(r.error().code == core::Errc::wrong_length || r.error().code == core::Errc::bad_mac) << n << " " << r.error().code;
  }
  for (std::size_t n = 0;; ++n) {
    auto init = initiator(daemon_.public_key());
    auto resp = responder();
    ASSERT_TRUE(resp.read_message(*init.write_message({})));
    const auto m2 = *resp.write_message(kHello);
    if (n == m2.size()) break;
    EXPECT_FALSE(init.read_message(std::span(m2).first(n))) << n;
  }
  auto [a, b] = establish();
  const auto m = *a.encrypt(kHello);
  for (std::size_t n = 0; n < m.size(); ++n) {
    auto pair = establish();
    const auto fresh = *pair.initiator.encrypt(kHello);
    EXPECT_FALSE(pair.responder.decrypt(std::span(fresh).first(n))) << n;
    EXPECT_TRUE(pair.responder.dead());
  }
}

TEST_F(IkTest, ResponderWithAnotherStaticKeyCannotReadMessageOne) {
  const KeyPair stranger = KeyPair::generate();
  auto init = initiator(stranger.public_key());  // the client thinks it talks to `stranger`
  auto resp = responder();
  auto r = resp.read_message(*init.write_message(kHello));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::bad_mac);
}

TEST_F(IkTest, ResponderRefusesAnUnknownInitiator) {
  const Key32 known = KeyPair::generate().public_key();
  auto init = initiator(daemon_.public_key());
  auto resp = responder([&](const Key32& peer) { return peer == known; });
  auto r = resp.read_message(*init.write_message(kHello));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::unknown_peer);
  EXPECT_EQ(resp.write_message({}).error().code, core::Errc::dead);
  EXPECT_EQ(resp.finish().error().code, core::Errc::dead);

  auto init2 = initiator(daemon_.public_key());
  auto resp2 = responder([&](const Key32& peer) { return peer == client_.public_key(); });
  EXPECT_TRUE(resp2.read_message(*init2.write_message(kHello)));
}

TEST_F(IkTest, OutOfTurnCallsAreWrongState) {
  auto init = initiator(daemon_.public_key());
  auto resp = responder();
  EXPECT_EQ(init.finish().error().code, core::Errc::wrong_state);
  EXPECT_EQ(init.read_message(core::Bytes(100)).error().code, core::Errc::wrong_state);
  EXPECT_EQ(resp.write_message({}).error().code, core::Errc::wrong_state);
}

TEST_F(IkTest, CallsAfterCompletionAreWrongState) {
  auto init = initiator(daemon_.public_key());
  auto resp = responder();
  ASSERT_TRUE(resp.read_message(*init.write_message({})));
  ASSERT_TRUE(init.read_message(*resp.write_message({})));
  EXPECT_EQ(init.write_message({}).error().code, core::Errc::wrong_state);
  ASSERT_TRUE(init.finish());  // a call out of turn changes nothing
  EXPECT_EQ(init.finish().error().code, core::Errc::wrong_state);
  ASSERT_TRUE(resp.finish());
  EXPECT_EQ(resp.finish().error().code, core::Errc::wrong_state);
}

TEST_F(IkTest, HandshakeMessagesOver65535AreRefused) {
  auto resp = responder();
  EXPECT_EQ(resp.read_message(core::Bytes(65536)).error().code, core::Errc::too_large);
  auto init = initiator(daemon_.public_key());
  EXPECT_EQ(init.write_message(core::Bytes(65535 - 32 - 48 - 16 + 1)).error().code, core::Errc::too_large);
  auto fits = initiator(daemon_.public_key());
  auto m1 = fits.write_message(core::Bytes(65535 - 32 - 48 - 16));
  ASSERT_TRUE(m1);
  EXPECT_EQ(m1->size(), 65535u);
  EXPECT_TRUE(responder().read_message(*m1));
}

TEST_F(IkTest, NonceExhaustionThroughTheSeam) {
  auto [a, b] = establish();
  a.send_state_for_test().set_nonce_for_test(CipherState::kReservedNonce - 1);
  b.receive_state_for_test().set_nonce_for_test(CipherState::kReservedNonce - 1);
  EXPECT_EQ(*b.decrypt(*a.encrypt(kHello)), kHello);
  EXPECT_EQ(a.encrypt(kHello).error().code, core::Errc::nonce_exhausted);
  EXPECT_TRUE(a.dead());
}

TEST_F(IkTest, BothAesBackendsTalkToEachOther) {
  if (default_aes_gcm_backend() != AesGcmBackend::sodium) GTEST_SKIP() << "no AES-NI";
  auto init = IkHandshake::initiator(client_, daemon_.public_key(), {random_ephemerals(), AesGcmBackend::openssl});
  auto resp = IkHandshake::responder(daemon_, {}, {random_ephemerals(), AesGcmBackend::sodium});
  ASSERT_TRUE(resp->read_message(*init->write_message(kHello)));
  ASSERT_TRUE(init->read_message(*resp->write_message(kHello)));
  auto a = init->finish();
  auto b = resp->finish();
  EXPECT_EQ(*b->decrypt(*a->encrypt(kHello)), kHello);
  EXPECT_EQ(*a->decrypt(*b->encrypt(kHello)), kHello);
}

TEST_F(IkTest, GeneralHandshakeRefusesMissingKeys) {
  HandshakeConfig no_static{.protocol_name = std::string(kTetherProtocolName), .role = Role::initiator};
  no_static.remote_static = daemon_.public_key();
  EXPECT_EQ(HandshakeState::create(no_static).error().code, core::Errc::missing_key);
  HandshakeConfig no_remote{.protocol_name = std::string(kTetherProtocolName), .role = Role::initiator};
  no_remote.static_key = client_;
  EXPECT_EQ(HandshakeState::create(no_remote).error().code, core::Errc::missing_key);
  HandshakeConfig no_psk{.protocol_name = "Noise_IKpsk2_25519_AESGCM_SHA256", .role = Role::responder};
  no_psk.static_key = daemon_;
  EXPECT_EQ(HandshakeState::create(no_psk).error().code, core::Errc::missing_key);
  HandshakeConfig bad_name{.protocol_name = "Noise_IK_25519_AESGCM_SHA512"};
  EXPECT_EQ(HandshakeState::create(bad_name).error().code, core::Errc::unsupported_protocol);
}

TEST_F(IkTest, LowOrderEphemeralIsBadKey) {
  auto resp = responder();
  const auto m1 = *initiator(daemon_.public_key()).write_message({});
  auto forged = m1;
  std::fill(forged.begin(), forged.begin() + 32, 0);  // the all-zero point
  EXPECT_EQ(resp.read_message(forged).error().code, core::Errc::bad_key);
}

}  // namespace
}  // namespace tether::crypto

// CipherState and the AEAD layer: counters, nonce exhaustion, death on failure, limits.
#include <gtest/gtest.h>

#include "crypto/cipher_state.hpp"
#include "crypto/identity.hpp"

namespace tether::crypto {

void PrintTo(const CipherSpec& spec, std::ostream* os) {
  *os << (spec.kind == CipherKind::chacha_poly ? "chacha_poly" : "aes_gcm/") << (spec.kind == CipherKind::aes_gcm ? to_string(spec.aes_backend) : "");
}

namespace {

constexpr Key32 kKey{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                     17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

std::pair<CipherState, CipherState> keyed_pair(CipherSpec spec) {
  std::pair<CipherState, CipherState> pair{CipherState(spec), CipherState(spec)};
  pair.first.initialize_key(kKey);
  pair.second.initialize_key(kKey);
  return pair;
}

const core::Bytes kHello{'h', 'e', 'l', 'l', 'o'};

class CipherStateTest : public ::testing::TestWithParam<CipherSpec> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(init());
    if (GetParam().kind == CipherKind::aes_gcm && GetParam().aes_backend == AesGcmBackend::sodium &&
        default_aes_gcm_backend() != AesGcmBackend::sodium) {
      GTEST_SKIP() << "no AES-NI";
    }
  }
};

TEST_P(CipherStateTest, WithoutKeyPassesBytesThrough) {
  CipherState cs(GetParam());
  EXPECT_EQ(*cs.encrypt_with_ad({}, kHello), kHello);
  EXPECT_EQ(*cs.decrypt_with_ad({}, kHello), kHello);
}

TEST_P(CipherStateTest, CountersAdvanceTogether) {
  auto [send, receive] = keyed_pair(GetParam());
  for (int i = 0; i < 5; ++i) {
    auto sealed = send.encrypt_with_ad({}, kHello);
    ASSERT_TRUE(sealed);
    EXPECT_EQ(sealed->size(), kHello.size() + 16);
    EXPECT_EQ(*receive.decrypt_with_ad({}, *sealed), kHello);
  }
  EXPECT_EQ(send.nonce(), 5u);
  EXPECT_EQ(receive.nonce(), 5u);
}

TEST_P(CipherStateTest, AnyFailureKillsTheState) {
  auto [send, receive] = keyed_pair(GetParam());
  auto sealed = send.encrypt_with_ad({}, kHello);
  sealed->back() ^= 1;
  EXPECT_EQ(receive.decrypt_with_ad({}, *sealed).error().code, core::Errc::bad_mac);
  EXPECT_TRUE(receive.dead());
  sealed->back() ^= 1;  // even the genuine message is refused now
  EXPECT_EQ(receive.decrypt_with_ad({}, *sealed).error().code, core::Errc::dead);
  EXPECT_EQ(receive.encrypt_with_ad({}, kHello).error().code, core::Errc::dead);
}

TEST_P(CipherStateTest, ShortCiphertextIsWrongLength) {
  for (std::size_t n = 0; n < 16; ++n) {
    auto [send, receive] = keyed_pair(GetParam());
    EXPECT_EQ(receive.decrypt_with_ad({}, core::Bytes(n)).error().code, core::Errc::wrong_length) << n;
    EXPECT_TRUE(receive.dead());
  }
}

TEST_P(CipherStateTest, MessagesOver65535AreRefused) {
  auto [send, receive] = keyed_pair(GetParam());
  EXPECT_TRUE(send.encrypt_with_ad({}, core::Bytes(CipherState::kMaxPlaintext)));
  EXPECT_EQ(send.encrypt_with_ad({}, core::Bytes(CipherState::kMaxPlaintext + 1)).error().code, core::Errc::too_large);
  EXPECT_FALSE(send.dead());  // a local mistake, not the peer's: the state goes on
  EXPECT_EQ(receive.decrypt_with_ad({}, core::Bytes(65536)).error().code, core::Errc::too_large);
  EXPECT_TRUE(receive.dead());
}

TEST_P(CipherStateTest, NonceTwoToThe64MinusOneIsNeverUsed) {
  auto [send, receive] = keyed_pair(GetParam());
  send.set_nonce_for_test(CipherState::kReservedNonce - 1);
  receive.set_nonce_for_test(CipherState::kReservedNonce - 1);
  auto last = send.encrypt_with_ad({}, kHello);
  ASSERT_TRUE(last);
  EXPECT_EQ(*receive.decrypt_with_ad({}, *last), kHello);
  EXPECT_EQ(send.encrypt_with_ad({}, kHello).error().code, core::Errc::nonce_exhausted);
  EXPECT_EQ(receive.decrypt_with_ad({}, *last).error().code, core::Errc::nonce_exhausted);
  EXPECT_EQ(send.nonce(), CipherState::kReservedNonce);
}

TEST_P(CipherStateTest, AdIsAuthenticated) {
  auto [send, receive] = keyed_pair(GetParam());
  const core::Bytes ad{'a', 'd'};
  auto sealed = send.encrypt_with_ad(ad, kHello);
  EXPECT_EQ(receive.decrypt_with_ad({}, *sealed).error().code, core::Errc::bad_mac);
}

TEST_P(CipherStateTest, MovedFromStateIsUnusable) {
  auto [send, receive] = keyed_pair(GetParam());
  CipherState moved(std::move(send));
  EXPECT_TRUE(moved.has_key());
  EXPECT_FALSE(send.has_key());  // NOLINT(bugprone-use-after-move): the key was wiped
  EXPECT_TRUE(send.dead());      // NOLINT(bugprone-use-after-move)
}

INSTANTIATE_TEST_SUITE_P(Ciphers, CipherStateTest,
                         ::testing::Values(CipherSpec{CipherKind::aes_gcm, AesGcmBackend::sodium},
                                           CipherSpec{CipherKind::aes_gcm, AesGcmBackend::openssl},
                                           CipherSpec{CipherKind::chacha_poly, AesGcmBackend::sodium}),
                         [](const auto& info) {
                           if (info.param.kind == CipherKind::chacha_poly) return std::string("chacha_poly");
                           return std::string("aes_gcm_") + std::string(to_string(info.param.aes_backend));
                         });

TEST(AesGcmBackends, InteroperateOnTheSameKeyAndNonce) {
  ASSERT_TRUE(init());
  if (default_aes_gcm_backend() != AesGcmBackend::sodium) GTEST_SKIP() << "no AES-NI";
  const CipherSpec sodium{CipherKind::aes_gcm, AesGcmBackend::sodium};
  const CipherSpec openssl{CipherKind::aes_gcm, AesGcmBackend::openssl};
  for (std::size_t size : {0u, 1u, 15u, 16u, 17u, 1000u, 65519u}) {
    core::Bytes pt(size, 0x5a);
    core::Bytes a(size + 16), b(size + 16), back(size);
    const core::Bytes ad{9, 8, 7};
    ASSERT_TRUE(aead_seal(sodium, kKey, 0x0102030405060708ULL, ad, pt, a));
    ASSERT_TRUE(aead_seal(openssl, kKey, 0x0102030405060708ULL, ad, pt, b));
    EXPECT_EQ(a, b) << size;
    EXPECT_TRUE(aead_open(openssl, kKey, 0x0102030405060708ULL, ad, a, back));
    EXPECT_EQ(back, pt);
    a[0] ^= 0x80;
    EXPECT_FALSE(aead_open(openssl, kKey, 0x0102030405060708ULL, ad, a, back));
    EXPECT_FALSE(aead_open(sodium, kKey, 0x0102030405060708ULL, ad, a, back));
  }
}

}  // namespace
}  // namespace tether::crypto

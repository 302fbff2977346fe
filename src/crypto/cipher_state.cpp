#include "crypto/cipher_state.hpp"

#include <algorithm>

namespace tether::crypto {

void CipherState::initialize_key(std::span<const std::uint8_t, kAeadKeySize> key) {
  std::copy(key.begin(), key.end(), key_.begin());
  n_ = 0;
  has_key_ = true;
}

core::Error CipherState::fail(core::Errc code, std::string message) {
  dead_ = true;
  return core::make_error(code, std::move(message));
}

core::Result<core::Bytes> CipherState::encrypt_with_ad(std::span<const std::uint8_t> ad,
                                                       std::span<const std::uint8_t> plaintext) {
  if (dead_) return core::make_error(core::Errc::dead, "this cipher state failed before and is closed");
  if (!has_key_) return core::Bytes(plaintext.begin(), plaintext.end());
  if (plaintext.size() > kMaxPlaintext) return core::make_error(core::Errc::too_large, "a Noise message is at most 65535 bytes");
  if (n_ == kReservedNonce) return fail(core::Errc::nonce_exhausted, "the nonce counter reached 2^64-1");
  core::Bytes out(plaintext.size() + kAeadTagSize);
  if (!aead_seal(spec_, key_, n_, ad, plaintext, out)) return fail(core::Errc::internal, "the AEAD backend failed to encrypt");
  ++n_;
  return out;
}

core::Result<core::Bytes> CipherState::decrypt_with_ad(std::span<const std::uint8_t> ad,
                                                       std::span<const std::uint8_t> ciphertext) {
  if (dead_) return core::make_error(core::Errc::dead, "this cipher state failed before and is closed");
  if (ciphertext.size() > kMaxMessage) return fail(core::Errc::too_large, "a Noise message is at most 65535 bytes");
  if (!has_key_) return core::Bytes(ciphertext.begin(), ciphertext.end());
  if (ciphertext.size() < kAeadTagSize) return fail(core::Errc::wrong_length, "the message is shorter than its tag");
  if (n_ == kReservedNonce) return fail(core::Errc::nonce_exhausted, "the nonce counter reached 2^64-1");
  core::Bytes out(ciphertext.size() - kAeadTagSize);
  if (!aead_open(spec_, key_, n_, ad, ciphertext, out)) return fail(core::Errc::bad_mac, "the message failed authentication");
  ++n_;
  return out;
}

CipherState::CipherState(CipherState&& other) noexcept
    : spec_(other.spec_), key_(other.key_), n_(other.n_), has_key_(other.has_key_), dead_(other.dead_) {
  wipe(other.key_);
  other.has_key_ = false;
  other.dead_ = true;
}

CipherState& CipherState::operator=(CipherState&& other) noexcept {
  if (this != &other) {
    spec_ = other.spec_;
    key_ = other.key_;
    n_ = other.n_;
    has_key_ = other.has_key_;
    dead_ = other.dead_;
    wipe(other.key_);
    other.has_key_ = false;
    other.dead_ = true;
  }
  return *this;
}

CipherState::~CipherState() { wipe(key_); }

}  // namespace tether::crypto

#include "crypto/key_pair.hpp"

#include <sodium.h>

namespace tether::crypto {

void wipe(std::span<std::uint8_t> bytes) {
  if (!bytes.empty()) sodium_memzero(bytes.data(), bytes.size());
}

KeyPair KeyPair::generate() {
  KeyPair kp;
  randombytes_buf(kp.secret_.data(), kp.secret_.size());
  crypto_scalarmult_base(kp.public_.data(), kp.secret_.data());
  return kp;
}

core::Result<KeyPair> KeyPair::from_secret(std::span<const std::uint8_t> secret) {
  if (secret.size() != kSize) return core::make_error(core::Errc::wrong_length, "an X25519 secret key is 32 bytes");
  KeyPair kp;
  std::copy(secret.begin(), secret.end(), kp.secret_.begin());
  crypto_scalarmult_base(kp.public_.data(), kp.secret_.data());
  return kp;
}

core::Result<void> KeyPair::dh(std::span<const std::uint8_t, kSize> remote_public,
                               std::span<std::uint8_t, kSize> out) const {
  if (crypto_scalarmult(out.data(), secret_.data(), remote_public.data()) != 0) {
    return core::make_error(core::Errc::bad_key, "the peer's public key is a low-order point");
  }
  return {};
}

KeyPair::KeyPair(KeyPair&& other) noexcept : secret_(other.secret_), public_(other.public_) { wipe(other.secret_); }

KeyPair& KeyPair::operator=(KeyPair&& other) noexcept {
  if (this != &other) {
    secret_ = other.secret_;
    public_ = other.public_;
    wipe(other.secret_);
  }
  return *this;
}

KeyPair::~KeyPair() { wipe(secret_); }

EphemeralSource random_ephemerals() {
  return [] { return KeyPair::generate(); };
}

}  // namespace tether::crypto

// An X25519 key pair, the only DH of Noise in tether (the "25519" of the protocol name).
// Holds a secret: wiped on destruction and on move. Not the Ed25519 identity (identity.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>

#include "core/result.hpp"

namespace tether::crypto {

using Key32 = std::array<std::uint8_t, 32>;

class KeyPair {
 public:
  static constexpr std::size_t kSize = 32;

  static KeyPair generate();  // libsodium randombytes
  static core::Result<KeyPair> from_secret(std::span<const std::uint8_t> secret);

  const Key32& public_key() const { return public_; }
  const Key32& secret_key() const { return secret_; }

  // out = X25519(secret, remote). Error "bad_key" when the result is all zeros (a low-order
  // point). Writes into the caller's buffer so the shared secret can be wiped there.
  core::Result<void> dh(std::span<const std::uint8_t, kSize> remote_public, std::span<std::uint8_t, kSize> out) const;

  KeyPair(const KeyPair& other) = default;
  KeyPair& operator=(const KeyPair& other) = default;
  KeyPair(KeyPair&& other) noexcept;
  KeyPair& operator=(KeyPair&& other) noexcept;
  ~KeyPair();

 private:
  KeyPair() = default;
  Key32 secret_{};
  Key32 public_{};
};

// Where a handshake gets its ephemeral keys: the default draws fresh random keys;
// tests and the vectors inject fixed ones. Called once per "e" token written.
using EphemeralSource = std::function<KeyPair()>;
EphemeralSource random_ephemerals();

// Wipes secret bytes (sodium_memzero), so callers outside crypto/ need not include libsodium.
void wipe(std::span<std::uint8_t> bytes);

}  // namespace tether::crypto

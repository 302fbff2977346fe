// The daemon's identity: an Ed25519 key pair (proves itself to the relay) and
// the X25519 key derived from it (its Noise static key). Pure: no file I/O.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tether::crypto {

// Must be called once before any other crypto function; false when libsodium cannot start.
bool init();

// The X25519 (Montgomery) form of an Ed25519 public key: a daemon's Noise static key from its
// id. Error "bad_key" for a key that is not a valid point.
core::Result<std::array<std::uint8_t, 32>> x25519_of_ed25519(std::span<const std::uint8_t, 32> ed25519_public);

class Identity {
 public:
  static constexpr std::size_t kSeedSize = 32;

  static Identity generate();
  static core::Result<Identity> from_seed(std::span<const std::uint8_t> seed);

  // Key file text: "tether-daemon-key v1\n<base64url seed>\n". Anything else is corrupt.
  std::string encode_file() const;
  static core::Result<Identity> decode_file(std::string_view text);

  const std::array<std::uint8_t, 32>& public_key() const { return public_key_; }
  const std::array<std::uint8_t, 32>& x25519_public() const { return x25519_public_; }
  const std::array<std::uint8_t, 32>& x25519_secret() const { return x25519_secret_; }
  std::string id() const;  // base64url of the Ed25519 public key

  std::array<std::uint8_t, 64> sign(std::span<const std::uint8_t> message) const;
  static bool verify(std::span<const std::uint8_t, 32> public_key, std::span<const std::uint8_t> message,
                     std::span<const std::uint8_t, 64> signature);

  Identity(const Identity&) = default;
  Identity& operator=(const Identity&) = default;
  ~Identity();

 private:
  Identity() = default;
  std::array<std::uint8_t, 64> secret_key_{};  // libsodium layout: seed || public key
  std::array<std::uint8_t, 32> public_key_{};
  std::array<std::uint8_t, 32> x25519_secret_{};
  std::array<std::uint8_t, 32> x25519_public_{};
};

}  // namespace tether::crypto

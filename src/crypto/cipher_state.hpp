// Noise CipherState (rev 34 §5.1): a key and a counter nonce over one AEAD. Used inside the
// handshake and, after Split, as one direction of a transport channel. Not thread-safe.
#pragma once

#include <cstdint>
#include <limits>
#include <span>

#include "core/encoding.hpp"
#include "core/result.hpp"
#include "crypto/aead.hpp"
#include "crypto/key_pair.hpp"

namespace tether::crypto {

class CipherState {
 public:
  static constexpr std::size_t kMaxMessage = 65535;  // any Noise message, handshake or transport
  static constexpr std::size_t kMaxPlaintext = kMaxMessage - kAeadTagSize;
  // 2^64-1 is reserved by Noise: a state whose counter reaches it refuses to go on.
  static constexpr std::uint64_t kReservedNonce = std::numeric_limits<std::uint64_t>::max();

  explicit CipherState(CipherSpec spec) : spec_(spec) {}

  void initialize_key(std::span<const std::uint8_t, kAeadKeySize> key);
  bool has_key() const { return has_key_; }

  // Without a key these return the input unchanged (the first handshake messages).
  // Errors: "too_large", "wrong_length", "bad_mac", "nonce_exhausted", "dead", "internal".
  // A failed decryption marks the state dead: every later call fails with "dead". That is
  // what makes a replayed, dropped, reordered or modified message end the channel.
  core::Result<core::Bytes> encrypt_with_ad(std::span<const std::uint8_t> ad, std::span<const std::uint8_t> plaintext);
  core::Result<core::Bytes> decrypt_with_ad(std::span<const std::uint8_t> ad, std::span<const std::uint8_t> ciphertext);

  bool dead() const { return dead_; }
  std::uint64_t nonce() const { return n_; }
  const CipherSpec& spec() const { return spec_; }

  // Test-only seam: jump the counter (e.g. near 2^64-1 to test exhaustion).
  void set_nonce_for_test(std::uint64_t n) { n_ = n; }

  CipherState(CipherState&& other) noexcept;
  CipherState& operator=(CipherState&& other) noexcept;
  CipherState(const CipherState&) = delete;
  CipherState& operator=(const CipherState&) = delete;
  ~CipherState();

 private:
  core::Error fail(core::Errc code, std::string message);

  CipherSpec spec_;
  Key32 key_{};
  std::uint64_t n_ = 0;
  bool has_key_ = false;
  bool dead_ = false;
};

}  // namespace tether::crypto

// Noise SymmetricState (rev 34 §5.2) with HASH = SHA-256: the chaining key, the handshake
// hash and the handshake's CipherState. Knows nothing of patterns or keys pairs.
#pragma once

#include <span>
#include <string_view>
#include <utility>

#include "core/encoding.hpp"
#include "core/result.hpp"
#include "crypto/cipher_state.hpp"

namespace tether::crypto {

inline constexpr std::size_t kHashSize = 32;

class SymmetricState {
 public:
  SymmetricState(std::string_view protocol_name, CipherSpec spec);

  void mix_key(std::span<const std::uint8_t> input_key_material);
  void mix_hash(std::span<const std::uint8_t> data);
  void mix_key_and_hash(std::span<const std::uint8_t> input_key_material);

  core::Result<core::Bytes> encrypt_and_hash(std::span<const std::uint8_t> plaintext);
  core::Result<core::Bytes> decrypt_and_hash(std::span<const std::uint8_t> ciphertext);

  bool has_key() const { return cipher_.has_key(); }
  const Key32& handshake_hash() const { return h_; }

  // (c1, c2): c1 encrypts initiator -> responder, c2 responder -> initiator.
  std::pair<CipherState, CipherState> split() const;

  SymmetricState(SymmetricState&&) noexcept = default;
  SymmetricState& operator=(SymmetricState&&) noexcept = default;
  ~SymmetricState();

 private:
  CipherSpec spec_;
  Key32 ck_{};
  Key32 h_{};
  CipherState cipher_;
};

}  // namespace tether::crypto

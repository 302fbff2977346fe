// An established Noise channel: the two transport CipherStates of one side plus what the
// handshake proved (handshake hash, SAS, peer's static key). One Noise message per call;
// application messages larger than a Noise message go through framing.hpp first.
#pragma once

#include <span>
#include <string>

#include "core/encoding.hpp"
#include "core/result.hpp"
#include "crypto/handshake_state.hpp"

namespace tether::crypto {

class Channel {
 public:
  static constexpr std::size_t kMaxPlaintext = CipherState::kMaxPlaintext;  // 65519

  Channel(TransportPair transport, const Key32& handshake_hash, const Key32& remote_static);

  // Errors as CipherState's. Once either direction failed the whole channel is dead: every
  // later call returns "dead", and the caller closes the connection.
  core::Result<core::Bytes> encrypt(std::span<const std::uint8_t> plaintext);
  core::Result<core::Bytes> decrypt(std::span<const std::uint8_t> message);

  bool dead() const { return send_.dead() || receive_.dead(); }
  const std::string& sas() const { return sas_; }
  const Key32& handshake_hash() const { return handshake_hash_; }
  const Key32& remote_static() const { return remote_static_; }

  // Test-only seams (nonce exhaustion).
  CipherState& send_state_for_test() { return send_; }
  CipherState& receive_state_for_test() { return receive_; }

 private:
  CipherState send_;
  CipherState receive_;
  Key32 handshake_hash_;
  Key32 remote_static_;
  std::string sas_;
};

}  // namespace tether::crypto

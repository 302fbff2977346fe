// Noise HandshakeState (rev 34 §5.3): runs any pattern of handshake_pattern.hpp through one
// token interpreter. Pure: bytes in, bytes out; randomness comes from the injected source.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"
#include "crypto/handshake_pattern.hpp"
#include "crypto/key_pair.hpp"
#include "crypto/symmetric_state.hpp"

namespace tether::crypto {

enum class Role { initiator, responder };

struct HandshakeConfig {
  std::string protocol_name;  // e.g. "Noise_IK_25519_AESGCM_SHA256"
  Role role = Role::initiator;
  core::Bytes prologue;
  std::optional<KeyPair> static_key;    // s
  std::optional<Key32> remote_static;   // rs, when known in advance
  std::vector<Key32> psks;              // one per psk token, in order
  EphemeralSource ephemerals = random_ephemerals();
  std::optional<AesGcmBackend> aes_backend;  // unset: default_aes_gcm_backend()
};

// One direction each, already oriented for this side.
struct TransportPair {
  CipherState send;
  CipherState receive;
};

class HandshakeState {
 public:
  // Errors: "unsupported_protocol", "missing_key" (a key the pattern needs is absent),
  // "wrong_length" (a psk is not 32 bytes, checked by type).
  static core::Result<HandshakeState> create(HandshakeConfig config);

  // Errors: "wrong_state" (not our turn, or finished), "too_large", "wrong_length" (truncated),
  // "bad_mac", "bad_key", "dead". Any error but "wrong_state" kills the handshake: later
  // calls return "dead".
  core::Result<core::Bytes> write_message(std::span<const std::uint8_t> payload);
  core::Result<core::Bytes> read_message(std::span<const std::uint8_t> message);

  bool is_complete() const { return next_message_ == protocol_.pattern.messages.size(); }
  bool dead() const { return dead_; }
  bool is_my_turn() const;
  Role role() const { return role_; }
  const Key32& handshake_hash() const { return symmetric_.handshake_hash(); }
  const std::optional<Key32>& remote_static() const { return rs_; }

  // Only once complete ("wrong_state" otherwise); the handshake is finished afterwards.
  core::Result<TransportPair> split();

  HandshakeState(HandshakeState&&) noexcept = default;
  HandshakeState& operator=(HandshakeState&&) noexcept = default;
  ~HandshakeState();  // wipes the psks; keys wipe themselves

 private:
  HandshakeState(Protocol protocol, HandshakeConfig config, CipherSpec spec);
  core::Error fail(core::Error error);
  core::Result<void> check_turn(bool writing);
  core::Result<void> mix_shared_token(Token token);
  core::Result<void> write_token(Token token, core::Bytes& out);
  core::Result<void> read_token(Token token, std::span<const std::uint8_t>& in);

  Protocol protocol_;
  Role role_;
  SymmetricState symmetric_;
  std::optional<KeyPair> s_;
  std::optional<KeyPair> e_;
  std::optional<Key32> rs_;
  std::optional<Key32> re_;
  std::vector<Key32> psks_;
  EphemeralSource ephemerals_;
  std::size_t next_message_ = 0;
  std::size_t next_psk_ = 0;
  bool dead_ = false;
  bool split_done_ = false;
};

}  // namespace tether::crypto

// tether's handshake: Noise_IK_25519_AESGCM_SHA256 with prologue "tether/1", ending in a
// Channel. A thin layer over HandshakeState; the pattern logic lives there, not here.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string_view>

#include "core/encoding.hpp"
#include "core/result.hpp"
#include "crypto/channel.hpp"
#include "crypto/handshake_state.hpp"

namespace tether::crypto {

inline constexpr std::string_view kTetherProtocolName = "Noise_IK_25519_AESGCM_SHA256";
inline constexpr std::string_view kTetherPrologue = "tether/1";

struct IkOptions {
  EphemeralSource ephemerals = random_ephemerals();
  std::optional<AesGcmBackend> aes_backend;  // unset: default_aes_gcm_backend()
};

// Decides, once message 1 is read, whether the initiator's static key is a known peer.
using PeerCheck = std::function<bool(const Key32& initiator_static)>;

class IkHandshake {
 public:
  // The initiator (phone, laptop) knows the daemon's static key from the pairing link.
  static core::Result<IkHandshake> initiator(KeyPair static_key, const Key32& responder_static, IkOptions options = {});
  // The responder (daemon). With `accept`, an initiator it refuses fails with "unknown_peer".
  static core::Result<IkHandshake> responder(KeyPair static_key, PeerCheck accept = {}, IkOptions options = {});

  // Initiator: write_message (1), read_message (2). Responder: read_message (1), write_message (2).
  // Errors as HandshakeState's, plus "unknown_peer"; after any error the handshake is dead.
  core::Result<core::Bytes> write_message(std::span<const std::uint8_t> payload);
  core::Result<core::Bytes> read_message(std::span<const std::uint8_t> message);

  bool is_complete() const { return state_.is_complete(); }
  const std::optional<Key32>& remote_static() const { return state_.remote_static(); }
  const Key32& handshake_hash() const { return state_.handshake_hash(); }

  // Once complete: the channel, with the SAS. "wrong_state" before, or when called twice.
  core::Result<Channel> finish();

 private:
  IkHandshake(HandshakeState state, PeerCheck accept) : state_(std::move(state)), accept_(std::move(accept)) {}
  static core::Result<IkHandshake> make(Role role, KeyPair static_key, std::optional<Key32> remote_static,
                                        PeerCheck accept, IkOptions options);

  HandshakeState state_;
  PeerCheck accept_;
  bool rejected_ = false;
};

}  // namespace tether::crypto

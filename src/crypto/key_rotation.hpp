// Rotating the daemon's identity: the old key signs a statement naming the new one and the
// deadline until which the old key still answers. A paired device that connects to the old
// key gets the statement in the handshake answer, checks the signature against the daemon
// id it paired with, and keeps the new key from then on. Pure: no file I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "crypto/identity.hpp"

namespace tether::crypto {

struct KeyRotation {
  std::string old_id;     // base64url Ed25519 public key: the daemon id devices paired with
  std::string new_id;     // base64url Ed25519 public key of the new identity
  std::string noise_key;  // base64url X25519 static key of the new identity
  std::int64_t deadline_ms = 0;  // unix ms: after it the old key answers no one
  std::string signature;  // base64url Ed25519 signature by the old key over statement()

  // The signed bytes: "tether-key-rotation/1\n" then old id, new id, noise key and the
  // deadline in decimal, each followed by "\n".
  std::string statement() const;
  // True when the old key signed exactly this statement.
  bool verify() const;
};

KeyRotation sign_rotation(const Identity& old_identity, const Identity& new_identity, std::int64_t deadline_ms);

// File text: "tether-key-rotation v1\n" then the statement's four values and the signature,
// one a line. Anything else, or a signature that does not verify, is corrupt.
std::string encode_rotation_file(const KeyRotation& rotation);
core::Result<KeyRotation> decode_rotation_file(std::string_view text);

}  // namespace tether::crypto

// Noise handshake patterns as data (rev 34 §7, §9) and protocol-name parsing. The table is
// written as in the spec ("-> e, es, s, ss"); HandshakeState interprets it, one code path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "crypto/aead.hpp"

namespace tether::crypto {

enum class Token : std::uint8_t { e, s, ee, es, se, ss, psk };

struct HandshakePattern {
  std::string name;                       // e.g. "IKpsk2"
  std::vector<Token> initiator_premessage;  // only "s" in the supported patterns
  std::vector<Token> responder_premessage;
  std::vector<std::vector<Token>> messages;  // messages[i] is sent by the initiator when i is even
  std::size_t psk_count() const;
};

struct Protocol {
  std::string name;  // the full protocol name, hashed into h
  HandshakePattern pattern;
  CipherKind cipher = CipherKind::aes_gcm;
};

// Parses "Noise_<pattern>[psk<n>[+psk<m>...]]_25519_<AESGCM|ChaChaPoly>_SHA256" for the
// patterns NN, NK, KK, XK, XX, IK. Error "unsupported_protocol" for anything else.
core::Result<Protocol> parse_protocol(std::string_view name);

}  // namespace tether::crypto

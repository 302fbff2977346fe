// The daemon link's messages (JSON text frames) and the bytes a daemon signs, shared
// by the relay and the daemon. Pure. The protocol itself is specified in docs/protocol.md.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace tether::link {

inline constexpr std::string_view kLinkContext = "tether-relay-link/1";
inline constexpr std::size_t kNonceSize = 32;
inline constexpr std::size_t kTokenSize = 32;
inline constexpr std::size_t kMaxLinkMessageBytes = 4096;

struct Challenge {
  std::string nonce;  // base64url of kNonceSize bytes
};
struct Hello {
  std::string daemon_id;  // base64url Ed25519 public key
  std::string signature;  // base64url Ed25519 signature over link_signed_bytes(nonce)
};
struct Linked {};
struct Accept {
  std::string token;  // base64url of kTokenSize bytes
};

using LinkMessage = std::variant<Challenge, Hello, Linked, Accept>;

std::string encode(const LinkMessage& message);
// Strict: a JSON object with "type" and exactly that type's fields, all strings.
// Error code "bad_message".
core::Result<LinkMessage> parse_link_message(std::string_view text);

// ASCII kLinkContext, one 0x00 byte, then the nonce bytes.
core::Bytes link_signed_bytes(std::span<const std::uint8_t> nonce);

}  // namespace tether::link

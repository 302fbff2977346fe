#include "link/link_auth.hpp"

#include "core/encoding.hpp"

namespace tether::link {

Hello make_hello(const crypto::Identity& identity, std::span<const std::uint8_t> nonce) {
  const auto message = link_signed_bytes(nonce);
  const auto signature = identity.sign(message);
  return Hello{identity.id(), core::base64url_encode(signature)};
}

core::Result<std::string> verify_hello(const Hello& hello, std::span<const std::uint8_t> nonce) {
  auto key = core::base64url_decode(hello.daemon_id);
  if (!key || key->size() != 32) return core::make_error(core::Errc::bad_daemon_id, "daemon_id is not a base64url Ed25519 key");
  auto signature = core::base64url_decode(hello.signature);
  if (!signature || signature->size() != 64) return core::make_error(core::Errc::bad_signature, "signature is not 64 base64url bytes");
  const auto message = link_signed_bytes(nonce);
  if (!crypto::Identity::verify(std::span<const std::uint8_t, 32>(key->data(), 32), message,
                                std::span<const std::uint8_t, 64>(signature->data(), 64))) {
    return core::make_error(core::Errc::bad_signature, "the signature does not match this challenge");
  }
  return hello.daemon_id;
}

}  // namespace tether::link

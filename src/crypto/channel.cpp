#include "crypto/channel.hpp"

#include "crypto/sas.hpp"

namespace tether::crypto {

Channel::Channel(TransportPair transport, const Key32& handshake_hash, const Key32& remote_static)
    : send_(std::move(transport.send)),
      receive_(std::move(transport.receive)),
      handshake_hash_(handshake_hash),
      remote_static_(remote_static),
      sas_(sas_from_handshake_hash(handshake_hash)) {}

core::Result<core::Bytes> Channel::encrypt(std::span<const std::uint8_t> plaintext) {
  if (dead()) return core::make_error(core::Errc::dead, "the channel failed before and is closed");
  return send_.encrypt_with_ad({}, plaintext);
}

core::Result<core::Bytes> Channel::decrypt(std::span<const std::uint8_t> message) {
  if (dead()) return core::make_error(core::Errc::dead, "the channel failed before and is closed");
  return receive_.decrypt_with_ad({}, message);
}

}  // namespace tether::crypto

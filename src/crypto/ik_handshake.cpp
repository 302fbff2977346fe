#include "crypto/ik_handshake.hpp"

namespace tether::crypto {

core::Result<IkHandshake> IkHandshake::make(Role role, KeyPair static_key, std::optional<Key32> remote_static,
                                            PeerCheck accept, IkOptions options) {
  HandshakeConfig config{
      .protocol_name = std::string(kTetherProtocolName),
      .role = role,
      .prologue = core::Bytes(kTetherPrologue.begin(), kTetherPrologue.end()),
      .static_key = std::move(static_key),
      .remote_static = remote_static,
      .psks = {},
      .ephemerals = std::move(options.ephemerals),
      .aes_backend = options.aes_backend,
  };
  auto state = HandshakeState::create(std::move(config));
  if (!state) return state.error();
  return IkHandshake(std::move(state).value(), std::move(accept));
}

core::Result<IkHandshake> IkHandshake::initiator(KeyPair static_key, const Key32& responder_static, IkOptions options) {
  return make(Role::initiator, std::move(static_key), responder_static, {}, std::move(options));
}

core::Result<IkHandshake> IkHandshake::responder(KeyPair static_key, PeerCheck accept, IkOptions options) {
  return make(Role::responder, std::move(static_key), std::nullopt, std::move(accept), std::move(options));
}

core::Result<core::Bytes> IkHandshake::write_message(std::span<const std::uint8_t> payload) {
  if (rejected_) return core::make_error(core::Errc::dead, "the handshake failed before");
  return state_.write_message(payload);
}

core::Result<core::Bytes> IkHandshake::read_message(std::span<const std::uint8_t> message) {
  if (rejected_) return core::make_error(core::Errc::dead, "the handshake failed before");
  auto payload = state_.read_message(message);
  if (payload && accept_ && state_.role() == Role::responder && !accept_(*state_.remote_static())) {
    rejected_ = true;
    return core::make_error(core::Errc::unknown_peer, "the initiator's static key is not a known peer");
  }
  return payload;
}

core::Result<Channel> IkHandshake::finish() {
  if (rejected_) return core::make_error(core::Errc::dead, "the handshake failed before");
  auto transport = state_.split();
  if (!transport) return transport.error();
  return Channel(std::move(transport).value(), state_.handshake_hash(), *state_.remote_static());
}

}  // namespace tether::crypto

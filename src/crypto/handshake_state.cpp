#include "crypto/handshake_state.hpp"

#include <algorithm>

namespace tether::crypto {
namespace {

bool contains(const std::vector<Token>& tokens, Token token) {
  return std::find(tokens.begin(), tokens.end(), token) != tokens.end();
}

// Does the pattern make `role` use its static key (sent, pre-known, or in a DH)?
bool needs_own_static(const HandshakePattern& p, Role role) {
  const bool initiator = role == Role::initiator;
  if (contains(initiator ? p.initiator_premessage : p.responder_premessage, Token::s)) return true;
  for (std::size_t i = 0; i < p.messages.size(); ++i) {
    const bool ours = (i % 2 == 0) == initiator;
    if (ours && contains(p.messages[i], Token::s)) return true;
  }
  return false;
}

bool remote_static_is_premessage(const HandshakePattern& p, Role role) {
  return contains(role == Role::initiator ? p.responder_premessage : p.initiator_premessage, Token::s);
}

core::Error truncated() { return core::make_error(core::Errc::wrong_length, "the handshake message is truncated"); }

}  // namespace

core::Result<HandshakeState> HandshakeState::create(HandshakeConfig config) {
  auto protocol = parse_protocol(config.protocol_name);
  if (!protocol) return protocol.error();
  const auto& pattern = protocol->pattern;
  if (needs_own_static(pattern, config.role) && !config.static_key) {
    return core::make_error(core::Errc::missing_key, "the pattern needs this side's static key");
  }
  if (remote_static_is_premessage(pattern, config.role) && !config.remote_static) {
    return core::make_error(core::Errc::missing_key, "the pattern needs the peer's static key in advance");
  }
  if (pattern.psk_count() != config.psks.size()) {
    return core::make_error(core::Errc::missing_key, "the pattern needs " + std::to_string(pattern.psk_count()) + " psk(s)");
  }
  const CipherSpec spec{protocol->cipher, config.aes_backend.value_or(default_aes_gcm_backend())};
  return HandshakeState(std::move(protocol).value(), std::move(config), spec);
}

HandshakeState::HandshakeState(Protocol protocol, HandshakeConfig config, CipherSpec spec)
    : protocol_(std::move(protocol)),
      role_(config.role),
      symmetric_(protocol_.name, spec),
      s_(std::move(config.static_key)),
      rs_(config.remote_static),
      psks_(std::move(config.psks)),
      ephemerals_(std::move(config.ephemerals)) {
  symmetric_.mix_hash(config.prologue);
  // Pre-messages: the initiator's first, then the responder's; each side hashes the same keys.
  const auto mix_premessage = [&](const std::vector<Token>& tokens, bool own) {
    if (contains(tokens, Token::s)) symmetric_.mix_hash(own ? s_->public_key() : *rs_);
  };
  mix_premessage(protocol_.pattern.initiator_premessage, role_ == Role::initiator);
  mix_premessage(protocol_.pattern.responder_premessage, role_ == Role::responder);
}

bool HandshakeState::is_my_turn() const {
  return !is_complete() && (next_message_ % 2 == 0) == (role_ == Role::initiator);
}

core::Error HandshakeState::fail(core::Error error) {
  dead_ = true;
  return error;
}

core::Result<void> HandshakeState::check_turn(bool writing) {
  if (dead_) return core::make_error(core::Errc::dead, "the handshake failed before");
  if (is_complete() || is_my_turn() != writing) {
    // The caller's mistake; nothing was consumed, so the handshake is left as it was.
    return core::make_error(core::Errc::wrong_state, writing ? "it is not this side's turn to write"
                                                             : "it is not this side's turn to read");
  }
  return {};
}

// ee, es, se, ss and psk: the same on both sides. In "xy", x is the initiator's key and y the
// responder's; each side uses its own key of the pair with the other's public key.
core::Result<void> HandshakeState::mix_shared_token(Token token) {
  if (token == Token::psk) {
    symmetric_.mix_key_and_hash(psks_.at(next_psk_++));
    return {};
  }
  const bool initiator_uses_e = token == Token::ee || token == Token::es;
  const bool responder_uses_e = token == Token::ee || token == Token::se;
  const bool local_e = role_ == Role::initiator ? initiator_uses_e : responder_uses_e;
  const bool remote_e = role_ == Role::initiator ? responder_uses_e : initiator_uses_e;
  const std::optional<KeyPair>& local = local_e ? e_ : s_;
  const std::optional<Key32>& remote = remote_e ? re_ : rs_;
  if (!local || !remote) return core::make_error(core::Errc::wrong_state, "a DH token has no key to use");
  Key32 shared{};
  auto dh = local->dh(*remote, shared);
  if (dh) symmetric_.mix_key(shared);
  wipe(shared);
  return dh;
}

core::Result<void> HandshakeState::write_token(Token token, core::Bytes& out) {
  if (token == Token::e) {
    e_ = ephemerals_();
    const auto& pub = e_->public_key();
    out.insert(out.end(), pub.begin(), pub.end());
    symmetric_.mix_hash(pub);
    if (psks_.size() != 0) symmetric_.mix_key(pub);
    return {};
  }
  if (token == Token::s) {
    auto sealed = symmetric_.encrypt_and_hash(s_->public_key());
    if (!sealed) return sealed.error();
    out.insert(out.end(), sealed->begin(), sealed->end());
    return {};
  }
  return mix_shared_token(token);
}

core::Result<void> HandshakeState::read_token(Token token, std::span<const std::uint8_t>& in) {
  if (token == Token::e) {
    if (in.size() < KeyPair::kSize) return truncated();
    re_.emplace();
    std::copy_n(in.begin(), KeyPair::kSize, re_->begin());
    in = in.subspan(KeyPair::kSize);
    symmetric_.mix_hash(*re_);
    if (psks_.size() != 0) symmetric_.mix_key(*re_);
    return {};
  }
  if (token == Token::s) {
    const std::size_t size = KeyPair::kSize + (symmetric_.has_key() ? kAeadTagSize : 0);
    if (in.size() < size) return truncated();
    auto opened = symmetric_.decrypt_and_hash(in.first(size));
    if (!opened) return opened.error();
    in = in.subspan(size);
    rs_.emplace();
    std::copy_n(opened->begin(), KeyPair::kSize, rs_->begin());
    return {};
  }
  return mix_shared_token(token);
}

core::Result<core::Bytes> HandshakeState::write_message(std::span<const std::uint8_t> payload) {
  if (auto turn = check_turn(true); !turn) return turn.error();
  core::Bytes out;
  for (Token token : protocol_.pattern.messages[next_message_]) {
    if (auto r = write_token(token, out); !r) return fail(r.error());
  }
  auto body = symmetric_.encrypt_and_hash(payload);
  if (!body) return fail(body.error());
  out.insert(out.end(), body->begin(), body->end());
  if (out.size() > CipherState::kMaxMessage) {
    return fail(core::make_error(core::Errc::too_large, "a Noise message is at most 65535 bytes"));
  }
  ++next_message_;
  return out;
}

core::Result<core::Bytes> HandshakeState::read_message(std::span<const std::uint8_t> message) {
  if (auto turn = check_turn(false); !turn) return turn.error();
  if (message.size() > CipherState::kMaxMessage) {
    return fail(core::make_error(core::Errc::too_large, "a Noise message is at most 65535 bytes"));
  }
  std::span<const std::uint8_t> in = message;
  for (Token token : protocol_.pattern.messages[next_message_]) {
    if (auto r = read_token(token, in); !r) return fail(r.error());
  }
  auto payload = symmetric_.decrypt_and_hash(in);
  if (!payload) return fail(payload.error());
  ++next_message_;
  return payload;
}

HandshakeState::~HandshakeState() {
  for (auto& psk : psks_) wipe(psk);
}

core::Result<TransportPair> HandshakeState::split() {
  if (dead_) return core::make_error(core::Errc::dead, "the handshake failed before");
  if (!is_complete() || split_done_) return core::make_error(core::Errc::wrong_state, "the handshake is not complete");
  split_done_ = true;
  auto [c1, c2] = symmetric_.split();
  if (role_ == Role::initiator) return TransportPair{std::move(c1), std::move(c2)};
  return TransportPair{std::move(c2), std::move(c1)};
}

}  // namespace tether::crypto

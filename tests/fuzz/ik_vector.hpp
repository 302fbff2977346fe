// The Noise_IK_25519_AESGCM_SHA256 cacophony vector (tests/data/noise) as handshake
// configs, so the handshake harnesses start from states whose seed inputs are valid.
#pragma once

#include <string_view>

#include "core/encoding.hpp"
#include "crypto/handshake_state.hpp"

namespace tether::fuzz {

inline core::Bytes unhex(std::string_view hex) { return core::hex_decode(hex).value(); }

inline crypto::Key32 key32(std::string_view hex) {
  const auto bytes = unhex(hex);
  crypto::Key32 key{};
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return key;
}

inline crypto::HandshakeConfig ik_vector_config(crypto::Role role) {
  constexpr std::string_view kPrologue = "4a6f686e2047616c74";
  constexpr std::string_view kInitStatic = "e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1";
  constexpr std::string_view kInitEphemeral = "893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a";
  constexpr std::string_view kRespStatic = "4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893";
  constexpr std::string_view kRespStaticPublic = "31e0303fd6418d2f8c0e78b91f22e8caed0fbe48656dcf4767e4834f701b8f62";
  constexpr std::string_view kRespEphemeral = "bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b";

  const bool initiator = role == crypto::Role::initiator;
  crypto::HandshakeConfig config;
  config.protocol_name = "Noise_IK_25519_AESGCM_SHA256";
  config.role = role;
  config.prologue = unhex(kPrologue);
  config.static_key = crypto::KeyPair::from_secret(unhex(initiator ? kInitStatic : kRespStatic)).value();
  if (initiator) config.remote_static = key32(kRespStaticPublic);
  const auto ephemeral = unhex(initiator ? kInitEphemeral : kRespEphemeral);
  config.ephemerals = [ephemeral] { return crypto::KeyPair::from_secret(ephemeral).value(); };
  return config;
}

}  // namespace tether::fuzz

// Pairing offers (docs/protocol.md, pair.create): the bytes a pairing link carries after
// `#offer=`. Version 2 is written, versions 1 (JSON) and 2 (binary) are read. Pure.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace tether::proto {

struct PairingOffer {
  std::array<std::uint8_t, 32> daemon_key{};  // Ed25519
  // The daemon's X25519 static key as a version-1 offer carries it; version 2 leaves it out
  // (it is daemon_key's Montgomery form, crypto::x25519_of_ed25519).
  std::optional<std::array<std::uint8_t, 32>> noise_key;
  std::vector<std::uint8_t> secret;  // 16 bytes (version 2) or 32 (version 1)
  std::string relay;                 // ws(s) URL or ""
  std::string direct;                // direct-listener origin or ""
};

// The link's base — what comes before "/#offer=" — as the relay URL it names (https → wss,
// http → ws); "" for anything else.
std::string relay_url_of_base(std::string_view base);

// The base64url of the version-2 offer for a link `<base>/#offer=…`: the relay is left out
// when it is the base itself, a loopback direct listener travels as its port.
std::string encode_offer(const PairingOffer& offer, std::string_view link_base);

// A link `<base>/#offer=<offer>`, or a bare offer (then `bare_base` stands for the link's
// base, "" when there is none: an offer that takes its relay from its link is refused).
core::Result<PairingOffer> read_offer(std::string_view link_or_offer, std::string_view bare_base = {});

}  // namespace tether::proto

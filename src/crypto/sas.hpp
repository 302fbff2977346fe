// The short authentication string: 6 decimal digits from a Noise handshake hash, shown on
// both ends at pairing time. Same derivation as web/src/noise; see docs/protocol.md.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace tether::crypto {

// d = SHA-256("tether-sas/1" || h); n = big-endian uint64 of d[0..8); "%06u" of n mod 10^6.
std::string sas_from_handshake_hash(std::span<const std::uint8_t, 32> handshake_hash);

}  // namespace tether::crypto

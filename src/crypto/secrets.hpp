// Small primitives for secrets outside Noise: random bytes, SHA-256, and a
// constant-time comparison. Keeps libsodium inside src/crypto.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "core/encoding.hpp"

namespace tether::crypto {

core::Bytes random_bytes(std::size_t n);
std::array<std::uint8_t, 32> sha256(std::span<const std::uint8_t> data);
// Time depends only on the lengths, never on the contents.
bool equal_constant_time(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

}  // namespace tether::crypto

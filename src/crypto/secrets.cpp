#include "crypto/secrets.hpp"

#include <sodium.h>

namespace tether::crypto {

core::Bytes random_bytes(std::size_t n) {
  core::Bytes out(n);
  randombytes_buf(out.data(), out.size());
  return out;
}

std::array<std::uint8_t, 32> sha256(std::span<const std::uint8_t> data) {
  std::array<std::uint8_t, 32> out{};
  crypto_hash_sha256(out.data(), data.data(), data.size());
  return out;
}

bool equal_constant_time(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tether::crypto

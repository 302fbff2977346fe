#include "crypto/sas.hpp"

#include <sodium.h>

#include <array>
#include <string_view>

namespace tether::crypto {

std::string sas_from_handshake_hash(std::span<const std::uint8_t, 32> handshake_hash) {
  constexpr std::string_view kLabel = "tether-sas/1";
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(kLabel.data()), kLabel.size());
  crypto_hash_sha256_update(&st, handshake_hash.data(), handshake_hash.size());
  std::array<std::uint8_t, crypto_hash_sha256_BYTES> d{};
  crypto_hash_sha256_final(&st, d.data());
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < 8; ++i) n = (n << 8) | d[i];
  std::string digits(6, '0');
  n %= 1000000;
  for (std::size_t i = digits.size(); i-- > 0; n /= 10) digits[i] = static_cast<char>('0' + n % 10);
  return digits;
}

}  // namespace tether::crypto

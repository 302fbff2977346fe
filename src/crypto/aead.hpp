// The two AEADs of Noise ("AESGCM", "ChaChaPoly") keyed by 32 bytes, with Noise's 64-bit
// counter nonce encoding. One-shot seal/open on caller buffers; no state, no nonce policy.
//
// AES-256-GCM backend decision: libsodium's AES-256-GCM needs AES-NI and PCLMUL. When
// crypto_aead_aes256gcm_is_available() is true we use it (fastest); otherwise we fall back to
// OpenSSL's EVP AES-256-GCM (constant-time on every CPU), so tether runs everywhere. Both
// paths pass the Noise vectors in the unit tests, which force each backend explicitly.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace tether::crypto {

enum class CipherKind { aes_gcm, chacha_poly };
enum class AesGcmBackend { sodium, openssl };

// libsodium when the CPU supports it, else OpenSSL. Calls sodium_init() (idempotent).
AesGcmBackend default_aes_gcm_backend();
std::string_view to_string(AesGcmBackend backend);

struct CipherSpec {
  CipherKind kind = CipherKind::aes_gcm;
  AesGcmBackend aes_backend = AesGcmBackend::sodium;  // ignored for chacha_poly
};

inline constexpr std::size_t kAeadKeySize = 32;
inline constexpr std::size_t kAeadTagSize = 16;

// out.size() must be plaintext.size() + 16: ciphertext || tag. False only on an internal
// failure (OpenSSL allocation); inputs larger than INT_MAX are refused.
bool aead_seal(const CipherSpec& spec, std::span<const std::uint8_t, kAeadKeySize> key, std::uint64_t nonce,
               std::span<const std::uint8_t> ad, std::span<const std::uint8_t> plaintext,
               std::span<std::uint8_t> out);

// out.size() must be ciphertext.size() - 16. False when the tag does not verify (out is wiped).
bool aead_open(const CipherSpec& spec, std::span<const std::uint8_t, kAeadKeySize> key, std::uint64_t nonce,
               std::span<const std::uint8_t> ad, std::span<const std::uint8_t> ciphertext,
               std::span<std::uint8_t> out);

}  // namespace tether::crypto

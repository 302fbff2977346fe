#include "crypto/aead.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <array>
#include <climits>
#include <memory>

namespace tether::crypto {
namespace {

using Nonce = std::array<std::uint8_t, 12>;

// Noise rev 34 §12: AESGCM encodes n big-endian, ChaChaPoly little-endian, after 4 zero bytes.
Nonce encode_nonce(CipherKind kind, std::uint64_t n) {
  Nonce out{};
  for (std::size_t i = 0; i < 8; ++i) {
    const auto byte = static_cast<std::uint8_t>(n >> (8 * i));
    out[kind == CipherKind::aes_gcm ? 11 - i : 4 + i] = byte;
  }
  return out;
}

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

bool fits_int(std::size_t n) { return n <= static_cast<std::size_t>(INT_MAX); }

bool openssl_seal(std::span<const std::uint8_t, kAeadKeySize> key, const Nonce& nonce,
                  std::span<const std::uint8_t> ad, std::span<const std::uint8_t> pt, std::span<std::uint8_t> out) {
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1) return false;
  if (!ad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, ad.data(), static_cast<int>(ad.size())) != 1) return false;
  if (!pt.empty() && EVP_EncryptUpdate(ctx.get(), out.data(), &len, pt.data(), static_cast<int>(pt.size())) != 1) return false;
  if (EVP_EncryptFinal_ex(ctx.get(), out.data() + pt.size(), &len) != 1) return false;
  return EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kAeadTagSize, out.data() + pt.size()) == 1;
}

bool openssl_open(std::span<const std::uint8_t, kAeadKeySize> key, const Nonce& nonce,
                  std::span<const std::uint8_t> ad, std::span<const std::uint8_t> ct, std::span<std::uint8_t> out) {
  const std::size_t body = ct.size() - kAeadTagSize;
  std::array<std::uint8_t, kAeadTagSize> tag{};
  std::copy(ct.begin() + static_cast<std::ptrdiff_t>(body), ct.end(), tag.begin());
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1) return false;
  if (!ad.empty() && EVP_DecryptUpdate(ctx.get(), nullptr, &len, ad.data(), static_cast<int>(ad.size())) != 1) return false;
  if (body != 0 && EVP_DecryptUpdate(ctx.get(), out.data(), &len, ct.data(), static_cast<int>(body)) != 1) return false;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kAeadTagSize, tag.data()) != 1) return false;
  return EVP_DecryptFinal_ex(ctx.get(), out.data() + body, &len) == 1;
}

}  // namespace

AesGcmBackend default_aes_gcm_backend() {
  if (sodium_init() < 0) return AesGcmBackend::openssl;
  return crypto_aead_aes256gcm_is_available() != 0 ? AesGcmBackend::sodium : AesGcmBackend::openssl;
}

std::string_view to_string(AesGcmBackend backend) {
  return backend == AesGcmBackend::sodium ? "libsodium" : "openssl";
}

bool aead_seal(const CipherSpec& spec, std::span<const std::uint8_t, kAeadKeySize> key, std::uint64_t nonce,
               std::span<const std::uint8_t> ad, std::span<const std::uint8_t> plaintext,
               std::span<std::uint8_t> out) {
  if (out.size() != plaintext.size() + kAeadTagSize || !fits_int(out.size()) || !fits_int(ad.size())) return false;
  const Nonce n = encode_nonce(spec.kind, nonce);
  unsigned long long out_len = 0;
  if (spec.kind == CipherKind::chacha_poly) {
    return crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &out_len, plaintext.data(), plaintext.size(), ad.data(),
                                                     ad.size(), nullptr, n.data(), key.data()) == 0;
  }
  if (spec.aes_backend == AesGcmBackend::openssl) return openssl_seal(key, n, ad, plaintext, out);
  return crypto_aead_aes256gcm_encrypt(out.data(), &out_len, plaintext.data(), plaintext.size(), ad.data(), ad.size(),
                                       nullptr, n.data(), key.data()) == 0;
}

bool aead_open(const CipherSpec& spec, std::span<const std::uint8_t, kAeadKeySize> key, std::uint64_t nonce,
               std::span<const std::uint8_t> ad, std::span<const std::uint8_t> ciphertext,
               std::span<std::uint8_t> out) {
  if (ciphertext.size() < kAeadTagSize || out.size() != ciphertext.size() - kAeadTagSize ||
      !fits_int(ciphertext.size()) || !fits_int(ad.size())) {
    return false;
  }
  const Nonce n = encode_nonce(spec.kind, nonce);
  unsigned long long out_len = 0;
  bool ok = false;
  if (spec.kind == CipherKind::chacha_poly) {
    ok = crypto_aead_chacha20poly1305_ietf_decrypt(out.data(), &out_len, nullptr, ciphertext.data(), ciphertext.size(),
                                                   ad.data(), ad.size(), n.data(), key.data()) == 0;
  } else if (spec.aes_backend == AesGcmBackend::openssl) {
    ok = openssl_open(key, n, ad, ciphertext, out);
  } else {
    ok = crypto_aead_aes256gcm_decrypt(out.data(), &out_len, nullptr, ciphertext.data(), ciphertext.size(), ad.data(),
                                       ad.size(), n.data(), key.data()) == 0;
  }
  if (!ok && !out.empty()) sodium_memzero(out.data(), out.size());
  return ok;
}

}  // namespace tether::crypto

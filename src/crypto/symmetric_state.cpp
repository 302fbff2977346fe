#include "crypto/symmetric_state.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

namespace tether::crypto {
namespace {

Key32 hmac(std::span<const std::uint8_t> key, std::span<const std::uint8_t> a, std::span<const std::uint8_t> b = {}) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, key.data(), key.size());
  crypto_auth_hmacsha256_update(&st, a.data(), a.size());
  crypto_auth_hmacsha256_update(&st, b.data(), b.size());
  Key32 out{};
  crypto_auth_hmacsha256_final(&st, out.data());
  sodium_memzero(&st, sizeof st);
  return out;
}

// Noise HKDF(chaining_key, ikm, num_outputs) with HMAC-SHA256; always derives 3 outputs,
// callers use the first 2 or 3. Secrets are wiped by the caller through Outputs' destructor.
struct Outputs {
  std::array<Key32, 3> key{};
  ~Outputs() { wipe(std::span(key[0].data(), sizeof key)); }
};

void hkdf(const Key32& chaining_key, std::span<const std::uint8_t> ikm, Outputs& out) {
  Key32 temp = hmac(chaining_key, ikm);
  std::uint8_t counter = 1;
  out.key[0] = hmac(temp, std::span(&counter, 1));
  for (std::size_t i = 1; i < out.key.size(); ++i) {
    counter = static_cast<std::uint8_t>(i + 1);
    out.key[i] = hmac(temp, out.key[i - 1], std::span(&counter, 1));
  }
  wipe(temp);
}

}  // namespace

SymmetricState::SymmetricState(std::string_view protocol_name, CipherSpec spec) : spec_(spec), cipher_(spec) {
  const auto* name = reinterpret_cast<const std::uint8_t*>(protocol_name.data());
  if (protocol_name.size() <= kHashSize) {
    std::copy(name, name + protocol_name.size(), h_.begin());
  } else {
    crypto_hash_sha256(h_.data(), name, protocol_name.size());
  }
  ck_ = h_;
}

void SymmetricState::mix_key(std::span<const std::uint8_t> input_key_material) {
  Outputs out;
  hkdf(ck_, input_key_material, out);
  ck_ = out.key[0];
  cipher_.initialize_key(out.key[1]);
}

void SymmetricState::mix_hash(std::span<const std::uint8_t> data) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, h_.data(), h_.size());
  crypto_hash_sha256_update(&st, data.data(), data.size());
  crypto_hash_sha256_final(&st, h_.data());
}

void SymmetricState::mix_key_and_hash(std::span<const std::uint8_t> input_key_material) {
  Outputs out;
  hkdf(ck_, input_key_material, out);
  ck_ = out.key[0];
  mix_hash(out.key[1]);
  cipher_.initialize_key(out.key[2]);
}

core::Result<core::Bytes> SymmetricState::encrypt_and_hash(std::span<const std::uint8_t> plaintext) {
  auto ciphertext = cipher_.encrypt_with_ad(h_, plaintext);
  if (ciphertext) mix_hash(*ciphertext);
  return ciphertext;
}

core::Result<core::Bytes> SymmetricState::decrypt_and_hash(std::span<const std::uint8_t> ciphertext) {
  auto plaintext = cipher_.decrypt_with_ad(h_, ciphertext);
  if (plaintext) mix_hash(ciphertext);
  return plaintext;
}

std::pair<CipherState, CipherState> SymmetricState::split() const {
  Outputs out;
  hkdf(ck_, {}, out);
  std::pair<CipherState, CipherState> pair{CipherState(spec_), CipherState(spec_)};
  pair.first.initialize_key(out.key[0]);
  pair.second.initialize_key(out.key[1]);
  return pair;
}

SymmetricState::~SymmetricState() {
  wipe(ck_);
  wipe(h_);
}

}  // namespace tether::crypto


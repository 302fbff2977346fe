#include "crypto/identity.hpp"

#include <sodium.h>

#include "core/encoding.hpp"

namespace tether::crypto {
namespace {
constexpr std::string_view kMagic = "tether-daemon-key v1\n";
}

bool init() { return sodium_init() >= 0; }

Identity Identity::generate() {
  std::array<std::uint8_t, kSeedSize> seed{};
  randombytes_buf(seed.data(), seed.size());
  auto id = from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return std::move(id).value();
}

core::Result<Identity> Identity::from_seed(std::span<const std::uint8_t> seed) {
  if (seed.size() != kSeedSize) return core::make_error(core::Errc::corrupt_key, "an Ed25519 seed is 32 bytes");
  Identity id;
  crypto_sign_seed_keypair(id.public_key_.data(), id.secret_key_.data(), seed.data());
  if (crypto_sign_ed25519_sk_to_curve25519(id.x25519_secret_.data(), id.secret_key_.data()) != 0 ||
      crypto_scalarmult_base(id.x25519_public_.data(), id.x25519_secret_.data()) != 0) {
    return core::make_error(core::Errc::corrupt_key, "cannot derive the X25519 key");
  }
  return id;
}

std::string Identity::encode_file() const {
  return std::string(kMagic) + core::base64url_encode(std::span(secret_key_).first(kSeedSize)) + "\n";
}

core::Result<Identity> Identity::decode_file(std::string_view text) {
  if (!text.starts_with(kMagic)) return core::make_error(core::Errc::corrupt_key, "the key file does not start with 'tether-daemon-key v1'");
  text.remove_prefix(kMagic.size());
  if (!text.ends_with('\n')) return core::make_error(core::Errc::corrupt_key, "the key file is truncated");
  text.remove_suffix(1);
  auto seed = core::base64url_decode(text);
  if (!seed) return core::make_error(core::Errc::corrupt_key, "the key file's seed is not base64url");
  if (seed->size() != kSeedSize) return core::make_error(core::Errc::corrupt_key, "the key file's seed is not 32 bytes");
  auto id = from_seed(*seed);
  sodium_memzero(seed->data(), seed->size());
  return id;
}

core::Result<std::array<std::uint8_t, 32>> x25519_of_ed25519(std::span<const std::uint8_t, 32> ed25519_public) {
  std::array<std::uint8_t, 32> out{};
  if (crypto_sign_ed25519_pk_to_curve25519(out.data(), ed25519_public.data()) != 0) {
    return core::make_error(core::Errc::bad_key, "not a valid Ed25519 public key");
  }
  return out;
}

std::string Identity::id() const { return core::base64url_encode(public_key_); }

std::array<std::uint8_t, 64> Identity::sign(std::span<const std::uint8_t> message) const {
  std::array<std::uint8_t, 64> sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_key_.data());
  return sig;
}

bool Identity::verify(std::span<const std::uint8_t, 32> public_key, std::span<const std::uint8_t> message,
                      std::span<const std::uint8_t, 64> signature) {
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), public_key.data()) == 0;
}

Identity::~Identity() {
  sodium_memzero(secret_key_.data(), secret_key_.size());
  sodium_memzero(x25519_secret_.data(), x25519_secret_.size());
}

}  // namespace tether::crypto

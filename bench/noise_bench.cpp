// Benchmarks of tether's Noise channel: transport MB/s at ~64 KiB messages against raw
// AES-256-GCM of the same library (libsodium, OpenSSL) on the same buffers in the same run,
// and IK handshakes per second.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <array>
#include <cstdint>

#include "crypto/framing.hpp"
#include "crypto/identity.hpp"
#include "crypto/ik_handshake.hpp"

namespace {

using tether::core::Bytes;
namespace crypto = tether::crypto;

constexpr std::size_t kMessage = crypto::Channel::kMaxPlaintext;  // 65519: the largest Noise plaintext

struct Keys {
  crypto::KeyPair client = crypto::KeyPair::generate();
  crypto::KeyPair daemon = crypto::KeyPair::generate();
};

const Keys& keys() {
  static const Keys k = [] {
    if (!crypto::init()) std::abort();
    return Keys{};
  }();
  return k;
}

// An ephemeral source with the cost of a real one (one scalar multiplication), minus randomness.
crypto::EphemeralSource fixed_ephemeral(std::uint8_t byte) {
  return [byte] {
    std::array<std::uint8_t, 32> secret{};
    secret.fill(byte);
    return crypto::KeyPair::from_secret(secret).value();
  };
}

std::pair<crypto::Channel, crypto::Channel> establish(crypto::AesGcmBackend backend) {
  const auto& k = keys();
  auto init = crypto::IkHandshake::initiator(k.client, k.daemon.public_key(), {crypto::random_ephemerals(), backend});
  auto resp = crypto::IkHandshake::responder(k.daemon, {}, {crypto::random_ephemerals(), backend});
  (void)resp->read_message(*init->write_message({}));
  (void)init->read_message(*resp->write_message({}));
  return {init->finish().value(), resp->finish().value()};
}

// One Noise transport message sealed by one side and opened by the other, per iteration.
void BM_NoiseTransport(benchmark::State& state) {
  const auto backend = static_cast<crypto::AesGcmBackend>(state.range(0));
  auto [a, b] = establish(backend);
  const Bytes plaintext(kMessage, 0x42);
  for (auto _ : state) {
    auto sealed = a.encrypt(plaintext);
    auto opened = b.decrypt(*sealed);
    benchmark::DoNotOptimize(opened->data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kMessage));
  state.SetLabel(std::string(crypto::to_string(backend)));
}
BENCHMARK(BM_NoiseTransport)
    ->Arg(static_cast<int>(crypto::AesGcmBackend::sodium))
    ->Arg(static_cast<int>(crypto::AesGcmBackend::openssl));

// The baseline: libsodium's AES-256-GCM seal + open on the same sizes, preallocated buffers.
void BM_RawSodiumAesGcm(benchmark::State& state) {
  (void)keys();
  std::array<std::uint8_t, crypto_aead_aes256gcm_KEYBYTES> key{};
  randombytes_buf(key.data(), key.size());
  std::array<std::uint8_t, crypto_aead_aes256gcm_NPUBBYTES> nonce{};
  const Bytes plaintext(kMessage, 0x42);
  Bytes sealed(kMessage + crypto_aead_aes256gcm_ABYTES);
  Bytes opened(kMessage);
  std::uint64_t counter = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < 8; ++i) nonce[11 - i] = static_cast<std::uint8_t>(counter >> (8 * i));
    ++counter;
    unsigned long long len = 0;
    crypto_aead_aes256gcm_encrypt(sealed.data(), &len, plaintext.data(), plaintext.size(), nullptr, 0, nullptr,
                                  nonce.data(), key.data());
    if (crypto_aead_aes256gcm_decrypt(opened.data(), &len, nullptr, sealed.data(), sealed.size(), nullptr, 0,
                                      nonce.data(), key.data()) != 0) {
      state.SkipWithError("raw libsodium failed to open its own message");
      break;
    }
    benchmark::DoNotOptimize(opened.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kMessage));
}
BENCHMARK(BM_RawSodiumAesGcm);

// The same baseline with OpenSSL's EVP AES-256-GCM (the other backend), one context each way.
void BM_RawOpensslAesGcm(benchmark::State& state) {
  (void)keys();
  std::array<std::uint8_t, 32> key{};
  randombytes_buf(key.data(), key.size());
  std::array<std::uint8_t, 12> nonce{};
  const Bytes plaintext(kMessage, 0x42);
  Bytes sealed(kMessage + 16);
  Bytes opened(kMessage);
  EVP_CIPHER_CTX* enc = EVP_CIPHER_CTX_new();
  EVP_CIPHER_CTX* dec = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex(enc, EVP_aes_256_gcm(), nullptr, key.data(), nullptr);
  EVP_DecryptInit_ex(dec, EVP_aes_256_gcm(), nullptr, key.data(), nullptr);
  std::uint64_t counter = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < 8; ++i) nonce[11 - i] = static_cast<std::uint8_t>(counter >> (8 * i));
    ++counter;
    int len = 0;
    EVP_EncryptInit_ex(enc, nullptr, nullptr, nullptr, nonce.data());
    EVP_EncryptUpdate(enc, sealed.data(), &len, plaintext.data(), static_cast<int>(plaintext.size()));
    EVP_EncryptFinal_ex(enc, sealed.data() + len, &len);
    EVP_CIPHER_CTX_ctrl(enc, EVP_CTRL_GCM_GET_TAG, 16, sealed.data() + kMessage);
    EVP_DecryptInit_ex(dec, nullptr, nullptr, nullptr, nonce.data());
    EVP_DecryptUpdate(dec, opened.data(), &len, sealed.data(), static_cast<int>(kMessage));
    EVP_CIPHER_CTX_ctrl(dec, EVP_CTRL_GCM_SET_TAG, 16, sealed.data() + kMessage);
    if (EVP_DecryptFinal_ex(dec, opened.data() + len, &len) != 1) {
      state.SkipWithError("raw OpenSSL failed to open its own message");
      break;
    }
    benchmark::DoNotOptimize(opened.data());
  }
  EVP_CIPHER_CTX_free(enc);
  EVP_CIPHER_CTX_free(dec);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kMessage));
}
BENCHMARK(BM_RawOpensslAesGcm);

// A 64 KiB application message through framing: split, seal, open, reassemble (2 chunks).
void BM_FramedMessage64KiB(benchmark::State& state) {
  auto [a, b] = establish(crypto::default_aes_gcm_backend());
  const Bytes message(64 * 1024, 0x42);
  crypto::Reassembler reassembler;
  for (auto _ : state) {
    for (const auto& chunk : crypto::split_message(message)) {
      auto got = reassembler.push(*b.decrypt(*a.encrypt(chunk)));
      benchmark::DoNotOptimize(got);
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * message.size()));
}
BENCHMARK(BM_FramedMessage64KiB);

// A whole IK handshake, both sides, per iteration (10 X25519 operations in all).
void BM_IkHandshakeBothSides(benchmark::State& state) {
  const auto& k = keys();
  for (auto _ : state) {
    auto init = crypto::IkHandshake::initiator(k.client, k.daemon.public_key(), {fixed_ephemeral(1), {}});
    auto resp = crypto::IkHandshake::responder(k.daemon, {}, {fixed_ephemeral(2), {}});
    (void)resp->read_message(*init->write_message({}));
    (void)init->read_message(*resp->write_message({}));
    auto channel = resp->finish();
    benchmark::DoNotOptimize(channel);
  }
  state.counters["handshakes/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IkHandshakeBothSides);

// The daemon's share: read message 1, write message 2, open the channel (5 X25519 operations).
void BM_IkResponderSide(benchmark::State& state) {
  const auto& k = keys();
  auto init = crypto::IkHandshake::initiator(k.client, k.daemon.public_key(), {fixed_ephemeral(1), {}});
  const Bytes m1 = *init->write_message({});
  for (auto _ : state) {
    auto resp = crypto::IkHandshake::responder(k.daemon, {}, {fixed_ephemeral(2), {}});
    (void)resp->read_message(m1);
    (void)resp->write_message({});
    auto channel = resp->finish();
    benchmark::DoNotOptimize(channel);
  }
  state.counters["handshakes/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IkResponderSide);

// The phone's share: write message 1, read message 2, open the channel.
void BM_IkInitiatorSide(benchmark::State& state) {
  const auto& k = keys();
  auto first = crypto::IkHandshake::initiator(k.client, k.daemon.public_key(), {fixed_ephemeral(1), {}});
  auto resp = crypto::IkHandshake::responder(k.daemon, {}, {fixed_ephemeral(2), {}});
  (void)resp->read_message(*first->write_message({}));
  const Bytes m2 = *resp->write_message({});
  for (auto _ : state) {
    auto init = crypto::IkHandshake::initiator(k.client, k.daemon.public_key(), {fixed_ephemeral(1), {}});
    (void)init->write_message({});
    (void)init->read_message(m2);
    auto channel = init->finish();
    benchmark::DoNotOptimize(channel);
  }
  state.counters["handshakes/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IkInitiatorSide);

}  // namespace

BENCHMARK_MAIN();

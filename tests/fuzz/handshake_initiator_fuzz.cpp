// libFuzzer: the initiator reading IK message 2 (what a fake daemon or the relay could
// answer), after writing message 1. Must never crash; errors are values.
#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/identity.hpp"
#include "ik_vector.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool ready = tether::crypto::init();
  if (!ready) return 0;
  auto state = tether::crypto::HandshakeState::create(tether::fuzz::ik_vector_config(tether::crypto::Role::initiator));
  const tether::core::Bytes payload = tether::fuzz::unhex("4c756477696720766f6e204d69736573");
  if (!state->write_message(payload)) __builtin_trap();
  auto reply = state->read_message(std::span(data, size));
  if (!reply) {
    if (!state->dead()) __builtin_trap();
    return 0;
  }
  auto transport = state->split();
  if (!transport) __builtin_trap();
  (void)transport->send.encrypt_with_ad({}, *reply);
  return 0;
}

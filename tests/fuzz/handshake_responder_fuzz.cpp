// libFuzzer: the responder reading IK message 1 (anything a stranger can send the daemon),
// then, when it is accepted, finishing the handshake. Must never crash; errors are values.
#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/identity.hpp"
#include "ik_vector.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool ready = tether::crypto::init();
  if (!ready) return 0;
  auto state = tether::crypto::HandshakeState::create(tether::fuzz::ik_vector_config(tether::crypto::Role::responder));
  auto payload = state->read_message(std::span(data, size));
  if (!payload) {
    if (!state->dead()) __builtin_trap();  // a failed read must kill the handshake
    return 0;
  }
  if (!state->remote_static()) __builtin_trap();
  auto reply = state->write_message(*payload);
  if (!reply || !state->is_complete() || !state->split()) __builtin_trap();
  return 0;
}

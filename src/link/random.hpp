// Randomness for the relay and the link: nonces, accept tokens, backoff jitter.
// From the kernel (getrandom), so no crypto library is needed here.
#pragma once

#include <cstddef>

#include "core/encoding.hpp"

namespace tether::link {

core::Bytes random_bytes(std::size_t n);
// Uniform in [0, 1).
double random_unit();

}  // namespace tether::link

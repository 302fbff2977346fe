#include "link/random.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>

#include <spdlog/spdlog.h>

namespace tether::link {

core::Bytes random_bytes(std::size_t n) {
  core::Bytes out(n);
  std::size_t filled = 0;
  while (filled < n) {
    const ssize_t got = ::getrandom(out.data() + filled, n - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      // Without randomness nonces and tokens would be guessable: stop rather than go on.
      spdlog::critical("getrandom failed: {}", std::strerror(errno));
      std::abort();
    }
    filled += static_cast<std::size_t>(got);
  }
  return out;
}

double random_unit() {
  const auto b = random_bytes(8);
  std::uint64_t v = 0;
  for (auto byte : b) v = (v << 8) | byte;
  return static_cast<double>(v >> 11) * (1.0 / static_cast<double>(std::uint64_t{1} << 53));
}

}  // namespace tether::link

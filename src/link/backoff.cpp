#include "link/backoff.hpp"

#include <algorithm>

namespace tether::link {

Backoff::Duration Backoff::next(double random01) {
  Duration d = initial_;
  for (unsigned i = 0; i < attempt_ && d < max_; ++i) d *= 2;
  d = std::min(d, max_);
  if (attempt_ < 64) ++attempt_;
  const double r = std::clamp(random01, 0.0, 1.0);
  const auto half = d / 2;
  return half + std::chrono::duration_cast<Duration>((d - half) * r);
}

}  // namespace tether::link

// Reconnect delays for the daemon's relay link: exponential from `initial`, capped at
// `max`, with jitter (each delay is uniform in [d/2, d]) so that many daemons cut off
// at once do not return in step. Pure: the caller passes the random draw.
#pragma once

#include <chrono>

namespace tether::link {

class Backoff {
 public:
  using Duration = std::chrono::steady_clock::duration;
  Backoff(Duration initial, Duration max) : initial_(initial), max_(max) {}

  // The delay before the next attempt; `random01` in [0, 1).
  Duration next(double random01);
  void reset() { attempt_ = 0; }
  unsigned attempts() const { return attempt_; }

 private:
  Duration initial_;
  Duration max_;
  unsigned attempt_ = 0;
};

}  // namespace tether::link

// A token bucket in bytes: `rate` bytes per second refill up to `burst`. A read may
// take more than is left (a frame is never split); the debt is paid by pausing. Pure.
#pragma once

#include <chrono>
#include <cstddef>

namespace tether::relay {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;
  // rate 0 means unlimited.
  TokenBucket(double rate_bytes_per_second, double burst_bytes, Clock::time_point now);

  // Takes `bytes`; returns how long the reader must pause before it reads again
  // (zero when the bucket is not in debt).
  Clock::duration consume(std::size_t bytes, Clock::time_point now);
  double tokens(Clock::time_point now);

 private:
  void refill(Clock::time_point now);

  double rate_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace tether::relay

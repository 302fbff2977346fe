#include "relay/token_bucket.hpp"

#include <algorithm>

namespace tether::relay {

TokenBucket::TokenBucket(double rate_bytes_per_second, double burst_bytes, Clock::time_point now)
    : rate_(rate_bytes_per_second), burst_(burst_bytes), tokens_(burst_bytes), last_(now) {}

void TokenBucket::refill(Clock::time_point now) {
  if (now <= last_) return;
  const double seconds = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(burst_, tokens_ + seconds * rate_);
  last_ = now;
}

double TokenBucket::tokens(Clock::time_point now) {
  refill(now);
  return tokens_;
}

TokenBucket::Clock::duration TokenBucket::consume(std::size_t bytes, Clock::time_point now) {
  if (rate_ <= 0) return Clock::duration::zero();
  refill(now);
  tokens_ -= static_cast<double>(bytes);
  if (tokens_ >= 0) return Clock::duration::zero();
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(-tokens_ / rate_));
}

}  // namespace tether::relay

#include "relay/link_limiter.hpp"

namespace tether::relay {

LinkLimiter::Admission LinkLimiter::admit(std::uint64_t id, const std::string& address,
                                          std::optional<std::uint64_t> replaces) {
  const auto old = replaces ? links_.find(*replaces) : links_.end();
  const bool replacing = old != links_.end();
  const std::size_t others_total = links_.size() - (replacing ? 1 : 0);
  const std::size_t others_here = count_for(address) - (replacing && old->second == address ? 1 : 0);
  if (others_total >= max_total_) return Admission::relay_full;
  if (others_here >= max_per_address_) return Admission::address_full;
  if (replacing) release(*replaces);
  links_.emplace(id, address);
  per_address_.add(address);
  return Admission::admitted;
}

void LinkLimiter::release(std::uint64_t id) {
  auto it = links_.find(id);
  if (it == links_.end()) return;
  per_address_.remove(it->second);
  links_.erase(it);
}

}  // namespace tether::relay

#include "relay/connection_limiter.hpp"

namespace tether::relay {

ConnectionLimiter::Admission ConnectionLimiter::admit(std::uint64_t id, const std::string& address) {
  if (connections_.size() >= max_total_) return Admission::relay_full;
  if (count_for(address) >= max_per_address_) return Admission::address_full;
  connections_.emplace(id, Entry{address, false});
  ++per_address_[address];
  return Admission::admitted;
}

void ConnectionLimiter::exempt(std::uint64_t id) {
  auto it = connections_.find(id);
  if (it == connections_.end() || it->second.exempt) return;
  it->second.exempt = true;
  if (auto a = per_address_.find(it->second.address); a != per_address_.end() && --a->second == 0) per_address_.erase(a);
}

void ConnectionLimiter::release(std::uint64_t id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  if (!it->second.exempt) {
    if (auto a = per_address_.find(it->second.address); a != per_address_.end() && --a->second == 0) per_address_.erase(a);
  }
  connections_.erase(it);
}

std::size_t ConnectionLimiter::count_for(const std::string& address) const {
  auto it = per_address_.find(address);
  return it == per_address_.end() ? 0 : it->second;
}

}  // namespace tether::relay

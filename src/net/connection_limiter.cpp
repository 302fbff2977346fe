#include "net/connection_limiter.hpp"

namespace tether::net {

ConnectionLimiter::Admission ConnectionLimiter::admit(std::uint64_t id, const std::string& address) {
  if (connections_.size() >= max_total_) return Admission::total_full;
  if (count_for(address) >= max_per_address_) return Admission::address_full;
  connections_.emplace(id, Entry{address, false});
  per_address_.add(address);
  return Admission::admitted;
}

void ConnectionLimiter::exempt(std::uint64_t id) {
  auto it = connections_.find(id);
  if (it == connections_.end() || it->second.exempt) return;
  it->second.exempt = true;
  per_address_.remove(it->second.address);
}

void ConnectionLimiter::release(std::uint64_t id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  if (!it->second.exempt) per_address_.remove(it->second.address);
  connections_.erase(it);
}

}  // namespace tether::net

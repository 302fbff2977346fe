// Counts open TCP connections, in total and per source address, and says which limit a
// new one would pass. A connection can be exempted from the per-address count once it has
// proved itself (the relay's authenticated daemon sockets), or released early when it no
// longer belongs to what is counted (the daemon's connections that finished their
// handshake). Pure.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "net/address_tally.hpp"

namespace tether::net {

class ConnectionLimiter {
 public:
  enum class Admission { admitted, address_full, total_full };

  ConnectionLimiter(std::size_t max_total, std::size_t max_per_address)
      : max_total_(max_total), max_per_address_(max_per_address) {}

  // Counts the connection when admitted; refused ones are not counted.
  Admission admit(std::uint64_t id, const std::string& address);
  // Stops counting `id` against its address (it still counts in the total).
  void exempt(std::uint64_t id);
  void release(std::uint64_t id);

  std::size_t total() const { return connections_.size(); }
  std::size_t count_for(const std::string& address) const { return per_address_.count(address); }

 private:
  struct Entry {
    std::string address;
    bool exempt = false;
  };
  std::size_t max_total_;
  std::size_t max_per_address_;
  std::unordered_map<std::uint64_t, Entry> connections_;
  AddressTally per_address_;  // connections not exempt
};

}  // namespace tether::net

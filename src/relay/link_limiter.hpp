// Counts authenticated daemon links, in total and per source address, apart from the
// connection caps: any fresh Ed25519 key links, so a link proves a key, not a claim to
// room. A link for a daemon id already linked takes that link's place. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "net/address_tally.hpp"

namespace tether::relay {

class LinkLimiter {
 public:
  enum class Admission { admitted, address_full, relay_full };

  LinkLimiter(std::size_t max_total, std::size_t max_per_address)
      : max_total_(max_total), max_per_address_(max_per_address) {}

  // Counts link `id` from `address` when admitted; refused ones are not counted.
  // `replaces` is the daemon id's current link, if any: when `id` is admitted it stops
  // counting at once (its close comes later), so a reconnecting daemon never needs
  // room for two. A refusal leaves it counted.
  Admission admit(std::uint64_t id, const std::string& address, std::optional<std::uint64_t> replaces);
  void release(std::uint64_t id);

  std::size_t total() const { return links_.size(); }
  std::size_t count_for(const std::string& address) const { return per_address_.count(address); }

 private:
  std::size_t max_total_;
  std::size_t max_per_address_;
  std::unordered_map<std::uint64_t, std::string> links_;  // link -> its source address
  net::AddressTally per_address_;
};

}  // namespace tether::relay

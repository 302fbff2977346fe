// How many of something each source address holds now; an address at zero is forgotten,
// so the table holds only addresses with something open. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>

namespace tether::net {

class AddressTally {
 public:
  void add(const std::string& address) { ++counts_[address]; }
  void remove(const std::string& address) {
    if (auto it = counts_.find(address); it != counts_.end() && --it->second == 0) counts_.erase(it);
  }
  std::size_t count(const std::string& address) const {
    auto it = counts_.find(address);
    return it == counts_.end() ? 0 : it->second;
  }

 private:
  std::unordered_map<std::string, std::size_t> counts_;
};

}  // namespace tether::net

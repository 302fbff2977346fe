// Connections that can be sent notifications (session events) besides replies:
// the local API's and the remote devices', by connection id.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

namespace tether::daemon {

class Outlet {
 public:
  virtual ~Outlet() = default;
  // Queues one JSON-RPC notification line.
  virtual void push(std::string line) = 0;
  // Bytes queued and not yet written: how far behind this peer is.
  virtual std::size_t queued_bytes() const = 0;
};

class Outlets {
 public:
  void add(std::uint64_t connection_id, Outlet* outlet) { by_id_[connection_id] = outlet; }
  void remove(std::uint64_t connection_id) { by_id_.erase(connection_id); }
  Outlet* find(std::uint64_t connection_id) const {
    const auto it = by_id_.find(connection_id);
    return it == by_id_.end() ? nullptr : it->second;
  }

 private:
  std::unordered_map<std::uint64_t, Outlet*> by_id_;
};

// Remote connection ids live above this bit, local ones below: one id space for both.
inline constexpr std::uint64_t kRemoteConnectionBit = std::uint64_t{1} << 62;

}  // namespace tether::daemon

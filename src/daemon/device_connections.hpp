// Live remote connections, by device: revoking a device closes them, and a mode
// change reaches them at once (the dispatcher reads the role per request).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "proto/dispatcher.hpp"

namespace tether::daemon {

class LiveConnection {
 public:
  virtual ~LiveConnection() = default;
  // Closes the connection because its device was revoked.
  virtual void revoke() = 0;
  virtual void set_role(proto::Role role) = 0;
};

class DeviceConnections {
 public:
  void add(const std::string& device_id, std::shared_ptr<LiveConnection> conn);
  void remove(const std::string& device_id, const LiveConnection* conn);
  std::size_t count(std::string_view device_id) const;
  void revoke_all(std::string_view device_id);
  void set_role(std::string_view device_id, proto::Role role);

 private:
  std::map<std::string, std::vector<std::weak_ptr<LiveConnection>>, std::less<>> by_device_;
};

// A device's mode by its wire and store name ("full", "read_only"): the role its requests get;
// nothing for any other name.
std::optional<proto::Role> device_role(std::string_view mode);

}  // namespace tether::daemon

#include "daemon/device_connections.hpp"

#include <algorithm>

namespace tether::daemon {

std::optional<proto::Role> device_role(std::string_view mode) {
  for (const auto role : {proto::Role::read_only, proto::Role::full}) {
    if (proto::role_name(role) == mode) return role;
  }
  return std::nullopt;
}

void DeviceConnections::add(const std::string& device_id, std::shared_ptr<LiveConnection> conn) {
  by_device_[device_id].push_back(conn);
}

void DeviceConnections::remove(const std::string& device_id, const LiveConnection* conn) {
  auto it = by_device_.find(device_id);
  if (it == by_device_.end()) return;
  auto& v = it->second;
  v.erase(std::remove_if(v.begin(), v.end(), [&](const auto& w) {
            auto p = w.lock();
            return !p || p.get() == conn;
          }),
          v.end());
  if (v.empty()) by_device_.erase(it);
}

std::size_t DeviceConnections::count(std::string_view device_id) const {
  auto it = by_device_.find(device_id);
  if (it == by_device_.end()) return 0;
  return static_cast<std::size_t>(std::count_if(it->second.begin(), it->second.end(), [](const auto& w) { return !w.expired(); }));
}

void DeviceConnections::revoke_all(std::string_view device_id) {
  auto it = by_device_.find(device_id);
  if (it == by_device_.end()) return;
  auto conns = it->second;  // revoke() may call remove()
  for (auto& w : conns) {
    if (auto c = w.lock()) c->revoke();
  }
}

void DeviceConnections::set_role(std::string_view device_id, proto::Role role) {
  auto it = by_device_.find(device_id);
  if (it == by_device_.end()) return;
  for (auto& w : it->second) {
    if (auto c = w.lock()) c->set_role(role);
  }
}

}  // namespace tether::daemon

// LiveConnections' registry: who is connected, and for which device.
#include "daemon/live_connections.hpp"

#include <vector>

namespace tether::daemon {

LiveConnections::LiveConnections(net::Runtime& runtime, store::EventStore& events, SubscriptionLimits limits)
    : runtime_(runtime), events_(events), limits_(limits) {}

LiveConnections::~LiveConnections() { *alive_ = false; }

void LiveConnections::join(std::uint64_t connection, std::string device_id, std::weak_ptr<Connection> conn) {
  members_[connection] = Member{std::move(device_id), std::move(conn)};
}

void LiveConnections::join_unconfirmed(std::uint64_t connection, std::string device_id, std::weak_ptr<Connection> conn) {
  members_[connection] = Member{std::move(device_id), std::move(conn), false};
}

void LiveConnections::confirm(std::uint64_t connection) {
  if (const auto it = members_.find(connection); it != members_.end()) it->second.confirmed = true;
}

void LiveConnections::leave(std::uint64_t connection) {
  members_.erase(connection);
  std::erase_if(subs_, [connection](const auto& kv) { return kv.first.second == connection; });
  for (auto& feed : feeds_) feed.erase(connection);
}

std::shared_ptr<Connection> LiveConnections::find(std::uint64_t connection) const {
  const auto it = members_.find(connection);
  return it == members_.end() ? nullptr : it->second.conn.lock();
}

std::size_t LiveConnections::local_count() const {
  return static_cast<std::size_t>(std::count_if(members_.begin(), members_.end(), [](const auto& kv) {
    return kv.second.device_id.empty() && !kv.second.conn.expired();
  }));
}

std::size_t LiveConnections::device_count(std::string_view device_id) const {
  return static_cast<std::size_t>(std::count_if(members_.begin(), members_.end(), [device_id](const auto& kv) {
    return !device_id.empty() && kv.second.device_id == device_id && kv.second.confirmed && !kv.second.conn.expired();
  }));
}

template <class F>
void LiveConnections::for_device(std::string_view device_id, F&& f) {
  if (device_id.empty()) return;
  // Collected first: closing a connection may make it leave.
  std::vector<std::shared_ptr<Connection>> conns;
  for (const auto& [id, m] : members_) {
    if (m.device_id != device_id) continue;
    if (auto c = m.conn.lock()) conns.push_back(std::move(c));
  }
  for (auto& c : conns) f(*c);
}

void LiveConnections::revoke_device(std::string_view device_id) {
  for_device(device_id, [](Connection& c) { c.revoke(); });
}

void LiveConnections::set_device_role(std::string_view device_id, proto::Role role) {
  for_device(device_id, [role](Connection& c) { c.set_role(role); });
}

void LiveConnections::push_device(std::string_view device_id, const std::string& line) {
  for_device(device_id, [&line](Connection& c) { c.push(line); });
}

}  // namespace tether::daemon

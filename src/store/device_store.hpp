// Paired devices, like SSH authorized_keys: a device is its X25519 static
// public key plus a name, a mode (full or read_only) and timestamps. A device is
// pending from its pairing handshake until both ends confirm the SAS.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/database.hpp"
#include "store/event_store.hpp"

namespace tether::store {

struct Device {
  std::string id;          // derived from the public key, never chosen by the peer
  std::string name;
  std::string public_key;  // base64url X25519
  std::string mode;        // "full" or "read_only"
  TimePoint created;
  std::optional<TimePoint> last_seen;
  std::optional<TimePoint> revoked;
  // When both ends of the pairing said the codes match; nothing while the device is pending.
  std::optional<TimePoint> confirmed;

  bool pending() const { return !confirmed && !revoked; }
};

class DeviceStore {
 public:
  explicit DeviceStore(Database& db) : db_(db) {}

  core::Result<void> add(const Device& device);
  // Pairing again with a key that is registered and not revoked: the device takes the new
  // name and mode and is pending again. not_found when no live device has this id.
  core::Result<void> repair(std::string_view id, std::string_view name, std::string_view mode);
  core::Result<void> confirm(std::string_view id, TimePoint now);
  core::Result<std::optional<Device>> get(std::string_view id);
  core::Result<std::optional<Device>> find_by_key(std::string_view public_key);
  core::Result<std::vector<Device>> list();
  // Error "not_found" when no device has this id (revoked ones count for revoke: it is idempotent).
  core::Result<void> set_mode(std::string_view id, std::string_view mode);
  core::Result<void> rename(std::string_view id, std::string_view name);
  core::Result<void> revoke(std::string_view id, TimePoint now);
  core::Result<void> touch(std::string_view id, TimePoint now);

 private:
  core::Result<std::vector<Device>> query(std::string_view where, std::string_view arg);
  // Runs an UPDATE whose ?1 is the device id; `bind` binds the rest. not_found when no row changed.
  core::Result<void> update_one(std::string_view sql, std::string_view id, const std::function<void(Statement&)>& bind);
  Database& db_;
};

}  // namespace tether::store

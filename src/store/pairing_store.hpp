// One-time pairing offers. Only the hash of an offer's secret is stored, with
// its expiry, mode, name and failed-attempt count.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "store/database.hpp"
#include "store/event_store.hpp"

namespace tether::store {

struct Pairing {
  std::string id;
  std::string secret_hash;  // hex SHA-256 of the secret
  std::string name;
  std::string mode;  // "full" or "read_only"
  TimePoint created;
  TimePoint expires;
  std::optional<TimePoint> used;
  std::string device_id;  // set when used
  std::int64_t failed_attempts = 0;
};

class PairingStore {
 public:
  explicit PairingStore(Database& db) : db_(db) {}

  core::Result<void> add(const Pairing& pairing);
  core::Result<std::optional<Pairing>> get(std::string_view id);
  // Unused, unexpired offers, newest first.
  core::Result<std::vector<Pairing>> open_offers(TimePoint now);
  // Marks the offer used by `device_id`; error "already_used" if someone was first.
  core::Result<void> mark_used(std::string_view id, std::string_view device_id, TimePoint now);
  // Counts a failed attempt against every open offer and expires those that
  // reach `burn_after`; returns how many offers were burned.
  core::Result<std::int64_t> record_failure(TimePoint now, std::int64_t burn_after);

 private:
  core::Result<std::vector<Pairing>> query(std::string_view where, std::function<void(Statement&)> bind);
  Database& db_;
};

}  // namespace tether::store

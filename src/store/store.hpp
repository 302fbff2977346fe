// The daemon's store: one SQLite file in WAL mode with the schema migrated to
// the latest version. Owns the connection; hands out the per-table APIs.
#pragma once

#include <filesystem>
#include <memory>

#include "core/result.hpp"
#include "store/checkpointer.hpp"
#include "store/database.hpp"
#include "store/approval_store.hpp"
#include "store/audit_log.hpp"
#include "store/device_store.hpp"
#include "store/event_store.hpp"
#include "store/pairing_store.hpp"
#include "store/rule_store.hpp"
#include "store/session_store.hpp"

namespace tether::store {

struct Counts {
  std::int64_t sessions = 0;
  std::int64_t devices = 0;          // not revoked
  std::int64_t pending_approvals = 0;
  std::int64_t events = 0;
};

class Store {
 public:
  // Opens (creating if missing) and migrates. synchronous=FULL: a commit is on
  // disk before it returns, so an event reported to a client survives power loss too.
  // Checkpoints run on a thread of their own (store/checkpointer.hpp), not in commits.
  static core::Result<std::unique_ptr<Store>> open(const std::filesystem::path& path);

  Database& db() { return db_; }
  EventStore& events() { return events_; }
  DeviceStore& devices() { return devices_; }
  PairingStore& pairings() { return pairings_; }
  AuditLog& audit() { return audit_; }
  SessionStore& sessions() { return sessions_; }
  ApprovalStore& approvals() { return approvals_; }
  RuleStore& rules() { return rules_; }
  core::Result<Counts> counts();
  // Null when the database is not in WAL mode (then SQLite has nothing to checkpoint).
  const Checkpointer* checkpointer() const { return checkpointer_.get(); }

 private:
  Store(std::unique_ptr<Checkpointer> checkpointer, Database db)
      : checkpointer_(std::move(checkpointer)), db_(std::move(db)), events_(db_), devices_(db_), pairings_(db_), audit_(db_), sessions_(db_), approvals_(db_),
        rules_(db_) {}
  std::unique_ptr<Checkpointer> checkpointer_;  // declared first: it outlives the connection
  Database db_;
  EventStore events_;
  DeviceStore devices_;
  PairingStore pairings_;
  AuditLog audit_;
  SessionStore sessions_;
  ApprovalStore approvals_;
  RuleStore rules_;
};

}  // namespace tether::store

#include "store/migrations.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>

namespace tether::store {
namespace {

// Append new migrations at the end; never edit a migration that has shipped.
constexpr std::array<std::string_view, 4> kMigrations = {
    // 1: every table of the design, so later features add columns, not tables.
    R"sql(
CREATE TABLE devices (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  public_key    TEXT NOT NULL UNIQUE,
  mode          TEXT NOT NULL CHECK (mode IN ('full', 'read_only')),
  created_at    INTEGER NOT NULL,
  last_seen_at  INTEGER,
  revoked_at    INTEGER
);
CREATE TABLE pairings (
  id               TEXT PRIMARY KEY,
  secret_hash      TEXT NOT NULL UNIQUE,
  name             TEXT,
  mode             TEXT NOT NULL CHECK (mode IN ('full', 'read_only')),
  created_at       INTEGER NOT NULL,
  expires_at       INTEGER NOT NULL,
  used_at          INTEGER,
  device_id        TEXT,
  failed_attempts  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
  id                   TEXT PRIMARY KEY,
  name                 TEXT,
  provider             TEXT NOT NULL,
  cwd                  TEXT NOT NULL,
  mode                 TEXT NOT NULL,
  status               TEXT NOT NULL,
  provider_session_id  TEXT,
  config               TEXT NOT NULL DEFAULT '{}',
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);
CREATE TABLE events (
  session_id  TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  time        INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  data        TEXT NOT NULL,
  PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
CREATE INDEX events_by_time ON events (time);
-- The last seq given out per session: survives pruning, so seq never restarts.
CREATE TABLE event_seqs (
  session_id  TEXT PRIMARY KEY,
  last_seq    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE approvals (
  id          TEXT PRIMARY KEY,
  session_id  TEXT NOT NULL,
  tool        TEXT NOT NULL,
  tier        TEXT NOT NULL,
  input       TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('pending', 'allowed', 'denied', 'expired')),
  scope       TEXT,
  decided_by  TEXT,
  message     TEXT,
  created_at  INTEGER NOT NULL,
  decided_at  INTEGER
);
CREATE INDEX approvals_pending ON approvals (status, created_at);
CREATE TABLE rules (
  id           INTEGER PRIMARY KEY,
  project_dir  TEXT NOT NULL,
  tool         TEXT NOT NULL,
  pattern      TEXT NOT NULL DEFAULT '',
  decision     TEXT NOT NULL CHECK (decision IN ('allow', 'deny')),
  created_by   TEXT,
  created_at   INTEGER NOT NULL
);
CREATE TABLE audit (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  time    INTEGER NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  target  TEXT,
  detail  TEXT NOT NULL DEFAULT '{}'
);
)sql",
    // 2: session.list walks the most recently active sessions in order instead of sorting them all.
    R"sql(
CREATE INDEX sessions_by_activity ON sessions (updated_at DESC, created_at DESC, id);
)sql",
    // 3: how many events are stored, kept by the event store in the transactions that add or
    // delete them, so daemon.info does not count millions of rows.
    R"sql(
CREATE TABLE event_count (n INTEGER NOT NULL);
INSERT INTO event_count (n) SELECT COUNT(*) FROM events;
)sql",
    // 4: a device is pending until both ends of its pairing said the codes match; devices
    // paired before count as confirmed when they were paired.
    R"sql(
ALTER TABLE devices ADD COLUMN confirmed_at INTEGER;
UPDATE devices SET confirmed_at = created_at;
)sql",
};

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

core::Result<void> migrate(Database& db, int target) {
  if (target < 0) target = latest_schema_version();
  const int current = db.user_version();
  if (current < 0) return core::make_error(core::Errc::store, "cannot read the schema version");
  if (current > latest_schema_version()) {
    return core::make_error(core::Errc::schema_too_new, fmt::format("the database has schema version {}, newer than this tether ({}); "
                                                                    "upgrade tether", current, latest_schema_version()));
  }
  for (int v = current + 1; v <= target; ++v) {
    auto tx = Transaction::begin(db);
    if (!tx) return tx.error();
    if (auto r = db.exec(kMigrations[static_cast<std::size_t>(v - 1)]); !r) {
      return core::make_error(core::Errc::store, fmt::format("migration {} failed: {}", v, r.error().message));
    }
    if (auto r = db.set_user_version(v); !r) return r;
    if (auto r = tx->commit(); !r) return r;
  }
  return {};
}

}  // namespace tether::store

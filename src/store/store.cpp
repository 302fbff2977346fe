#include "store/store.hpp"

#include <spdlog/spdlog.h>

#include "core/files.hpp"
#include "store/migrations.hpp"

namespace tether::store {
namespace {

// The database and the files SQLite keeps beside it hold every session's output: 0600,
// as the key is, whatever the umask. The database is created so before SQLite opens it,
// and SQLite gives its -wal, -shm and -journal the database's mode. A looser one (a
// copy, an older version, a hand-made file) is corrected with a warning; one owned by
// another user is refused.
core::Result<void> hold_private(const std::filesystem::path& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::filesystem::path file = path.string() + suffix;
    auto was = core::make_private(file);
    if (!was) return was.error();
    if (*was) {
      spdlog::warn("{} was mode {:04o}, open to group or others; corrected to {:04o}", file.string(), **was, **was & 0700);
    }
  }
  return core::create_private_file(path);
}

}  // namespace

core::Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& path) {
  if (auto ok = hold_private(path); !ok) return ok.error();
  auto db = Database::open(path);
  if (!db) return db.error();
  for (const char* pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"}) {
    if (auto r = db->exec(pragma); !r) return r.error();
  }
  if (auto r = migrate(*db); !r) return r.error();
  bool wal = false;
  {
    auto mode = db->prepare("PRAGMA journal_mode");
    if (!mode) return mode.error();
    auto row = mode->step();
    wal = row && *row && mode->column_text(0) == "wal";
  }
  std::unique_ptr<Checkpointer> checkpointer;
  if (wal) {
    auto started = Checkpointer::start(path);
    if (!started) return started.error();
    checkpointer = std::move(started).value();
    db->hand_checkpoints_to(*checkpointer);
  }
  return std::unique_ptr<Store>(new Store(std::move(checkpointer), std::move(db).value()));
}

core::Result<Counts> Store::counts() {
  Counts c;
  struct Query {
    const char* sql;
    std::int64_t* out;
  };
  for (const Query& q : {Query{"SELECT COUNT(*) FROM sessions", &c.sessions},
                         Query{"SELECT COUNT(*) FROM devices WHERE revoked_at IS NULL", &c.devices},
                         Query{"SELECT COUNT(*) FROM approvals WHERE status = 'pending'", &c.pending_approvals},
                         Query{"SELECT n FROM event_count", &c.events}}) {  // kept by EventStore
    auto v = db_.query_int(q.sql);
    if (!v) return v.error();
    *q.out = *v;
  }
  return c;
}

}  // namespace tether::store

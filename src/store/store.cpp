#include "store/store.hpp"

#include "store/migrations.hpp"

namespace tether::store {

core::Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& path) {
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

#include "store/audit_log.hpp"

#include <limits>

#include <spdlog/spdlog.h>

namespace tether::store {

core::Result<std::int64_t> AuditLog::append(TimePoint time, std::string_view actor, std::string_view action,
                                            std::string_view target, std::string_view detail_json) {
  auto st = db_.prepare("INSERT INTO audit (time, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id");
  if (!st) return st.error();
  st->bind(1, to_unix_ms(time)).bind(2, actor).bind(3, action).bind(4, target).bind(5, detail_json.empty() ? "{}" : detail_json);
  auto row = st->step();
  if (!row) return row.error();
  const std::int64_t id = st->column_int(0);
  if (auto done = st->step(); !done) return done.error();
  return id;
}

void AuditLog::record(TimePoint time, std::string_view actor, std::string_view action, std::string_view target,
                      std::string_view detail_json) {
  if (auto r = append(time, actor, action, target, detail_json); !r) {
    spdlog::error("audit entry not written ({}: {}): actor {} action {} target {} detail {}", core::to_string(r.error().code),
                  r.error().message, actor, action, target, detail_json);
  }
}

core::Result<std::vector<AuditEntry>> AuditLog::list(std::optional<TimePoint> since, std::optional<std::int64_t> before_id,
                                                     std::size_t limit) {
  auto st = db_.prepare(
      "SELECT id, time, actor, action, COALESCE(target, ''), detail FROM audit WHERE time >= ?1 AND id < ?2 "
      "ORDER BY id DESC LIMIT ?3");
  if (!st) return st.error();
  st->bind(1, since ? to_unix_ms(*since) : std::int64_t{0})
      .bind(2, before_id.value_or(std::numeric_limits<std::int64_t>::max()))
      .bind(3, static_cast<std::int64_t>(limit));
  std::vector<AuditEntry> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(AuditEntry{st->column_int(0), from_unix_ms(st->column_int(1)), st->column_text(2), st->column_text(3),
                             st->column_text(4), st->column_text(5)});
  }
  return out;
}

core::Result<std::int64_t> AuditLog::prune_before(TimePoint cutoff, std::size_t limit) {
  // Oldest first by id (entries are appended in time order), so the scan stops at the limit.
  auto st = db_.prepare("DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE time < ?1 ORDER BY id LIMIT ?2)");
  if (!st) return st.error();
  st->bind(1, to_unix_ms(cutoff)).bind(2, static_cast<std::int64_t>(limit));
  if (auto r = st->run(); !r) return r.error();
  return db_.query_int("SELECT changes()");
}

}  // namespace tether::store

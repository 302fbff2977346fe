#include "store/session_store.hpp"

#include <fmt/format.h>

namespace tether::store {
namespace {

constexpr std::string_view kColumns =
    "id, COALESCE(name, ''), provider, cwd, mode, status, COALESCE(provider_session_id, ''), config, created_at, "
    "updated_at";

SessionRow read_row(const Statement& st) {
  return SessionRow{st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3), st.column_text(4),
                    st.column_text(5), st.column_text(6), st.column_text(7), from_unix_ms(st.column_int(8)),
                    from_unix_ms(st.column_int(9))};
}

}  // namespace

core::Result<void> SessionStore::create(const SessionRow& row) {
  auto st = db_.prepare(
      "INSERT INTO sessions (id, name, provider, cwd, mode, status, provider_session_id, config, created_at, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULLIF(?7, ''), ?8, ?9, ?10)");
  if (!st) return st.error();
  st->bind(1, row.id).bind(2, row.name).bind(3, row.provider).bind(4, row.cwd).bind(5, row.mode).bind(6, row.status);
  st->bind(7, row.provider_session_id).bind(8, row.config.empty() ? std::string_view("{}") : row.config);
  st->bind(9, to_unix_ms(row.created)).bind(10, to_unix_ms(row.updated));
  return st->run();
}

core::Result<std::optional<SessionRow>> SessionStore::get(std::string_view id) {
  auto st = db_.prepare(fmt::format("SELECT {} FROM sessions WHERE id = ?1", kColumns));
  if (!st) return st.error();
  st->bind(1, id);
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return std::optional<SessionRow>();
  return std::optional<SessionRow>(read_row(*st));
}

core::Result<std::vector<SessionRow>> SessionStore::list(std::size_t limit) {
  auto st = db_.prepare(
      fmt::format("SELECT {} FROM sessions ORDER BY updated_at DESC, created_at DESC, id LIMIT ?1", kColumns));
  if (!st) return st.error();
  st->bind(1, static_cast<std::int64_t>(limit));
  std::vector<SessionRow> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(read_row(*st));
  }
  return out;
}

core::Result<std::vector<SessionSummary>> SessionStore::list_summaries(std::size_t limit) {
  // Walks sessions_by_activity for the first `limit`; event_seqs by key for each.
  auto st = db_.prepare(fmt::format(
      "SELECT {}, COALESCE((SELECT last_seq FROM event_seqs WHERE session_id = sessions.id), 0) FROM sessions "
      "ORDER BY updated_at DESC, created_at DESC, id LIMIT ?1",
      kColumns));
  if (!st) return st.error();
  st->bind(1, static_cast<std::int64_t>(limit));
  std::vector<SessionSummary> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(SessionSummary{read_row(*st), st->column_int(10)});
  }
  return out;
}

core::Result<void> SessionStore::update_one(std::string_view assignment, std::string_view id, std::string_view value,
                                            TimePoint now) {
  auto st = db_.prepare(fmt::format("UPDATE sessions SET {}updated_at = ?3 WHERE id = ?1", assignment));
  if (!st) return st.error();
  st->bind(1, id).bind(2, value).bind(3, to_unix_ms(now));
  if (auto r = st->run(); !r) return r;
  auto changed = db_.query_int("SELECT changes()");
  if (!changed) return changed.error();
  if (*changed == 0) return core::make_error(core::Errc::not_found, fmt::format("no session with id \"{}\"", id.substr(0, 64)));
  return {};
}

core::Result<void> SessionStore::set_status(std::string_view id, std::string_view status, TimePoint now) {
  return update_one("status = ?2, ", id, status, now);
}

core::Result<void> SessionStore::set_mode(std::string_view id, std::string_view mode, TimePoint now) {
  return update_one("mode = ?2, ", id, mode, now);
}

core::Result<void> SessionStore::set_provider_session_id(std::string_view id, std::string_view provider_session_id,
                                                         TimePoint now) {
  return update_one("provider_session_id = NULLIF(?2, ''), ", id, provider_session_id, now);
}

core::Result<void> SessionStore::touch(std::string_view id, TimePoint now) {
  return update_one("", id, "", now);
}

}  // namespace tether::store

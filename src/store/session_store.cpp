#include "store/session_store.hpp"

#include <fmt/format.h>

#include "core/utf8.hpp"
#include "store/stored_value.hpp"

namespace tether::store {
namespace {

constexpr std::string_view kColumns =
    "id, COALESCE(name, ''), provider, cwd, mode, status, COALESCE(provider_session_id, ''), config, created_at, "
    "updated_at";

core::Result<SessionRow> read_row(const Statement& st) {
  auto provider = stored_value(core::parse_provider_type, "sessions.provider", st.column_text(2));
  if (!provider) return provider.error();
  auto mode = stored_value(core::parse_session_mode, "sessions.mode", st.column_text(4));
  if (!mode) return mode.error();
  auto status = stored_value(core::parse_session_status, "sessions.status", st.column_text(5));
  if (!status) return status.error();
  return SessionRow{st.column_text(0), st.column_text(1), *provider, st.column_text(3), *mode,
                    *status, st.column_text(6), st.column_text(7), from_unix_ms(st.column_int(8)),
                    from_unix_ms(st.column_int(9))};
}

}  // namespace

core::Result<void> SessionStore::create(const SessionRow& row) {
  auto st = db_.prepare(
      "INSERT INTO sessions (id, name, provider, cwd, mode, status, provider_session_id, config, created_at, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULLIF(?7, ''), ?8, ?9, ?10)");
  if (!st) return st.error();
  st->bind(1, row.id).bind(2, row.name).bind(3, core::to_string(row.provider)).bind(4, row.cwd);
  st->bind(5, core::to_string(row.mode)).bind(6, core::to_string(row.status));
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
  auto read = read_row(*st);
  if (!read) return read.error();
  return std::optional<SessionRow>(std::move(*read));
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
    auto read = read_row(*st);
    if (!read) return read.error();
    out.push_back(std::move(*read));
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
    auto read = read_row(*st);
    if (!read) return read.error();
    out.push_back(SessionSummary{std::move(*read), st->column_int(10)});
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
  if (*changed == 0) return core::make_error(core::Errc::not_found, fmt::format("no session with id \"{}\"", core::cut_utf8(id, 64)));
  return {};
}

core::Result<void> SessionStore::set_status(std::string_view id, core::SessionStatus status, TimePoint now) {
  return update_one("status = ?2, ", id, core::to_string(status), now);
}

core::Result<void> SessionStore::set_mode(std::string_view id, core::SessionMode mode, TimePoint now) {
  return update_one("mode = ?2, ", id, core::to_string(mode), now);
}

core::Result<void> SessionStore::set_provider_session_id(std::string_view id, std::string_view provider_session_id,
                                                         TimePoint now) {
  return update_one("provider_session_id = NULLIF(?2, ''), ", id, provider_session_id, now);
}

core::Result<void> SessionStore::touch(std::string_view id, TimePoint now) {
  return update_one("", id, "", now);
}

}  // namespace tether::store

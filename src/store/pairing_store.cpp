#include "store/pairing_store.hpp"

#include <fmt/format.h>

namespace tether::store {

core::Result<void> PairingStore::add(const Pairing& p) {
  auto st = db_.prepare(
      "INSERT INTO pairings (id, secret_hash, name, mode, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!st) return st.error();
  st->bind(1, p.id).bind(2, p.secret_hash).bind(3, p.name).bind(4, p.mode).bind(5, to_unix_ms(p.created)).bind(6, to_unix_ms(p.expires));
  return st->run();
}

core::Result<std::vector<Pairing>> PairingStore::query(std::string_view where, std::function<void(Statement&)> bind) {
  auto st = db_.prepare(fmt::format(
      "SELECT id, secret_hash, COALESCE(name, ''), mode, created_at, expires_at, used_at, COALESCE(device_id, ''), "
      "failed_attempts FROM pairings {} ORDER BY created_at DESC, id",
      where));
  if (!st) return st.error();
  bind(*st);
  std::vector<Pairing> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    Pairing p{st->column_text(0), st->column_text(1), st->column_text(2), st->column_text(3),
              from_unix_ms(st->column_int(4)), from_unix_ms(st->column_int(5)), std::nullopt, st->column_text(7),
              st->column_int(8)};
    if (!st->column_is_null(6)) p.used = from_unix_ms(st->column_int(6));
    out.push_back(std::move(p));
  }
  return out;
}

core::Result<std::optional<Pairing>> PairingStore::get(std::string_view id) {
  auto r = query("WHERE id = ?1", [&](Statement& st) { st.bind(1, id); });
  if (!r) return r.error();
  if (r->empty()) return std::optional<Pairing>();
  return std::optional<Pairing>(std::move(r->front()));
}

core::Result<std::vector<Pairing>> PairingStore::open_offers(TimePoint now) {
  return query("WHERE used_at IS NULL AND expires_at > ?1", [&](Statement& st) { st.bind(1, to_unix_ms(now)); });
}

core::Result<void> PairingStore::mark_used(std::string_view id, std::string_view device_id, TimePoint now) {
  auto st = db_.prepare("UPDATE pairings SET used_at = ?2, device_id = ?3 WHERE id = ?1 AND used_at IS NULL");
  if (!st) return st.error();
  st->bind(1, id).bind(2, to_unix_ms(now)).bind(3, device_id);
  if (auto r = st->run(); !r) return r;
  auto changed = db_.query_int("SELECT changes()");
  if (!changed) return changed.error();
  if (*changed == 0) return core::make_error(core::Errc::already_used, "this pairing offer was already used");
  return {};
}

core::Result<std::int64_t> PairingStore::record_failure(TimePoint now, std::int64_t burn_after) {
  const auto t = to_unix_ms(now);
  auto bump = db_.prepare("UPDATE pairings SET failed_attempts = failed_attempts + 1 WHERE used_at IS NULL AND expires_at > ?1");
  if (!bump) return bump.error();
  bump->bind(1, t);
  if (auto r = bump->run(); !r) return r.error();
  auto burn = db_.prepare(
      "UPDATE pairings SET expires_at = ?1 WHERE used_at IS NULL AND expires_at > ?1 AND failed_attempts >= ?2");
  if (!burn) return burn.error();
  burn->bind(1, t).bind(2, burn_after);
  if (auto r = burn->run(); !r) return r.error();
  return db_.query_int("SELECT changes()");
}

}  // namespace tether::store

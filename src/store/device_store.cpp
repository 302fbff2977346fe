#include "core/utf8.hpp"
#include "store/device_store.hpp"

#include <fmt/format.h>

namespace tether::store {
namespace {

std::optional<TimePoint> optional_time(const Statement& st, int col) {
  if (st.column_is_null(col)) return std::nullopt;
  return from_unix_ms(st.column_int(col));
}

}  // namespace

core::Result<void> DeviceStore::add(const Device& d) {
  auto st = db_.prepare(
      "INSERT INTO devices (id, name, public_key, mode, created_at, confirmed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!st) return st.error();
  st->bind(1, d.id).bind(2, d.name).bind(3, d.public_key).bind(4, d.mode).bind(5, to_unix_ms(d.created));
  if (d.confirmed) st->bind(6, to_unix_ms(*d.confirmed));
  return st->run();
}

core::Result<std::vector<Device>> DeviceStore::query(std::string_view where, std::string_view arg) {
  auto st = db_.prepare(fmt::format(
      "SELECT id, name, public_key, mode, created_at, last_seen_at, revoked_at, confirmed_at FROM devices {} ORDER BY created_at, id",
      where));
  if (!st) return st.error();
  if (!arg.empty()) st->bind(1, arg);
  std::vector<Device> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(Device{st->column_text(0), st->column_text(1), st->column_text(2), st->column_text(3),
                         from_unix_ms(st->column_int(4)), optional_time(*st, 5), optional_time(*st, 6),
                         optional_time(*st, 7)});
  }
  return out;
}

core::Result<std::optional<Device>> DeviceStore::get(std::string_view id) {
  auto r = query("WHERE id = ?1", id);
  if (!r) return r.error();
  if (r->empty()) return std::optional<Device>();
  return std::optional<Device>(std::move(r->front()));
}

core::Result<std::optional<Device>> DeviceStore::find_by_key(std::string_view public_key) {
  auto r = query("WHERE public_key = ?1", public_key);
  if (!r) return r.error();
  if (r->empty()) return std::optional<Device>();
  return std::optional<Device>(std::move(r->front()));
}

core::Result<std::vector<Device>> DeviceStore::list() { return query("", ""); }

core::Result<void> DeviceStore::update_one(std::string_view sql, std::string_view id,
                                          const std::function<void(Statement&)>& bind) {
  auto st = db_.prepare(sql);
  if (!st) return st.error();
  st->bind(1, id);
  bind(*st);
  if (auto r = st->run(); !r) return r;
  auto changed = db_.query_int("SELECT changes()");
  if (!changed) return changed.error();
  if (*changed == 0) return core::make_error(core::Errc::not_found, fmt::format("no device with id \"{}\"", core::cut_utf8(id, 64)));
  return {};
}

core::Result<void> DeviceStore::set_mode(std::string_view id, std::string_view mode) {
  return update_one("UPDATE devices SET mode = ?2 WHERE id = ?1 AND revoked_at IS NULL", id,
                    [&](Statement& st) { st.bind(2, mode); });
}

core::Result<void> DeviceStore::rename(std::string_view id, std::string_view name) {
  return update_one("UPDATE devices SET name = ?2 WHERE id = ?1 AND revoked_at IS NULL", id,
                    [&](Statement& st) { st.bind(2, name); });
}

core::Result<void> DeviceStore::revoke(std::string_view id, TimePoint now) {
  return update_one("UPDATE devices SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1", id,
                    [&](Statement& st) { st.bind(2, to_unix_ms(now)); });
}

core::Result<void> DeviceStore::repair(std::string_view id, std::string_view name, std::string_view mode) {
  return update_one("UPDATE devices SET name = ?2, mode = ?3, confirmed_at = NULL WHERE id = ?1 AND revoked_at IS NULL", id,
                    [&](Statement& st) { st.bind(2, name).bind(3, mode); });
}

core::Result<void> DeviceStore::confirm(std::string_view id, TimePoint now) {
  return update_one("UPDATE devices SET confirmed_at = ?2 WHERE id = ?1 AND revoked_at IS NULL", id,
                    [&](Statement& st) { st.bind(2, to_unix_ms(now)); });
}

core::Result<void> DeviceStore::touch(std::string_view id, TimePoint now) {
  return update_one("UPDATE devices SET last_seen_at = ?2 WHERE id = ?1", id,
                    [&](Statement& st) { st.bind(2, to_unix_ms(now)); });
}

}  // namespace tether::store

#include "store/approval_store.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/utf8.hpp"
#include "store/stored_value.hpp"

namespace tether::store {
namespace {

constexpr std::string_view kColumns =
    "id, session_id, tool, tier, input, status, COALESCE(scope, ''), COALESCE(decided_by, ''), COALESCE(message, ''), "
    "created_at, decided_at";

core::Result<ApprovalRow> read_row(const Statement& st) {
  auto status = stored_value(core::parse_approval_status, "approvals.status", st.column_text(5));
  if (!status) return status.error();
  ApprovalRow row{st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3),
                  st.column_text(4), *status, std::nullopt, std::nullopt,
                  st.column_text(8), from_unix_ms(st.column_int(9)), std::nullopt};
  // '' (and NULL) is no scope, no decider.
  if (auto scope = st.column_text(6); !scope.empty()) {
    auto parsed = stored_value(core::parse_approval_scope, "approvals.scope", scope);
    if (!parsed) return parsed.error();
    row.scope = *parsed;
  }
  row.decided_by = core::parse_decider(st.column_text(7));
  if (!st.column_is_null(10)) row.decided = from_unix_ms(st.column_int(10));
  return row;
}

core::Result<std::vector<ApprovalRow>> read_all(Statement& st) {
  std::vector<ApprovalRow> out;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) break;
    auto read = read_row(st);
    if (!read) return read.error();
    out.push_back(std::move(*read));
  }
  return out;
}

}  // namespace

core::Result<void> ApprovalStore::add(const ApprovalRow& row) {
  auto st = db_.prepare(
      "INSERT INTO approvals (id, session_id, tool, tier, input, status, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6)");
  if (!st) return st.error();
  st->bind(1, row.id).bind(2, row.session_id).bind(3, row.tool).bind(4, row.tier).bind(5, row.input);
  st->bind(6, to_unix_ms(row.created));
  return st->run();
}

core::Result<std::optional<ApprovalRow>> ApprovalStore::get(std::string_view id) {
  auto st = db_.prepare(fmt::format("SELECT {} FROM approvals WHERE id = ?1", kColumns));
  if (!st) return st.error();
  st->bind(1, id);
  auto rows = read_all(*st);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<ApprovalRow>();
  return std::optional<ApprovalRow>(std::move(rows->front()));
}

core::Result<std::vector<ApprovalRow>> ApprovalStore::pending() {
  auto st = db_.prepare(
      fmt::format("SELECT {} FROM approvals WHERE status = 'pending' ORDER BY created_at DESC, id DESC", kColumns));
  if (!st) return st.error();
  return read_all(*st);
}

core::Result<void> ApprovalStore::resolve(std::string_view id, core::ApprovalStatus status,
                                          std::optional<core::ApprovalScope> scope, const core::Decider& decided_by,
                                          std::string_view message, TimePoint now) {
  if (status == core::ApprovalStatus::pending) {
    return core::make_error(core::Errc::invalid, fmt::format("\"{}\" is not an approval outcome", core::to_string(status)));
  }
  auto st = db_.prepare(
      "UPDATE approvals SET status = ?2, scope = ?3, decided_by = ?4, message = ?5, decided_at = ?6 "
      "WHERE id = ?1 AND status = 'pending'");
  if (!st) return st.error();
  st->bind(1, id).bind(2, core::to_string(status)).bind(3, scope ? core::to_string(*scope) : std::string_view(""));
  st->bind(4, core::to_string(decided_by)).bind(5, message).bind(6, to_unix_ms(now));
  if (auto r = st->run(); !r) return r;
  auto changed = db_.query_int("SELECT changes()");
  if (!changed) return changed.error();
  if (*changed == 1) return {};

  auto existing = get(id);
  if (!existing) return existing.error();
  if (!*existing) return core::make_error(core::Errc::not_found, fmt::format("no approval with id \"{}\"", core::cut_utf8(id, 64)));
  const ApprovalRow& done = **existing;
  return core::make_error(core::Errc::already_resolved,
                          fmt::format("approval {} was already {} by {}", done.id, core::to_string(done.status),
                                      done.decided_by ? core::to_string(*done.decided_by) : "nobody"));
}

core::Result<std::vector<ApprovalRow>> ApprovalStore::deny_all_pending(const core::Decider& decided_by,
                                                                       std::string_view message, TimePoint now) {
  auto st = db_.prepare(fmt::format(
      "UPDATE approvals SET status = 'denied', scope = '', decided_by = ?1, message = ?2, decided_at = ?3 "
      "WHERE status = 'pending' RETURNING {}",
      kColumns));
  if (!st) return st.error();
  st->bind(1, core::to_string(decided_by)).bind(2, message).bind(3, to_unix_ms(now));
  auto rows = read_all(*st);
  if (!rows) return rows.error();
  // RETURNING gives no order; oldest first reads best in a log.
  std::sort(rows->begin(), rows->end(), [](const ApprovalRow& a, const ApprovalRow& b) {
    return a.created != b.created ? a.created < b.created : a.id < b.id;
  });
  return rows;
}

}  // namespace tether::store

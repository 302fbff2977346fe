#include "store/rule_store.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "core/utf8.hpp"
#include "store/stored_value.hpp"

namespace tether::store {
namespace {

constexpr std::string_view kColumns = "id, project_dir, tool, pattern, decision, COALESCE(created_by, ''), created_at";

// The form directories are stored and compared in: lexically normal, no trailing slash
// except for "/" itself. The approval engine compares the same way.
std::string normal_dir(std::string_view dir) {
  auto text = std::filesystem::path(dir).lexically_normal().string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

}  // namespace

core::Result<std::int64_t> RuleStore::add(const RuleRow& row) {
  if (!row.project_dir.starts_with('/')) {
    return core::make_error(core::Errc::invalid, fmt::format("a rule's directory must be absolute, not \"{}\"",
                                                             core::cut_utf8(row.project_dir, 256)));
  }
  const auto dir = normal_dir(row.project_dir);
  auto tx = Transaction::begin(db_);
  if (!tx) return tx.error();
  auto existing = db_.prepare(
      "SELECT id FROM rules WHERE project_dir = ?1 AND tool = ?2 AND pattern = ?3 AND decision = ?4 ORDER BY id LIMIT 1");
  if (!existing) return existing.error();
  existing->bind(1, dir).bind(2, row.tool).bind(3, row.pattern).bind(4, core::to_string(row.decision));
  auto found = existing->step();
  if (!found) return found.error();
  if (*found) return existing->column_int(0);

  auto st = db_.prepare(
      "INSERT INTO rules (project_dir, tool, pattern, decision, created_by, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
  if (!st) return st.error();
  st->bind(1, dir).bind(2, row.tool).bind(3, row.pattern).bind(4, core::to_string(row.decision)).bind(5, row.created_by);
  st->bind(6, to_unix_ms(row.created));
  auto inserted = st->step();
  if (!inserted) return inserted.error();
  if (!*inserted) return core::make_error(core::Errc::store, "rule insert returned no id");
  const std::int64_t id = st->column_int(0);
  if (auto done = st->step(); !done) return done.error();
  if (auto c = tx->commit(); !c) return c.error();
  return id;
}

core::Result<std::vector<RuleRow>> RuleStore::query(std::string_view where, std::string_view arg) {
  auto st = db_.prepare(fmt::format("SELECT {} FROM rules {} ORDER BY id", kColumns, where));
  if (!st) return st.error();
  if (!arg.empty()) st->bind(1, arg);
  std::vector<RuleRow> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    auto decision = stored_value(core::parse_approval_decision, "rules.decision", st->column_text(4));
    if (!decision) return decision.error();
    out.push_back(RuleRow{st->column_int(0), st->column_text(1), st->column_text(2), st->column_text(3), *decision,
                          st->column_text(5), from_unix_ms(st->column_int(6))});
  }
  return out;
}

core::Result<std::vector<RuleRow>> RuleStore::list() { return query("", ""); }

core::Result<std::vector<RuleRow>> RuleStore::for_dir(std::string_view dir) {
  if (!dir.starts_with('/')) return std::vector<RuleRow>();
  // ?1 is `dir` with a trailing "/": a rule's directory is it or a parent when "<project_dir>/"
  // starts it ("/a/b/" starts "/a/b/c/" but not "/a/bc/"; rtrim makes "/" the parent of all).
  auto probe = normal_dir(dir);
  if (probe != "/") probe += '/';
  return query("WHERE substr(?1, 1, length(rtrim(project_dir, '/')) + 1) = rtrim(project_dir, '/') || '/'", probe);
}

core::Result<void> RuleStore::remove(std::int64_t id) {
  auto st = db_.prepare("DELETE FROM rules WHERE id = ?1");
  if (!st) return st.error();
  st->bind(1, id);
  if (auto r = st->run(); !r) return r;
  auto changed = db_.query_int("SELECT changes()");
  if (!changed) return changed.error();
  if (*changed == 0) return core::make_error(core::Errc::not_found, fmt::format("no rule with id {}", id));
  return {};
}

}  // namespace tether::store

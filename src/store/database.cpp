#include "store/database.hpp"

#include "store/checkpointer.hpp"

#include <sqlite3.h>

#include <fmt/format.h>

#include <chrono>

namespace tether::store {
namespace {

core::Error sqlite_error(sqlite3* db, std::string_view what) {
  return core::make_error(core::Errc::store, fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

Statement::Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_), lent_(o.lent_) {
  o.stmt_ = nullptr;
  o.lent_ = nullptr;
}
Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    release();
    db_ = o.db_;
    stmt_ = o.stmt_;
    lent_ = o.lent_;
    o.stmt_ = nullptr;
    o.lent_ = nullptr;
  }
  return *this;
}
Statement::~Statement() { release(); }

void Statement::release() {
  if (!stmt_) return;
  if (lent_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *lent_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
  stmt_ = nullptr;
  lent_ = nullptr;
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}
Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

core::Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  auto err = sqlite_error(db_, "statement failed");
  sqlite3_reset(stmt_);
  return err;
}

core::Result<void> Statement::run() {
  for (;;) {
    auto r = step();
    if (!r) return r.error();
    if (!*r) break;
  }
  reset();
  return {};
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int(int index) const { return sqlite3_column_int64(stmt_, index); }
std::string Statement::column_text(int index) const {
  const auto* p = sqlite3_column_text(stmt_, index);
  const int n = sqlite3_column_bytes(stmt_, index);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}
bool Statement::column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

core::Result<Database> Database::open(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    auto err = sqlite_error(db, fmt::format("cannot open {}", path.string()));
    sqlite3_close(db);
    return err;
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_extended_result_codes(db, 1);
  return Database(db);
}

Database::Database(Database&& o) noexcept : db_(o.db_), cache_(std::move(o.cache_)) { o.db_ = nullptr; }
Database& Database::operator=(Database&& o) noexcept {
  if (this != &o) {
    close();
    db_ = o.db_;
    cache_ = std::move(o.cache_);
    o.db_ = nullptr;
  }
  return *this;
}
Database::~Database() { close(); }

void Database::close() {
  if (cache_) {
    for (auto& [sql, c] : *cache_) sqlite3_finalize(c.stmt);
    cache_->clear();
  }
  sqlite3_close(db_);
  db_ = nullptr;
}

void Database::hand_checkpoints_to(Checkpointer& c) {
  sqlite3_wal_hook(
      db_,
      [](void* checkpointer, sqlite3*, const char*, int pages) {
        if (pages >= Checkpointer::kPages) static_cast<Checkpointer*>(checkpointer)->request();
        return SQLITE_OK;
      },
      &c);
}

core::Result<void> Database::checkpoint_passive() {
  const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) return sqlite_error(db_, "checkpoint");
  return {};
}

core::Result<void> Database::exec(std::string_view sql) {
  char* msg = nullptr;
  const std::string s(sql);
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
    auto err = core::make_error(core::Errc::store, msg ? msg : "exec failed");
    sqlite3_free(msg);
    return err;
  }
  return {};
}

core::Result<Statement> Database::prepare(std::string_view sql) {
  auto it = cache_->find(sql);
  if (it != cache_->end() && !it->second.lent) {
    it->second.lent = true;
    return Statement(db_, it->second.stmt, &it->second.lent);
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
    return sqlite_error(db_, "cannot prepare statement");
  }
  if (it != cache_->end()) return Statement(db_, stmt);  // that SQL is out already: this one is the caller's own
  it = cache_->emplace(std::string(sql), Cached{stmt, true}).first;
  return Statement(db_, stmt, &it->second.lent);
}

core::Result<std::int64_t> Database::query_int(std::string_view sql) {
  auto st = prepare(sql);
  if (!st) return st.error();
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return core::make_error(core::Errc::store, "query returned no row");
  return st->column_int(0);
}

int Database::user_version() {
  auto v = query_int("PRAGMA user_version");
  return v ? static_cast<int>(*v) : -1;
}

core::Result<void> Database::set_user_version(int version) {
  return exec(fmt::format("PRAGMA user_version = {}", version));
}

core::Result<Transaction> Transaction::begin(Database& db) {
  if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return r.error();
  return Transaction(db);
}

Transaction::~Transaction() {
  if (db_) (void)db_->exec("ROLLBACK");
}

core::Result<void> Transaction::commit() {
  auto r = db_->exec("COMMIT");
  if (r) db_ = nullptr;
  return r;
}

}  // namespace tether::store

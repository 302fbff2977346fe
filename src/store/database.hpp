// A thin RAII wrapper over one SQLite connection and its prepared statements, which it
// keeps: each SQL text is compiled once per connection. Errors come back as values;
// sqlite3.h stays inside src/store/*.cpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace tether::store {

class Checkpointer;

class Statement {
 public:
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);

  // true: a row is ready; false: done. Errors carry the SQLite message.
  core::Result<bool> step();
  core::Result<void> run();  // step to completion, then reset
  void reset();

  std::int64_t column_int(int index) const;
  std::string column_text(int index) const;
  bool column_is_null(int index) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt, bool* lent = nullptr) : db_(db), stmt_(stmt), lent_(lent) {}
  void release();
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  bool* lent_ = nullptr;  // set: borrowed from the connection's cache, reset and given back when done
};

class Database {
 public:
  static core::Result<Database> open(const std::filesystem::path& path);
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  core::Result<void> exec(std::string_view sql);
  // The statement for `sql`, compiled on first use and kept; it goes back (reset, no
  // bindings) when the returned Statement is destroyed. While one is out, the same SQL
  // gets a fresh statement of its own.
  core::Result<Statement> prepare(std::string_view sql);
  core::Result<std::int64_t> query_int(std::string_view sql);

  // From now on this connection asks `c` for checkpoints instead of running them inside
  // its commits. `c` must outlive the connection.
  void hand_checkpoints_to(Checkpointer& c);
  // Copies what it can of the write-ahead log into the database without waiting for any
  // reader or writer (SQLITE_CHECKPOINT_PASSIVE). A busy database is not an error.
  core::Result<void> checkpoint_passive();

  int user_version();
  core::Result<void> set_user_version(int version);

 private:
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool lent = false;
  };
  explicit Database(sqlite3* db) : db_(db), cache_(std::make_unique<std::map<std::string, Cached, std::less<>>>()) {}
  void close();
  sqlite3* db_ = nullptr;
  // Behind a pointer so a lent statement's flag stays put when the Database moves.
  std::unique_ptr<std::map<std::string, Cached, std::less<>>> cache_;
};

// RAII transaction: BEGIN IMMEDIATE on construction, ROLLBACK unless commit() succeeded.
class Transaction {
 public:
  static core::Result<Transaction> begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  core::Result<void> commit();

 private:
  explicit Transaction(Database& db) : db_(&db) {}
  Database* db_;
};

}  // namespace tether::store

#include "store/checkpointer.hpp"

#include <sqlite3.h>
#include <spdlog/spdlog.h>

#include <fmt/format.h>

namespace tether::store {
core::Result<std::unique_ptr<Checkpointer>> Checkpointer::start(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    auto err = core::make_error("sqlite", fmt::format("cannot open {} for checkpoints: {}", path.string(),
                                                      db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close(db);
    return err;
  }
  // A connection learns the log is there when it first reads: until then a checkpoint
  // would find "no WAL" and do nothing.
  if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) != SQLITE_OK) {
    auto err = core::make_error("sqlite", fmt::format("cannot read {} for checkpoints: {}", path.string(), sqlite3_errmsg(db)));
    sqlite3_close(db);
    return err;
  }
  return std::unique_ptr<Checkpointer>(new Checkpointer(db));
}

Checkpointer::Checkpointer(sqlite3* db) : db_(db), thread_([this] { run(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  sqlite3_close(db_);
}

void Checkpointer::request() {
  {
    std::lock_guard lock(mutex_);
    requested_ = true;
  }
  wake_.notify_one();
}

void Checkpointer::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return requested_ || stopping_; });
      if (stopping_) return;
      requested_ = false;
    }
    int log = 0;
    int copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) spdlog::warn("database checkpoint: {}", sqlite3_errmsg(db_));
    ++runs_;
  }
}

}  // namespace tether::store

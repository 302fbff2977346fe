#include "store/checkpointer.hpp"

#include <spdlog/spdlog.h>

namespace tether::store {

core::Result<std::unique_ptr<Checkpointer>> Checkpointer::start(const std::filesystem::path& path) {
  auto db = Database::open(path);
  if (!db) return db.error();
  // A connection learns the log is there when it first reads: until then a checkpoint
  // would find "no WAL" and do nothing.
  if (auto r = db->exec("SELECT count(*) FROM sqlite_master"); !r) return r.error();
  return std::unique_ptr<Checkpointer>(new Checkpointer(std::move(db).value()));
}

Checkpointer::Checkpointer(Database db) : db_(std::move(db)), thread_([this] { run(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
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
    if (auto r = db_.checkpoint_passive(); !r) spdlog::warn("database {}", r.error().message);
    ++runs_;
  }
}

}  // namespace tether::store
